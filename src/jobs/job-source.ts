import type { Logger } from '../logger.js';
import { MINUTE_MS } from '../time.js';
import { describeCatchUp } from './catch-up.js';
import type { Clock } from './clock.js';
import type { JobRunner } from './runner.js';
import type { JobDefinition, JobRunStore } from './types.js';

/**
 * Jobs that come and go while the bot runs (one per scheduled movie night), read from where they live: the
 * database. Another process may add, change or remove one at any time, so every process reads its sources again
 * each minute; the process that made a change also refreshes at once. A job that was removed elsewhere but still
 * fires here before the next read is harmless: its run reads the current row first.
 */
export interface JobSource {
  /** Every name the source gives starts with this (`schedule:`); a job of that prefix no longer listed is removed. */
  readonly prefix: string;
  /** The jobs the source wants now, read afresh. */
  load(): Promise<JobDefinition[]>;
}

export interface JobSyncOptions {
  runner: Pick<JobRunner, 'put' | 'remove' | 'names'>;
  sources: readonly JobSource[];
  /** Where the runs of removed jobs are forgotten. */
  store: Pick<JobRunStore, 'forget'>;
  clock: Clock;
  logger: Logger;
  /** How often the sources are read again; default a minute. */
  intervalMs?: number;
}

export interface JobSync {
  /**
   * Reads every source and applies the difference to the runner: new and changed jobs put, gone ones removed and
   * their recorded runs deleted (the ids never come back). Refreshes run one after another, never two at once.
   */
  refresh(): Promise<void>;
  /** Refreshes every `intervalMs` until `stop`. */
  start(): void;
  stop(): void;
  /** Resolves once no refresh is in progress (for tests). */
  whenIdle(): Promise<void>;
}

/** What decides whether a job changed: its `run` is a fresh closure on each read and never counts. */
function fingerprint(job: JobDefinition): string {
  return [job.cron, job.timeZone, describeCatchUp(job.catchUp), job.since?.toISOString() ?? ''].join('|');
}

export function createJobSync({
  runner,
  sources,
  store,
  clock,
  logger,
  intervalMs = MINUTE_MS,
}: JobSyncOptions): JobSync {
  const known = new Map<string, string>();
  const stopping = new AbortController();
  let tail: Promise<void> = Promise.resolve();
  let pending = 0;

  async function apply(source: JobSource): Promise<void> {
    let loaded: JobDefinition[];
    try {
      loaded = await source.load();
    } catch (error) {
      logger.warn({ err: error, prefix: source.prefix }, 'could not read scheduled jobs; keeping the ones known');
      return;
    }
    const wanted = new Set<string>();
    for (const job of loaded) {
      if (!job.name.startsWith(source.prefix)) {
        logger.error({ job: job.name, prefix: source.prefix }, 'job source gave a job outside its prefix; left out');
        continue;
      }
      wanted.add(job.name);
      const print = fingerprint(job);
      if (known.get(job.name) === print) continue;
      try {
        runner.put(job);
        known.set(job.name, print);
      } catch (error) {
        logger.error({ err: error, job: job.name }, 'could not schedule a job');
      }
    }
    const gone = runner.names().filter((name) => name.startsWith(source.prefix) && !wanted.has(name));
    for (const name of gone) {
      runner.remove(name);
      known.delete(name);
    }
    if (gone.length > 0) await store.forget(gone);
  }

  async function refreshAll(): Promise<void> {
    for (const source of sources) await apply(source);
  }

  function refresh(): Promise<void> {
    pending += 1;
    const next = tail.then(refreshAll).finally(() => {
      pending -= 1;
    });
    tail = next.catch(() => undefined);
    return next;
  }

  return {
    refresh,

    start() {
      void (async () => {
        while (!stopping.signal.aborted) {
          await clock.sleep(intervalMs, stopping.signal);
          if (stopping.signal.aborted) return;
          await refresh().catch((error: unknown) => logger.warn({ err: error }, 'could not refresh scheduled jobs'));
        }
      })();
    },

    stop() {
      stopping.abort();
    },

    async whenIdle() {
      while (pending > 0) await tail;
    },
  };
}
