import type { Repositories } from '../../db/repositories/index.js';
import type { Logger } from '../../logger.js';
import {
  DEFAULT_GROUP_CONFIG,
  groupCandidates,
  memberUtilities,
  rankPopular,
  recommendForGroup,
  type Forecast,
  type GroupStrategy,
  type RelatedFilms,
} from '../../recommender/index.js';
import type { MovieCatalog } from '../../tmdb/catalog.js';
import type { CachedMovie } from '../../tmdb/types.js';
import type { FilmFacts } from './film-facts.js';
import type { GuildModel, GuildModels } from './guild-models.js';
import type { PopularFilms } from './popular-films.js';
import type { RelatedFilmsService } from './related-films.js';

export interface GroupPickRequest {
  guildId: string;
  /** The group: distinct members (bots already left out), 1 or more. */
  memberIds: readonly string[];
  /** Default: DEFAULT_GROUP_CONFIG's (borda). */
  strategy?: GroupStrategy;
  /** Picks wanted (default 5). */
  count?: number;
  /** Keep films a member has seen or rated (a 👎 still excludes). */
  allowRewatches?: boolean;
  genreId?: number;
  /** Longest runtime in minutes; a film of unknown runtime fails. */
  maxRuntime?: number;
  /** The caller's deadline for TMDB (lists of loved films, popular lists, details of the picks). */
  signal?: AbortSignal;
}

export interface GroupPickFilm {
  movie: CachedMovie;
  /** Mean predicted stars of the members with ratings (the winner's tie-break after votes). */
  groupScore: number;
  /** Every member's predicted stars, or why there is none, in user id order. */
  forecasts: Forecast[];
}

export interface GroupPicks {
  strategy: GroupStrategy;
  picks: GroupPickFilm[];
  /** Members without ratings: they take no part in the ranking. */
  noRatingsYet: string[];
}

export interface GroupPickOptions {
  /** Films of each member's own ranking that join the candidates. */
  personalDepth?: number;
  /** As for personal picks: a popular film of a member's liked genres moves up. */
  genreBoost?: number;
}

export const GROUP_PICK_DEFAULTS = { personalDepth: 30, genreBoost: 1 } as const satisfies Required<GroupPickOptions>;

export interface GroupPickDeps {
  repos: Pick<Repositories, 'watchLog' | 'feedback' | 'ratings' | 'movies'>;
  catalog: Pick<MovieCatalog, 'getMovie'>;
  log: Logger;
  models: GuildModels;
  facts: FilmFacts;
  popular: PopularFilms;
  related: RelatedFilmsService;
  lovedRating: number;
}

/** Extra picks asked of the group recommender, so films dropped later (no stored row) still leave `count`… */
const SPARE_PICKS = 3;
/** …and with a runtime bound (runtime is known only from details) `count` × this more. */
const RUNTIME_SPARES_PER_PICK = 3;
/** Rounds of "load the facts of films a genre filter has not seen, rank again" for a member's own list. */
const FILTER_ROUNDS = 3;

/** What one member brings: what they have seen, disliked and loved. */
interface MemberTaste {
  userId: string;
  seen: Set<number>;
  disliked: Set<number>;
  ratings: { movieId: number; score: number }[];
  /** Films rated or given 👍 (their TMDB lists are read), and of those the loved ones. */
  known: number[];
  loved: number[];
}

/**
 * Picks for a group (a movie night) from the pure group recommender (src/recommender/group.ts), the way the group
 * evaluation scores it (`npm run evaluate -- --groups`): candidates are each member's own ranking (the personal
 * blend: TMDB's lists of the films they loved, members who agree with them, the server's favourites) and TMDB's
 * popular films; utilities are the rating model's (group-utilities.ts); the strategy aggregates them.
 */
