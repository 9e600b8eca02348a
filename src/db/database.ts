import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { Sequelize, Transaction, type Options } from 'sequelize';
import type { DatabaseTarget } from '../config.js';
import type { Logger } from '../logger.js';
import { defineModels, type Models } from './models.js';

export interface Database {
  sequelize: Sequelize;
  models: Models;
  dialect: DatabaseTarget['dialect'];
  close(): Promise<void>;
}

/** How long a SQLite writer waits for another's lock before SQLITE_BUSY; Sequelize retries on top of that. */
const SQLITE_BUSY_TIMEOUT_MS = 5_000;

interface SqliteConnection {
  configure(option: 'busyTimeout', value: number): void;
  run(sql: string, callback: (error: Error | null) => void): void;
}

export function createDatabase(target: DatabaseTarget, logger: Logger): Database {
  const common: Options = {
    logging: (sql) => logger.debug({ sql }, 'sql'),
    define: { underscored: true },
    retry: { max: 5, match: [/SQLITE_BUSY/] },
  };
  let sequelize: Sequelize;
  if (target.dialect === 'sqlite') {
    if (target.storage !== ':memory:') mkdirSync(path.dirname(target.storage), { recursive: true });
    sequelize = new Sequelize({
      ...common,
      dialect: 'sqlite',
      storage: target.storage,
      // IMMEDIATE takes the write lock at BEGIN, so two writers queue on busy_timeout instead of deadlocking.
      transactionType: Transaction.TYPES.IMMEDIATE,
      hooks: {
        afterConnect: async (connection) => {
          const db = connection as SqliteConnection;
          db.configure('busyTimeout', SQLITE_BUSY_TIMEOUT_MS);
          // Sequelize already turns foreign_keys on for each connection; WAL lets readers run beside a writer.
          if (target.storage !== ':memory:') {
            await new Promise<void>((resolve, reject) =>
              db.run('PRAGMA journal_mode = WAL', (error) => (error ? reject(error) : resolve())),
            );
          }
        },
      },
    });
  } else {
    sequelize = new Sequelize(target.url, { ...common, dialect: 'postgres', pool: { max: 10 } });
  }
  const models = defineModels(sequelize);
  return { sequelize, models, dialect: target.dialect, close: () => sequelize.close() };
}
