import type { CoreDeps } from '../context.js';
import { DEFAULT_USER_SETTINGS, type User } from '../db/repositories/users.js';
import { UserFacingError } from '../errors.js';
import { releaseYear } from '../format.js';
import type { Logger } from '../logger.js';
import {
  blendPicks,
  createRecommenderModel,
  DEFAULT_COLD_START_CONFIG,
  likedGenreWeights,
  neighbourShare,
  PICK_SOURCES,
  type ColdStartConfig,
  type FeedbackInput,
  type NeighbourPick,
  type PickSource,
  type PopularFilm,
  type Recommendation,
  type RecommenderConfig,
  type RecommenderModel,
  type RecommendOptions,
} from '../recommender/index.js';
import { isMovieGenreId } from '../tmdb/genres.js';
import type { MovieList } from '../tmdb/schemas.js';
import type { CachedMovie, MovieSummary } from '../tmdb/types.js';
import type { MembersService } from './members.js';
import type { IsGuildMember, NamingPolicy } from './naming-policy.js';
import type { SimilarMember } from './profiles.js';
import type { TasteListener } from './taste-listener.js';

/** Picks per request, as `/recommend` offers them (one message per film, each seeded with two reactions). */
export const MIN_PICKS = 1;
export const MAX_PICKS = 5;
/** Bounds of the year filter: TMDB's oldest film is from 1874; announced films reach a few years ahead. */
export const EARLIEST_YEAR = 1874;
export const YEARS_AHEAD = 5;
/** Bounds of the runtime filter, in minutes. */
export const MIN_RUNTIME = 30;
export const MAX_RUNTIME = 600;

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

export interface RecommendRequest {
  guildId: string;
  /** Whose picks: the caller, or a member whose profile they may see (the command checks that). */
  userId: string;
  /** Whether a backer is still in the guild, for the naming rule; asked only about backers who allow their name. */
  isGuildMember: IsGuildMember;
  /** 1-5. */
  count: number;
  /** TMDB genre id the picks must have. */
  genreId?: number;
  /** Release years the picks must fall in (inclusive, EARLIEST_YEAR to the current year + YEARS_AHEAD); a film without a date fails. */
  fromYear?: number;
  toYear?: number;
  /** Longest runtime in minutes (MIN_RUNTIME-MAX_RUNTIME); a film of unknown runtime fails. */
  maxRuntime?: number;
  /** Leave out the member's watchlist; default from the service options. */
  excludeWatchlisted?: boolean;
  /** The caller's deadline: bounds the TMDB requests of the cold-start part. */
  signal?: AbortSignal;
  /** The interaction's logger, so the request's lines carry its ids; default: the service's. */
  log?: Logger;
}

export interface RecommendationServiceOptions {
  /** A guild's model is dropped after this long without a request. */
  idleMs?: number;
  /** Models kept at most; the least recently used goes first. */
  maxGuilds?: number;
  /** How often idle models are looked for. */
  sweepIntervalMs?: number;
  /** A cached model re-reads who is active in its guild at most this often (the requester is always checked). */
  membershipRefreshMs?: number;
  /** Default of `RecommendRequest.excludeWatchlisted`. */
  excludeWatchlisted?: boolean;
  /** TMDB list pages (popular, trending, top rated) read at most for cold-start picks. */
  popularPages?: number;
  /** Time the TMDB lists may take within a request, whatever the caller's own deadline. */
  popularBudgetMs?: number;
  /** Cached films offered when TMDB cannot answer. */
  cachedPopularLimit?: number;
  /** Contributors listed per pick's explanation. */
  maxContributors?: number;
  /** Engine tunables (defaults: DEFAULT_RECOMMENDER_CONFIG). */
  model?: Partial<RecommenderConfig>;
  /** Cold-start blending (defaults: DEFAULT_COLD_START_CONFIG). */
  coldStart?: Partial<ColdStartConfig>;
}

export const RECOMMENDATION_SERVICE_DEFAULTS = {
  idleMs: 30 * 60_000,
  maxGuilds: 200,
  sweepIntervalMs: 60_000,
  membershipRefreshMs: 5 * 60_000,
  excludeWatchlisted: true,
  popularPages: 3,
  popularBudgetMs: 5_000,
  cachedPopularLimit: 200,
  maxContributors: 3,
  model: {},
  coldStart: {},
} as const satisfies Required<RecommendationServiceOptions>;

