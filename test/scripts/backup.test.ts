import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { QueryTypes } from 'sequelize';
import sqlite3 from 'sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories } from '../../src/db/repositories/index.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = import.meta.resolve('tsx');

/** `npm run backup -- …` as a process of its own, as an operator runs it beside the bot. */
function backup(databaseUrl: string, args: string[], cwd: string) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, path.join(ROOT, 'scripts/backup.ts'), ...args], {
      cwd,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: databaseUrl },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

function query<Row>(file: string, sql: string): Promise<Row[]> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, sqlite3.OPEN_READONLY, (openError) => {
      if (openError) return reject(openError);
      db.all(sql, (error, rows: Row[]) => db.close(() => (error ? reject(error) : resolve(rows))));
    });
  });
}

describe('npm run backup on sqlite', () => {
  let database: TestDatabase;
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'marquee-backup-'));
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await database.destroy();
    rmSync(cwd, { recursive: true, force: true });
  });

  const count = async (table: string) => {
    const [row] = await database.db.sequelize.query<{ n: number }>(`SELECT COUNT(*) AS n FROM ${table}`, {
      type: QueryTypes.SELECT,
    });
    return Number(row?.n);
  };

  it('copies the database while a write loop runs: the copy passes integrity_check, its rows between before and after', async () => {
    const repos = createRepositories(database.db);
    const at = new Date('2026-03-01T12:00:00Z');
    await repos.movies.upsertSummaries(
      Array.from({ length: 50 }, (_, k) => ({
        tmdbId: k + 1,
        title: `Film ${k + 1}`,
        originalTitle: null,
        releaseDate: '2001-01-01',
        genreIds: [18],
        overview: 'x'.repeat(500),
        posterPath: null,
        popularity: 1,
        voteAverage: 7,
        voteCount: 10,
      })),
      at,
    );
    // The bot's own write path (unit of work, SQLite writer queue): one member and their ratings per round.
    let writing = true;
    let written = 0;
    const loop = (async () => {
      for (let user = 0; writing; user++) {
        const userId = String(840_000_000_000_000_000n + BigInt(user));
        await repos.unitOfWork(async (tx) => {
          await repos.users.ensure(userId, { tx });
          for (let movieId = 1; movieId <= 10; movieId++) {
            await repos.ratings.upsert({ userId, movieId, score: 4, ratedAt: at }, { tx });
          }
        });
        written++;
      }
    })();
    while (written < 20) await new Promise((resolve) => setImmediate(resolve));

    const before = { users: await count('users'), ratings: await count('ratings') };
    const out = path.join(cwd, 'copies', 'marquee.sqlite');
    const result = await backup(database.target.url, ['--out', out], cwd);
    const after = { users: await count('users'), ratings: await count('ratings') };
    writing = false;
    await loop;

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/Backed up \d+ pages to .*marquee\.sqlite \(integrity check: ok\)\./);
    expect(after.ratings).toBeGreaterThan(before.ratings);
    expect(await query<{ integrity_check: string }>(out, 'PRAGMA integrity_check')).toEqual([
      { integrity_check: 'ok' },
    ]);
    const [copied] = await query<{ users: number; ratings: number }>(
      out,
      'SELECT (SELECT COUNT(*) FROM users) AS users, (SELECT COUNT(*) FROM ratings) AS ratings',
    );
    expect(copied!.users).toBeGreaterThanOrEqual(before.users);
    expect(copied!.users).toBeLessThanOrEqual(after.users);
    expect(copied!.ratings).toBeGreaterThanOrEqual(before.ratings);
    expect(copied!.ratings).toBeLessThanOrEqual(after.ratings);
    // One moment's snapshot: every member copied has all ten of their ratings (each round is whole or absent).
    expect(copied!.ratings).toBe(copied!.users * 10);
  }, 60_000);
});

describe.each(databaseKinds().filter((kind) => kind === 'postgres'))('npm run backup on %s', () => {
  it('says how to back up with pg_dump and restore with pg_restore, without the password', async () => {
    const cwd = os.tmpdir();
    const result = await backup('postgres://marquee:s3cret@db.example:5433/marquee', [], cwd);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('pg_dump -h db.example -p 5433 -U marquee -Fc -f marquee.dump marquee');
    expect(result.stderr).toContain('pg_restore -h db.example -p 5433 -U marquee -d marquee --clean --if-exists');
    expect(result.stderr).not.toContain('s3cret');
  });
});
