import type { CachedMovie, MovieDetails, MovieStore, MovieSummary } from '../../src/tmdb/types.js';

/** The MovieStore contract in memory, as the movies repository implements it in SQL. */
export interface MemoryMovieStore extends MovieStore {
  readonly rows: Map<number, CachedMovie>;
  /** Calls per method, to show what the catalog wrote. */
  readonly calls: { findByIds: number; upsertSummaries: number; upsertDetails: number };
}

export function createMemoryMovieStore(initial: readonly CachedMovie[] = []): MemoryMovieStore {
  const rows = new Map(initial.map((row) => [row.tmdbId, { ...row }]));
  const calls = { findByIds: 0, upsertSummaries: 0, upsertDetails: 0 };
  return {
    rows,
    calls,
    async findByIds(tmdbIds) {
      calls.findByIds += 1;
      return tmdbIds.flatMap((id) => {
        const row = rows.get(id);
        return row ? [{ ...row }] : [];
      });
    },
    async upsertSummaries(movies: readonly MovieSummary[], fetchedAt: Date) {
      calls.upsertSummaries += 1;
      for (const movie of movies) {
        const existing = rows.get(movie.tmdbId);
        rows.set(movie.tmdbId, {
          runtime: null,
          imdbId: null,
          detailsFetchedAt: null,
          ...existing,
          ...movie,
          fetchedAt,
        });
      }
    },
    async upsertDetails(movie: MovieDetails, fetchedAt: Date) {
      calls.upsertDetails += 1;
      rows.set(movie.tmdbId, { ...movie, fetchedAt, detailsFetchedAt: fetchedAt });
    },
  };
}
