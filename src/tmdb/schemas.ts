/**
 * zod schemas for the TMDB JSON we read, each mapped straight into our own shapes (types.ts and below).
 * Schemas are strict about identity (ids, titles) and lenient about what TMDB often leaves out:
 * `""` and missing values become null, unknown keys are dropped.
 */
import { z } from 'zod';
import type { MovieDetails, MovieSummary } from './types.js';

/** One page of a TMDB list endpoint. */
export interface MovieList {
  page: number;
  totalPages: number;
  totalResults: number;
  results: MovieSummary[];
}

export interface Genre {
  id: number;
  name: string;
}

export interface CastMember {
  personId: number;
  name: string;
  character: string | null;
  order: number | null;
  profilePath: string | null;
}

export interface CrewMember {
  personId: number;
  name: string;
  job: string;
  department: string | null;
  profilePath: string | null;
}

export interface MovieCredits {
  cast: CastMember[];
  crew: CrewMember[];
}

export interface Keyword {
  id: number;
  name: string;
}

export interface ExternalIds {
  imdbId: string | null;
  wikidataId: string | null;
  facebookId: string | null;
  instagramId: string | null;
  twitterId: string | null;
}

export interface WatchProvider {
  providerId: number;
  name: string;
  logoPath: string | null;
  displayPriority: number | null;
}

/**
 * Where a film can be watched in one region. TMDB's data here comes from JustWatch, which must be
 * credited wherever it is shown (see attribution.ts). Providers are sorted by TMDB's display priority.
 */
export interface RegionWatchProviders {
  /** TMDB's watch page for the region (it links on to the providers); null when TMDB knows nothing there. */
  link: string | null;
  flatrate: WatchProvider[];
  rent: WatchProvider[];
  buy: WatchProvider[];
  free: WatchProvider[];
  ads: WatchProvider[];
}

export interface WatchProviders extends RegionWatchProviders {
  tmdbId: number;
  /** ISO 3166-1 code, upper case. */
  region: string;
}

/** `movie/{id}` with whatever `append_to_response` parts were asked for (null when not asked for). */
export interface MovieDetailsWithExtras extends MovieDetails {
  backdropPath: string | null;
  tagline: string | null;
  credits: MovieCredits | null;
  keywords: Keyword[] | null;
  externalIds: ExternalIds | null;
  /** By region code. */
  watchProviders: Record<string, RegionWatchProviders> | null;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** TMDB sends `""` (or nothing) for unknown text: we store null. */
const text = z
  .string()
  .nullish()
  .transform((value) => (value === undefined || value === null || value.trim() === '' ? null : value));

const releaseDate = z
  .string()
  .nullish()
  .transform((value) => (value !== undefined && value !== null && ISO_DATE.test(value) ? value : null));

const optionalNumber = z
  .number()
  .nullish()
  .transform((value) => value ?? null);

const tmdbId = z.number().int().positive();

const summaryFields = {
  id: tmdbId,
  title: z.string().min(1),
  original_title: text,
  release_date: releaseDate,
  overview: text,
  poster_path: text,
  popularity: optionalNumber,
  vote_average: optionalNumber,
  vote_count: optionalNumber,
};

export const movieSummarySchema = z
  .object({ ...summaryFields, genre_ids: z.array(z.number().int()).nullish() })
  .transform((movie): MovieSummary => ({
    tmdbId: movie.id,
    title: movie.title,
    originalTitle: movie.original_title,
    releaseDate: movie.release_date,
    genreIds: movie.genre_ids ?? [],
    overview: movie.overview,
    posterPath: movie.poster_path,
    popularity: movie.popularity,
    voteAverage: movie.vote_average,
    voteCount: movie.vote_count,
  }));

export const movieListSchema = z
  .object({
    page: z.number().int().nonnegative(),
    results: z.array(movieSummarySchema),
    total_pages: z.number().int().nonnegative(),
    total_results: z.number().int().nonnegative(),
  })
  .transform((list): MovieList => ({
    page: list.page,
    totalPages: list.total_pages,
    totalResults: list.total_results,
    results: list.results,
  }));

const genreSchema = z.object({ id: z.number().int(), name: z.string() });

/** `configuration`: the one field we read, where images live; a cheap request that proves the key works. */
export const configurationSchema = z
  .object({ images: z.object({ secure_base_url: z.string() }) })
  .transform((body) => ({ secureBaseUrl: body.images.secure_base_url }));

export const genreListSchema = z.object({ genres: z.array(genreSchema) }).transform((body): Genre[] => body.genres);

const creditsSchema = z
  .object({
    cast: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        character: text,
        order: optionalNumber,
        profile_path: text,
      }),
    ),
    crew: z.array(
      z.object({
        id: z.number().int(),
        name: z.string(),
        job: z.string(),
        department: text,
        profile_path: text,
      }),
    ),
  })
  .transform((credits): MovieCredits => ({
    cast: credits.cast.map((person) => ({
      personId: person.id,
      name: person.name,
      character: person.character,
      order: person.order,
      profilePath: person.profile_path,
    })),
    crew: credits.crew.map((person) => ({
      personId: person.id,
      name: person.name,
      job: person.job,
      department: person.department,
      profilePath: person.profile_path,
    })),
  }));

