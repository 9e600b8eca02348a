import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Sequelize, Transaction, type Options } from 'sequelize';
import type { DatabaseTarget } from '../config.js';
import type { Logger } from '../logger.js';
import { defineModels, type Models } from './models.js';
import { serializeSqliteWrites, type SqliteWriterOptions, type WriterQueue } from './sqlite-writer.js';

export interface Database {
  sequelize: Sequelize;
  models: Models;
  dialect: DatabaseTarget['dialect'];
  /** SQLite only: the queue its writes take one at a time (see sqlite-writer.ts). */
  writer?: WriterQueue;
  close(): Promise<void>;
}

export interface DatabaseOptions {
  /** SQLite's lock handling (busy timeout for other processes, retries); defaults in sqlite-writer.ts. */
  sqlite?: Omit<SqliteWriterOptions, 'logger'>;
}

export function createDatabase(target: DatabaseTarget, logger: Logger, options: DatabaseOptions = {}): Database {
  const common: Options = {
    logging: (sql) => logger.debug({ sql }, 'sql'),
    define: { underscored: true },
  };
  if (target.dialect === 'sqlite') {
    if (target.storage !== ':memory:') mkdirSync(path.dirname(target.storage), { recursive: true });
    const sequelize = new Sequelize({
      ...common,
      dialect: 'sqlite',
      storage: target.storage,
      // IMMEDIATE takes the write lock at BEGIN: the only statement that can wait on another process's lock.
      transactionType: Transaction.TYPES.IMMEDIATE,
      // No per-statement retry on SQLITE_BUSY: the writer queue retries whole writes, without holding a worker.
      retry: { max: 1 },
    });
    const writer = serializeSqliteWrites(sequelize, {
      ...options.sqlite,
      inMemory: target.storage === ':memory:',
      logger,
    });
    const models = defineModels(sequelize);
    return { sequelize, models, dialect: 'sqlite', writer, close: () => sequelize.close() };
  }
  const sequelize = new Sequelize(target.url, { ...common, dialect: 'postgres', pool: { max: 10 } });
  const models = defineModels(sequelize);
  return { sequelize, models, dialect: target.dialect, close: () => sequelize.close() };
}
