import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MOVIE_REFERENCES } from '../../src/db/repositories/movie-cache.js';
import { createRepositories, type Repositories } from '../../src/db/repositories/index.js';
import { createLogger } from '../../src/logger.js';
import {
  createTmdbCacheService,
  type TmdbCacheOptions,
  type TmdbDetailsSource,
} from '../../src/services/tmdb-cache.js';
import { TmdbError } from '../../src/tmdb/errors.js';
import type { MovieDetails } from '../../src/tmdb/types.js';
import { movieDetails, movieSummary, snowflake } from '../support/builders.js';
import { createTestDatabase, databaseKinds, emptyAllTables, type TestDatabase } from '../support/databases.js';

const silent = createLogger({ level: 'silent' });
const DAY_MS = 86_400_000;
const NOW = new Date('2026-12-01T04:15:00Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY_MS);
/** Older than TMDB's 6 months (and our 180 days). */
const OLD = daysAgo(214);
/** Past the 150-day refresh age, within 180 days. */
const AGEING = daysAgo(160);
const RECENT = daysAgo(30);

/** A fake `movie/{id}`: the film with a new title, or the error a test set for that id. */
function fakeTmdb(errors: ReadonlyMap<number, Error> = new Map()) {
  const calls: number[] = [];
  const source: TmdbDetailsSource = {
    async movieDetails(tmdbId, { signal }) {
      calls.push(tmdbId);
      if (signal.aborted) throw new TmdbError('aborted', { kind: 'aborted', path: `movie/${tmdbId}` });
      const error = errors.get(tmdbId);
      if (error) throw error;
      return movieDetails(tmdbId, { title: `Film ${tmdbId} (refreshed)`, runtime: 99 });
    },
  };
  return { source, calls };
}

const notFound = (tmdbId: number) =>
  new TmdbError('not found', { kind: 'not-found', path: `movie/${tmdbId}`, status: 404, statusCode: 34 });

describe.each(databaseKinds())('the TMDB cache job on %s', (kind) => {
  let test: TestDatabase;
  let repos: Repositories;
  const user = snowflake(10);
  const guild = snowflake(1);

  const insert = (sql: string, replacements: Record<string, unknown> = {}) =>
    test.db.sequelize.query(sql, { replacements: { user, guild, at: RECENT, ...replacements } });

  async function film(tmdbId: number, fetchedAt: Date, detailsFetchedAt: Date | null = fetchedAt): Promise<void> {
    if (detailsFetchedAt) await repos.movies.upsertDetails(movieDetails(tmdbId), detailsFetchedAt);
    if (!detailsFetchedAt || fetchedAt.getTime() !== detailsFetchedAt.getTime()) {
      await repos.movies.upsertSummaries([movieSummary(tmdbId)], fetchedAt);
    }
  }

  function service(tmdb: TmdbDetailsSource, options: Partial<TmdbCacheOptions> = {}) {
    const store = { ...repos.movieCache, upsertDetails: repos.movies.upsertDetails };
    return createTmdbCacheService({ store, tmdb, clock: () => NOW, logger: silent, ...options });
  }

  const stored = async (ids: number[]) =>
    new Map((await repos.movies.findByIds(ids)).map((movie) => [movie.tmdbId, movie] as const));

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    repos = createRepositories(test.db);
  });
  afterAll(() => test.destroy());
  beforeEach(async () => {
    await emptyAllTables(test.db);
    await insert(`INSERT INTO users (id, created_at, updated_at) VALUES (:user, :at, :at)`);
    await insert(`INSERT INTO guilds (id, created_at, updated_at) VALUES (:guild, :at, :at)`);
  });

  it('deletes films fetched more than 6 months ago that nothing points to, and keeps newer ones', async () => {
    await film(1, OLD);
    await film(2, RECENT);
    await film(3, AGEING);
    // A list refreshed the summary lately, but runtime and IMDb id date from an old details fetch.
    await film(4, RECENT, OLD);
    await film(5, RECENT, null);
    const tmdb = fakeTmdb();

    const report = await service(tmdb.source).enforceAgeLimit();

    expect(report).toEqual({ deleted: 2, refreshed: 0, failed: 0, notFound: [], moreDue: false });
    expect([...(await stored([1, 2, 3, 4, 5])).keys()].sort()).toEqual([2, 3, 5]);
    expect(tmdb.calls).toEqual([]);
  });

  it('refreshes old films that member data points to, whichever table points, instead of deleting them', async () => {
    for (let id = 11; id <= 18; id++) await film(id, OLD);
    await insert(`INSERT INTO ratings (user_id, movie_id, score, rated_at) VALUES (:user, 11, 4, :at)`);
    await insert(
      `INSERT INTO watch_log (user_id, movie_id, watched_on, created_at) VALUES (:user, 12, '2026-11-01', :at)`,
    );
    await insert(`INSERT INTO watchlist (user_id, movie_id, added_at) VALUES (:user, 13, :at)`);
    await insert(
      `INSERT INTO feedback (user_id, movie_id, value, created_at, updated_at) VALUES (:user, 14, 1, :at, :at)`,
    );
    await insert(
      `INSERT INTO recommendation_messages (message_id, guild_id, channel_id, audience, created_at) VALUES ('500', :guild, '600', 'group', :at)`,
    );
    await insert(
      `INSERT INTO recommendation_items (message_id, position, movie_id, source, score) VALUES ('500', 0, 15, 'group', 1)`,
    );
    await insert(
      `INSERT INTO movie_nights (id, guild_id, channel_id, status, winner_movie_id, created_at) VALUES (1, :guild, '600', 'closed', 16, :at)`,
    );
    await insert(`INSERT INTO movie_night_candidates (night_id, position, movie_id) VALUES (1, 0, 17)`);
    await insert(`INSERT INTO movie_night_votes (night_id, user_id, movie_id, voted_at) VALUES (1, :user, 18, :at)`);
    await film(19, OLD);
    const tmdb = fakeTmdb();

    const report = await service(tmdb.source).enforceAgeLimit();

    expect(report).toEqual({ deleted: 1, refreshed: 8, failed: 0, notFound: [], moreDue: false });
    const movies = await stored([11, 12, 13, 14, 15, 16, 17, 18, 19]);
    expect(movies.has(19)).toBe(false);
    for (let id = 11; id <= 18; id++) {
      expect(movies.get(id)).toMatchObject({
        title: `Film ${id} (refreshed)`,
        runtime: 99,
        fetchedAt: NOW,
        detailsFetchedAt: NOW,
      });
    }
  });

  it('refreshes referenced films from 150 days on, a bounded batch per run, oldest data first, and says more are due', async () => {
    await film(21, AGEING);
    await film(22, OLD);
    await film(23, daysAgo(200));
    await film(24, RECENT);
    for (const id of [21, 22, 23, 24]) {
      await insert(`INSERT INTO ratings (user_id, movie_id, score, rated_at) VALUES (:user, :id, 4, :at)`, { id });
    }
    const tmdb = fakeTmdb();

    const first = await service(tmdb.source, { refreshBatchSize: 2 }).enforceAgeLimit();
    expect(first).toMatchObject({ refreshed: 2, moreDue: true });
    expect(tmdb.calls).toEqual([22, 23]);

    const second = await service(tmdb.source, { refreshBatchSize: 2 }).enforceAgeLimit();
    expect(second).toMatchObject({ refreshed: 1, moreDue: false });
    expect(tmdb.calls).toEqual([22, 23, 21]);
    expect((await stored([24])).get(24)?.fetchedAt).toEqual(RECENT);
  });

  it('keeps a referenced film TMDB no longer has as it is, and reports it', async () => {
    await film(31, OLD);
    await film(32, OLD);
    for (const id of [31, 32]) {
      await insert(`INSERT INTO ratings (user_id, movie_id, score, rated_at) VALUES (:user, :id, 4, :at)`, { id });
    }

    const report = await service(fakeTmdb(new Map([[31, notFound(31)]])).source).enforceAgeLimit();

    expect(report).toMatchObject({ refreshed: 1, notFound: [31], failed: 0 });
    expect((await stored([31])).get(31)).toMatchObject({ title: 'Film 31', fetchedAt: OLD });
  });

  it('stops refreshing after TMDB fails several times in a row', async () => {
    const down = new TmdbError('server error', { kind: 'server', path: 'movie', status: 503 });
    for (const id of [41, 42, 43, 44]) {
      await film(id, OLD);
      await insert(`INSERT INTO ratings (user_id, movie_id, score, rated_at) VALUES (:user, :id, 4, :at)`, { id });
    }
    const tmdb = fakeTmdb(new Map([41, 42, 43, 44].map((id) => [id, down] as const)));

    const report = await service(tmdb.source, { maxConsecutiveFailures: 2 }).enforceAgeLimit();

    expect(report).toMatchObject({ refreshed: 0, failed: 2 });
    expect(tmdb.calls).toEqual([41, 42]);
  });

  it('starts no further TMDB request once its signal fires', async () => {
    for (const id of [51, 52, 53]) {
      await film(id, OLD);
      await insert(`INSERT INTO ratings (user_id, movie_id, score, rated_at) VALUES (:user, :id, 4, :at)`, { id });
    }
    const controller = new AbortController();
    const calls: number[] = [];
    const tmdb: TmdbDetailsSource = {
      async movieDetails(tmdbId): Promise<MovieDetails> {
        calls.push(tmdbId);
        controller.abort();
        return movieDetails(tmdbId);
      },
    };

    const report = await service(tmdb).enforceAgeLimit({ signal: controller.signal });

    expect(calls).toEqual([51]);
    expect(report).toMatchObject({ refreshed: 1, failed: 0, moreDue: false });
  });

  it('knows every foreign key that points at movies in the schema', async () => {
    const sql =
      test.db.dialect === 'postgres'
        ? `SELECT c.conrelid::regclass::text AS "table", a.attname AS "column"
             FROM pg_constraint c JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
            WHERE c.contype = 'f' AND c.confrelid = 'movies'::regclass`
        : `SELECT m.name AS "table", f."from" AS "column"
             FROM sqlite_master m, pragma_foreign_key_list(m.name) f
            WHERE m.type = 'table' AND f."table" = 'movies'`;
    const key = ({ table, column }: { table: string; column: string }) => `${table}.${column}`;
    const inSchema = await test.db.sequelize.query<{ table: string; column: string }>(sql, { type: QueryTypes.SELECT });
    expect(inSchema.map(key).sort()).toEqual(MOVIE_REFERENCES.map(key).sort());
  });
});
