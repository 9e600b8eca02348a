import { SequelizeStorage, Umzug, type MigrationParams, type RunnableMigration } from 'umzug';
import type { Logger } from '../logger.js';
import type { Database } from './database.js';
import { migrations } from '../../migrations/index.js';

export interface MigrationContext {
  sequelize: Database['sequelize'];
  dialect: Database['dialect'];
}
export type MigrationFn = (params: MigrationParams<MigrationContext>) => Promise<void>;
export type Migration = RunnableMigration<MigrationContext>;

/** Arbitrary but fixed key of the PostgreSQL advisory lock that serialises migrations across processes. */
const MIGRATION_LOCK_KEY = 7_305_118_224;

export function createMigrator(database: Database, logger: Logger): Umzug<MigrationContext> {
  return new Umzug({
    migrations,
    context: { sequelize: database.sequelize, dialect: database.dialect },
    storage: new SequelizeStorage({ sequelize: database.sequelize, tableName: 'marquee_migrations' }),
    logger: {
      info: (event) => logger.info(event, 'migration'),
      warn: (event) => logger.warn(event, 'migration'),
      error: (event) => logger.error(event, 'migration'),
      debug: (event) => logger.debug(event, 'migration'),
    },
  });
}

/**
 * Runs `work` while holding the migration lock. On PostgreSQL that is a transaction-scoped advisory lock,
 * so two processes starting together migrate one after the other; the second then finds nothing pending.
 * SQLite has no such lock: there, migrate from a single process before others start (`npm start` migrates
 * before it logs in).
 */
export async function withMigrationLock<T>(database: Database, work: () => Promise<T>): Promise<T> {
  if (database.dialect !== 'postgres') return work();
  return database.sequelize.transaction(async (transaction) => {
    await database.sequelize.query('SELECT pg_advisory_xact_lock(:key)', {
      replacements: { key: MIGRATION_LOCK_KEY },
      transaction,
    });
    return work();
  });
}

/** Brings the schema up to date; what `npm start` does first. */
export async function migrateUp(database: Database, logger: Logger): Promise<void> {
  const migrator = createMigrator(database, logger);
  await withMigrationLock(database, () => migrator.up());
}
