import { readFileSync } from 'node:fs';
import { QueryTypes } from 'sequelize';
import { loadConfig } from '../../src/config.js';
import type { CoreDeps } from '../../src/context.js';
import { createRepositories } from '../../src/db/repositories/index.js';
import { createLogger } from '../../src/logger.js';
import type { TasteListener } from '../../src/services/taste-listener.js';
import { createMovieCatalog } from '../../src/tmdb/catalog.js';
import { createTmdbClient } from '../../src/tmdb/client.js';
import { createTestDatabase, emptyAllTables, type DatabaseKind, type TestDatabase } from './databases.js';

/** Where nock intercepts TMDB (the client's default base). */
export const TMDB_ORIGIN = 'https://api.themoviedb.org';

/** A TMDB response body from test/fixtures/tmdb (shaped exactly like TMDB's own examples). */
export function tmdbFixture(name: string): Record<string, unknown> {
  return JSON.parse(readFileSync(new URL(`../fixtures/tmdb/${name}.json`, import.meta.url), 'utf8')) as Record<
    string,
    unknown
  >;
}

/** `movie/{id}` for any film: TMDB's Star Wars example with its id and title replaced. */
export function detailsBody(id: number, title: string, releaseDate: string, overrides: Record<string, unknown> = {}) {
  return { ...tmdbFixture('movie-details'), id, title, original_title: title, release_date: releaseDate, ...overrides };
}

/** A `search/movie` page with these results (fields as TMDB sends them). */
export function searchBody(results: { id: number; title: string; release_date: string; popularity?: number }[]) {
  return {
    page: 1,
    total_pages: 1,
    total_results: results.length,
    results: results.map((r) => ({
      adult: false,
      backdrop_path: null,
      genre_ids: [18],
      original_language: 'en',
      original_title: r.title,
      overview: `About ${r.title}.`,
      popularity: r.popularity ?? 1,
      poster_path: null,
      video: false,
      vote_average: 7,
      vote_count: 10,
      ...r,
    })),
  };
}

/** `search/movie` for "dune": three films, two of them titled exactly "Dune" (a typed title that needs a choice). */
export function duneSearch() {
  return searchBody([
    { id: 693_134, title: 'Dune: Part Two', release_date: '2024-02-27', popularity: 90 },
    { id: 438_631, title: 'Dune', release_date: '2021-09-15', popularity: 80 },
    { id: 841, title: 'Dune', release_date: '1984-12-14', popularity: 20 },
  ]);
}

export interface FilmTestCore {
  test: TestDatabase;
  core: CoreDeps;
  /** Moves the injected clock. */
  setNow(at: Date): void;
  count(table: string): Promise<number>;
  /** Empties every table and starts a TMDB client and catalog with empty memory caches; build services after it. */
  reset(): Promise<void>;
  destroy(): Promise<void>;
}

/**
 * The real repositories on a fresh database, and the real TMDB client and catalog pointed at nock's
 * TMDB: no retries and a short per-attempt timeout, so a hanging TMDB never outlives a test, and no rate cap to
 * speak of, so the requests a test leaves unanswered (nock refuses them at once) never queue for the next second.
 */
export async function createFilmTestCore(
  kind: DatabaseKind,
  start = new Date('2026-03-10T12:00:00Z'),
): Promise<FilmTestCore> {
  const test = await createTestDatabase(kind);
  let now = start;
  const clock = () => now;
  const logger = createLogger({ level: 'silent' });
  const repos = createRepositories(test.db);
  const freshCatalog = () => {
    const tmdb = createTmdbClient({
      token: 'test-token',
      maxRetries: 0,
      timeoutMs: 1_000,
      requestsPerSecond: 1_000,
      logger,
    });
    return createMovieCatalog({ client: tmdb, store: repos.movies, clock, logger });
  };
  const core: CoreDeps = { config: loadConfig({}), logger, clock, repos, catalog: freshCatalog() };
  const count = async (table: string) => {
    const [row] = await test.db.sequelize.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM ${table}`, {
      type: QueryTypes.SELECT,
    });
    return Number(row?.n);
  };
  return {
    test,
    core,
    setNow: (at) => {
      now = at;
    },
    count,
    reset: async () => {
      await emptyAllTables(test.db);
      core.catalog = freshCatalog();
      now = start;
    },
    destroy: () => test.destroy(),
  };
}

/** A TasteListener that remembers what it heard. */
export function recordingTaste(): { taste: TasteListener; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    taste: {
      ratingChanged: (userId, movieId, score) => void calls.push(`rating:${userId}:${movieId}:${score}`),
      feedbackChanged: (userId, movieId, value) => void calls.push(`feedback:${userId}:${movieId}:${value}`),
      userForgotten: (userId) => void calls.push(`forgotten:${userId}`),
      settingsChanged: (userId) => void calls.push(`settings:${userId}`),
    },
  };
}
