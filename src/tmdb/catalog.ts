import { raceSignal } from '../deadline.js';
import type { Logger } from '../logger.js';
import type { MetricsPort } from '../metrics-port.js';
import type {
  PageOptions,
  RequestOptions,
  SearchMoviesOptions,
  TmdbClient,
  TmdbPriority,
  TrendingWindow,
} from './client.js';
import { TmdbError, abortedError } from './errors.js';
import { toMovieDetails, type MovieList, type WatchProviders } from './schemas.js';
import type { TmdbStatusRecorder } from './status.js';
import { createTtlCache } from './ttl-cache.js';
import type { CachedMovie, MovieStore, MovieSummary } from './types.js';
import { DAY_MS, HOUR_MS } from '../time.js';

export interface MovieCatalogSettings {
  clock: () => Date;
  /** A row whose details are older than this is refreshed from `movie/{id}` (TMDB's terms allow 6 months). */
  detailsMaxAgeMs: number;
  /** Search, popular, top rated and trending pages, kept in memory. */
  listMaxAgeMs: number;
  /** Watch providers per (film, region), kept in memory. */
  providersMaxAgeMs: number;
  /** Bound on each in-memory cache (lists and searches; providers). */
  maxCachedEntries: number;
}

export interface MovieCatalogOptions extends Partial<MovieCatalogSettings> {
  client: Pick<
    TmdbClient,
    | 'movieDetails'
    | 'searchMovies'
    | 'popular'
    | 'topRated'
    | 'trending'
    | 'watchProviders'
    | 'findByImdbId'
    | 'recommendations'
    | 'similar'
  >;
  store: MovieStore;
  logger?: Logger;
  /** Told when a caller's deadline passed while waiting on TMDB: to that member, TMDB did not answer. */
  status?: Pick<TmdbStatusRecorder, 'failed'>;
  /** Told the hit rate of the in-memory lists and providers (for /metrics). */
  metrics?: Pick<MetricsPort, 'cacheLookup'>;
}

export const MOVIE_CATALOG_DEFAULTS = {
  clock: () => new Date(),
  detailsMaxAgeMs: 30 * DAY_MS,
  listMaxAgeMs: 3 * HOUR_MS,
  providersMaxAgeMs: 6 * HOUR_MS,
  maxCachedEntries: 500,
} as const satisfies Required<MovieCatalogSettings>;

/**
 * TMDB through our cache. Every method takes `{ signal, priority }` like the client: the signal bounds
 * how long this caller waits (it then rejects with TmdbError 'timeout' or 'aborted'); the fetch it
 * started carries on for other callers and fills the cache, so the next keystroke finds it.
 */
export interface GetMovieOptions extends RequestOptions {
  /** The film's stored row when the caller has just read it (null: not stored), so it is not read twice. */
  stored?: CachedMovie | null;
}

export interface MovieCatalog {
  /**
   * The film with details: from the store while its details are fresh, else from `movie/{id}` (then
   * stored). If TMDB fails (or the signal fires) and a row is stored, that row is returned even when
   * stale or partial (check `detailsFetchedAt`); with no row, the TmdbError is thrown ('not-found' for
   * an unknown id).
   */
  getMovie(tmdbId: number, options?: GetMovieOptions): Promise<CachedMovie>;
  /** `search/movie`, identical queries (case and spacing aside) served from memory; results stored as partial rows. */
  search(query: string, options?: SearchMoviesOptions): Promise<MovieList>;
  popular(options?: PageOptions): Promise<MovieList>;
  topRated(options?: PageOptions): Promise<MovieList>;
  trending(window?: TrendingWindow, options?: PageOptions): Promise<MovieList>;
  /** Cached per (film, region). Credit JustWatch wherever these are shown. */
  watchProviders(tmdbId: number, region: string, options?: RequestOptions): Promise<WatchProviders>;
  /** For imports: the film with that IMDb id (stored as a partial row), or null. Not cached. */
  findByImdbId(imdbId: string, options?: RequestOptions): Promise<MovieSummary | null>;
  /**
   * TMDB's films related to a film, best first: page 1 of `movie/{id}/recommendations`, or of `movie/{id}/similar`
   * when that is empty ('none' when both are). The films are stored as partial rows, so picks among them can be
   * filtered and shown; the list itself is the caller's to keep (not cached in memory).
   */
  relatedFilms(tmdbId: number, options?: RequestOptions): Promise<RelatedFilmsAnswer>;
}

/** What `relatedFilms` found. */
export interface RelatedFilmsAnswer {
  kind: 'recommendations' | 'similar' | 'none';
  films: MovieSummary[];
}

