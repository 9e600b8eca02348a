/**
 * Our own shapes for TMDB data, shared by the TMDB client (which maps TMDB JSON into them)
 * and the movies table (which caches them). Nothing here is TMDB's wire format.
 */

/** A film as seen in search or list results: enough for autocomplete and cards, not everything. */
export interface MovieSummary {
  tmdbId: number;
  title: string;
  originalTitle: string | null;
  /** ISO date `YYYY-MM-DD`, or null when TMDB has none (it sends `""`). */
  releaseDate: string | null;
  genreIds: number[];
  overview: string | null;
  posterPath: string | null;
  popularity: number | null;
  voteAverage: number | null;
  voteCount: number | null;
}

/** A film with the fields only `movie/{id}` returns. */
export interface MovieDetails extends MovieSummary {
  runtime: number | null;
  imdbId: string | null;
}

/** A cached row: details fields are null and `detailsFetchedAt` is null while the row is partial. */
export interface CachedMovie extends MovieDetails {
  /** When any TMDB response last refreshed this row. */
  fetchedAt: Date;
  /** When `movie/{id}` last filled the details; null for a partial row seen only in search or lists. */
  detailsFetchedAt: Date | null;
}

/** What the TMDB read-through cache needs from storage; the movies repository implements it. */
export interface MovieStore {
  findByIds(tmdbIds: readonly number[]): Promise<CachedMovie[]>;
  /** Inserts or refreshes partial rows; never clears details already stored. */
  upsertSummaries(movies: readonly MovieSummary[], fetchedAt: Date): Promise<void>;
  upsertDetails(movie: MovieDetails, fetchedAt: Date): Promise<void>;
}
