import type { Repositories } from '../../db/repositories/index.js';
import { combineSignals, startDeadline } from '../../deadline.js';
import type { Logger } from '../../logger.js';
import {
  PICK_SOURCES,
  rankPopular,
  type PickSource,
  type RankedPick,
  type Recommendation,
  type RecommendOptions,
} from '../../recommender/index.js';
import type { MovieCatalog } from '../../tmdb/catalog.js';
import type { WatchProviders } from '../../tmdb/schemas.js';
import type { CachedMovie } from '../../tmdb/types.js';
import type { IsGuildMember, NamingPolicy } from '../naming-policy.js';
import type { SimilarMember } from '../profiles.js';
import { checkPickCriteria, type PickCriteria } from './criteria.js';
import type { FilmFacts, FilmFilter } from './film-facts.js';
import type { GuildModel, GuildModels } from './guild-models.js';
import type { PopularFilms } from './popular-films.js';
import { reasonFor, type PickReason, type SeedFilm } from './reasons.js';
import type { RelatedFilmsService } from './related-films.js';
import type { SourceLearning } from './source-learning.js';

export type { NamedBacker, PickReason, SeedFilm } from './reasons.js';

export interface RecommendationPick {
  movie: CachedMovie;
  /** The strongest of the pick's sources (recorded with its card). */
  source: PickSource;
  /** score(i) of the blend (src/recommender/recommend.ts). */
  score: number;
  /** Predicted stars (the baseline when no neighbour rated it); null for a pick TMDB's popularity carried. */
  predicted: number | null;
  reason: PickReason;
  /** Where to watch it in the server's region, as `/movie` shows it; null when TMDB did not answer in time. */
  providers: WatchProviders | null;
}

export interface RecommendRequest extends PickCriteria {
  guildId: string;
  /** Whose picks: the caller, or a member whose profile they may see (the command checks that). */
  userId: string;
  /** Whether a backer is still in the guild, for the naming rule; asked only about backers who allow their name. */
  isGuildMember: IsGuildMember;
  /** Leave out the member's watchlist; default from the service options. */
  excludeWatchlisted?: boolean;
  /** The caller's deadline: bounds every TMDB request made for the picks. */
  signal?: AbortSignal;
}

export interface RecommendUseCaseOptions {
  /** Default of `RecommendRequest.excludeWatchlisted`. */
  excludeWatchlisted?: boolean;
  /** Contributors listed per pick's explanation. */
  maxContributors?: number;
  /** A member with fewer ratings than this is told how many more make their picks personal ("a handful"). */
  fewRatings?: number;
  /** A popular film of the member's liked genres moves up as if its rank were divided by (1 + genreBoost·affinity). */
  genreBoost?: number;
  /**
   * A pick card's runtime and where-to-watch line are optional (unless a runtime bound needs the runtime): how long
   * to wait for them, together.
   */
  cardBudgetMs?: number;
  /** How long TMDB's popular lists may take for a member past their first few ratings (popularity then only breaks ties). */
  tieBreakBudgetMs?: number;
}

export interface RecommendUseCaseDeps {
  repos: Pick<Repositories, 'watchLog' | 'feedback' | 'watchlist' | 'ratings' | 'movies' | 'guilds'>;
  catalog: Pick<MovieCatalog, 'getMovie' | 'watchProviders'>;
  clock: () => Date;
  log: Logger;
  models: GuildModels;
  learning: Pick<SourceLearning, 'draw'>;
  facts: FilmFacts;
  popular: PopularFilms;
  related: RelatedFilmsService;
  naming: NamingPolicy;
  /** TMDB region of a guild without its own (config). */
  defaultRegion: string;
  /** Ratings at which a film is loved: its TMDB list seeds the member's picks. */
  lovedRating: number;
}

const round2 = (value: number): number => Math.round(value * 100) / 100;

/** Extra candidates asked for, so films dropped later (no movie row) still leave `count` picks. */
const SPARE_PICKS = 3;
/** With a runtime bound more candidates may be dropped (runtime is known only from details): count × this, capped. */
const RUNTIME_SPARES_PER_PICK = 3;
const MAX_RUNTIME_SPARES = 12;
/** Rounds of "load the facts of unknown candidates, rank again" for a genre or year filter. */
const FILTER_ROUNDS = 4;

/**
 * The use cases: a member's picks (one ranking of TMDB's lists of the films they loved, the server's members who
 * agree with them, the server's favourites and TMDB's popularity, with exclusions and true reasons as the naming
 * policy allows) and the members who agree with them.
 */
