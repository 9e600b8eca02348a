/**
 * npm run migrate -- up            apply every pending migration
 * npm run migrate -- down [--to X]  revert the last migration; with --to NAME, every one back to and including NAME; --to 0, all
 * npm run migrate -- status        list executed and pending migrations
 */
import { parseArgs } from 'node:util';
import { loadConfig, loadDotEnv } from '../src/config.js';
import { createDatabase } from '../src/db/database.js';
import { createMigrator, withMigrationLock } from '../src/db/migrator.js';
import { createLogger } from '../src/logger.js';
import { runScript } from './lib/run-script.js';

await runScript(async () => {
  const { positionals, values } = parseArgs({ allowPositionals: true, options: { to: { type: 'string' } } });
  const command = positionals[0] ?? 'status';
  if (!['up', 'down', 'status'].includes(command)) {
    throw new Error(`Unknown command "${command}": use up, down [--to 0|NAME] or status`);
  }
  loadDotEnv();
  const config = loadConfig(process.env);
  const logger = createLogger({ level: config.logLevel });
  const database = createDatabase(config.database, logger);
  try {
    const migrator = createMigrator(database, logger);
    if (command === 'up') {
      const applied = await withMigrationLock(database, () => migrator.up());
      console.log(applied.length ? `Applied ${applied.map((m) => m.name).join(', ')}` : 'Already up to date');
    } else if (command === 'down') {
      const to = values.to === '0' ? 0 : values.to;
      const reverted = await withMigrationLock(database, () => migrator.down(to === undefined ? {} : { to }));
      console.log(reverted.length ? `Reverted ${reverted.map((m) => m.name).join(', ')}` : 'Nothing to revert');
    } else {
      for (const m of await migrator.executed()) console.log(`executed  ${m.name}`);
      for (const m of await migrator.pending()) console.log(`pending   ${m.name}`);
    }
  } finally {
    await database.close();
  }
}, 'npm run migrate');
