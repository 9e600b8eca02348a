import { AsyncLocalStorage } from 'node:async_hooks';
import { QueryTypes, type QueryOptions, type Sequelize, type Transaction, type TransactionOptions } from 'sequelize';
import { sleep as realSleep } from '../deadline.js';
import { UserFacingError } from '../errors.js';
import type { Logger } from '../logger.js';

/**
 * One writer at a time on SQLite, inside the process.
 *
 * node-sqlite3 runs every statement on one of libuv's four worker threads. Left to itself, each Sequelize
 * transaction opens its own connection and its `BEGIN IMMEDIATE` sleeps on `busy_timeout` inside a worker
 * while another transaction holds the write lock; four such sleepers take every worker, and the holder can
 * no longer run the statement that would release the lock (nor can zlib inflate the gateway, nor DNS
 * resolve TMDB). So writes queue here, in JavaScript, where waiting costs no thread: the transaction's
 * statements and every write outside a transaction take the queue; reads never do (WAL lets them run beside
 * the writer). `busy_timeout` stays for a second process (a migration, a backup, the seed script).
 */
export interface WriterQueue {
  /** Runs `work` once no other write of this process runs. Called from work that holds the queue, it runs at once. */
  run<Result>(work: () => Promise<Result>): Promise<Result>;
  /** Takes the queue for work whose end is signalled later; call the returned function once to give it back. */
  acquire(): Promise<() => void>;
  /** Writes waiting for their turn. */
  readonly waiting: number;
}

export function createWriterQueue(): WriterQueue {
  const holderOf = new AsyncLocalStorage<symbol>();
  let holder: symbol | undefined;
  let tail: Promise<void> = Promise.resolve();
  let waiting = 0;

  /** Waits for every earlier taker to give the queue back (FIFO), then holds it. */
  async function take(): Promise<{ token: symbol; release: () => void }> {
    const previous = tail;
    let open!: () => void;
    tail = new Promise<void>((resolve) => (open = resolve));
    waiting++;
    await previous;
    waiting--;
    const token = Symbol('writer');
    holder = token;
    let released = false;
    return {
      token,
      release: () => {
        if (released) return;
        released = true;
        if (holder === token) holder = undefined;
        open();
      },
    };
  }

  return {
    async run(work) {
      // A write started by the holder's own work (a savepoint, a write in an afterCommit listener) must not wait on itself.
      const current = holderOf.getStore();
      if (current !== undefined && current === holder) return work();
      const { token, release } = await take();
      try {
        return await holderOf.run(token, work);
      } finally {
        release();
      }
    },
    async acquire() {
      const current = holderOf.getStore();
      if (current !== undefined && current === holder) return () => undefined;
      return (await take()).release;
    },
    get waiting() {
      return waiting;
    },
  };
}

/** SQLite stayed locked by another process past the busy timeout, on every attempt: nothing was written. */
export class DatabaseBusyError extends UserFacingError {
  constructor(options?: ErrorOptions) {
    super(
      'database-busy',
      "Marquee's database is busy (another program is using it); nothing was saved. Please try again in a moment.",
      options,
    );
  }
}

/** Whether a driver or Sequelize error is SQLite's "database is locked", at any depth of `parent`/`original`/`cause`. */
export function isSqliteBusy(error: unknown, depth = 0): boolean {
  if (!(error instanceof Error) || depth > 4) return false;
  const { code } = error as { code?: unknown };
  if (code === 'SQLITE_BUSY' || /SQLITE_BUSY/.test(error.message)) return true;
  const nested = error as { parent?: unknown; original?: unknown };
  return [nested.parent, nested.original, error.cause].some((inner) => isSqliteBusy(inner, depth + 1));
}

export interface SqliteWriterOptions {
  /** How long one statement waits on a lock held by another process before SQLITE_BUSY. */
  busyTimeoutMs?: number;
  /** Tries of a write that found the database locked by another process, the first included. */
  attempts?: number;
  /** Pause before each retry. */
  retryDelayMs?: number;
  /** Injected so tests move on without waiting. */
  sleep?: (ms: number) => Promise<void>;
  logger?: Logger | undefined;
}

export const SQLITE_WRITER_DEFAULTS = {
  busyTimeoutMs: 3_000,
  attempts: 3,
  retryDelayMs: 100,
  sleep: (ms: number) => realSleep(ms),
  logger: undefined,
} as const satisfies Required<Omit<SqliteWriterOptions, 'logger'>> & { logger: undefined };

interface SqliteConnection {
  configure(option: 'busyTimeout', value: number): void;
  run(sql: string, callback: (error: Error | null) => void): void;
}

function run(db: SqliteConnection, sql: string): Promise<void> {
  return new Promise<void>((resolve, reject) => db.run(sql, (error) => (error ? reject(error) : resolve())));
}

type QuerySql = string | { query: string; values: unknown[] };
type Query = (sql: QuerySql, options?: QueryOptions) => Promise<unknown>;
type TransactionFn = (
  options?: TransactionOptions | ((t: Transaction) => PromiseLike<unknown>),
  work?: (t: Transaction) => PromiseLike<unknown>,
) => Promise<unknown>;