export interface RecommendationServiceDeps {
  members: Pick<MembersService, 'activeSince' | 'activeMemberIds'>;
  /** Who of a pick's backers may be named, and when they may be counted. */
  naming: NamingPolicy;
}

/** Extra candidates asked for, so films dropped later (no movie row) still leave `count` picks. */
const SPARE_PICKS = 3;
/** With a runtime bound more candidates may be dropped (runtime is known only from details): count × this, capped. */
const RUNTIME_SPARES_PER_PICK = 3;
const MAX_RUNTIME_SPARES = 12;
/** Rounds of "load the facts of unknown candidates, rank again" for a genre or year filter. */
const FILTER_ROUNDS = 4;
/** Bound on the film facts memory, cleared when exceeded. */
const MAX_REMEMBERED_FILMS = 200_000;
/** Ids per `IN (…)` query when loading a whole guild. */
const ID_CHUNK = 5_000;

/** What the genre and year filters need to know about a film; `year` is null when TMDB has no release date. */
interface FilmFacts {
  genreIds: readonly number[];
  year: number | null;
}

function factsOf(movie: Pick<MovieSummary, 'genreIds' | 'releaseDate'>): FilmFacts {
  const year = releaseYear(movie);
  return { genreIds: movie.genreIds, year: year === null ? null : Number(year) };
}

/** The request's genre and year filter over a film's facts, or null when it sets neither. */
function factsCheck({ genreId, fromYear, toYear }: RecommendRequest): ((facts: FilmFacts) => boolean) | null {
  if (genreId === undefined && fromYear === undefined && toYear === undefined) return null;
  return ({ genreIds, year }) =>
    (genreId === undefined || genreIds.includes(genreId)) &&
    ((fromYear === undefined && toYear === undefined) ||
      (year !== null && year >= (fromYear ?? year) && year <= (toYear ?? year)));
}

/** What a request asks for besides whose picks. */
export type PickCriteria = Pick<RecommendRequest, 'count' | 'genreId' | 'fromYear' | 'toYear' | 'maxRuntime'>;

/** An optional bound that, when set, is a whole number in [min, max]. */
function isWithin(value: number | undefined, min: number, max: number): boolean {
  return value === undefined || (Number.isInteger(value) && value >= min && value <= max);
}

/**
 * Refuses, with a UserFacingError, a count, genre, year or runtime out of bounds (years up to `now`'s year +
 * YEARS_AHEAD). The service checks every request; the command checks before deferring, so a crafted payload
 * gets a private refusal and nothing public.
 */
export function checkPickCriteria({ count, genreId, fromYear, toYear, maxRuntime }: PickCriteria, now: Date): void {
  if (!Number.isInteger(count) || count < MIN_PICKS || count > MAX_PICKS) {
    throw new UserFacingError('bad-count', `Ask for ${MIN_PICKS} to ${MAX_PICKS} picks.`);
  }
  if (genreId !== undefined && !isMovieGenreId(genreId)) {
    throw new UserFacingError('bad-genre', 'That genre is not one TMDB uses for films: pick one of the offered genres.');
  }
  const latestYear = now.getUTCFullYear() + YEARS_AHEAD;
  if (
    !isWithin(fromYear, EARLIEST_YEAR, latestYear) ||
    !isWithin(toYear, EARLIEST_YEAR, latestYear) ||
    (fromYear !== undefined && toYear !== undefined && fromYear > toYear)
  ) {
    throw new UserFacingError('bad-year', `Years go from ${EARLIEST_YEAR} to ${latestYear}, the first no later than the last.`);
  }
  if (!isWithin(maxRuntime, MIN_RUNTIME, MAX_RUNTIME)) {
    throw new UserFacingError('bad-runtime', `The longest runtime must be ${MIN_RUNTIME} to ${MAX_RUNTIME} minutes.`);
  }
}

interface FilmFilter {
  accepts: (itemId: number) => boolean;
  /** Films `accepts` was asked about whose facts are not remembered yet. */
  unknown: number[];
}

/** A change heard through TasteListener, kept while a model is being loaded so it can be replayed onto it. */
type TasteEvent =
  | { kind: 'rating'; userId: string; movieId: number; score: number | null }
  | { kind: 'feedback'; userId: string; movieId: number; value: 1 | -1 | null }
  | { kind: 'forget'; userId: string };

