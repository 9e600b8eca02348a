import type { Logger } from '../logger.js';
import type { CatchUpPolicy } from './catch-up.js';

/** What a job's run gets: its slot, a signal that fires when the process is stopping, a logger with `{ job, dueAt }`. */
export interface JobContext {
  dueAt: Date;
  /** Fires on `stop()`: finish or put down the current piece of work, start no new one. */
  signal: AbortSignal;
  log: Logger;
}

/** One scheduled job: when (cron + zone), how it treats lateness, and the use case it calls. */
export interface JobDefinition {
  /** The key its runs are claimed and recorded under (`job_runs.job`, at most 64 characters); never rename lightly. */
  name: string;
  /** Five fields, minute precision (see cron.ts). */
  cron: string;
  /** IANA zone the expression is read in; `UTC` for jobs that should ignore daylight saving. */
  timeZone: string;
  catchUp: CatchUpPolicy;
  /**
   * When the job came to be (a movie-night schedule's creation). With no run recorded, a slot after this instant
   * missed while no process ran is caught up by the policy; without it such a job starts at its next slot.
   */
  since?: Date;
  run(context: JobContext): Promise<void>;
  /**
   * Called once, by the process that recorded the skip, for a slot the catch-up policy declined: for follow-up
   * work that is still due although the slot's own work is not (announcing the next slot). Its failure is logged.
   */
  skipped?(context: JobContext): Promise<void>;
}

export const JOB_RUN_OUTCOMES = ['running', 'succeeded', 'failed', 'skipped'] as const;
export type JobRunOutcome = (typeof JOB_RUN_OUTCOMES)[number];

/** A claimed slot and what became of it. `running` with no `finishedAt` after the process died stays as it is. */
export interface JobRun {
  job: string;
  dueAt: Date;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: JobRunOutcome;
  error: string | null;
  /** `host:pid` of the process that claimed it. */
  claimedBy: string | null;
}

export interface JobClaim {
  job: string;
  dueAt: Date;
  startedAt: Date;
  claimedBy: string;
  /** `skipped` records a slot the catch-up policy declined, so other processes decline it without asking. */
  outcome: 'running' | 'skipped';
  error?: string;
}

export interface JobRunEnd {
  job: string;
  dueAt: Date;
  finishedAt: Date;
  outcome: 'succeeded' | 'failed';
  error: string | null;
}

/**
 * Durable claims, one row per (job, slot) under a unique key: the first insert wins and every other
 * process's insert for that slot is a no-op, however late it comes. src/db/repositories/job-runs.ts
 * implements it on SQLite and PostgreSQL alike.
 */
export interface JobRunStore {
  /** True when this call inserted the row, false when the slot was already claimed. */
  claim(claim: JobClaim): Promise<boolean>;
  finish(end: JobRunEnd): Promise<void>;
  /** Gives back a claim taken while the process began stopping, before the job started. */
  release(job: string, dueAt: Date): Promise<void>;
  /** The latest claimed slot of the job (run, failed or skipped), or null when none is recorded. */
  lastDueAt(job: string): Promise<Date | null>;
  /** Deletes rows due before `before`, always keeping each job's latest. Returns how many went. */
  prune(before: Date): Promise<number>;
  /** Deletes every row of these jobs (jobs that no longer exist, such as a deleted schedule's). Returns how many went. */
  forget(jobs: readonly string[]): Promise<number>;
}