/** Types of query that only read, and raw SQL that starts with SELECT (raw queries without a type). */
const READ_TYPES = new Set<string>([QueryTypes.SELECT, QueryTypes.SHOWTABLES, QueryTypes.DESCRIBE, 'SHOWINDEXES']);

function isRead(sql: QuerySql, options: QueryOptions | undefined): boolean {
  if (options?.type !== undefined && READ_TYPES.has(options.type)) return true;
  const text = typeof sql === 'string' ? sql : sql.query;
  return /^\s*SELECT\b/i.test(text);
}

/**
 * Puts `sequelize` (SQLite) behind a writer queue: transactions and writes outside them run one at a time,
 * each connection gets the busy timeout and the file WAL, a lock another process holds past the timeout is
 * retried and then thrown as DatabaseBusyError, and a transaction whose BEGIN never succeeded is not rolled
 * back (SQLite would answer "cannot rollback - no transaction is active" and hide the real error).
 * Sequelize's SQLite driver calls no `afterConnect` hook, so connections are configured as they are handed out.
 */
export function serializeSqliteWrites(
  sequelize: Sequelize,
  { inMemory, ...options }: SqliteWriterOptions & { inMemory: boolean },
): WriterQueue {
  const settings = { ...SQLITE_WRITER_DEFAULTS, ...options };
  const queue = createWriterQueue();
  const configured = new WeakSet<object>();
  let walSet = inMemory;

  const manager = sequelize.connectionManager;
  const getConnection = manager.getConnection.bind(manager);
  manager.getConnection = async (connectionOptions) => {
    const connection = await getConnection(connectionOptions);
    if (!configured.has(connection)) {
      configured.add(connection);
      const db = connection as unknown as SqliteConnection;
      db.configure('busyTimeout', settings.busyTimeoutMs);
      // In WAL, NORMAL syncs at checkpoints instead of at every commit (2-4 ms each here): a commit survives the
      // process being killed, and the file is never corrupted; a power cut may lose the last moments of commits.
      await run(db, 'PRAGMA synchronous = NORMAL');
      if (!walSet) {
        // Persistent in the file: once set, every later connection (and process) reads beside the writer.
        await run(db, 'PRAGMA journal_mode = WAL');
        walSet = true;
      }
    }
    return connection;
  };

  const queryInterface = sequelize.getQueryInterface();
  const begun = new WeakSet<Transaction>();
  const startTransaction = queryInterface.startTransaction.bind(queryInterface);
  queryInterface.startTransaction = async (transaction, queryOptions) => {
    await startTransaction(transaction, queryOptions);
    begun.add(transaction);
  };
  const rollbackTransaction = queryInterface.rollbackTransaction.bind(queryInterface);
  queryInterface.rollbackTransaction = async (transaction, queryOptions) => {
    if (begun.has(transaction)) await rollbackTransaction(transaction, queryOptions);
  };

  /** Runs a write, retrying it while another process holds the lock; only work that wrote nothing is retried. */
  async function withRetries<Result>(what: string, work: () => Promise<Result>): Promise<Result> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await work();
      } catch (error) {
        if (!isSqliteBusy(error)) throw error;
        if (attempt >= settings.attempts) throw new DatabaseBusyError({ cause: error });
        settings.logger?.warn({ attempt, what }, 'SQLite is locked by another process; retrying');
        await settings.sleep(settings.retryDelayMs * attempt);
      }
    }
  }

  const query = sequelize.query.bind(sequelize) as Query;
  const gatedQuery: Query = (sql, queryOptions) => {
    if (queryOptions?.transaction || isRead(sql, queryOptions)) return query(sql, queryOptions);
    return queue.run(() => withRetries('write', () => query(sql, queryOptions)));
  };

  const transaction = sequelize.transaction.bind(sequelize) as TransactionFn;
  const gatedTransaction: TransactionFn = async (first, second) => {
    const transactionOptions = typeof first === 'function' ? undefined : first;
    const work = typeof first === 'function' ? first : second;
    // A savepoint runs inside its parent, which holds the queue.
    if (transactionOptions?.transaction) return transaction(first, second);
    if (work) return queue.run(() => withRetries('transaction', () => transaction(transactionOptions ?? {}, work)));
    // Managed (e.g. findOrCreate without a transaction): the queue is given back when it commits or rolls back.
    const release = await queue.acquire();
    let managed: Transaction;
    try {
      managed = (await withRetries('transaction', () => transaction(transactionOptions))) as Transaction;
    } catch (error) {
      release();
      throw error;
    }
    const commit = managed.commit.bind(managed);
    const rollback = managed.rollback.bind(managed);
    managed.commit = () => commit().finally(release);
    managed.rollback = () => rollback().finally(release);
    return managed;
  };

  // The instance's own methods shadow the prototype's: models and the query interface call these.
  Object.assign(sequelize, { query: gatedQuery, transaction: gatedTransaction });
  return queue;
}
