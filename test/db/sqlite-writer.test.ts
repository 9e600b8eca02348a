import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import { QueryTypes } from 'sequelize';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type Database, type DatabaseOptions } from '../../src/db/database.js';
import { migrateUp } from '../../src/db/migrator.js';
import { createRepositories, type Repositories } from '../../src/db/repositories/index.js';
import { createWriterQueue, DatabaseBusyError, isSqliteBusy } from '../../src/db/sqlite-writer.js';
import { UserFacingError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { movieSummary, snowflake } from '../support/builders.js';

/** A promise settled from outside, so a test decides when a unit of work finishes. */
function deferred<Value = void>() {
  let resolve!: (value: Value) => void;
  const promise = new Promise<Value>((settle) => (resolve = settle));
  return { promise, resolve };
}

const ticks = async (count = 20) => {
  for (let i = 0; i < count; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe('the writer queue', () => {
  it('runs writes one at a time, in the order they arrived', async () => {
    const queue = createWriterQueue();
    const order: string[] = [];
    const gates = [deferred(), deferred(), deferred()];
    const runs = gates.map((gate, index) =>
      queue.run(async () => {
        order.push(`start ${index}`);
        await gate.promise;
        order.push(`end ${index}`);
      }),
    );
    await ticks();
    expect(order).toEqual(['start 0']);
    expect(queue.waiting).toBe(2);
    gates[2]!.resolve();
    gates[1]!.resolve();
    await ticks();
    expect(order).toEqual(['start 0']);
    gates[0]!.resolve();
    await Promise.all(runs);
    expect(order).toEqual(['start 0', 'end 0', 'start 1', 'end 1', 'start 2', 'end 2']);
    expect(queue.waiting).toBe(0);
  });

  it('lets the holder’s own work through at once, and gives the queue back when that work throws', async () => {
    const queue = createWriterQueue();
    const nested = await queue.run(() => queue.run(async () => 'inner ran'));
    expect(nested).toBe('inner ran');
    await expect(queue.run(async () => Promise.reject(new Error('broke')))).rejects.toThrow('broke');
    expect(await queue.run(async () => 'next')).toBe('next');
  });

  it('makes work the holder left running wait its turn once the holder is done', async () => {
    const queue = createWriterQueue();
    const later = deferred();
    let straggler: Promise<string> | undefined;
    await queue.run(async () => {
      // Started inside, but still running after the holder gave the queue back.
      straggler = later.promise.then(() => queue.run(async () => 'straggler ran'));
    });
    const other = deferred();
    const holding = queue.run(() => other.promise);
    later.resolve();
    await ticks();
    expect(queue.waiting).toBe(1);
    other.resolve();
    await holding;
    expect(await straggler).toBe('straggler ran');
  });

  it('hands a managed holder its release, once', async () => {
    const queue = createWriterQueue();
    const release = await queue.acquire();
    let ran = false;
    const waiting = queue.run(async () => (ran = true));
    await ticks();
    expect(ran).toBe(false);
    release();
    release();
    await waiting;
    expect(ran).toBe(true);
  });
});

describe('SQLite behind the writer queue', () => {
  let dir: string;
  let database: Database;
  let repos: Repositories;
  const t0 = new Date('2026-01-01T00:00:00Z');
  const file = () => path.join(dir, 'writer.sqlite');
  const silent = createLogger({ level: 'silent' });

  async function open(options: DatabaseOptions = {}): Promise<void> {
    database = createDatabase({ dialect: 'sqlite', storage: file(), url: `sqlite://${file()}` }, silent, options);
    await migrateUp(database, silent);
    repos = createRepositories(database);
    await repos.movies.upsertSummaries(
      Array.from({ length: 10 }, (_, index) => movieSummary(index + 1)),
      t0,
    );
  }

  /** Another process's connection to the same file. */
  async function otherProcess(): Promise<{ run(sql: string): Promise<void>; close(): Promise<void> }> {
    const db = new sqlite3.Database(file());
    const run = (sql: string) =>
      new Promise<void>((resolve, reject) => db.run(sql, (error: Error | null) => (error ? reject(error) : resolve())));
    return { run, close: () => new Promise<void>((resolve) => db.close(() => resolve())) };
  }

  const count = async (table: string) => {
    const [row] = await database.sequelize.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`, {
      type: QueryTypes.SELECT,
    });
    return Number(row?.n);
  };

  beforeEach(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'marquee-writer-'));
  });
  afterEach(async () => {
    await database.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('keeps the file in WAL mode, synchronous NORMAL, with a busy timeout for other processes', async () => {
    await open({ sqlite: { busyTimeoutMs: 1_234 } });
    const [mode] = await database.sequelize.query<{ journal_mode: string }>('PRAGMA journal_mode', {
      type: QueryTypes.SELECT,
    });
    const [busy] = await database.sequelize.query<{ timeout: number }>('PRAGMA busy_timeout', {
      type: QueryTypes.SELECT,
    });
    const [sync] = await database.sequelize.query<{ synchronous: number }>('PRAGMA synchronous', {
      type: QueryTypes.SELECT,
    });
    expect(mode?.journal_mode).toBe('wal');
    expect(busy?.timeout).toBe(1_234);
    // NORMAL (1): in WAL a commit is synced at the next checkpoint, not on its own.
    expect(sync?.synchronous).toBe(1);
  });

  it('stores 60 simultaneous units of work and writes outside them with no busy wait at all', async () => {
    // A busy timeout of 0 turns any wait on another connection's lock into an error: none may happen.
    await open({ sqlite: { busyTimeoutMs: 0, attempts: 1 } });
    await Promise.all(
      Array.from({ length: 60 }, async (_, index) => {
        const userId = snowflake(index);
        await repos.unitOfWork(async (tx) => {
          await repos.users.ensure(userId, { tx });
          await repos.ratings.upsert({ userId, movieId: (index % 10) + 1, score: 4, ratedAt: t0 }, { tx });
        });
        // A findOrCreate without a transaction opens one of its own (a managed one).
        await repos.guilds.touchMember(snowflake(900), userId, t0);
        await repos.watchlist.add(userId, (index % 10) + 1, t0);
      }),
    );
    expect(await count('ratings')).toBe(60);
    expect(await count('guild_members')).toBe(60);
    expect(await count('watchlist')).toBe(60);
  });

  it('lets reads run while a unit of work holds the writer', async () => {
    await open({ sqlite: { busyTimeoutMs: 0, attempts: 1 } });
    const finish = deferred();
    const inside = deferred();
    const unit = repos.unitOfWork(async (tx) => {
      await repos.users.ensure(snowflake(1), { tx });
      inside.resolve();
      await finish.promise;
    });
    await inside.promise;
    // Neither queued behind the open transaction nor refused by its lock.
    expect(await repos.movies.findByIds([1, 2])).toHaveLength(2);
    expect(await count('users')).toBe(0);
    finish.resolve();
    await unit;
    expect(await count('users')).toBe(1);
  });

  it('retries a unit of work while another process holds the lock, then says the database is busy', async () => {
    const pauses: number[] = [];
    await open({
      sqlite: { busyTimeoutMs: 5, attempts: 3, retryDelayMs: 100, sleep: async (ms) => void pauses.push(ms) },
    });
    const other = await otherProcess();
    await other.run('BEGIN IMMEDIATE');
    const attempt = repos.unitOfWork(async (tx) => repos.users.ensure(snowflake(1), { tx }));
    await expect(attempt).rejects.toBeInstanceOf(DatabaseBusyError);
    await expect(attempt).rejects.toBeInstanceOf(UserFacingError);
    await expect(attempt).rejects.toMatchObject({ code: 'database-busy' });
    // The cause is the lock, not a rollback of a transaction that never began.
    const error = await attempt.catch((caught: unknown) => caught);
    expect(isSqliteBusy((error as Error).cause)).toBe(true);
    expect(String((error as Error).cause)).not.toMatch(/cannot rollback/);
    expect(pauses).toEqual([100, 200]);
    await other.run('ROLLBACK');
    await other.close();
    expect(await count('users')).toBe(0);
    // The queue was given back: the next write goes through.
    await repos.users.ensure(snowflake(2));
    expect(await count('users')).toBe(1);
  });

  it('goes through once the other process lets go between tries', async () => {
    const other: { process?: Awaited<ReturnType<typeof otherProcess>> } = {};
    // The pause before the retry is when the other process commits.
    await open({ sqlite: { busyTimeoutMs: 5, attempts: 3, sleep: async () => other.process?.run('COMMIT') } });
    other.process = await otherProcess();
    await other.process.run('BEGIN IMMEDIATE');
    await repos.unitOfWork(async (tx) => repos.users.ensure(snowflake(3), { tx }));
    expect(await count('users')).toBe(1);
    await other.process.close();
  });

  it('says the database is busy for a write outside a unit of work as well', async () => {
    await open({ sqlite: { busyTimeoutMs: 5, attempts: 2, sleep: async () => undefined } });
    const other = await otherProcess();
    await other.run('BEGIN IMMEDIATE');
    await expect(repos.tombstones.prune(t0)).rejects.toBeInstanceOf(DatabaseBusyError);
    await other.run('ROLLBACK');
    await other.close();
  });
});
