import { QueryTypes, type Sequelize } from 'sequelize';
import { z } from 'zod';
import { JOB_RUN_OUTCOMES, type JobRun, type JobRunStore } from '../../jobs/types.js';

/** SQLite hands timestamps back as text (`2026-11-30 20:00:00.000 +00:00`), PostgreSQL as Dates. */
const timestamp = z.union([z.date(), z.string()]).transform((value, context) => {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) {
    context.addIssue({ code: 'custom', message: `not a timestamp: ${String(value)}` });
    return z.NEVER;
  }
  return date;
});

const jobRunRow = z.object({
  job: z.string(),
  due_at: timestamp,
  started_at: timestamp,
  finished_at: timestamp.nullable(),
  outcome: z.enum(JOB_RUN_OUTCOMES),
  error: z.string().nullable(),
  claimed_by: z.string().nullable(),
});

const toJobRun = (row: unknown): JobRun => {
  const parsed = jobRunRow.parse(row);
  return {
    job: parsed.job,
    dueAt: parsed.due_at,
    startedAt: parsed.started_at,
    finishedAt: parsed.finished_at,
    outcome: parsed.outcome,
    error: parsed.error,
    claimedBy: parsed.claimed_by,
  };
};

const maxDueAtRow = z.object({ due_at: timestamp.nullable() });

/**
 * Claims and records of scheduled runs. Raw SQL that both dialects read the same way: `INSERT … ON
 * CONFLICT DO NOTHING` (SQLite ≥ 3.24, PostgreSQL ≥ 9.5) and its count of inserted rows tell in one
 * statement whether this process won the slot, without a failed insert (PostgreSQL would log each losing
 * claim as an error, and abort a surrounding transaction). Timestamps go in as replacements, so Sequelize
 * writes them in the one format each dialect compares (SQLite compares its timestamps as text).
 */
export function createJobRunsRepository(sequelize: Sequelize) {
  const select = (sql: string, replacements: Record<string, unknown>) =>
    sequelize.query<Record<string, unknown>>(sql, { type: QueryTypes.SELECT, replacements });

  const store = {
    async claim({ job, dueAt, startedAt, claimedBy, outcome, error }) {
      const finishedAt = outcome === 'skipped' ? startedAt : null;
      const [, inserted] = await sequelize.query(
        `INSERT INTO job_runs (job, due_at, started_at, finished_at, outcome, error, claimed_by)
         VALUES (:job, :dueAt, :startedAt, :finishedAt, :outcome, :error, :claimedBy)
         ON CONFLICT (job, due_at) DO NOTHING`,
        {
          type: QueryTypes.INSERT,
          replacements: { job, dueAt, startedAt, finishedAt, outcome, error: error ?? null, claimedBy },
        },
      );
      return inserted === 1;
    },

    async finish({ job, dueAt, finishedAt, outcome, error }) {
      await sequelize.query(
        `UPDATE job_runs SET finished_at = :finishedAt, outcome = :outcome, error = :error
          WHERE job = :job AND due_at = :dueAt AND outcome = 'running'`,
        { replacements: { job, dueAt, finishedAt, outcome, error } },
      );
    },

    async release(job, dueAt) {
      await sequelize.query(`DELETE FROM job_runs WHERE job = :job AND due_at = :dueAt AND outcome = 'running'`, {
        replacements: { job, dueAt },
      });
    },

    async lastDueAt(job) {
      const [row] = await select(`SELECT MAX(due_at) AS due_at FROM job_runs WHERE job = :job`, { job });
      return row ? maxDueAtRow.parse(row).due_at : null;
    },

    async prune(before) {
      return sequelize.query(
        `DELETE FROM job_runs
          WHERE due_at < :before
            AND due_at < (SELECT MAX(latest.due_at) FROM job_runs latest WHERE latest.job = job_runs.job)`,
        { type: QueryTypes.BULKDELETE, replacements: { before } },
      );
    },

    async forget(jobs) {
      if (jobs.length === 0) return 0;
      return sequelize.query(`DELETE FROM job_runs WHERE job IN (:jobs)`, {
        type: QueryTypes.BULKDELETE,
        replacements: { jobs: [...jobs] },
      });
    },
  } satisfies JobRunStore;

  return {
    ...store,

    /** A job's runs, newest slot first: what an operator (or a test) reads. */
    async list(job: string, limit = 50): Promise<JobRun[]> {
      const rows = await select(
        `SELECT job, due_at, started_at, finished_at, outcome, error, claimed_by
           FROM job_runs WHERE job = :job ORDER BY due_at DESC LIMIT :limit`,
        { job, limit },
      );
      return rows.map(toJobRun);
    },
  };
}

export type JobRunsRepository = ReturnType<typeof createJobRunsRepository>;
