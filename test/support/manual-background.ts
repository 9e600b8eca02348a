import type { BackgroundWork } from '../../src/services/background-work.js';

/** Background work that waits for the test: tasks queue up until `runAll`, which runs them (and any they start). */
export interface ManualBackground extends BackgroundWork {
  /** Keys of the tasks waiting. */
  readonly pending: string[];
  runAll(): Promise<void>;
}

export function createManualBackground(): ManualBackground {
  const queue = new Map<string, (signal: AbortSignal) => Promise<void>>();
  const signal = new AbortController().signal;
  return {
    run(key, task) {
      if (!queue.has(key)) queue.set(key, task);
    },
    get pending() {
      return [...queue.keys()];
    },
    async runAll() {
      while (queue.size > 0) {
        const tasks = [...queue.values()];
        queue.clear();
        await Promise.all(tasks.map((task) => task(signal)));
      }
    },
  };
}
