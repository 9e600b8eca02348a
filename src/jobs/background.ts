import { setMaxListeners } from 'node:events';
import type { Logger } from '../logger.js';
import type { BackgroundWork } from '../services/background-work.js';

export interface BackgroundTasks extends BackgroundWork {
  /** Resolves once no task is pending or running (tasks started meanwhile included). */
  whenIdle(): Promise<void>;
  /** Starts no new task, signals the running ones and waits for them, at most `timeoutMs` (the shutdown bound). */
  stop(timeoutMs: number): Promise<void>;
}

export interface BackgroundTasksOptions {
  logger: Logger;
  /** How a task is deferred past the current work (setImmediate; a test may hold tasks back instead). */
  defer?: (start: () => void) => void;
  /** Waits `ms` (the stop bound); injected so a test never waits on a real timer. */
  sleep?: (ms: number) => Promise<void>;
}

/** The bot's background work: tasks keyed, deduplicated while in flight, each failure logged. */
export function createBackgroundTasks({
  logger,
  defer = (start) => void setImmediate(start),
  sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms).unref()),
}: BackgroundTasksOptions): BackgroundTasks {
  const log = logger.child({ component: 'background' });
  const inFlight = new Map<string, Promise<void>>();
  const stopping = new AbortController();
  // Every task listens to this one signal (a member's first ratings start several fetches at once): not a leak.
  setMaxListeners(0, stopping.signal);

  return {
    run(key, task) {
      if (stopping.signal.aborted || inFlight.has(key)) return;
      const done = new Promise<void>((resolve) => {
        defer(() => {
          if (stopping.signal.aborted) return resolve();
          task(stopping.signal)
            .catch((error: unknown) => log.warn({ err: error, task: key }, 'background task failed'))
            .finally(resolve);
        });
      }).finally(() => inFlight.delete(key));
      inFlight.set(key, done);
    },

    async whenIdle() {
      while (inFlight.size > 0) await Promise.all([...inFlight.values()]);
    },

    async stop(timeoutMs) {
      stopping.abort();
      const running = Promise.all([...inFlight.values()]).then(() => undefined);
      await Promise.race([running, sleep(timeoutMs)]);
    },
  };
}
