import {
  configurationSchema,
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
import { createTmdbTransport, type QueryValue, type RequestOptions, type TmdbTransportOptions } from './transport.js';
import type { MovieSummary } from './types.js';

// Callers and tests name these through the client: the transport is how it works, not what it offers.
export {
  TMDB_PRIORITIES,
  TMDB_TRANSPORT_DEFAULTS,
  type RequestOptions,
  type TmdbFetch,
  type TmdbFetchResponse,
  type TmdbPriority,
} from './transport.js';

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

export interface TmdbClientOptions extends TmdbTransportOptions {
  /** e.g. `en-US`; TMDB's default when absent. */
  language?: string;
  /** ISO 3166-1, e.g. `US`: narrows popular/top rated to that country's releases. */
  region?: string;
}

export interface TmdbClient {
  /** `search/movie`; a blank query answers an empty page without a request. */
  searchMovies(query: string, options?: SearchMoviesOptions): Promise<MovieList>;
  /** `movie/{id}` with `append_to_response`; a 404 rejects with kind 'not-found'. */
  movieDetails(tmdbId: number, options?: MovieDetailsOptions): Promise<MovieDetailsWithExtras>;
  popular(options?: PageOptions): Promise<MovieList>;
  topRated(options?: PageOptions): Promise<MovieList>;
  trending(window?: TrendingWindow, options?: PageOptions): Promise<MovieList>;
  /** `discover/movie` with our filters (no caller yet: the structure issue keeps it for the coming work). */
  discover(params?: DiscoverParams, options?: RequestOptions): Promise<MovieList>;
  /** `movie/{id}/recommendations`: TMDB's film-to-film list, the hybrid picks' similar-films source. */
  recommendations(tmdbId: number, options?: PageOptions): Promise<MovieList>;
  /** `movie/{id}/similar`: the fallback when `recommendations` is empty. */
  similar(tmdbId: number, options?: PageOptions): Promise<MovieList>;
  /** `configuration`: the image base URL. Cheap: the start-up check of the key uses it. */
  configuration(options?: RequestOptions): Promise<{ secureBaseUrl: string }>;
  /** Genre names in the client's language (see genres.ts for the static English list). */
  genres(options?: RequestOptions): Promise<Genre[]>;
  /** `find/{imdbId}?external_source=imdb_id` (IMDb import): the film, or null when TMDB knows no film with that id. */
  findByImdbId(imdbId: string, options?: RequestOptions): Promise<MovieSummary | null>;
  /**
   * Providers in one region, grouped; empty lists and a null link when TMDB has nothing there.
   * Credit JustWatch when shown.
   */
  watchProviders(tmdbId: number, region: string, options?: RequestOptions): Promise<WatchProviders>;
}

/** How busy the client's queue is (for /metrics). */
export interface TmdbQueue {
  /** Requests waiting for their turn or in flight. */
  queueLength(): number;
}

/** TMDB's movie endpoints, each a request through the shared transport (one queue and rate cap per client). */
export function createTmdbClient(options: TmdbClientOptions): TmdbClient & TmdbQueue {
  const { language, region } = options;
  const transport = createTmdbTransport(options);

  return {
    queueLength: () => transport.queueLength(),

    async searchMovies(query, { page = 1, year, primaryReleaseYear, ...request } = {}) {
      const trimmed = query.trim();
      if (trimmed === '') return { page, totalPages: 0, totalResults: 0, results: [] };
      return transport.get(
        'search/movie',
        { query: trimmed, page, year, primary_release_year: primaryReleaseYear, include_adult: false, language },
        movieListSchema,
        request,
      );
    },

    async movieDetails(tmdbId, { append = [], ...request } = {}) {
      const parts = [...new Set(append)];
      return transport.get(
        `movie/${movieId(tmdbId)}`,
        { language, append_to_response: parts.length > 0 ? parts.join(',') : undefined },
        movieDetailsSchema,
        request,
      );
    },

    async popular({ page = 1, ...request } = {}) {
      return transport.get('movie/popular', { page, language, region }, movieListSchema, request);
    },

    async topRated({ page = 1, ...request } = {}) {
      return transport.get('movie/top_rated', { page, language, region }, movieListSchema, request);
    },

    async trending(window = 'week', { page = 1, ...request } = {}) {
      return transport.get(`trending/movie/${window}`, { page, language }, movieListSchema, request);
    },

    async discover(params = {}, request = {}) {
      return transport.get('discover/movie', { ...discoverQuery(params), language }, movieListSchema, request);
    },

    async recommendations(tmdbId, { page = 1, ...request } = {}) {
      return transport.get(`movie/${movieId(tmdbId)}/recommendations`, { page, language }, movieListSchema, request);
    },

    async similar(tmdbId, { page = 1, ...request } = {}) {
      return transport.get(`movie/${movieId(tmdbId)}/similar`, { page, language }, movieListSchema, request);
    },

    async configuration(request = {}) {
      return transport.get('configuration', {}, configurationSchema, request);
    },

    async genres(request = {}) {
      return transport.get('genre/movie/list', { language }, genreListSchema, request);
    },

    async findByImdbId(imdbId, request = {}) {
      const movies = await transport.get(
        `find/${encodeURIComponent(imdbId.trim())}`,
        { external_source: 'imdb_id', language },
        findResultSchema,
        request,
      );
      return movies[0] ?? null;
    },

    async watchProviders(tmdbId, regionCode, request = {}) {
      const byRegion = await transport.get(
        `movie/${movieId(tmdbId)}/watch/providers`,
        {},
        watchProvidersByRegionSchema,
        request,
      );
      const code = regionCode.toUpperCase();
      const found = byRegion[code];
      return found ? { tmdbId, region: code, ...found } : { tmdbId, region: code, ...NO_WATCH_PROVIDERS };
    },
  };
}

function movieId(tmdbId: number): number {
  if (!Number.isSafeInteger(tmdbId) || tmdbId <= 0) throw new RangeError(`Not a TMDB movie id: ${tmdbId}`);
  return tmdbId;
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