const keywordsSchema = z
  .object({ keywords: z.array(z.object({ id: z.number().int(), name: z.string() })) })
  .transform((body): Keyword[] => body.keywords);

/** TMDB's ids are strings; some older rows carry non-string junk, which we treat as unknown. */
const externalId = z.unknown().transform((value) => (typeof value === 'string' && value.trim() !== '' ? value : null));

export const externalIdsSchema = z
  .object({
    imdb_id: externalId,
    wikidata_id: externalId,
    facebook_id: externalId,
    instagram_id: externalId,
    twitter_id: externalId,
  })
  .transform((ids): ExternalIds => ({
    imdbId: ids.imdb_id,
    wikidataId: ids.wikidata_id,
    facebookId: ids.facebook_id,
    instagramId: ids.instagram_id,
    twitterId: ids.twitter_id,
  }));

const providerListSchema = z
  .array(
    z.object({
      provider_id: z.number().int(),
      provider_name: z.string(),
      logo_path: text,
      display_priority: optionalNumber,
    }),
  )
  .nullish()
  .transform((providers): WatchProvider[] =>
    (providers ?? [])
      .map((provider) => ({
        providerId: provider.provider_id,
        name: provider.provider_name,
        logoPath: provider.logo_path,
        displayPriority: provider.display_priority,
      }))
      .sort((a, b) => (a.displayPriority ?? Number.MAX_SAFE_INTEGER) - (b.displayPriority ?? Number.MAX_SAFE_INTEGER)),
  );

const regionWatchProvidersSchema = z
  .object({
    link: text,
    flatrate: providerListSchema,
    rent: providerListSchema,
    buy: providerListSchema,
    free: providerListSchema,
    ads: providerListSchema,
  })
  .transform((region): RegionWatchProviders => region);

/** `movie/{id}/watch/providers` and the `watch/providers` append: `{ results: { [region]: … } }`. */
export const watchProvidersByRegionSchema = z
  .object({ results: z.record(z.string(), regionWatchProvidersSchema) })
  .transform((body): Record<string, RegionWatchProviders> => body.results);

/** Shared by every "nothing in this region" answer, so the lists are frozen too: a push throws rather than leaks. */
const NO_PROVIDERS: WatchProvider[] = [];
Object.freeze(NO_PROVIDERS);

/** What a region without any provider looks like. */
export const NO_WATCH_PROVIDERS: RegionWatchProviders = Object.freeze({
  link: null,
  flatrate: NO_PROVIDERS,
  rent: NO_PROVIDERS,
  buy: NO_PROVIDERS,
  free: NO_PROVIDERS,
  ads: NO_PROVIDERS,
});

export const movieDetailsSchema = z
  .object({
    ...summaryFields,
    genres: z.array(genreSchema).nullish(),
    backdrop_path: text,
    tagline: text,
    runtime: optionalNumber,
    imdb_id: text,
    credits: creditsSchema.optional(),
    keywords: keywordsSchema.optional(),
    external_ids: externalIdsSchema.optional(),
    'watch/providers': watchProvidersByRegionSchema.optional(),
  })
  .transform((movie): MovieDetailsWithExtras => ({
    tmdbId: movie.id,
    title: movie.title,
    originalTitle: movie.original_title,
    releaseDate: movie.release_date,
    genreIds: (movie.genres ?? []).map((genre) => genre.id),
    overview: movie.overview,
    posterPath: movie.poster_path,
    popularity: movie.popularity,
    voteAverage: movie.vote_average,
    voteCount: movie.vote_count,
    // TMDB uses 0 for "runtime unknown".
    runtime: movie.runtime === null || movie.runtime <= 0 ? null : movie.runtime,
    imdbId: movie.imdb_id,
    backdropPath: movie.backdrop_path,
    tagline: movie.tagline,
    credits: movie.credits ?? null,
    keywords: movie.keywords ?? null,
    externalIds: movie.external_ids ?? null,
    watchProviders: movie['watch/providers'] ?? null,
  }));

/** `find/{external_id}`: only the films matter to us. */
export const findResultSchema = z
  .object({ movie_results: z.array(movieSummarySchema) })
  .transform((body): MovieSummary[] => body.movie_results);

/** TMDB's error body: `{ status_code, status_message, success: false }`. */
export const errorBodySchema = z.object({
  status_code: z.number().int().optional(),
  status_message: z.string().optional(),
});

/** The MovieDetails part of a details response (what the movies table stores), without the extras. */
export function toMovieDetails(movie: MovieDetails): MovieDetails {
  return {
    tmdbId: movie.tmdbId,
    title: movie.title,
    originalTitle: movie.originalTitle,
    releaseDate: movie.releaseDate,
    genreIds: movie.genreIds,
    overview: movie.overview,
    posterPath: movie.posterPath,
    popularity: movie.popularity,
    voteAverage: movie.voteAverage,
    voteCount: movie.voteCount,
    runtime: movie.runtime,
    imdbId: movie.imdbId,
  };
}