export function createMovieCatalog(options: MovieCatalogOptions): MovieCatalog {
  const { client, store, logger, status, metrics } = options;

  /** Waits for `promise` unless the caller's signal fires first; the work itself is not cancelled. */
  function untilAborted<Value>(promise: Promise<Value>, signal: AbortSignal | undefined, path: string): Promise<Value> {
    return raceSignal(promise, signal, (fired) => {
      const error = abortedError(fired, path);
      status?.failed(error);
      throw error;
    });
  }
  const settings = { ...MOVIE_CATALOG_DEFAULTS, ...options };
  const now = () => settings.clock().getTime();
  const lists = createTtlCache<MovieList>({
    ttlMs: settings.listMaxAgeMs,
    maxEntries: settings.maxCachedEntries,
    now,
    onLookup: (hit) => metrics?.cacheLookup('tmdb-lists', hit),
  });
  const providers = createTtlCache<WatchProviders>({
    ttlMs: settings.providersMaxAgeMs,
    maxEntries: settings.maxCachedEntries,
    now,
    onLookup: (hit) => metrics?.cacheLookup('tmdb-providers', hit),
  });
  const detailsInFlight = new Map<number, Promise<CachedMovie>>();

  /** A failed cache write costs a later request, not this answer. */
  async function remember(write: () => Promise<void>, what: Record<string, unknown>): Promise<void> {
    try {
      await write();
    } catch (error) {
      logger?.warn({ err: error, ...what }, 'could not store TMDB data in the movies table');
    }
  }

  function isFresh(row: CachedMovie): boolean {
    return row.detailsFetchedAt !== null && now() - row.detailsFetchedAt.getTime() < settings.detailsMaxAgeMs;
  }

  /** One `movie/{id}` request per film at a time, however many callers want it. */
  function fetchDetails(tmdbId: number, priority: TmdbPriority | undefined): Promise<CachedMovie> {
    const running = detailsInFlight.get(tmdbId);
    if (running) return running;
    const pending = (async () => {
      const details = toMovieDetails(await client.movieDetails(tmdbId, priority ? { priority } : {}));
      const fetchedAt = settings.clock();
      await remember(() => store.upsertDetails(details, fetchedAt), { tmdbId });
      return { ...details, fetchedAt, detailsFetchedAt: fetchedAt };
    })().finally(() => detailsInFlight.delete(tmdbId));
    detailsInFlight.set(tmdbId, pending);
    return pending;
  }

  async function resolveMovie(
    tmdbId: number,
    row: CachedMovie | undefined,
    { signal, priority }: RequestOptions,
  ): Promise<CachedMovie> {
    if (row && isFresh(row)) return row;
    try {
      // A caller who has already given up starts no request.
      if (signal?.aborted) throw abortedError(signal, `movie/${tmdbId}`);
      return await untilAborted(fetchDetails(tmdbId, priority), signal, `movie/${tmdbId}`);
    } catch (error) {
      if (row && error instanceof TmdbError && error.kind !== 'not-found') {
        logger?.warn(
          { tmdbId, kind: error.kind, partial: row.detailsFetchedAt === null },
          'TMDB details unavailable; using the stored row',
        );
        return row;
      }
      throw error;
    }
  }

  function cachedList(
    key: string,
    path: string,
    load: (priority: { priority?: TmdbPriority }) => Promise<MovieList>,
    { signal, priority }: RequestOptions,
  ): Promise<MovieList> {
    if (signal?.aborted) return Promise.reject(abortedError(signal, path));
    const pending = lists.getOrLoad(key, async () => {
      const list = await load(priority ? { priority } : {});
      if (list.results.length > 0)
        await remember(() => store.upsertSummaries(list.results, settings.clock()), { list: path });
      return list;
    });
    return untilAborted(pending, signal, path);
  }

  return {
    async getMovie(tmdbId, { stored, ...request } = {}) {
      const row = stored === undefined ? (await store.findByIds([tmdbId]))[0] : (stored ?? undefined);
      return resolveMovie(tmdbId, row, request);
    },

    async search(query, { page = 1, year, primaryReleaseYear, ...request } = {}) {
      const normalized = query.trim().replace(/\s+/g, ' ').toLowerCase();
      if (normalized === '') return { page, totalPages: 0, totalResults: 0, results: [] };
      const key = `search|${normalized}|${page}|${year ?? ''}|${primaryReleaseYear ?? ''}`;
      const filters = {
        page,
        ...(year === undefined ? {} : { year }),
        ...(primaryReleaseYear === undefined ? {} : { primaryReleaseYear }),
      };
      return cachedList(
        key,
        'search/movie',
        (lane) => client.searchMovies(normalized, { ...filters, ...lane }),
        request,
      );
    },

    async popular({ page = 1, ...request } = {}) {
      return cachedList(`popular|${page}`, 'movie/popular', (lane) => client.popular({ page, ...lane }), request);
    },

    async topRated({ page = 1, ...request } = {}) {
      return cachedList(`top_rated|${page}`, 'movie/top_rated', (lane) => client.topRated({ page, ...lane }), request);
    },

    async trending(window = 'week', { page = 1, ...request } = {}) {
      const path = `trending/movie/${window}`;
      return cachedList(`${path}|${page}`, path, (lane) => client.trending(window, { page, ...lane }), request);
    },

    async watchProviders(tmdbId, region, { signal, priority } = {}) {
      const code = region.toUpperCase();
      const path = `movie/${tmdbId}/watch/providers`;
      if (signal?.aborted) throw abortedError(signal, path);
      const pending = providers.getOrLoad(`${tmdbId}|${code}`, () =>
        client.watchProviders(tmdbId, code, priority ? { priority } : {}),
      );
      return untilAborted(pending, signal, path);
    },

    async relatedFilms(tmdbId, request = {}) {
      const recommended = await client.recommendations(tmdbId, request);
      const kind = recommended.results.length > 0 ? 'recommendations' : 'similar';
      const films = kind === 'recommendations' ? recommended.results : (await client.similar(tmdbId, request)).results;
      if (films.length > 0) await remember(() => store.upsertSummaries(films, settings.clock()), { relatedTo: tmdbId });
      return { kind: films.length > 0 ? kind : 'none', films };
    },

    async findByImdbId(imdbId, request = {}) {
      const movie = await client.findByImdbId(imdbId, request);
      if (movie) await remember(() => store.upsertSummaries([movie], settings.clock()), { imdbId });
      return movie;
    },
  };
}
