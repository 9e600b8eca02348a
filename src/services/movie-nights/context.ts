import type { Repositories } from '../../db/repositories/index.js';
import type { NightPoll, NightSettings } from '../../db/repositories/movie-nights.js';
import { startDeadline } from '../../deadline.js';
import type { Logger } from '../../logger.js';
import type { GroupPickRequest, GroupPicks } from '../recommendations/index.js';
import type { MovieNightBoard } from './board.js';
import { DEFAULT_STRATEGY, isStrategy } from './rules.js';
import type { CardRefresher } from './timers.js';
import type { MovieNightViews } from './views.js';

export interface MovieNightOptions {
  /** At most one edit of a poll card per this many milliseconds (live counts). */
  editIntervalMs?: number;
  /** How long a process may take over a step that posts to Discord before another may take it over. */
  leaseMs?: number;
  /** The TMDB budget of a night's picks (lists of loved films, popular lists, details of the picks). */
  picksBudgetMs?: number;
}

export const MOVIE_NIGHT_DEFAULTS = {
  editIntervalMs: 1_000,
  leaseMs: 2 * 60_000,
  picksBudgetMs: 15_000,
} as const satisfies Required<MovieNightOptions>;

/** What the movie-night use cases share. */
export interface NightContext {
  repos: Pick<Repositories, 'movieNights' | 'users' | 'unitOfWork' | 'tombstones' | 'movies'>;
  clock: () => Date;
  log: Logger;
  board: MovieNightBoard;
  views: MovieNightViews;
  refresher: CardRefresher;
  /** Arms the deadline timer to the earliest deadline now known. */
  armDeadlines: () => Promise<void>;
  groupPicks: (request: GroupPickRequest) => Promise<GroupPicks>;
  settings: Required<MovieNightOptions>;
}

/**
 * The group's picks for a night, as the tables store them: the group (with who has ratings), the picks in order
 * with their group score, and every predicted fit. Empty candidates: no film could be found.
 */
export async function makePicks(
  ctx: Pick<NightContext, 'groupPicks' | 'settings'>,
  guildId: string,
  memberIds: readonly string[],
  settings: NightSettings,
  count: number,
): Promise<NightPoll> {
  const deadline = startDeadline(ctx.settings.picksBudgetMs);
  const result = await ctx
    .groupPicks({
      guildId,
      memberIds,
      strategy: isStrategy(settings.strategy) ? settings.strategy : DEFAULT_STRATEGY,
      count,
      allowRewatches: settings.allowRewatch,
      ...(settings.genreId === null ? {} : { genreId: settings.genreId }),
      ...(settings.maxRuntime === null ? {} : { maxRuntime: settings.maxRuntime }),
      signal: deadline.signal,
    })
    .finally(() => deadline.cancel());
  const without = new Set(result.noRatingsYet);
  return {
    participants: [...new Set(memberIds)].map((userId) => ({ userId, hasRatings: !without.has(userId) })),
    candidates: result.picks.map(({ movie, groupScore }, index) => ({
      position: index + 1,
      movieId: movie.tmdbId,
      groupScore: Number.isFinite(groupScore) ? groupScore : 0,
    })),
    forecasts: result.picks.flatMap(({ forecasts }, index) =>
      forecasts.flatMap((forecast) =>
        forecast.kind === 'predicted' ? [{ position: index + 1, userId: forecast.userId, stars: forecast.stars }] : [],
      ),
    ),
  };
}
