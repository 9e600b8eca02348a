import type { MigrationFn } from '../src/db/migrator.js';
import { childrenFirst, IMPORT_TABLES } from './tables.js';

/**
 * One row per member whose import is running (src/services/imports.ts): the primary key is the claim that keeps it
 * to one import at a time per member across processes (the bot, other bot processes on PostgreSQL, and
 * `npm run import`). `run_id` names the import holding it; `heartbeat_at` moves while it runs, so a claim left by a
 * process that died can be taken after a while. Deleting the member (`/privacy delete`) deletes the claim, which
 * the running import notices before its next write.
 */
export const up: MigrationFn = async ({ context: { sequelize, dialect } }) => {
  const ts = dialect === 'postgres' ? 'TIMESTAMP WITH TIME ZONE' : 'DATETIME';
  await sequelize.query(`CREATE TABLE import_runs (
    user_id VARCHAR(20) PRIMARY KEY REFERENCES users(id) ON DELETE CASCADE,
    run_id VARCHAR(36) NOT NULL,
    started_at ${ts} NOT NULL,
    heartbeat_at ${ts} NOT NULL
  )`);
};

export const down: MigrationFn = async ({ context: { sequelize } }) => {
  for (const table of childrenFirst(IMPORT_TABLES)) await sequelize.query(`DROP TABLE ${table}`);
};
