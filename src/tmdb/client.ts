import nodeFetch from 'node-fetch';
import PQueue from 'p-queue';
import pRetry from 'p-retry';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import { TmdbError, abortedError, createRedactor, kindForStatus, redactedCause, type TmdbErrorKind } from './errors.js';
import {
  errorBodySchema,
  findResultSchema,
  genreListSchema,
  movieDetailsSchema,
  movieListSchema,
  NO_WATCH_PROVIDERS,
  watchProvidersByRegionSchema,
  type Genre,
  type MovieDetailsWithExtras,
  type MovieList,
  type WatchProviders,
} from './schemas.js';
import type { MovieSummary } from './types.js';

/** The part of a fetch response we use; node-fetch's satisfies it, and so does a test fake. */
export interface TmdbFetchResponse {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type TmdbFetch = (url: string, init: { headers: Record<string, string>; signal: AbortSignal }) => Promise<TmdbFetchResponse>;

/**
 * Queue lanes. Queued work runs highest first, so an autocomplete ('interactive') waits at most for a
 * running request to finish, never behind a backlog of 'background' jobs. Retries keep their lane.
 */
export const TMDB_PRIORITIES = { interactive: 2, normal: 1, background: 0 } as const;
export type TmdbPriority = keyof typeof TMDB_PRIORITIES;

export interface RequestOptions {
  /**
   * The caller's deadline or cancellation (e.g. `AbortSignal.timeout(2_000)` in autocomplete). It covers
   * waiting in the queue, every attempt and the back-off between them: once it fires the call rejects at
   * once with a TmdbError of kind 'timeout' (a TimeoutError reason) or 'aborted'.
   */
  signal?: AbortSignal;
  /** Default 'normal'. */
  priority?: TmdbPriority;
}

export interface PageOptions extends RequestOptions {
  /** 1-500; default 1. */
  page?: number;
}

export interface SearchMoviesOptions extends PageOptions {
  /** Matches any release in that year. */
  year?: number;
  /** Matches the first release only. */
  primaryReleaseYear?: number;
}

/** The `append_to_response` parts we map (TMDB allows up to 20; we use these four). */
export const MOVIE_APPENDS = ['credits', 'keywords', 'external_ids', 'watch/providers'] as const;
export type MovieAppend = (typeof MOVIE_APPENDS)[number];

export interface MovieDetailsOptions extends RequestOptions {
  append?: readonly MovieAppend[];
}

export type TrendingWindow = 'day' | 'week';

export const DISCOVER_SORTS = [
  'popularity.desc',
  'popularity.asc',
  'vote_average.desc',
  'vote_average.asc',
  'vote_count.desc',
  'primary_release_date.desc',
  'primary_release_date.asc',
  'revenue.desc',
  'title.asc',
] as const;
export type DiscoverSort = (typeof DISCOVER_SORTS)[number];

export const MONETIZATION_TYPES = ['flatrate', 'free', 'ads', 'rent', 'buy'] as const;
export type MonetizationType = (typeof MONETIZATION_TYPES)[number];

/** `discover/movie` filters, named after TMDB's parameters. Adult titles are always excluded. */
export interface DiscoverParams {
  page?: number;
  sortBy?: DiscoverSort;
  /** Films with all of these genres. */
  withGenres?: readonly number[];
  /** Films with any of these genres. */
  withAnyGenres?: readonly number[];
  withoutGenres?: readonly number[];
  primaryReleaseYear?: number;
  /** ISO dates `YYYY-MM-DD`. */
  primaryReleaseDateGte?: string;
  primaryReleaseDateLte?: string;
  voteAverageGte?: number;
  voteCountGte?: number;
  runtimeGte?: number;
  runtimeLte?: number;
  withOriginalLanguage?: string;
  /** Films on any of these providers in `watchRegion` (required by TMDB with this filter). */
  withWatchProviders?: readonly number[];
  watchRegion?: string;
  withWatchMonetizationTypes?: readonly MonetizationType[];
}

export interface TmdbClientSettings {
  /** Includes the version: `…/3`. */
  baseUrl: string;
  fetch: TmdbFetch;
  /** One attempt's limit, from leaving the queue to the last byte of the body. */
  timeoutMs: number;
  /** Retries after the first attempt, for 429, 5xx, network errors and per-attempt timeouts. */
  maxRetries: number;
  /** Client-side cap (TMDB's own limit is about 40/s). Every attempt counts, retries included. */
  requestsPerSecond: number;
  /** Requests in flight at once. */
  concurrency: number;
  /** Back-off without `Retry-After`: ceiling = min(backoffMaxMs, backoffBaseMs × 2^(attempt−1)); wait = ceiling × (½ + ½·random()). */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A `Retry-After` longer than this is not waited for: the call fails as 'rate-limited'. */
  maxRetryAfterMs: number;
  /** Jitter source in [0, 1); tests inject a constant. */
  random: () => number;
}

export interface TmdbClientOptions extends Partial<TmdbClientSettings> {
  /** API Read Access Token, sent as `Authorization: Bearer …` (preferred: keeps the secret out of URLs). */
  token?: string;
  /** v3 API key, sent as the `api_key` query parameter when there is no token. */
  apiKey?: string;
  /** e.g. `en-US`; TMDB's default when absent. */
  language?: string;
  /** ISO 3166-1, e.g. `US`: narrows popular/top rated to that country's releases. */
  region?: string;
  logger?: Logger;
}

export const TMDB_CLIENT_DEFAULTS = {
  baseUrl: 'https://api.themoviedb.org/3',
  fetch: nodeFetch,
  timeoutMs: 5_000,
  maxRetries: 3,
  requestsPerSecond: 20,
  concurrency: 8,
  backoffBaseMs: 500,
  backoffMaxMs: 8_000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
} as const satisfies Required<TmdbClientSettings>;

export interface TmdbClient {
  /** `search/movie`; a blank query answers an empty page without a request. */
  searchMovies(query: string, options?: SearchMoviesOptions): Promise<MovieList>;
  /** `movie/{id}` with `append_to_response`; a 404 rejects with kind 'not-found'. */
  movieDetails(tmdbId: number, options?: MovieDetailsOptions): Promise<MovieDetailsWithExtras>;
  popular(options?: PageOptions): Promise<MovieList>;
  topRated(options?: PageOptions): Promise<MovieList>;
  trending(window?: TrendingWindow, options?: PageOptions): Promise<MovieList>;
  discover(params?: DiscoverParams, options?: RequestOptions): Promise<MovieList>;
  recommendations(tmdbId: number, options?: PageOptions): Promise<MovieList>;
  similar(tmdbId: number, options?: PageOptions): Promise<MovieList>;
  /** Genre names in the client's language (see genres.ts for the static English list). */
  genres(options?: RequestOptions): Promise<Genre[]>;
  /** `find/{imdbId}?external_source=imdb_id`: the film, or null when TMDB knows no film with that id. */
  findByImdbId(imdbId: string, options?: RequestOptions): Promise<MovieSummary | null>;
  /** Providers in one region, grouped; empty lists and a null link when TMDB has nothing there. Credit JustWatch when shown. */
  watchProviders(tmdbId: number, region: string, options?: RequestOptions): Promise<WatchProviders>;
}

type QueryValue = string | number | boolean | undefined;

const RETRYABLE_KINDS: ReadonlySet<TmdbErrorKind> = new Set(['rate-limited', 'server', 'network', 'timeout']);

export function createTmdbClient(options: TmdbClientOptions): TmdbClient {
  const settings = { ...TMDB_CLIENT_DEFAULTS, ...options };
  const { token, apiKey, language, region, logger } = options;
  if (!token && !apiKey) throw new TypeError('createTmdbClient needs a token (preferred) or an apiKey');

  const redact = createRedactor([token, apiKey]);
  const baseUrl = new URL(settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`);
  const headers: Record<string, string> = token
    ? { accept: 'application/json', authorization: `Bearer ${token}` }
    : { accept: 'application/json' };
  // strict = sliding window: never more than requestsPerSecond starts in any 1 s, even across window edges.
  const queue = new PQueue({
    concurrency: settings.concurrency,
    intervalCap: settings.requestsPerSecond,
    interval: 1_000,
    strict: true,
  });

  function buildUrl(endpoint: string, query: Record<string, QueryValue>): { url: URL; path: string } {
    const url = new URL(endpoint, baseUrl);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    // The path kept in errors and logs is taken before the key is added.
    const path = `${url.pathname}${url.search}`;
    if (!token && apiKey) url.searchParams.set('api_key', apiKey);
    return { url, path };
  }

  function httpError(status: number, body: string, retryAfter: string | null, path: string): TmdbError {
    const parsed = errorBodySchema.safeParse(parseJson(body));
    const statusCode = parsed.success ? (parsed.data.status_code ?? null) : null;
    const statusMessage = parsed.success ? parsed.data.status_message : undefined;
    return new TmdbError(redact(`TMDB answered ${status}${statusMessage ? ` (${statusMessage})` : ''} for ${path}`), {
      kind: kindForStatus(status),
      path,
      status,
      statusCode,
      retryAfterMs: status === 429 || status === 503 ? parseRetryAfter(retryAfter) : null,
    });
  }

  /** One HTTP attempt, run inside the queue: its own timeout starts when it leaves the queue. */
  async function attempt(url: URL, path: string, signal: AbortSignal | undefined): Promise<{ status: number; body: string }> {
    const timeout = new AbortController();
    const timer = setTimeout(() => timeout.abort(), settings.timeoutMs);
    const started = Date.now();
    try {
      const response = await settings.fetch(url.href, {
        headers,
        signal: signal ? AbortSignal.any([signal, timeout.signal]) : timeout.signal,
      });
      const body = await response.text();
      logger?.debug({ path, status: response.status, ms: Date.now() - started }, 'TMDB request');
      if (!response.ok) throw httpError(response.status, body, response.headers.get('retry-after'), path);
      return { status: response.status, body };
    } catch (error) {
      if (error instanceof TmdbError) throw error;
      if (signal?.aborted) throw abortedError(signal, path);
      if (timeout.signal.aborted) {
        throw new TmdbError(`TMDB did not answer within ${settings.timeoutMs} ms for ${path}`, { kind: 'timeout', path });
      }
      const cause = redactedCause(error, redact);
      throw new TmdbError(`TMDB could not be reached for ${path}: ${cause.message}`, { kind: 'network', path, cause });
    } finally {
      clearTimeout(timer);
    }
  }

  function canRetry(error: Error, signal: AbortSignal | undefined): error is TmdbError {
    if (!(error instanceof TmdbError) || signal?.aborted || !RETRYABLE_KINDS.has(error.kind)) return false;
    return error.retryAfterMs === null || error.retryAfterMs <= settings.maxRetryAfterMs;
  }

  function retryDelayMs(error: TmdbError, attemptNumber: number): number {
    if (error.retryAfterMs !== null) return error.retryAfterMs;
    const ceiling = Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** (attemptNumber - 1));
    return Math.round(ceiling / 2 + (settings.random() * ceiling) / 2);
  }

  async function get<Output>(
    endpoint: string,
    query: Record<string, QueryValue>,
    schema: z.ZodType<Output>,
    { signal, priority = 'normal' }: RequestOptions,
  ): Promise<Output> {
    const { url, path } = buildUrl(endpoint, query);
    try {
      // p-retry runs the loop; the wait is ours (Retry-After, injectable jitter), so its own delay is 0.
      const { status, body } = await pRetry(
        () => queue.add(() => attempt(url, path, signal), { priority: TMDB_PRIORITIES[priority], signal }),
        {
          retries: settings.maxRetries,
          minTimeout: 0,
          signal,
          shouldRetry: ({ error }) => canRetry(error, signal),
          onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
            if (retriesLeft === 0 || !canRetry(error, signal)) return;
            const delayMs = retryDelayMs(error, attemptNumber);
            logger?.warn({ path, status: error.status, kind: error.kind, attempt: attemptNumber, delayMs }, 'TMDB request failed; retrying');
            await sleep(delayMs, signal);
          },
        },
      );
      return parseBody(body, status, schema, path);
    } catch (error) {
      if (error instanceof TmdbError) throw error;
      if (signal?.aborted) throw abortedError(signal, path);
      const cause = redactedCause(error, redact);
      throw new TmdbError(`TMDB request failed for ${path}: ${cause.message}`, { kind: 'network', path, cause });
    }
  }

  function movieId(tmdbId: number): number {
    if (!Number.isSafeInteger(tmdbId) || tmdbId <= 0) throw new RangeError(`Not a TMDB movie id: ${tmdbId}`);
    return tmdbId;
  }

  return {
    async searchMovies(query, { page = 1, year, primaryReleaseYear, ...request } = {}) {
      const trimmed = query.trim();
      if (trimmed === '') return { page, totalPages: 0, totalResults: 0, results: [] };
      return get(
        'search/movie',
        { query: trimmed, page, year, primary_release_year: primaryReleaseYear, include_adult: false, language },
        movieListSchema,
        request,
      );
    },

    async movieDetails(tmdbId, { append = [], ...request } = {}) {
      const parts = [...new Set(append)];
      return get(
        `movie/${movieId(tmdbId)}`,
        { language, append_to_response: parts.length > 0 ? parts.join(',') : undefined },
        movieDetailsSchema,
        request,
      );
    },

    async popular({ page = 1, ...request } = {}) {
      return get('movie/popular', { page, language, region }, movieListSchema, request);
    },

    async topRated({ page = 1, ...request } = {}) {
      return get('movie/top_rated', { page, language, region }, movieListSchema, request);
    },

    async trending(window = 'week', { page = 1, ...request } = {}) {
      return get(`trending/movie/${window}`, { page, language }, movieListSchema, request);
    },

    async discover(params = {}, request = {}) {
      return get('discover/movie', { ...discoverQuery(params), language }, movieListSchema, request);
    },

    async recommendations(tmdbId, { page = 1, ...request } = {}) {
      return get(`movie/${movieId(tmdbId)}/recommendations`, { page, language }, movieListSchema, request);
    },

    async similar(tmdbId, { page = 1, ...request } = {}) {
      return get(`movie/${movieId(tmdbId)}/similar`, { page, language }, movieListSchema, request);
    },

    async genres(request = {}) {
      return get('genre/movie/list', { language }, genreListSchema, request);
    },

    async findByImdbId(imdbId, request = {}) {
      const movies = await get(
        `find/${encodeURIComponent(imdbId.trim())}`,
        { external_source: 'imdb_id', language },
        findResultSchema,
        request,
      );
      return movies[0] ?? null;
    },

    async watchProviders(tmdbId, regionCode, request = {}) {
      const byRegion = await get(`movie/${movieId(tmdbId)}/watch/providers`, {}, watchProvidersByRegionSchema, request);
      const code = regionCode.toUpperCase();
      const found = byRegion[code];
      return found
        ? { tmdbId, region: code, ...found }
        : { tmdbId, region: code, ...NO_WATCH_PROVIDERS };
    },
  };
}

function discoverQuery(params: DiscoverParams): Record<string, QueryValue> {
  const list = (values: readonly (number | string)[] | undefined, separator: ',' | '|') =>
    values && values.length > 0 ? values.join(separator) : undefined;
  return {
    page: params.page ?? 1,
    sort_by: params.sortBy ?? 'popularity.desc',
    include_adult: false,
    include_video: false,
    // TMDB: comma means AND, pipe means OR.
    with_genres: list(params.withGenres, ',') ?? list(params.withAnyGenres, '|'),
    without_genres: list(params.withoutGenres, '|'),
    primary_release_year: params.primaryReleaseYear,
    'primary_release_date.gte': params.primaryReleaseDateGte,
    'primary_release_date.lte': params.primaryReleaseDateLte,
    'vote_average.gte': params.voteAverageGte,
    'vote_count.gte': params.voteCountGte,
    'with_runtime.gte': params.runtimeGte,
    'with_runtime.lte': params.runtimeLte,
    with_original_language: params.withOriginalLanguage,
    with_watch_providers: list(params.withWatchProviders, '|'),
    watch_region: params.watchRegion,
    with_watch_monetization_types: list(params.withWatchMonetizationTypes, '|'),
  };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function parseBody<Output>(body: string, status: number, schema: z.ZodType<Output>, path: string): Output {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new TmdbError(`TMDB sent a body that is not JSON for ${path}`, { kind: 'invalid-response', path, status, cause: error });
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new TmdbError(`TMDB sent an unexpected body for ${path}: ${z.prettifyError(result.error)}`, {
      kind: 'invalid-response',
      path,
      status,
      cause: result.error,
    });
  }
  return result.data;
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1_000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}

/** A wait that the caller's signal cuts short (rejecting with its reason). Uses the global timer so fake timers drive it. */
function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    if (ms <= 0) {
      resolve();
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}
