import type { Repositories } from '../../db/repositories/index.js';
import type { Logger } from '../../logger.js';
import {
  blendPicks,
  DEFAULT_COLD_START_CONFIG,
  neighbourShare,
  PICK_SOURCES,
  type ColdStartConfig,
  type NeighbourPick,
  type PickSource,
  type PopularFilm,
  type Recommendation,
  type RecommendOptions,
} from '../../recommender/index.js';
import type { MovieCatalog } from '../../tmdb/catalog.js';
import type { CachedMovie } from '../../tmdb/types.js';
import type { IsGuildMember, NamingPolicy } from '../naming-policy.js';
import type { SimilarMember } from '../profiles.js';
import { checkPickCriteria, type PickCriteria } from './criteria.js';
import type { FilmFacts, FilmFilter } from './film-facts.js';
import type { GuildModel, GuildModels } from './guild-models.js';
import type { PopularFilms } from './popular-films.js';

/** A neighbour named in an explanation, as the naming policy allows (showName on, still in the guild). */
export interface NamedBacker {
  userId: string;
  /** Their rating of the film, or null when they only gave it a 👍. */
  rating: number | null;
  /** Films they and the member both rated ("agrees with you on N films"). */
  coRated: number;
}

/**
 * Why a film was picked, as it may be shown (GUIDE §9, decided by ../naming-policy.ts); the command renders the
 * sentence. Backers are the neighbours whose vote for the film is positive (a liked rating or a 👍).
 */
export type PickReason =
  /** Backers who may be named, strongest first (at most `maxContributors`); `othersToo` when more backed it. */
  | { kind: 'named'; named: NamedBacker[]; othersToo: boolean }
  /** Nobody may be named, but enough backed it to be counted; the mean rating of those who rated it, if any did. */
  | { kind: 'count'; backers: number; averageRating: number | null }
  /** Too few to count: "members with similar taste liked it". */
  | { kind: 'similar-taste' }
  | { kind: 'popular' };

export interface RecommendationPick {
  movie: CachedMovie;
  source: PickSource;
  /** Ranking score: Σ sim^p · vote for neighbour picks; TMDB popularity (0 when unknown) for popular ones. */
  score: number;
  /** Predicted stars for neighbour picks (the baseline when no neighbour rated it); null for popular ones. */
  predicted: number | null;
  reason: PickReason;
}

export interface RecommendRequest extends PickCriteria {
  guildId: string;
  /** Whose picks: the caller, or a member whose profile they may see (the command checks that). */
  userId: string;
  /** Whether a backer is still in the guild, for the naming rule; asked only about backers who allow their name. */
  isGuildMember: IsGuildMember;
  /** Leave out the member's watchlist; default from the service options. */
  excludeWatchlisted?: boolean;
  /** The caller's deadline: bounds the TMDB requests of the cold-start part. */
  signal?: AbortSignal;
}

export interface RecommendUseCaseOptions {
  /** Default of `RecommendRequest.excludeWatchlisted`. */
  excludeWatchlisted?: boolean;
  /** Contributors listed per pick's explanation. */
  maxContributors?: number;
  /** Cold-start blending (defaults: DEFAULT_COLD_START_CONFIG). */
  coldStart?: Partial<ColdStartConfig>;
}

export interface RecommendUseCaseDeps {
  repos: Pick<Repositories, 'watchLog' | 'feedback' | 'watchlist' | 'ratings' | 'movies'>;
  catalog: Pick<MovieCatalog, 'getMovie'>;
  clock: () => Date;
  log: Logger;
  models: GuildModels;
  facts: FilmFacts;
  popular: PopularFilms;
  naming: NamingPolicy;
}

/** Extra candidates asked for, so films dropped later (no movie row) still leave `count` picks. */
const SPARE_PICKS = 3;
/** With a runtime bound more candidates may be dropped (runtime is known only from details): count × this, capped. */
const RUNTIME_SPARES_PER_PICK = 3;
const MAX_RUNTIME_SPARES = 12;
/** Rounds of "load the facts of unknown candidates, rank again" for a genre or year filter. */
const FILTER_ROUNDS = 4;

/**
 * The use cases: a member's picks (neighbour picks blended with TMDB popularity while their ratings are few,
 * with exclusions and explanations as the naming policy allows) and their most similar members.
 */
