import type { CoreDeps } from '../context.js';
import { normaliseTitle } from '../db/repositories/movies.js';
import { movieLabel, parseTmdbId, releaseYear } from '../format.js';
import { UserFacingError } from '../errors.js';
import { raceSignal, startDeadline } from '../deadline.js';
import type { RequestOptions } from '../tmdb/client.js';
import { TmdbError } from '../tmdb/errors.js';
import type { WatchProviders } from '../tmdb/schemas.js';
import type { CachedMovie, MovieSummary } from '../tmdb/types.js';
import { createMembersService, type MembersService } from './members.js';
import { EARLIEST_YEAR, YEARS_AHEAD } from './recommendations/criteria.js';
import { tmdbRefusal } from './tmdb-health.js';

/** What a film's card shows (rendered by src/discord/embeds.ts). */
export interface MovieCardView {
  movie: CachedMovie;
  /** How the server's members rated it. */
  guildStats?: { count: number; average: number | null };
  /** The viewer's own state, when the card is theirs. */
  own?: { rating: number | null; watchlisted: boolean; timesWatched: number };
  providers?: WatchProviders | null;
}

/** A deadline and queue priority for TMDB calls made while a member waits. */
type Lane = Required<Pick<RequestOptions, 'signal' | 'priority'>>;

/**
 * Autocomplete answers are built here, in Discord's shape, so the service keeps these two of Discord's limits
 * (src/discord/limits.ts, CHOICE_LIMITS; services import nothing from the Discord layer): suggestions per
 * answer, and characters of a suggestion's label.
 */
const MAX_CHOICES = 25;
const MAX_CHOICE_NAME = 100;
/** Longest title query: the film option's bound (src/discord/movie-option.ts), checked again for crafted payloads. */
const MAX_MOVIE_QUERY_LENGTH = 100;

export interface MovieChoice {
  /** "Title (Year)", at most 100 characters. */
  name: string;
  /** The TMDB id as a string. */
  value: string;
}

/** What a movie option's value names: one film, or several the member must choose between. */
export type MovieResolution =
  { kind: 'movie'; movie: CachedMovie } | { kind: 'choices'; query: string; candidates: MovieSummary[] };

export interface MovieServiceOptions {
  /** Autocomplete answers within this, from the cache alone if TMDB has not answered (Discord allows 3 s). */
  autocompleteBudgetMs?: number;
  /**
   * A member's autocomplete query waits this long before going to TMDB; a newer keystroke from the same
   * member in the meantime answers the older one from the cache at once. So one fast typist sends only
   * the query they paused on, never one request per keystroke, to the shared TMDB budget.
   */
  typingPauseMs?: number;
  /** TMDB deadline for resolving free text or an id in a deferred command. */
  lookupBudgetMs?: number;
  /** Watch providers are optional on a card: how long to wait for them. */
  providersBudgetMs?: number;
}

export const MOVIE_SERVICE_DEFAULTS = {
  autocompleteBudgetMs: 2_000,
  typingPauseMs: 250,
  lookupBudgetMs: 8_000,
  providersBudgetMs: 3_000,
} as const satisfies Required<MovieServiceOptions>;

export interface MovieServiceDeps extends MovieServiceOptions {
  /** Who counts as a member for the server's ratings; default: members seen within `config.memberActiveDays`. */
  members?: Pick<MembersService, 'activeSince'>;
}

export interface CardRequest {
  guildId: string;
  userId: string;
  movie: CachedMovie;
  /** Look up where to stream it (one TMDB request per film and region, cached); default true. */
  providers?: boolean;
}

/** A typed film: the title, and the year that may follow it. */
export interface TitleQuery {
  title: string;
  year: string | null;
  /** True when the year was not in brackets, so `title year` may also be a whole title. */
  bare: boolean;
}

/**
 * What a member typed, read as a title and maybe a year. "Dune (2021)" (our labels) and "Dune [2021]" give the
 * year for certain. "alien 1979" and "alien 79" only may: "Blade Runner 2049" and "Apollo 13" are whole titles, so
 * such a year is `bare` and the whole text is tried as a title first. A bare year is four digits from TMDB's oldest
 * film to a few years ahead, or two (79 → 1979, 21 → 2021, the century that keeps it no later than that).
 */
