/**
 * npm run backup -- [--out file]   a consistent copy of the SQLite database while the bot runs (default
 *                                  backups/marquee-<time>.sqlite); for PostgreSQL, prints the pg_dump command
 */
import { parseArgs } from 'node:util';
import { loadConfig, loadDotEnv } from '../src/config.js';
import { backupSqlite, defaultBackupFile, postgresBackupAdvice } from './lib/backup.js';
import { runScript } from './lib/run-script.js';

await runScript(async () => {
  const { values } = parseArgs({ options: { out: { type: 'string' } } });
  loadDotEnv();
  const { database } = loadConfig(process.env);
  if (database.dialect === 'postgres') {
    console.error(postgresBackupAdvice(database));
    process.exitCode = 1;
    return;
  }
  if (database.storage === ':memory:') throw new Error('DATABASE_URL is an in-memory database: nothing to back up');
  const out = values.out ?? defaultBackupFile(new Date());
  console.log(`Backing up ${database.storage} to ${out}…`);
  const { pages, integrity } = await backupSqlite(database.storage, out);
  if (integrity !== 'ok') throw new Error(`the copy failed PRAGMA integrity_check: ${integrity}`);
  console.log(`Backed up ${pages} pages to ${out} (integrity check: ok).`);
}, 'npm run backup');
