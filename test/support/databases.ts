import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import pg from 'pg';
import type { DatabaseTarget } from '../../src/config.js';
import { childrenFirst, TABLES } from '../../migrations/tables.js';
import { createDatabase, type Database } from '../../src/db/database.js';
import { migrateUp } from '../../src/db/migrator.js';
import { createLogger } from '../../src/logger.js';

export type DatabaseKind = 'sqlite' | 'postgres';

/**
 * The databases every database test runs on: SQLite always; PostgreSQL when `TEST_DATABASE_URL` names a
 * server the tests may create and drop databases in. CI sets it, and there it is required.
 */
export function databaseKinds(): DatabaseKind[] {
  if (process.env.TEST_DATABASE_URL) return ['sqlite', 'postgres'];
  if (process.env.CI) throw new Error('CI must set TEST_DATABASE_URL so the PostgreSQL tests run');
  return ['sqlite'];
}

export interface TestDatabase {
  target: DatabaseTarget;
  db: Database;
  /** Closes the connection and removes the file or database. */
  destroy(): Promise<void>;
}

async function withAdminClient<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A fresh, empty database of its own (a temp SQLite file, or a new PostgreSQL database) for one test file. */
export async function createEmptyTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const silent = createLogger({ level: 'silent' });
  if (kind === 'sqlite') {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'marquee-test-'));
    const storage = path.join(dir, 'test.sqlite');
    const target: DatabaseTarget = { dialect: 'sqlite', storage, url: `sqlite://${storage}` };
    const db = createDatabase(target, silent);
    return {
      target,
      db,
      destroy: async () => {
        await db.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `marquee_test_${randomUUID().replaceAll('-', '')}`;
  await withAdminClient((client) => client.query(`CREATE DATABASE ${name}`));
  const url = new URL(process.env.TEST_DATABASE_URL ?? '');
  url.pathname = `/${name}`;
  const target: DatabaseTarget = { dialect: 'postgres', url: url.toString() };
  const db = createDatabase(target, silent);
  return {
    target,
    db,
    destroy: async () => {
      await db.close();
      await withAdminClient((client) => client.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}

/** A fresh database with every migration applied. */
export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  const test = await createEmptyTestDatabase(kind);
  await migrateUp(test.db, createLogger({ level: 'silent' }));
  return test;
}

/** Empties every table, children first, for test files that share one database between tests. */
export async function emptyAllTables(db: Database): Promise<void> {
  for (const table of childrenFirst(TABLES)) await db.sequelize.query(`DELETE FROM ${table}`);
}
