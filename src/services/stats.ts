import type { CoreDeps } from '../context.js';
import {
  ALL_PICK_SOURCES,
  DEFAULT_OUTCOME_RULES,
  withinWindow,
  type FavouriteFilm,
  type PickSource,
  type ShownPick,
  type SourceParts,
} from '../recommender/index.js';
import { DAY_MS } from '../time.js';
import type { MovieSummary } from '../tmdb/types.js';
import { shownPickOf } from './recommendations/source-learning.js';

/** How one source's picks fared over the period. */
export interface SourceFigures {
  source: PickSource;
  /** Personal pick cards sent whose strongest source this was. */
  shown: number;
  /** Of those, cards the member they were for gave 👍 (👎) within the outcome window. */
  thumbsUp: number;
  thumbsDown: number;
  /** Of those, films the member they were for rated 4★ or more within the outcome window. */
  ratedHigh: number;
  /** The multiplier of the source's weight that deterministic rankings use now (g_s at the posterior mean). */
  weight: number;
}

export interface LovedFilm {
  movie: Pick<MovieSummary, 'tmdbId' | 'title' | 'releaseDate'>;
  /** Plain mean of the members' ratings. */
  average: number;
  raters: number;
}

export interface ServerStats {
  /** The period, in days up to now. */
  days: number;
  /** Days after a pick within which a reaction or rating counts for it. */
  windowDays: number;
  sources: SourceFigures[];
  /** Members of the server who rated films in the period, and the ratings they gave (or changed). */
  raters: number;
  ratings: number;
  /** The server's favourites, best first (members who share their taste, at least 3 raters). */
  mostLoved: LovedFilm[];
}

export interface StatsServiceDeps {
  recommendations: {
    serverFavourites(guildId: string, userId: string, count: number): Promise<FavouriteFilm[]>;
    sourceWeights(guildId: string, userId: string): Promise<SourceParts>;
  };
}

export interface StatsOptions {
  /** The period counted, in days. */
  days?: number;
  /** Films listed as most loved. */
  mostLovedCount?: number;
}

const DEFAULTS = { days: 30, mostLovedCount: 5 } as const satisfies Required<StatsOptions>;

type Counts = Omit<SourceFigures, 'source' | 'weight'>;

/**
 * Per source: cards shown, and of them the ones whose member gave 👍, gave 👎, or rated the film 4★ or more, each
 * counted only when given within the outcome window after the card (learning/outcomes.ts), the reactions the source
 * weights learn from. A card may count under both 👍 and 4★.
 */
export function tallySources(picks: readonly ShownPick[], rules = DEFAULT_OUTCOME_RULES): Record<PickSource, Counts> {
  const tally = Object.fromEntries(
    ALL_PICK_SOURCES.map((source) => [source, { shown: 0, thumbsUp: 0, thumbsDown: 0, ratedHigh: 0 }]),
  ) as Record<PickSource, Counts>;
  for (const pick of picks) {
    const counts = tally[pick.source];
    counts.shown++;
    if (pick.reaction !== null && withinWindow(pick, pick.reaction.at, rules)) {
      if (pick.reaction.value === 1) counts.thumbsUp++;
      else counts.thumbsDown++;
    }
    if (pick.rating !== null && pick.rating.score >= rules.successRating && withinWindow(pick, pick.rating.at, rules))
      counts.ratedHigh++;
  }
  return tally;
}

/** `/stats`: how the server's picks landed over the last 30 days, its rating activity and its most-loved films. */
export function createStatsService(
  { repos, clock }: Pick<CoreDeps, 'repos' | 'clock'>,
  { recommendations }: StatsServiceDeps,
  options: StatsOptions = {},
) {
  const settings = { ...DEFAULTS, ...options };
  return {
    /** The server's figures; `userId` (who asked) is held by the server's model like any member asking. */
    async forGuild(guildId: string, userId: string): Promise<ServerStats> {
      const since = new Date(clock().getTime() - settings.days * DAY_MS);
      const [rows, activity, favourites, weights] = await Promise.all([
        repos.recommendations.shownPicks(guildId, since),
        repos.ratings.guildActivity(guildId, since),
        recommendations.serverFavourites(guildId, userId, settings.mostLovedCount),
        recommendations.sourceWeights(guildId, userId),
      ]);
      const tally = tallySources(rows.map(shownPickOf));
      const movies = new Map(
        (await repos.movies.findByIds(favourites.map(({ itemId }) => itemId))).map((movie) => [movie.tmdbId, movie]),
      );
      return {
        days: settings.days,
        windowDays: DEFAULT_OUTCOME_RULES.windowMs / DAY_MS,
        sources: ALL_PICK_SOURCES.map((source) => ({ source, ...tally[source], weight: weights[source] })),
        raters: activity.members,
        ratings: activity.ratings,
        mostLoved: favourites.flatMap(({ itemId, average, raters }) => {
          const movie = movies.get(itemId);
          return movie ? [{ movie, average, raters }] : [];
        }),
      };
    },
  };
}

export type StatsService = ReturnType<typeof createStatsService>;
