import type { MigrationFn } from '../src/db/migrator.js';
import { childrenFirst, JOB_RUN_TABLES } from './tables.js';

/**
 * Claims and records of scheduled job runs (src/jobs). The primary key (job, due_at) is the claim: the
 * first process to insert a slot runs it, every later insert for that slot does nothing. The index on
 * due_at serves pruning.
 */
export const up: MigrationFn = async ({ context: { sequelize, dialect } }) => {
  const ts = dialect === 'postgres' ? 'TIMESTAMP WITH TIME ZONE' : 'DATETIME';
  const statements = [
    `CREATE TABLE job_runs (
      job VARCHAR(64) NOT NULL,
      due_at ${ts} NOT NULL,
      started_at ${ts} NOT NULL,
      finished_at ${ts},
      outcome VARCHAR(16) NOT NULL CONSTRAINT job_runs_outcome CHECK (outcome IN ('running', 'succeeded', 'failed', 'skipped')),
      error TEXT,
      claimed_by VARCHAR(255),
      PRIMARY KEY (job, due_at)
    )`,
    `CREATE INDEX job_runs_due_at ON job_runs (due_at)`,
  ];
  await sequelize.transaction(async (transaction) => {
    for (const sql of statements) await sequelize.query(sql, { transaction });
  });
};

/** Drops the table; its index goes with it. */
export const down: MigrationFn = async ({ context: { sequelize } }) => {
  for (const table of childrenFirst(JOB_RUN_TABLES)) await sequelize.query(`DROP TABLE ${table}`);
};