export function createRecommendUseCases(deps: RecommendUseCaseDeps, options: Required<RecommendUseCaseOptions>) {
  const { repos, catalog, clock, log, models, learning, facts, popular, related, naming } = deps;

  /**
   * The model's picks that pass the filter. The engine asks the filter only about films that would make the
   * list, so films of unknown facts are left out of a round, their facts loaded, and the ranking run again.
   */
  async function rankedPicks(
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
   * Stored rows of the candidates, fetching any the movies table lacks (a card needs its row) within the request's
   * deadline, and the details of rows without a runtime (rows seen only in TMDB lists have none): of every
   * candidate within the request's deadline when a runtime bound needs them, else of the first `shown` within the
   * card budget, the runtime line being optional. Film by film, so one that times out costs only its own pick, or
   * its runtime line.
   */
  async function moviesFor(
    movieIds: readonly number[],
    shown: number,
    runtimeNeeded: boolean,
    signals: { request: AbortSignal | undefined; card: AbortSignal },
  ): Promise<Map<number, CachedMovie>> {
    const rows = new Map((await repos.movies.findByIds(movieIds)).map((movie) => [movie.tmdbId, movie]));
    const missing = [
      ...new Set(
        movieIds.filter((id, index) => {
          const row = rows.get(id);
          return row === undefined || (row.runtime === null && (runtimeNeeded || index < shown));
        }),
      ),
    ];
    const fetched = await Promise.allSettled(
      missing.map((id) => {
        const stored = rows.get(id) ?? null;
        const deadline = stored === null || runtimeNeeded ? signals.request : signals.card;
        return catalog.getMovie(id, { stored, ...(deadline ? { signal: deadline } : {}) });
      }),
    );
    fetched.forEach((result, index) => {
      if (result.status === 'fulfilled') rows.set(result.value.tmdbId, result.value);
      else log.warn({ err: result.reason, tmdbId: missing[index] }, 'film of a pick could not be fetched');
    });
    return rows;
  }

  /** Where to watch each film in the guild's region; a film TMDB does not answer for in time gets null. */
  async function providersFor(guildId: string, movieIds: readonly number[], signal: AbortSignal) {
    const region = (await repos.guilds.region(guildId)) ?? deps.defaultRegion;
    const answers = await Promise.allSettled(
      movieIds.map((id) => catalog.watchProviders(id, region, { signal, priority: 'interactive' })),
    );
    return new Map(
      answers.map((answer, index) => [movieIds[index]!, answer.status === 'fulfilled' ? answer.value : null]),
    );
  }

  /** Every backer's id the engine handed over that the policy lets be named here. */
  function nameableBackers(picks: readonly RankedPick[], isGuildMember: IsGuildMember): Promise<ReadonlySet<string>> {
    const ids = picks.flatMap(({ explanation }) =>
      explanation.contributors.flatMap((contributor) => (contributor.kind === 'named' ? [contributor.userId] : [])),
    );
    return naming.nameable(ids, isGuildMember);
  }

  /** The member's picks, best first, each with its true reason. */
  async function recommend(request: RecommendRequest): Promise<RecommendationPick[]> {
    checkPickCriteria(request, clock());
    const { guildId, userId, count, maxRuntime, signal } = request;
    const entry = await models.modelFor(guildId, userId);
    const withoutWatchlist = request.excludeWatchlisted ?? options.excludeWatchlisted;
    const [watched, reactions, watchlist, ratings] = await Promise.all([
      repos.watchLog.watchedMovieIds(userId),
      repos.feedback.listReactions(userId),
      withoutWatchlist ? repos.watchlist.list(userId) : [],
      repos.ratings.listByUser(userId),
    ]);
    // Rated films and the member's own 👎 are left out by the model itself; these come from the database. A film
    // given 👍 is not picked again either: it seeds the picks now, and its card is still there.
    const exclude = new Set<number>([
      ...watched,
      ...reactions.map(({ movieId }) => movieId),
      ...watchlist.map(({ movieId }) => movieId),
      ...ratings.map(({ movieId }) => movieId),
    ]);
    const thumbsUp = reactions.filter(({ value }) => value === 1).map(({ movieId }) => movieId);
    const loved = [
      ...ratings.filter(({ score }) => score >= deps.lovedRating).map(({ movieId }) => movieId),
      ...thumbsUp,
    ];
    const sourceScale = learning.draw(entry.sources.evidence);
    const wanted =
      count + (maxRuntime === undefined ? SPARE_PICKS : Math.min(count * RUNTIME_SPARES_PER_PICK, MAX_RUNTIME_SPARES));
    const films = facts.filter(request);
    const ratingsToGo = ratings.length < options.fewRatings ? options.fewRatings - ratings.length : null;
    // A member past their first few ratings has other sources: popularity only breaks ties, so it waits less.
    const popularDeadline = startDeadline(options.tieBreakBudgetMs);
    const [lists, popularFilms, liked] = await Promise.all([
      related.forMember([...ratings.map(({ movieId }) => movieId), ...thumbsUp], loved, signal),
      popular.popularFilms(
        wanted,
        (film) => !exclude.has(film.tmdbId) && films.accepts(film.tmdbId),
        ratingsToGo === null ? combineSignals(popularDeadline.signal, signal) : signal,
      ),
      popular.likedGenres(ratings),
    ]).finally(() => popularDeadline.cancel());
    const ranked = await rankedPicks(
      entry,
      userId,
      {
        count: wanted,
        exclude,
        allowedNeighbours: models.allowedNeighbours(entry),
        // Every contributor's id, for the naming policy to decide on once the picks are known.
        canName: () => true,
        maxContributors: options.maxContributors,
        related: lists,
        popular: rankPopular(popularFilms, liked, options.genreBoost),
        // Learning (src/recommender/learning/): this request's draw of the server's source weights, and what the
        // member's 👎 taught about their seeds and neighbours.
        sourceScale,
        memberFeedback: {
          reactions: reactions.map(({ movieId, value, at, source }) => ({
            itemId: movieId,
            value,
            at: at.getTime(),
            source,
          })),
          now: clock().getTime(),
        },
      },
      films,
    );

    const card = startDeadline(options.cardBudgetMs);
    const cardSignal = combineSignals(card.signal, signal);
    const candidates = ranked.picks.map(({ itemId }) => itemId);
    // Where to watch the films most likely shown, beside their details; a later candidate that takes a place gets
    // its line afterwards, within what is left of the budget.
    const [movies, providers] = await Promise.all([
      moviesFor(candidates, count, maxRuntime !== undefined, { request: signal, card: cardSignal }),
      providersFor(guildId, candidates.slice(0, count), cardSignal),
    ]);
    // Runtime is known only from the details: films of unknown runtime fail a runtime bound; spares fill their places.
    const fits = (movie: CachedMovie | undefined): movie is CachedMovie =>
      movie !== undefined && (maxRuntime === undefined || (movie.runtime !== null && movie.runtime <= maxRuntime));
    const chosen = ranked.picks
      .flatMap((pick) => {
        const movie = movies.get(pick.itemId);
        return fits(movie) ? [{ pick, movie }] : [];
      })
      .slice(0, count);
    const late = chosen.map(({ pick }) => pick.itemId).filter((id) => !providers.has(id));
    if (late.length > 0)
      for (const [id, line] of await providersFor(guildId, late, cardSignal)) providers.set(id, line);
    card.cancel();
    const personal = chosen
      .filter(({ pick }) => pick.sources[0] !== PICK_SOURCES.popular)
      .map(({ pick }) => pick.itemId);
    const predictions = entry.model.predictMany(userId, personal, {
      allowedNeighbours: models.allowedNeighbours(entry),
    });
    const [nameable, seedFilms] = await Promise.all([
      nameableBackers(
        chosen.map(({ pick }) => pick),
        request.isGuildMember,
      ),
      repos.movies.findByIds(chosen.flatMap(({ pick }) => pick.seeds.map(({ itemId }) => itemId))),
    ]);
    const predicted = new Map(
      predictions.map((prediction, index) => [
        personal[index]!,
        prediction.kind === 'ok' ? prediction.rating : prediction.baseline,
      ]),
    );
    const context = {
      nameable,
      naming,
      seedFilms: new Map<number, SeedFilm>(seedFilms.map((movie) => [movie.tmdbId, movie])),
      popularLists: new Map(popularFilms.map(({ itemId, list }) => [itemId, list])),
      ratingsToGo,
    };
    const picks = chosen.map(({ pick, movie }): RecommendationPick => ({
      movie,
      source: pick.sources[0] ?? PICK_SOURCES.neighbours,
      score: pick.score,
      predicted: predicted.get(pick.itemId) ?? null,
      reason: reasonFor(pick, context),
      providers: providers.get(pick.itemId) ?? null,
    }));
    log.info(
      {
        guildId,
        userId,
        picks: picks.length,
        neighbours: ranked.neighbourCount,
        lists: loved.filter((id) => lists(id) !== undefined).length,
        sources: picks.map(({ source }) => source),
        sourceScale: Object.fromEntries(Object.entries(sourceScale).map(([source, g]) => [source, round2(g)])),
      },
      'recommended',
    );
    return picks;
  }

  /** Members of the guild who agree with the member (only those who share their taste), closest first. */
  async function similarMembers(guildId: string, userId: string, limit: number): Promise<SimilarMember[]> {
    const entry = await models.modelFor(guildId, userId);
    return entry.model
      .similarMembers(userId, { allowedNeighbours: models.allowedNeighbours(entry), count: limit })
      .map(({ userId: id, similarity, shared }) => ({ userId: id, similarity, coRated: shared }));
  }

  return { recommend, similarMembers };
}