export function createRecommendUseCases(
  { repos, catalog, clock, log, models, facts, popular, naming }: RecommendUseCaseDeps,
  options: Required<RecommendUseCaseOptions>,
) {
  const coldStart: ColdStartConfig = { ...DEFAULT_COLD_START_CONFIG, ...options.coldStart };

  /**
   * The model's picks that pass the filter. The engine asks the filter only about films that would make the
   * list, so films of unknown facts are left out of a round, their facts loaded, and the ranking run again.
   */
  async function neighbourPicks(
    entry: GuildModel,
    userId: string,
    rank: RecommendOptions,
    films: FilmFilter,
  ): Promise<Recommendation> {
    const ranked = () => entry.model.recommend(userId, { ...rank, filter: films.accepts });
    let result = ranked();
    for (let round = 1; round < FILTER_ROUNDS && films.unknown.length > 0; round++) {
      await facts.load(films.unknown.splice(0));
      result = ranked();
    }
    return result;
  }

  /**
   * Stored rows of the films, fetching any the movies table lacks (a pick card needs its row), and with
   * `needRuntime` the details of rows without a runtime (rows seen only in TMDB lists have none).
   */
  async function moviesFor(
    movieIds: readonly number[],
    needRuntime: boolean,
    signal?: AbortSignal,
  ): Promise<Map<number, CachedMovie>> {
    const rows = new Map((await repos.movies.findByIds(movieIds)).map((movie) => [movie.tmdbId, movie]));
    const missing = [
      ...new Set(
        movieIds.filter((id) => {
          const row = rows.get(id);
          return row === undefined || (needRuntime && row.runtime === null);
        }),
      ),
    ];
    // Film by film, so one that times out costs only its own pick.
    const fetched = await Promise.allSettled(missing.map((id) => catalog.getMovie(id, signal ? { signal } : {})));
    fetched.forEach((result, index) => {
      if (result.status === 'fulfilled') rows.set(result.value.tmdbId, result.value);
      else log.warn({ err: result.reason, tmdbId: missing[index] }, 'film of a pick could not be fetched');
    });
    return rows;
  }

  /** Backers of the picks the policy lets be named here (the engine hands over every contributor's id). */
  function nameableBackers(
    picks: readonly NeighbourPick[],
    isGuildMember: IsGuildMember,
  ): Promise<ReadonlySet<string>> {
    const ids = picks.flatMap(({ explanation }) =>
      explanation.contributors.flatMap((contributor) => (contributor.kind === 'named' ? [contributor.userId] : [])),
    );
    return naming.nameable(ids, isGuildMember);
  }

  /** A neighbour pick's reason as the naming policy lets it be shown: named backers, else a count, else neither. */
  function reasonOf({ explanation }: NeighbourPick, nameable: ReadonlySet<string>): PickReason {
    const { backers, averageRating, contributors } = explanation;
    const named = contributors.flatMap((contributor) =>
      contributor.kind === 'named' && nameable.has(contributor.userId)
        ? [{ userId: contributor.userId, rating: contributor.rating, coRated: contributor.coRated }]
        : [],
    );
    if (named.length > 0) return { kind: 'named', named, othersToo: backers > named.length };
    return naming.mayCount(backers) ? { kind: 'count', backers, averageRating } : { kind: 'similar-taste' };
  }

  /** The member's picks, best first: neighbour picks blended with popular films as their ratings grow. */
  async function recommend(request: RecommendRequest): Promise<RecommendationPick[]> {
    checkPickCriteria(request, clock());
    const { guildId, userId, count, maxRuntime, signal } = request;
    const entry = await models.modelFor(guildId, userId);
    const withoutWatchlist = request.excludeWatchlisted ?? options.excludeWatchlisted;
    const [watched, feedback, watchlist] = await Promise.all([
      repos.watchLog.watchedMovieIds(userId),
      repos.feedback.listByUser(userId),
      withoutWatchlist ? repos.watchlist.list(userId) : [],
    ]);
    // Rated films and the member's own 👎 are left out by the model itself; these come from the database.
    const exclude = new Set<number>([
      ...watched,
      ...feedback.filter(({ value }) => value === -1).map(({ movieId }) => movieId),
      ...watchlist.map(({ movieId }) => movieId),
    ]);
    const allowed = models.allowedNeighbours(entry);
    const wanted =
      count + (maxRuntime === undefined ? SPARE_PICKS : Math.min(count * RUNTIME_SPARES_PER_PICK, MAX_RUNTIME_SPARES));
    const films = facts.filter(request);
    const fromNeighbours = await neighbourPicks(
      entry,
      userId,
      {
        count: wanted,
        exclude,
        allowedNeighbours: allowed,
        // Every contributor's id, for the naming policy to decide on once the picks are known.
        canName: () => true,
        maxContributors: options.maxContributors,
      },
      films,
    );

    let popularFilms: PopularFilm[] = [];
    let liked = new Map<number, number>();
    const share = neighbourShare(fromNeighbours.ratingCount, fromNeighbours.neighbourCount, coldStart);
    if (share < 1 || fromNeighbours.picks.length < count) {
      const ratings = await repos.ratings.listByUser(userId);
      for (const { movieId } of ratings) exclude.add(movieId);
      [popularFilms, liked] = await Promise.all([
        popular.popularFilms(wanted, (film) => !exclude.has(film.tmdbId) && films.accepts(film.tmdbId), signal),
        popular.likedGenres(ratings),
      ]);
    }
    const blended = blendPicks(
      {
        neighbourPicks: fromNeighbours.picks,
        ratingCount: fromNeighbours.ratingCount,
        neighbourCount: fromNeighbours.neighbourCount,
        popular: popularFilms,
        count: wanted,
        exclude,
        filter: films.accepts,
        likedGenres: liked,
      },
      coldStart,
    );

    const movies = await moviesFor(
      blended.map(({ itemId }) => itemId),
      maxRuntime !== undefined,
      signal,
    );
    // Runtime is known only from the details: films of unknown runtime fail a runtime bound; spares fill their places.
    const fits = (movie: CachedMovie | undefined): movie is CachedMovie =>
      movie !== undefined && (maxRuntime === undefined || (movie.runtime !== null && movie.runtime <= maxRuntime));
    const chosen = blended
      .flatMap((pick) => {
        const movie = movies.get(pick.itemId);
        return fits(movie) ? [{ pick, movie }] : [];
      })
      .slice(0, count);
    const fromModel = chosen.flatMap(({ pick }) => (pick.source === PICK_SOURCES.neighbours ? [pick.itemId] : []));
    const predictions = new Map(
      entry.model
        .predictMany(userId, fromModel, { allowedNeighbours: allowed })
        .map((prediction, index) => [
          fromModel[index]!,
          prediction.kind === 'ok' ? prediction.rating : prediction.baseline,
        ]),
    );
    const nameable = await nameableBackers(
      chosen.flatMap(({ pick }) => (pick.neighbourPick ? [pick.neighbourPick] : [])),
      request.isGuildMember,
    );
    const picks = chosen.map(({ pick, movie }): RecommendationPick =>
      pick.neighbourPick
        ? {
            movie,
            source: PICK_SOURCES.neighbours,
            score: pick.neighbourPick.score,
            predicted: predictions.get(pick.itemId) ?? null,
            reason: reasonOf(pick.neighbourPick, nameable),
          }
        : {
            movie,
            source: PICK_SOURCES.popular,
            score: movie.popularity ?? 0,
            predicted: null,
            reason: { kind: 'popular' },
          },
    );
    log.info(
      {
        guildId,
        userId,
        picks: picks.length,
        neighbours: fromNeighbours.neighbourCount,
        share,
        sources: picks.map(({ source }) => source),
      },
      'recommended',
    );
    return picks;
  }

  /** Members of the guild whose taste is closest to the member's (only those who share it), closest first. */
  async function similarMembers(guildId: string, userId: string, limit: number): Promise<SimilarMember[]> {
    const entry = await models.modelFor(guildId, userId);
    return entry.model
      .neighbours(userId, { allowedNeighbours: models.allowedNeighbours(entry), count: limit })
      .map(({ userId: id, similarity, coRated }) => ({ userId: id, similarity, coRated }));
  }

  return { recommend, similarMembers };
}
