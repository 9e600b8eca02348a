import { mkdirSync } from 'node:fs';
import path from 'node:path';
import sqlite3 from 'sqlite3';
import type { DatabaseTarget } from '../../src/config.js';

export interface BackupResult {
  file: string;
  pages: number;
  /** What `PRAGMA integrity_check` said of the copy: `ok`. */
  integrity: string;
}

/** node-sqlite3's Backup (its type definitions leave it out). */
interface SqliteBackup {
  step(pages: number, callback: (error: Error | null) => void): void;
  finish(callback: () => void): void;
  readonly completed: boolean;
  readonly failed: boolean;
  readonly pageCount: number;
}

/** Attempts when another connection holds a lock the copy must wait for (SQLITE_BUSY / LOCKED). */
const BUSY_ATTEMPTS = 50;
const BUSY_WAIT_MS = 100;

function open(file: string, mode: number): Promise<sqlite3.Database> {
  return new Promise((resolve, reject) => {
    const db = new sqlite3.Database(file, mode, (error) => (error ? reject(error) : resolve(db)));
  });
}

const close = (db: sqlite3.Database) =>
  new Promise<void>((resolve, reject) => db.close((error) => (error ? reject(error) : resolve())));

/**
 * Copies a live SQLite database with SQLite's online backup API (node-sqlite3's `Database#backup`): every page in one
 * step, a consistent snapshot of one moment even while the bot writes (in WAL mode the copy reads as any reader does
 * and blocks no writer). The copy is then checked with `PRAGMA integrity_check`.
 */
export async function backupSqlite(source: string, out: string): Promise<BackupResult> {
  mkdirSync(path.dirname(path.resolve(out)), { recursive: true });
  const db = await open(source, sqlite3.OPEN_READWRITE);
  let pages: number;
  try {
    const backup = (db as unknown as { backup(file: string): SqliteBackup }).backup(out);
    for (let attempt = 1; ; attempt++) {
      await new Promise<void>((resolve, reject) => backup.step(-1, (error) => (error ? reject(error) : resolve())));
      if (backup.completed) break;
      if (backup.failed || attempt >= BUSY_ATTEMPTS) throw new Error(`SQLite could not copy ${source} (busy)`);
      await new Promise((resolve) => setTimeout(resolve, BUSY_WAIT_MS));
    }
    pages = backup.pageCount;
    await new Promise<void>((resolve) => backup.finish(() => resolve()));
  } finally {
    await close(db);
  }
  const copy = await open(out, sqlite3.OPEN_READONLY);
  try {
    const rows = await new Promise<{ integrity_check: string }[]>((resolve, reject) =>
      copy.all('PRAGMA integrity_check', (error, result: { integrity_check: string }[]) =>
        error ? reject(error) : resolve(result),
      ),
    );
    return { file: out, pages, integrity: rows.map((row) => row.integrity_check).join('; ') };
  } finally {
    await close(copy);
  }
}

/** `backups/marquee-2026-03-01T04-15-00Z.sqlite`: sortable, and safe in every file system. */
export function defaultBackupFile(now: Date): string {
  return path.join('backups', `marquee-${now.toISOString().slice(0, 19).replaceAll(':', '-')}Z.sqlite`);
}

/** What to run for a PostgreSQL database (the password stays in DATABASE_URL or ~/.pgpass, never printed). */
export function postgresBackupAdvice(target: Extract<DatabaseTarget, { dialect: 'postgres' }>): string {
  const url = new URL(target.url);
  const where = `-h ${url.hostname} -p ${url.port || '5432'} -U ${decodeURIComponent(url.username) || 'postgres'}`;
  const name = url.pathname.slice(1) || 'postgres';
  return [
    'DATABASE_URL is PostgreSQL: back it up with pg_dump, which is consistent while the bot runs:',
    `  pg_dump ${where} -Fc -f marquee.dump ${name}`,
    'and restore into an empty database with:',
    `  pg_restore ${where} -d ${name} --clean --if-exists marquee.dump`,
    '(README.md, "Backups", has the details.)',
  ].join('\n');
}