export function parseTitleQuery(text: string, now: Date): TitleQuery {
  const latest = now.getUTCFullYear() + YEARS_AHEAD;
  const bracketed = /^(.*\S)\s*(?:\((\d{4})\)|\[(\d{4})\])$/.exec(text);
  const year = bracketed?.[2] ?? bracketed?.[3];
  if (bracketed?.[1] && year) return { title: bracketed[1], year, bare: false };
  const bare = /^(.*\S)\s+(\d{2}|\d{4})$/.exec(text);
  if (bare?.[1] && bare[2]) {
    const digits = Number(bare[2]);
    const full = bare[2].length === 4 ? digits : digits <= latest % 100 ? 2000 + digits : 1900 + digits;
    if (full >= EARLIEST_YEAR && full <= latest) return { title: bare[1], year: String(full), bare: true };
  }
  return { title: text, year: null, bare: false };
}

/**
 * How well a title answers a query, lower is better: exact title, title prefix, a word prefix, anything
 * else TMDB found (its search also matches alternative titles).
 */
function matchRank(movie: MovieSummary, needle: string): number {
  const titles = [movie.title, movie.originalTitle].filter((t): t is string => Boolean(t)).map(normaliseTitle);
  if (titles.some((t) => t === needle)) return 0;
  if (titles.some((t) => t.startsWith(needle))) return 1;
  if (titles.some((t) => t.includes(` ${needle}`))) return 2;
  return 3;
}

/** Merges films from the cache and TMDB: each film once, best match first, then most popular. */
export function rankMovies(lists: readonly (readonly MovieSummary[])[], query: string): MovieSummary[] {
  const needle = normaliseTitle(query);
  const unique = new Map<number, MovieSummary>();
  for (const list of lists) for (const movie of list) if (!unique.has(movie.tmdbId)) unique.set(movie.tmdbId, movie);
  return [...unique.values()]
    .map((movie) => ({ movie, rank: matchRank(movie, needle) }))
    .sort(
      (a, b) =>
        a.rank - b.rank || (b.movie.popularity ?? 0) - (a.movie.popularity ?? 0) || a.movie.tmdbId - b.movie.tmdbId,
    )
    .map(({ movie }) => movie);
}

export function toChoice(movie: Pick<MovieSummary, 'tmdbId' | 'title' | 'releaseDate'>): MovieChoice {
  return { name: movieLabel(movie, MAX_CHOICE_NAME), value: String(movie.tmdbId) };
}

/** Discord rejects the whole answer if one choice has an empty name. */
function toChoices(movies: readonly MovieSummary[]): MovieChoice[] {
  return movies
    .map(toChoice)
    .filter((choice) => choice.name.trim() !== '')
    .slice(0, MAX_CHOICES);
}

/** Folds one member's keystrokes: only the query they paused on goes on to TMDB. */
function createTypingGate(pauseMs: number) {
  const waiting = new Map<string, () => void>();
  return {
    /** Resolves true after the pause, or false at once when a newer query from the same member arrives. */
    settle(userId: string): Promise<boolean> {
      waiting.get(userId)?.();
      return new Promise<boolean>((resolve) => {
        const supersede = () => {
          clearTimeout(timer);
          resolve(false);
        };
        const timer = setTimeout(() => {
          if (waiting.get(userId) === supersede) waiting.delete(userId);
          resolve(true);
        }, pauseMs);
        waiting.set(userId, supersede);
      });
    },
  };
}

