import type { Sequelize, Transaction } from 'sequelize';

let wrap: (transaction: Transaction) => Tx;
let unwrap: (tx: Tx) => Transaction;

/**
 * A unit of work in progress. Services get one from `unitOfWork` and hand it back to repository methods
 * (`{ tx }`), so those reads and writes commit or roll back together. Only repositories can see the
 * database transaction inside; services may only ask to hear about the commit.
 */
export class Tx {
  readonly #transaction: Transaction;

  private constructor(transaction: Transaction) {
    this.#transaction = transaction;
  }

  /** Runs `callback` once the unit of work has committed; never after a rollback. */
  afterCommit(callback: () => void): void {
    this.#transaction.afterCommit(() => callback());
  }

  static {
    wrap = (transaction) => new Tx(transaction);
    unwrap = (tx) => tx.#transaction;
  }
}

/**
 * Runs `work` in one database transaction: committed when it resolves, rolled back when it throws. On SQLite
 * units of work (and writes outside them) run one at a time in this process (./sqlite-writer.ts), and a lock
 * held by another process past the busy timeout is retried, then thrown as DatabaseBusyError (a refusal the
 * member sees); PostgreSQL runs them side by side at READ COMMITTED. Never open one inside another, and never
 * write without `{ tx }` inside one: pass the `Tx` down instead.
 */
export type UnitOfWork = <Result>(work: (tx: Tx) => Promise<Result>) => Promise<Result>;

export function createUnitOfWork(sequelize: Sequelize): UnitOfWork {
  return (work) => sequelize.transaction((transaction) => work(wrap(transaction)));
}

/** What repository methods accept: inside a unit of work, or on their own. */
export interface TxOptions {
  tx?: Tx | undefined;
}

/** Sequelize's options for a query that belongs to `tx` (none outside a unit of work). For repositories only. */
export function inTx(tx: Tx | undefined): { transaction?: Transaction } {
  return tx ? { transaction: unwrap(tx) } : {};
}