/** A build in progress: cancelled when its guild is forgotten before it finishes. */
interface BuildJob {
  cancelled: boolean;
}

interface GuildModel {
  guildId: string;
  model: RecommenderModel;
  /** Everyone whose ratings the model holds: the active members, plus members picks were asked for. */
  held: Set<string>;
  /** Members seen in the guild recently: the only possible neighbours. */
  active: Set<string>;
  /** active ∩ shareTaste, recomputed after a membership or settings change. */
  allowed: ReadonlySet<string> | null;
  membersCheckedAt: number;
  lastUsedAt: number;
  refreshing: Promise<void> | null;
}

function chunks<Item>(items: readonly Item[], size: number): Item[][] {
  const out: Item[][] = [];
  for (let at = 0; at < items.length; at += size) out.push(items.slice(at, at + size));
  return out;
}

/**
 * Personal picks: a neighbourhood model per guild, built lazily from the database and kept up to date by
 * the TasteListener events other services send after their commits (never rebuilt for a change), blended
 * with TMDB popularity for members with few ratings, with exclusions and privacy-aware explanations.
 */
export function createRecommendationService(
  core: CoreDeps,
  { members, naming }: RecommendationServiceDeps,
  options: RecommendationServiceOptions = {},
) {
  const settings = { ...RECOMMENDATION_SERVICE_DEFAULTS, ...options };
  const coldStartConfig: ColdStartConfig = { ...DEFAULT_COLD_START_CONFIG, ...settings.coldStart };
  const log = core.logger.child({ component: 'recommendations' });
  const now = () => core.clock().getTime();

  const cache = new Map<string, GuildModel>();
  /** Models being built; a guild forgotten meanwhile has its build `cancelled`, so the model is not cached. */
  const building = new Map<string, { job: BuildJob; model: Promise<GuildModel> }>();
  /** One buffer per load in progress: every TasteEvent is pushed to each, then replayed onto what was loaded. */
  const buffers = new Set<TasteEvent[]>();

  // `shareTaste` of the members held by any model. A settings change re-reads the member; a load that
  // read before that change does not overwrite the fresher value (stamps). A stamp matters only to reads
  // that started before it, so stamps are kept only while a read is running.
  const sharing = new Map<string, boolean>();
  const settingsRefreshes = new Map<string, Promise<void>>();
  const settingsChangedAt = new Map<string, number>();
  /** Start stamps of the settings reads running now. */
  const settingsReads = new Set<{ startedAt: number }>();
  let settingsClock = 0;

  const filmFacts = new Map<number, FilmFacts>();

  let sweeper: NodeJS.Timeout | null = null;
  let refitTimer: NodeJS.Immediate | null = null;
  let stopped = false;

  // ── settings ────────────────────────────────────────────────────────────────

  function rememberSettings(users: ReadonlyMap<string, User>, ids: readonly string[], readStartedAt: number): void {
    for (const id of ids) {
      // Changed after this read began: the re-read started by settingsChanged has the fresher value.
      if ((settingsChangedAt.get(id) ?? 0) > readStartedAt) continue;
      // Absent from the users table: Marquee's default (GUIDE §9: shareTaste on).
      sharing.set(id, users.get(id)?.shareTaste ?? DEFAULT_USER_SETTINGS.shareTaste);
    }
  }

  async function loadSettings(ids: readonly string[]): Promise<void> {
    const read = { startedAt: settingsClock };
    settingsReads.add(read);
    try {
      for (const part of chunks(ids, ID_CHUNK)) rememberSettings(await core.repos.users.getMany(part), part, read.startedAt);
    } finally {
      settingsReads.delete(read);
      pruneSettingsStamps();
    }
  }

  /** Drops the stamps no running read started before: later reads see those changes themselves. */
  function pruneSettingsStamps(): void {
    if (settingsReads.size === 0) {
      settingsChangedAt.clear();
      return;
    }
    const oldest = Math.min(...[...settingsReads].map(({ startedAt }) => startedAt));
    for (const [id, stamp] of settingsChangedAt) if (stamp <= oldest) settingsChangedAt.delete(id);
  }

  function invalidateAllowed(): void {
    for (const entry of cache.values()) entry.allowed = null;
  }

  /** Waits for settings changes heard so far to be read. */
  async function settingsSettled(): Promise<void> {
    if (settingsRefreshes.size > 0) await Promise.all(settingsRefreshes.values());
  }

  function allowedNeighbours(entry: GuildModel): ReadonlySet<string> {
    if (entry.allowed === null) {
      entry.allowed = new Set([...entry.active].filter((id) => sharing.get(id) === true));
    }
    return entry.allowed;
  }

  // ── keeping models current ──────────────────────────────────────────────────

  function applyTo(entry: GuildModel, event: TasteEvent): void {
    if (!entry.held.has(event.userId)) return;
    try {
      switch (event.kind) {
        case 'rating':
          if (event.score === null) entry.model.deleteRating(event.userId, event.movieId);
          else entry.model.setRating(event.userId, event.movieId, event.score);
          break;
        case 'feedback':
          entry.model.setFeedback(event.userId, event.movieId, event.value);
          break;
        case 'forget':
          entry.model.removeUser(event.userId);
          entry.held.delete(event.userId);
          entry.active.delete(event.userId);
          entry.allowed = null;
          break;
      }
    } catch (error) {
      log.error({ err: error, guildId: entry.guildId, event }, 'could not apply a change to a cached model');
    }
  }

  function publish(event: TasteEvent): void {
    for (const buffer of buffers) buffer.push(event);
    for (const entry of cache.values()) applyTo(entry, event);
    scheduleRefit();
  }

  /** Baselines drift with incremental changes; refit them once enough piled up, after the current work. */
  function scheduleRefit(): void {
    if (stopped || refitTimer !== null) return;
    refitTimer = setImmediate(() => {
      refitTimer = null;
      for (const entry of cache.values()) {
        try {
          if (entry.model.refitIfDue()) log.debug({ guildId: entry.guildId }, 'baselines refitted');
        } catch (error) {
          log.error({ err: error, guildId: entry.guildId }, 'baseline refit failed');
        }
      }
    });
  }

  /** Runs a load with a buffer of the changes heard meanwhile; `finish` must apply them synchronously. */
  async function withBuffer<Result>(load: (events: TasteEvent[]) => Promise<Result>): Promise<Result> {
    const events: TasteEvent[] = [];
    buffers.add(events);
    try {
      return await load(events);
    } finally {
      buffers.delete(events);
    }
  }

  // ── the per-guild cache ─────────────────────────────────────────────────────

  function startSweeper(): void {
    if (sweeper !== null || stopped) return;
    sweeper = setInterval(sweep, settings.sweepIntervalMs);
    sweeper.unref();
  }

  function evict(guildId: string): void {
    cache.delete(guildId);
    if (cache.size === 0 && sweeper !== null) {
      clearInterval(sweeper);
      sweeper = null;
    }
  }

  function sweep(): void {
    const idleSince = now() - settings.idleMs;
    for (const [guildId, entry] of cache) if (entry.lastUsedAt < idleSince) evict(guildId);
    // Settings of members no model holds any more are not worth keeping.
    const held = new Set<string>();
    for (const entry of cache.values()) for (const id of entry.held) held.add(id);
    for (const id of sharing.keys()) if (!held.has(id) && !settingsRefreshes.has(id)) sharing.delete(id);
    pruneSettingsStamps();
  }

  function cancelBuild(guildId: string): void {
    const pending = building.get(guildId);
    if (!pending) return;
    pending.job.cancelled = true;
    // A request after this starts a fresh build rather than joining the cancelled one.
    building.delete(guildId);
  }

  function insert(entry: GuildModel): void {
    cache.set(entry.guildId, entry);
    while (cache.size > settings.maxGuilds) {
      const oldest = cache.keys().next().value;
      if (oldest === undefined) break;
      evict(oldest);
    }
    startSweeper();
  }

  async function feedbackOf(userIds: readonly string[]): Promise<FeedbackInput[]> {
    const out: FeedbackInput[] = [];
    for (const part of chunks(userIds, ID_CHUNK)) {
      for (const { userId, movieId, value } of await core.repos.feedback.listByUsers(part)) {
        out.push({ userId, itemId: movieId, value });
      }
    }
    return out;
  }

  function build(guildId: string, job: BuildJob): Promise<GuildModel> {
    return withBuffer(async (events) => {
      const started = performance.now();
      const [activeIds, stored] = await Promise.all([
        members.activeMemberIds(guildId),
        core.repos.ratings.loadGuildRatings(guildId, members.activeSince()),
      ]);
      const held = new Set([...activeIds, ...stored.users]);
      const [feedback] = await Promise.all([feedbackOf([...held]), loadSettings([...held])]);
      const model = createRecommenderModel({ ratings: stored, feedback }, settings.model);
      const at = now();
      const entry: GuildModel = {
        guildId,
        model,
        held,
        active: new Set(activeIds),
        allowed: null,
        membersCheckedAt: at,
        lastUsedAt: at,
        refreshing: null,
      };
      for (const event of events) applyTo(entry, event);
      // Forgotten while loading: the callers waiting get their answer, but the guild's model is not kept.
      if (!job.cancelled) insert(entry);
      log.info(
        { guildId, members: activeIds.length, ratings: model.ratingCount, ms: Math.round(performance.now() - started) },
        'guild model built',
      );
      return entry;
    });
  }

  /** Loads members' ratings, reactions and settings into a cached model; `active` ones may be neighbours. */
  async function addUsers(entry: GuildModel, userIds: readonly string[], active: boolean): Promise<void> {
    if (active) for (const id of userIds) if (entry.held.has(id)) entry.active.add(id);
    const toLoad = userIds.filter((id) => !entry.held.has(id));
    if (toLoad.length > 0) {
      await withBuffer(async (events) => {
        const [ratingLists, feedback] = await Promise.all([
          Promise.all(toLoad.map((id) => core.repos.ratings.listByUser(id))),
          feedbackOf(toLoad),
          loadSettings(toLoad),
        ]);
        const fresh = new Set(toLoad.filter((id) => !entry.held.has(id)));
        for (const ratings of ratingLists) {
          for (const { userId, movieId, score } of ratings) if (fresh.has(userId)) entry.model.setRating(userId, movieId, score);
        }
        for (const { userId, itemId, value } of feedback) if (fresh.has(userId)) entry.model.setFeedback(userId, itemId, value);
        for (const id of fresh) {
          entry.held.add(id);
          if (active) entry.active.add(id);
        }
        for (const event of events) if (fresh.has(event.userId)) applyTo(entry, event);
      });
      scheduleRefit();
    }
    entry.allowed = null;
  }

  /** Brings the set of active members up to date: newcomers join the model, members gone quiet leave it. */
  function refreshMembers(entry: GuildModel): Promise<void> {
    entry.refreshing ??= (async () => {
      const activeIds = await members.activeMemberIds(entry.guildId);
      const current = new Set(activeIds);
      for (const id of entry.active) {
        if (current.has(id)) continue;
        entry.active.delete(id);
        entry.held.delete(id);
        entry.model.removeUser(id);
      }
      await addUsers(
        entry,
        activeIds.filter((id) => !entry.active.has(id)),
        true,
      );
      entry.membersCheckedAt = now();
      entry.allowed = null;
    })().finally(() => {
      entry.refreshing = null;
    });
    return entry.refreshing;
  }

  /** The guild's model, holding `userId`: cached, or built once however many requests ask at the same time. */
  async function modelFor(guildId: string, userId: string): Promise<GuildModel> {
    let entry = cache.get(guildId);
    if (entry) {
      // Most recently used last, so the LRU bound drops the guild unused the longest.
      cache.delete(guildId);
      cache.set(guildId, entry);
      if (now() - entry.membersCheckedAt >= settings.membershipRefreshMs) await refreshMembers(entry);
    } else {
      let pending = building.get(guildId);
      if (!pending) {
        const job: BuildJob = { cancelled: false };
        const model = build(guildId, job).finally(() => {
          if (building.get(guildId)?.job === job) building.delete(guildId);
        });
        pending = { job, model };
        building.set(guildId, pending);
      }
      entry = await pending.model;
    }
    entry.lastUsedAt = now();
    if (!entry.held.has(userId)) await refreshMembers(entry);
    // Not an active member (e.g. picks asked for someone quiet lately): held for their picks, never a neighbour.
    if (!entry.held.has(userId)) await addUsers(entry, [userId], false);
    await settingsSettled();
    return entry;
  }

  // ── film facts and popular films ────────────────────────────────────────────

  async function loadFacts(movieIds: readonly number[]): Promise<void> {
    const missing = movieIds.filter((id) => !filmFacts.has(id));
    if (missing.length === 0) return;
    if (filmFacts.size + missing.length > MAX_REMEMBERED_FILMS) filmFacts.clear();
    const rows = await core.repos.movies.findByIds(missing);
    for (const row of rows) filmFacts.set(row.tmdbId, factsOf(row));
    // A film without a row has no known genre or year: it never passes a genre or year filter.
    for (const id of missing) if (!filmFacts.has(id)) filmFacts.set(id, { genreIds: [], year: null });
  }

  function rememberFacts(movies: readonly MovieSummary[]): void {
    if (filmFacts.size + movies.length > MAX_REMEMBERED_FILMS) filmFacts.clear();
    for (const movie of movies) filmFacts.set(movie.tmdbId, factsOf(movie));
  }

  /**
   * The request's genre and year filter, synchronous as the engine and blendPicks need it: a film whose facts
   * are not remembered yet fails and is noted in `unknown`, for the caller to load them and ask again.
   */
  function filmFilter(request: RecommendRequest): FilmFilter {
    const check = factsCheck(request);
    const unknown: number[] = [];
    return {
      unknown,
      accepts: (itemId) => {
        if (check === null) return true;
        const facts = filmFacts.get(itemId);
        if (facts === undefined) unknown.push(itemId);
        return facts !== undefined && check(facts);
      },
    };
  }

  /**
   * The model's picks that pass the filter. The engine asks the filter only about films that would make the
   * list, so films of unknown facts are left out of a round, their facts loaded, and the ranking run again.
   */
  async function neighbourPicks(entry: GuildModel, userId: string, options: RecommendOptions, films: FilmFilter): Promise<Recommendation> {
    const rank = () => entry.model.recommend(userId, { ...options, filter: films.accepts });
    let result = rank();
    for (let round = 1; round < FILTER_ROUNDS && films.unknown.length > 0; round++) {
      await loadFacts(films.unknown.splice(0));
      result = rank();
    }
    return result;
  }

  /**
   * TMDB's popular, trending and top-rated films interleaved (each film once), page by page until enough
   * pass `accept`; a list that fails is skipped, and when none answers, the most popular cached films.
   */
  async function popularFilms(
    need: number,
    accept: (film: MovieSummary) => boolean,
    requestLog: Logger,
    signal?: AbortSignal,
  ): Promise<PopularFilm[]> {
    const budget = AbortSignal.timeout(settings.popularBudgetMs);
    const deadline = signal ? AbortSignal.any([signal, budget]) : budget;
    const lists: { name: string; page: (page: number) => Promise<MovieList> }[] = [
      { name: 'popular', page: (page) => core.catalog.popular({ page, signal: deadline }) },
      { name: 'trending', page: (page) => core.catalog.trending('week', { page, signal: deadline }) },
      { name: 'top rated', page: (page) => core.catalog.topRated({ page, signal: deadline }) },
    ];
    const seen = new Set<number>();
    const films: PopularFilm[] = [];
    let accepted = 0;
    let answered = false;
    let open = lists;
    for (let page = 1; page <= settings.popularPages && open.length > 0 && accepted < need; page++) {
      const results = await Promise.allSettled(open.map((list) => list.page(page)));
      const next: typeof lists = [];
      const pages: MovieSummary[][] = [];
      results.forEach((result, index) => {
        const list = open[index]!;
        if (result.status === 'rejected') {
          requestLog.warn({ err: result.reason, list: list.name, page }, 'TMDB list unavailable for cold-start picks');
          return;
        }
        answered = true;
        pages.push(result.value.results);
        if (page < result.value.totalPages) next.push(list);
      });
      // Interleaved, so no single list fills the top of the blend.
      const longest = Math.max(0, ...pages.map((results) => results.length));
      for (let rank = 0; rank < longest; rank++) {
        for (const results of pages) {
          const movie = results[rank];
          if (!movie || seen.has(movie.tmdbId)) continue;
          seen.add(movie.tmdbId);
          rememberFacts([movie]);
          films.push({ itemId: movie.tmdbId, genreIds: movie.genreIds });
          if (accept(movie)) accepted++;
        }
      }
      open = next;
    }
    if (answered) return films;
    const cached = await core.repos.movies.mostPopular(settings.cachedPopularLimit);
    rememberFacts(cached);
    return cached.map((movie) => ({ itemId: movie.tmdbId, genreIds: movie.genreIds }));
  }

  /** Genre weights from the films the member rated 4★ or more (rankPopular moves those genres up). */
  async function likedGenres(ratings: readonly { movieId: number; score: number }[]): Promise<Map<number, number>> {
    const liked = ratings.filter(({ score }) => score >= 4);
    await loadFacts(liked.map(({ movieId }) => movieId));
    return likedGenreWeights(
      liked.map(({ movieId, score }) => ({ itemId: movieId, rating: score })),
      (itemId) => filmFacts.get(itemId)?.genreIds,
    );
  }

  // ── the use cases ───────────────────────────────────────────────────────────

  /** The reason of a neighbour pick as the naming policy lets it be shown: named backers, else a count, else neither. */
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

  /** Backers of the picks the policy lets be named here (the engine hands over every contributor's id). */
  function nameableBackers(picks: readonly NeighbourPick[], isGuildMember: IsGuildMember): Promise<ReadonlySet<string>> {
    const ids = picks.flatMap(({ explanation }) =>
      explanation.contributors.flatMap((contributor) => (contributor.kind === 'named' ? [contributor.userId] : [])),
    );
    return naming.nameable(ids, isGuildMember);
  }

  /** The member's picks, best first: neighbour picks blended with popular films as their ratings grow. */
  async function recommend(request: RecommendRequest): Promise<RecommendationPick[]> {
    checkPickCriteria(request, core.clock());
    const { guildId, userId, count, maxRuntime, signal } = request;
    // Building or refreshing the guild's model is shared work, logged by the service; the rest is this request's.
    const requestLog = request.log?.child({ component: 'recommendations' }) ?? log;
    const entry = await modelFor(guildId, userId);
    const withoutWatchlist = request.excludeWatchlisted ?? settings.excludeWatchlisted;
    const [watched, feedback, watchlist] = await Promise.all([
      core.repos.watchLog.watchedMovieIds(userId),
      core.repos.feedback.listByUser(userId),
      withoutWatchlist ? core.repos.watchlist.list(userId) : [],
    ]);
    // Rated films and the member's own 👎 are left out by the model itself; these come from the database.
    const exclude = new Set<number>([
      ...watched,
      ...feedback.filter(({ value }) => value === -1).map(({ movieId }) => movieId),
      ...watchlist.map(({ movieId }) => movieId),
    ]);
    const allowed = allowedNeighbours(entry);
    const wanted = count + (maxRuntime === undefined ? SPARE_PICKS : Math.min(count * RUNTIME_SPARES_PER_PICK, MAX_RUNTIME_SPARES));
    const films = filmFilter(request);
    const fromNeighbours = await neighbourPicks(
      entry,
      userId,
      {
        count: wanted,
        exclude,
        allowedNeighbours: allowed,
        // Every contributor's id, for the naming policy to decide on once the picks are known.
        canName: () => true,
        maxContributors: settings.maxContributors,
      },
      films,
    );

    let popular: PopularFilm[] = [];
    let liked = new Map<number, number>();
    const share = neighbourShare(fromNeighbours.ratingCount, fromNeighbours.neighbourCount, coldStartConfig);
    if (share < 1 || fromNeighbours.picks.length < count) {
      const ratings = await core.repos.ratings.listByUser(userId);
      for (const { movieId } of ratings) exclude.add(movieId);
      [popular, liked] = await Promise.all([
        popularFilms(wanted, (film) => !exclude.has(film.tmdbId) && films.accepts(film.tmdbId), requestLog, signal),
        likedGenres(ratings),
      ]);
    }
    const blended = blendPicks(
      {
        neighbourPicks: fromNeighbours.picks,
        ratingCount: fromNeighbours.ratingCount,
        neighbourCount: fromNeighbours.neighbourCount,
        popular,
        count: wanted,
        exclude,
        filter: films.accepts,
        likedGenres: liked,
      },
      coldStartConfig,
    );

    const movies = await moviesFor(
      blended.map(({ itemId }) => itemId),
      maxRuntime !== undefined,
      requestLog,
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
        .map((prediction, index) => [fromModel[index]!, prediction.kind === 'ok' ? prediction.rating : prediction.baseline]),
    );
    const nameable = await nameableBackers(
      chosen.flatMap(({ pick }) => (pick.neighbourPick ? [pick.neighbourPick] : [])),
      request.isGuildMember,
    );
    const picks = chosen.map(
      ({ pick, movie }): RecommendationPick =>
        pick.neighbourPick
          ? {
              movie,
              source: PICK_SOURCES.neighbours,
              score: pick.neighbourPick.score,
              predicted: predictions.get(pick.itemId) ?? null,
              reason: reasonOf(pick.neighbourPick, nameable),
            }
          : { movie, source: PICK_SOURCES.popular, score: movie.popularity ?? 0, predicted: null, reason: { kind: 'popular' } },
    );
    requestLog.info(
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

  /**
   * Stored rows of the films, fetching any the movies table lacks (a pick card needs its row), and with
   * `needRuntime` the details of rows without a runtime (rows seen only in TMDB lists have none).
   */
  async function moviesFor(
    movieIds: readonly number[],
    needRuntime: boolean,
    requestLog: Logger,
    signal?: AbortSignal,
  ): Promise<Map<number, CachedMovie>> {
    const rows = new Map((await core.repos.movies.findByIds(movieIds)).map((movie) => [movie.tmdbId, movie]));
    const missing = [
      ...new Set(
        movieIds.filter((id) => {
          const row = rows.get(id);
          return row === undefined || (needRuntime && row.runtime === null);
        }),
      ),
    ];
    // Film by film, so one that times out costs only its own pick.
    const fetched = await Promise.allSettled(missing.map((id) => core.catalog.getMovie(id, signal ? { signal } : {})));
    fetched.forEach((result, index) => {
      if (result.status === 'fulfilled') rows.set(result.value.tmdbId, result.value);
      else requestLog.warn({ err: result.reason, tmdbId: missing[index] }, 'film of a pick could not be fetched');
    });
    return rows;
  }

  /** Members of the guild whose taste is closest to the member's (only those who share it), closest first. */
  async function similarMembers(guildId: string, userId: string, limit: number): Promise<SimilarMember[]> {
    const entry = await modelFor(guildId, userId);
    return entry.model
      .neighbours(userId, { allowedNeighbours: allowedNeighbours(entry), count: limit })
      .map(({ userId: id, similarity, coRated }) => ({ userId: id, similarity, coRated }));
  }

  const listener: TasteListener = {
    ratingChanged(userId, movieId, score) {
      publish({ kind: 'rating', userId, movieId, score });
    },
    feedbackChanged(userId, movieId, value) {
      publish({ kind: 'feedback', userId, movieId, value });
    },
    userForgotten(userId) {
      publish({ kind: 'forget', userId });
      sharing.delete(userId);
      settingsChangedAt.delete(userId);
    },
    settingsChanged(userId) {
      const stamp = ++settingsClock;
      // With no read running, every later read starts after this change: nothing to stamp.
      if (settingsReads.size > 0) settingsChangedAt.set(userId, stamp);
      const refresh: Promise<void> = core.repos.users
        .get(userId)
        .then(
          (user) => {
            sharing.set(userId, user.shareTaste);
          },
          (error: unknown) => {
            // Fail closed: until the member is read again, they are nobody's neighbour.
            sharing.set(userId, false);
            log.error({ err: error, userId }, 'could not read changed privacy settings');
          },
        )
        .finally(() => {
          invalidateAllowed();
          if (settingsRefreshes.get(userId) === refresh) settingsRefreshes.delete(userId);
        });
      settingsRefreshes.set(userId, refresh);
    },
  };

  return {
    ...listener,
    recommend,
    similarMembers,

    /** The bot left the guild: its model goes at once rather than when idle, and one being built is not kept. */
    guildForgotten(guildId: string): void {
      cancelBuild(guildId);
      evict(guildId);
    },

    /** Guild models currently cached (for logs and tests). */
    cachedGuildIds(): string[] {
      return [...cache.keys()];
    },

    /** Sizes of the in-memory state besides the models (for logs and tests). */
    memoryStats(): { settings: number; settingsStamps: number; films: number } {
      return { settings: sharing.size, settingsStamps: settingsChangedAt.size, films: filmFacts.size };
    },

    /** Clears the timers (idle sweep, pending refit); cached models are dropped. */
    stop(): void {
      stopped = true;
      if (sweeper !== null) clearInterval(sweeper);
      if (refitTimer !== null) clearImmediate(refitTimer);
      sweeper = null;
      refitTimer = null;
      for (const guildId of [...building.keys()]) cancelBuild(guildId);
      cache.clear();
    },
  };
}

export type RecommendationService = ReturnType<typeof createRecommendationService>;
