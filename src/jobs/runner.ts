import { hostname } from 'node:os';
import type { Logger } from '../logger.js';
import { decideCatchUp, describeCatchUp } from './catch-up.js';
import type { Clock } from './clock.js';
import { parseCron, previousFireTime } from './cron.js';
import type { Scheduler } from './scheduler.js';
import { isTimeZone } from './time-zone.js';
import type { JobDefinition, JobRunStore } from './types.js';
import { DAY_MS } from '../time.js';

const MAX_ERROR_LENGTH = 2_000;
const MAX_JOB_NAME_LENGTH = 64;

export interface JobRunnerSettings {
  /** How long `stop()` waits for runs in progress; keep it under the platform's kill grace (Docker: 10 s). */
  stopTimeoutMs: number;
  /** `job_runs` rows due longer ago than this are pruned after each run; each job's latest row always stays. */
  retentionMs: number;
  /** Recorded as `claimed_by`, so an operator sees which process ran a slot. */
  owner: string;
}

export interface JobRunnerOptions extends Partial<JobRunnerSettings> {
  repo: JobRunStore;
  scheduler: Scheduler;
  clock: Clock;
  logger: Logger;
  jobs: readonly JobDefinition[];
}

export const JOB_RUNNER_DEFAULTS = {
  stopTimeoutMs: 8_000,
  retentionMs: 30 * DAY_MS,
  owner: `${hostname()}:${process.pid}`,
} as const satisfies Required<JobRunnerSettings>;

export interface StopReport {
  /** Jobs still running when the bound ran out; their rows stay `running` (nobody reruns them). */
  unfinished: string[];
}

export interface JobRunner {
  /** Schedules every job, then catches up each one's latest missed slot by its policy. Runs go on in the background. */
  start(): Promise<void>;
  /**
   * Adds a job, or replaces the one of that name (its next slot is worked out anew; a run in progress finishes).
   * Before `start` the job is caught up with the others; once started it begins at its next slot. Throws on a bad
   * name, expression or zone; ignored once stopping.
   */
  put(job: JobDefinition): void;
  /** Takes a job off the schedule (a run in progress finishes). False when no job of that name was there. */
  remove(name: string): boolean;
  /** The names of the jobs on the schedule. */
  names(): string[];
  /** Stops new runs, signals running ones, and waits for them up to `stopTimeoutMs`. Safe to call twice. */
  stop(): Promise<StopReport>;
  /** Resolves once no run is in progress (for tests and one-shot scripts). */
  whenIdle(): Promise<void>;
}

function checkJob(job: JobDefinition): void {
  if (job.name.length === 0 || job.name.length > MAX_JOB_NAME_LENGTH) {
    throw new RangeError(`job name "${job.name}" must have 1-${MAX_JOB_NAME_LENGTH} characters`);
  }
  parseCron(job.cron);
  if (!isTimeZone(job.timeZone)) throw new RangeError(`job ${job.name}: unknown time zone "${job.timeZone}"`);
}

function checkJobs(jobs: readonly JobDefinition[]): void {
  const names = new Set<string>();
  for (const job of jobs) {
    checkJob(job);
    if (names.has(job.name)) throw new Error(`two jobs are named ${job.name}`);
    names.add(job.name);
  }
}

function describeError(error: unknown): string {
  const text = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  return text.length > MAX_ERROR_LENGTH ? `${text.slice(0, MAX_ERROR_LENGTH - 1)}…` : text;
}

/**
 * Runs each job at its slots, exactly once across every process sharing the database: a run first
 * inserts its claim (job, slot) and only the process whose insert went in runs it. A timer that fires a
 * second late finds the row and does nothing; an advisory lock would have been free again by then.
 */
