import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { FilmNotStoredError } from '../../src/db/film-reference.js';
import { createRepositories, type Repositories } from '../../src/db/repositories/index.js';
import { movieSummary, snowflake } from '../support/builders.js';
import { createTestDatabase, databaseKinds, emptyAllTables, type TestDatabase } from '../support/databases.js';

describe.each(databaseKinds())('units of work and film references on %s', (kind) => {
  let test: TestDatabase;
  let repos: Repositories;
  const alice = snowflake(10);
  const t0 = new Date('2026-01-01T00:00:00Z');
  const unstored = 999;

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    repos = createRepositories(test.db);
  });
  afterAll(() => test.destroy());
  beforeEach(async () => {
    await emptyAllTables(test.db);
    await repos.movies.upsertSummaries([movieSummary(1)], t0);
  });

  const count = async (table: string) => {
    const [row] = await test.db.sequelize.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM ${table}`, {
      type: QueryTypes.SELECT,
    });
    return Number(row?.n);
  };

  it('commits every write of the unit together and tells afterCommit listeners afterwards', async () => {
    const heard: string[] = [];
    const result = await repos.unitOfWork(async (tx) => {
      await repos.users.ensure(alice, { tx });
      await repos.ratings.upsert({ userId: alice, movieId: 1, score: 4, ratedAt: t0 }, { tx });
      tx.afterCommit(() => heard.push('committed'));
      expect(heard).toEqual([]);
      return 'done';
    });
    expect(result).toBe('done');
    expect(heard).toEqual(['committed']);
    expect(await count('ratings')).toBe(1);
  });

  it('rolls back every write of the unit when it throws, and tells no listener', async () => {
    const heard: string[] = [];
    const attempt = repos.unitOfWork(async (tx) => {
      await repos.users.ensure(alice, { tx });
      await repos.ratings.upsert({ userId: alice, movieId: 1, score: 4, ratedAt: t0 }, { tx });
      tx.afterCommit(() => heard.push('committed'));
      throw new Error('changed my mind');
    });
    await expect(attempt).rejects.toThrow('changed my mind');
    expect(heard).toEqual([]);
    expect(await count('users')).toBe(0);
    expect(await count('ratings')).toBe(0);
  });

  it('refuses a rating, diary entry or watchlist film of a film without a movies row, through the foreign key', async () => {
    await repos.users.ensure(alice);
    await expect(
      repos.ratings.upsert({ userId: alice, movieId: unstored, score: 3, ratedAt: t0 }),
    ).rejects.toBeInstanceOf(FilmNotStoredError);
    await expect(
      repos.watchLog.add({ userId: alice, movieId: unstored, watchedOn: '2026-01-01', note: null }, t0),
    ).rejects.toBeInstanceOf(FilmNotStoredError);
    await expect(repos.watchlist.add(alice, unstored, t0)).rejects.toBeInstanceOf(FilmNotStoredError);
    for (const table of ['ratings', 'watch_log', 'watchlist']) expect(await count(table), table).toBe(0);
  });

  it('refuses the film inside a unit of work, which then rolls back what it wrote before', async () => {
    const attempt = repos.unitOfWork(async (tx) => {
      await repos.users.ensure(alice, { tx });
      await repos.ratings.upsert({ userId: alice, movieId: unstored, score: 3, ratedAt: t0 }, { tx });
    });
    await expect(attempt).rejects.toMatchObject({ name: 'FilmNotStoredError', movieId: unstored });
    expect(await count('users')).toBe(0);
  });

  it('does not blame the film when the missing parent is the member', async () => {
    const attempt = repos.ratings.upsert({ userId: snowflake(66), movieId: 1, score: 3, ratedAt: t0 });
    await expect(attempt).rejects.toMatchObject({ name: 'SequelizeForeignKeyConstraintError' });
    await expect(attempt).rejects.not.toBeInstanceOf(FilmNotStoredError);
  });
});