export function createGroupPicks(deps: GroupPickDeps, options: GroupPickOptions = {}) {
  const { repos, catalog, log, models, facts, popular, related, lovedRating } = deps;
  const settings = { ...GROUP_PICK_DEFAULTS, ...options };

  async function tasteOf(userId: string): Promise<MemberTaste> {
    const [watched, feedback, ratings] = await Promise.all([
      repos.watchLog.watchedMovieIds(userId),
      repos.feedback.listByUser(userId),
      repos.ratings.listByUser(userId),
    ]);
    const thumbsUp = feedback.filter(({ value }) => value === 1).map(({ movieId }) => movieId);
    return {
      userId,
      seen: new Set([...watched, ...ratings.map(({ movieId }) => movieId)]),
      disliked: new Set(feedback.filter(({ value }) => value === -1).map(({ movieId }) => movieId)),
      ratings,
      known: [...ratings.map(({ movieId }) => movieId), ...thumbsUp],
      loved: [...ratings.filter(({ score }) => score >= lovedRating).map(({ movieId }) => movieId), ...thumbsUp],
    };
  }

  /** The member's own top films (the personal blend), within the genre filter. */
  async function personalTop(
    entry: GuildModel,
    taste: MemberTaste,
    request: GroupPickRequest,
    popularFilms: Awaited<ReturnType<PopularFilms['popularFilms']>>,
  ): Promise<number[]> {
    if (taste.known.length === 0) return [];
    const [lists, liked]: [RelatedFilms, Map<number, number>] = await Promise.all([
      related.forMember(taste.known, taste.loved, request.signal),
      popular.likedGenres(taste.ratings),
    ]);
    const films = facts.filter(request.genreId === undefined ? {} : { genreId: request.genreId });
    const exclude = request.allowRewatches ? taste.disliked : new Set([...taste.seen, ...taste.disliked]);
    const rank = () =>
      entry.model.recommend(taste.userId, {
        count: settings.personalDepth,
        exclude,
        allowedNeighbours: models.allowedNeighbours(entry),
        explain: false,
        related: lists,
        popular: rankPopular(popularFilms, liked, settings.genreBoost),
        filter: films.accepts,
      });
    let ranked = rank();
    for (let round = 1; round < FILTER_ROUNDS && films.unknown.length > 0; round++) {
      await facts.load(films.unknown.splice(0));
      ranked = rank();
    }
    return ranked.picks.map(({ itemId }) => itemId);
  }

  /**
   * Stored rows of the picks with their details (runtime is shown, and a runtime bound needs it), fetched within
   * the request's deadline film by film; a film TMDB cannot give keeps its stored row, one without a row is dropped.
   */
  async function moviesOf(movieIds: readonly number[], signal: AbortSignal | undefined) {
    const rows = new Map((await repos.movies.findByIds(movieIds)).map((movie) => [movie.tmdbId, movie]));
    const fetched = await Promise.allSettled(
      movieIds
        .filter((id) => rows.get(id)?.runtime == null)
        .map((id) => catalog.getMovie(id, { stored: rows.get(id) ?? null, ...(signal ? { signal } : {}) })),
    );
    for (const result of fetched) {
      if (result.status === 'fulfilled') rows.set(result.value.tmdbId, result.value);
      else log.warn({ err: result.reason }, 'film of a group pick could not be fetched');
    }
    return rows;
  }

  /** The group's picks, best first, each with every member's forecast. */
  async function recommendForGroupRequest(request: GroupPickRequest): Promise<GroupPicks> {
    const strategy = request.strategy ?? DEFAULT_GROUP_CONFIG.strategy;
    const count = request.count ?? DEFAULT_GROUP_CONFIG.count;
    const members = [...new Set(request.memberIds)];
    if (members.length === 0) return { strategy, picks: [], noRatingsYet: [] };
    // One model per guild; asking for each member makes sure it holds them all (newcomers are loaded, never neighbours).
    let entry: GuildModel | undefined;
    for (const userId of members) entry = await models.modelFor(request.guildId, userId);
    if (!entry) return { strategy, picks: [], noRatingsYet: [] };
    const model = entry.model;
    const tastes = await Promise.all(members.map(tasteOf));
    const seenByAnyone = new Set(tastes.flatMap(({ seen }) => [...seen]));
    const genre = facts.filter(request.genreId === undefined ? {} : { genreId: request.genreId });
    const popularFilms = await popular.popularFilms(
      count * RUNTIME_SPARES_PER_PICK,
      (film) => (request.allowRewatches || !seenByAnyone.has(film.tmdbId)) && genre.accepts(film.tmdbId),
      request.signal,
    );
    const personal = await Promise.all(tastes.map((taste) => personalTop(entry, taste, request, popularFilms)));
    const ids = [...new Set([...personal.flat(), ...popularFilms.map(({ itemId }) => itemId)])];
    const [rows] = await Promise.all([repos.movies.findByIds(ids), facts.load(ids)]);
    const popularity = new Map(rows.map((movie) => [movie.tmdbId, movie.popularity ?? 0]));
    const candidates = groupCandidates(
      { personal, popular: popularFilms.map(({ itemId }) => itemId) },
      (itemId) => popularity.get(itemId) ?? 0,
    );
    const itemIds = candidates.map(({ itemId }) => itemId);
    const allowedNeighbours = models.allowedNeighbours(entry);
    const wanted = count * (request.maxRuntime === undefined ? 1 : RUNTIME_SPARES_PER_PICK) + SPARE_PICKS;
    const result = recommendForGroup(
      {
        participants: tastes.map(({ userId, seen, disliked }) => ({
          userId,
          ...memberUtilities(model, userId, itemIds, { allowedNeighbours }),
          seen,
          disliked,
        })),
        candidates,
        filter: genre.accepts,
      },
      { strategy, count: wanted, allowRewatches: request.allowRewatches ?? false },
    );
    const movies = await moviesOf(
      result.picks.map(({ itemId }) => itemId),
      request.signal,
    );
    const fits = (movie: CachedMovie | undefined): movie is CachedMovie =>
      movie !== undefined &&
      (request.maxRuntime === undefined || (movie.runtime !== null && movie.runtime <= request.maxRuntime));
    const picks = result.picks
      .flatMap((pick) => {
        const movie = movies.get(pick.itemId);
        return fits(movie) ? [{ movie, groupScore: pick.groupScore, forecasts: pick.forecasts }] : [];
      })
      .slice(0, count);
    log.info(
      {
        guildId: request.guildId,
        members: members.length,
        strategy,
        candidates: result.candidateCount,
        picks: picks.map(({ movie }) => movie.tmdbId),
      },
      'group picks',
    );
    return { strategy, picks, noRatingsYet: result.noRatingsYet };
  }

  return { recommendForGroup: recommendForGroupRequest };
}