/** Films: autocomplete, turning an option value into a film, and the data of a film's card. */
export function createMovieService(core: CoreDeps, deps: MovieServiceDeps = {}) {
  const { repos, catalog, config, logger: log, clock } = core;
  const { members = createMembersService({ repos, clock, activeDays: config.memberActiveDays }), ...options } = deps;
  const settings = { ...MOVIE_SERVICE_DEFAULTS, ...options };
  const typing = createTypingGate(settings.typingPauseMs);
  /** A member is waiting on every lookup here, so they go ahead of background work. */
  const lookupLane = (): Lane => ({ signal: startDeadline(settings.lookupBudgetMs).signal, priority: 'interactive' });

  function unavailable(error: TmdbError): UserFacingError {
    return tmdbRefusal(error, 'and Marquee has not stored that film yet. Please try again in a few minutes.');
  }

  /** The film with details; an id TMDB does not know is the member's mistake, not ours. */
  async function getMovie(tmdbId: number, lane: Lane = lookupLane(), stored?: CachedMovie): Promise<CachedMovie> {
    try {
      return await catalog.getMovie(tmdbId, stored ? { ...lane, stored } : lane);
    } catch (error) {
      if (error instanceof TmdbError && error.kind === 'not-found') {
        throw new UserFacingError('movie-not-found', "I couldn't find that film on TMDB.", { cause: error });
      }
      if (error instanceof TmdbError) throw unavailable(error);
      throw error;
    }
  }

  /** Cache and TMDB for a typed title; TMDB failing leaves the cache's answer. */
  async function searchByText(
    title: string,
    lane: Lane,
  ): Promise<{ movies: MovieSummary[]; tmdbFailure: TmdbError | null }> {
    const [cached, remote] = await Promise.all([
      repos.movies.searchByTitle(title, MAX_CHOICES),
      catalog.search(title, lane).then(
        (list) => ({ results: list.results, failure: null }),
        (error: unknown) => {
          if (!(error instanceof TmdbError)) throw error;
          log.warn({ err: error, kind: error.kind }, 'TMDB search failed; resolving from the cache');
          return { results: [] as MovieSummary[], failure: error };
        },
      ),
    ]);
    return { movies: rankMovies([cached, remote.results], title), tmdbFailure: remote.failure };
  }

  /** What the search found for `title`, narrowed to `year` when any film of the search is from that year. */
  function narrow(found: MovieSummary[], year: string | null): MovieSummary[] {
    const inYear = year ? found.filter((movie) => releaseYear(movie) === year) : [];
    return inYear.length > 0 ? inYear : found;
  }

  /**
   * `lane` carries one deadline for the whole resolution: the member waits for all of it. A bare year ("alien 79")
   * is searched beside the whole text, which wins when it is a film's exact title ("Apollo 13").
   */
  async function resolveText(text: string, fallbackId: number | null, lane: Lane): Promise<MovieResolution> {
    const query = parseTitleQuery(text, clock());
    const [split, whole] = await Promise.all([
      searchByText(query.title, lane),
      query.bare ? searchByText(text, lane) : null,
    ]);
    const wholeTitle = normaliseTitle(text);
    const splitIsYear = split.movies.some((movie) => releaseYear(movie) === query.year);
    const useWhole =
      whole !== null &&
      (whole.movies.some((movie) => matchRank(movie, wholeTitle) === 0) || (!splitIsYear && whole.movies.length > 0));
    const { movies, tmdbFailure } = useWhole ? whole : split;
    const candidates = useWhole ? movies : narrow(movies, query.year);
    const needle = useWhole ? wholeTitle : normaliseTitle(query.title);
    const exact = candidates.filter((movie) => matchRank(movie, needle) === 0);

    if (exact.length === 1 && exact[0]) return { kind: 'movie', movie: await getMovie(exact[0].tmdbId, lane) };
    // Digits that are no film's title: the member (or a crafted payload) meant a TMDB id.
    if (fallbackId !== null && exact.length === 0) return { kind: 'movie', movie: await getMovie(fallbackId, lane) };
    if (exact.length === 0 && candidates.length === 1 && candidates[0]) {
      return { kind: 'movie', movie: await getMovie(candidates[0].tmdbId, lane) };
    }
    if (candidates.length > 1) return { kind: 'choices', query: text, candidates: candidates.slice(0, MAX_CHOICES) };
    if (tmdbFailure) {
      throw tmdbRefusal(
        tmdbFailure,
        `and no film Marquee already knows is called “${text}”. Please try again in a few minutes.`,
      );
    }
    throw new UserFacingError(
      'movie-no-match',
      `I found no film called “${text}”. Pick one from the suggestions that appear as you type.`,
    );
  }

  return {
    /**
     * Up to 25 choices for what the member typed, within the autocomplete budget whatever TMDB or the
     * database does: the cache (title and word prefixes, most popular first) merged with TMDB's search,
     * each only if it answers in time (nothing at all, `[]`, when neither does). A blank query offers
     * popular films.
     */
    async autocomplete(userId: string, query: string): Promise<MovieChoice[]> {
      const deadline = startDeadline(settings.autocompleteBudgetMs).signal;
      const text = query.trim().slice(0, MAX_MOVIE_QUERY_LENGTH);
      const lane = { signal: deadline, priority: 'interactive' } as const;
      if (text === '') {
        const popular = await catalog.popular(lane).then(
          (list) => list.results,
          (error: unknown) => {
            log.debug({ err: error }, 'no popular films for a blank autocomplete');
            return [];
          },
        );
        return toChoices(popular);
      }
      // Each source is cut off at the deadline on its own, so whatever did answer in time is offered.
      const [cached, remote] = await Promise.all([
        raceSignal(
          repos.movies.searchByTitle(text, MAX_CHOICES).catch((error: unknown) => {
            log.warn({ err: error }, 'autocomplete cache search failed');
            return [];
          }),
          deadline,
          () => [],
        ),
        raceSignal(
          typing.settle(userId).then(async (latest) => {
            if (!latest) return [];
            try {
              return (await catalog.search(text, lane)).results;
            } catch (error) {
              log.debug({ err: error }, 'autocomplete answered from the cache: TMDB search failed or was too slow');
              return [];
            }
          }),
          deadline,
          () => [],
        ),
      ]);
      return toChoices(rankMovies([cached, remote], text));
    },

    /**
     * Turns a movie option's value into a film. An id we store (an autocomplete pick) is that film;
     * anything else is a title typed by the member: one clear match (the only exact title, or the only
     * result) is used, several come back as choices; a digit string that is no title is tried as an id.
     * Throws UserFacingError for a blank or over-long value, an unknown id and no match.
     */
    async resolve(value: string): Promise<MovieResolution> {
      const text = value.trim().replace(/\s+/g, ' ');
      if (text === '')
        throw new UserFacingError('movie-missing', 'Name a film: pick one from the suggestions as you type.');
      if ([...text].length > MAX_MOVIE_QUERY_LENGTH) {
        throw new UserFacingError(
          'movie-query-too-long',
          `That title is too long (at most ${MAX_MOVIE_QUERY_LENGTH} characters). Pick a film from the suggestions as you type.`,
        );
      }
      const id = parseTmdbId(text);
      const lane = lookupLane();
      const stored = id === null ? null : await repos.movies.findById(id);
      if (stored) return { kind: 'movie', movie: await getMovie(stored.tmdbId, lane, stored) };
      return resolveText(text, id, lane);
    },

    /** The film with details, e.g. the one picked in a select menu. Throws UserFacingError when TMDB does not know it. */
    getMovie,

    /** Everything a film's card shows for this member in this guild. Watch providers are left out when TMDB fails. */
    async card({ guildId, userId, movie, providers = true }: CardRequest): Promise<MovieCardView> {
      const [guildStats, rating, watchlisted, timesWatched, whereToWatch] = await Promise.all([
        repos.ratings.guildStats(guildId, movie.tmdbId, members.activeSince()),
        repos.ratings.get(userId, movie.tmdbId),
        repos.watchlist.has(userId, movie.tmdbId),
        repos.watchLog.countForMovie(userId, movie.tmdbId),
        providers
          ? repos.guilds
              .region(guildId)
              .then((region) =>
                catalog.watchProviders(movie.tmdbId, region ?? config.tmdb.region, {
                  signal: startDeadline(settings.providersBudgetMs).signal,
                  priority: 'interactive',
                }),
              )
              .catch((error: unknown) => {
                log.warn({ err: error, tmdbId: movie.tmdbId }, 'watch providers unavailable; card shown without them');
                return null;
              })
          : Promise.resolve(null),
      ]);
      return {
        movie,
        guildStats,
        own: { rating: rating?.score ?? null, watchlisted, timesWatched },
        providers: whereToWatch,
      };
    },
  };
}

export type MovieService = ReturnType<typeof createMovieService>;