export function createJobRunner(options: JobRunnerOptions): JobRunner {
  const { repo, scheduler, clock, logger } = options;
  const { stopTimeoutMs, retentionMs, owner } = { ...JOB_RUNNER_DEFAULTS, ...options };
  checkJobs(options.jobs);
  const jobs = new Map(options.jobs.map((job) => [job.name, job]));

  let state: 'idle' | 'started' | 'stopping' | 'stopped' = 'idle';
  let stopping: Promise<StopReport> | undefined;
  const stopController = new AbortController();
  /** The run (claim included) in progress per job; a slot that comes while one runs is left to other processes. */
  const running = new Map<string, Promise<void>>();

  async function prune(): Promise<void> {
    try {
      const pruned = await repo.prune(new Date(clock.now().getTime() - retentionMs));
      if (pruned > 0) logger.debug({ pruned }, 'pruned old job runs');
    } catch (error) {
      logger.warn({ err: error }, 'could not prune old job runs');
    }
  }

  async function execute(job: JobDefinition, dueAt: Date, trigger: 'scheduled' | 'catch-up'): Promise<void> {
    const log = logger.child({ job: job.name, dueAt });
    const now = clock.now();
    const decision = decideCatchUp(job.catchUp, dueAt, now);
    if (decision.action === 'skip') {
      const claim = {
        job: job.name,
        dueAt,
        startedAt: now,
        claimedBy: owner,
        outcome: 'skipped',
        error: decision.reason,
      } as const;
      if (await repo.claim(claim)) {
        log.warn({ trigger, reason: decision.reason, catchUp: describeCatchUp(job.catchUp) }, 'slot skipped');
        await job
          .skipped?.({ dueAt, signal: stopController.signal, log })
          .catch((thrown: unknown) => log.error({ err: thrown }, 'follow-up of a skipped slot failed'));
      }
      return;
    }
    if (!(await repo.claim({ job: job.name, dueAt, startedAt: now, claimedBy: owner, outcome: 'running' }))) {
      log.debug({ trigger }, 'slot already claimed by another process');
      return;
    }
    if (stopController.signal.aborted) {
      // Claimed while stop() began: give the slot back so the next start catches it up.
      await repo.release(job.name, dueAt);
      log.info({ trigger }, 'stopping; claim given back');
      return;
    }
    log.info({ trigger, lateMs: now.getTime() - dueAt.getTime() }, 'job started');
    let outcome: 'succeeded' | 'failed' = 'succeeded';
    let error: string | null = null;
    try {
      await job.run({ dueAt, signal: stopController.signal, log });
    } catch (thrown) {
      outcome = 'failed';
      error = describeError(thrown);
      log.error({ err: thrown }, 'job failed');
    }
    const finishedAt = clock.now();
    await repo.finish({ job: job.name, dueAt, finishedAt, outcome, error });
    log.info({ outcome, durationMs: finishedAt.getTime() - now.getTime() }, 'job finished');
    await prune();
  }

  function trigger(job: JobDefinition, dueAt: Date, kind: 'scheduled' | 'catch-up'): void {
    if (state !== 'started') return;
    if (running.has(job.name)) {
      logger.warn({ job: job.name, dueAt }, 'previous run still going; this slot is left to other processes');
      return;
    }
    const run = execute(job, dueAt, kind)
      .catch((error: unknown) =>
        logger.error({ err: error, job: job.name, dueAt }, 'could not claim or record a job run'),
      )
      .finally(() => running.delete(job.name));
    running.set(job.name, run);
  }

  async function catchUp(job: JobDefinition): Promise<void> {
    try {
      const last = (await repo.lastDueAt(job.name)) ?? job.since ?? null;
      if (last === null) {
        logger.info({ job: job.name }, 'no run recorded yet; the job starts at its next slot');
        return;
      }
      const slot = previousFireTime(job.cron, job.timeZone, clock.now());
      if (slot.getTime() > last.getTime()) trigger(job, slot, 'catch-up');
    } catch (error) {
      logger.error({ err: error, job: job.name }, 'could not check for a missed slot');
    }
  }

  function schedule(job: JobDefinition): void {
    scheduler.schedule(job.name, job.cron, job.timeZone, (dueAt) => trigger(job, dueAt, 'scheduled'));
  }

  return {
    async start() {
      if (state !== 'idle') throw new Error(`job runner already ${state}`);
      state = 'started';
      const all = [...jobs.values()];
      for (const job of all) schedule(job);
      await Promise.all(all.map(catchUp));
      // The first names only: a bot with thousands of scheduled nights would log them all.
      logger.info({ count: jobs.size, jobs: [...jobs.keys()].slice(0, 20) }, 'jobs scheduled');
    },

    put(job) {
      checkJob(job);
      if (state === 'stopping' || state === 'stopped') return;
      const replaced = jobs.has(job.name);
      jobs.set(job.name, job);
      if (state !== 'started') return;
      scheduler.unschedule(job.name);
      schedule(job);
      logger.info({ job: job.name, cron: job.cron, timeZone: job.timeZone }, replaced ? 'job replaced' : 'job added');
    },

    remove(name) {
      const removed = jobs.delete(name);
      if (removed && state === 'started') {
        scheduler.unschedule(name);
        logger.info({ job: name }, 'job removed');
      }
      return removed;
    },

    names() {
      return [...jobs.keys()];
    },

    stop() {
      stopping ??= (async () => {
        state = 'stopping';
        scheduler.stop();
        stopController.abort();
        const pending = [...running.values()];
        let unfinished: string[] = [];
        if (pending.length > 0) {
          const bound = new AbortController();
          const finished = await Promise.race([
            Promise.all(pending).then(() => true),
            clock.sleep(stopTimeoutMs, bound.signal).then(() => false),
          ]);
          bound.abort();
          if (!finished) {
            unfinished = [...running.keys()];
            logger.warn({ unfinished, stopTimeoutMs }, 'stopped without waiting longer for running jobs');
          }
        }
        state = 'stopped';
        return { unfinished };
      })();
      return stopping;
    },

    async whenIdle() {
      while (running.size > 0) await Promise.all(running.values());
    },
  };
}
