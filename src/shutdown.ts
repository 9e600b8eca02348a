import { sleep } from './deadline.js';
import type { Logger } from './logger.js';

/** One thing to wind down, in order: stop the jobs (waits for a running one), destroy the client, close the database. */
export interface ShutdownStep {
  name: string;
  run(): Promise<unknown> | void;
}

export interface ShutdownOptions {
  steps: readonly ShutdownStep[];
  /** Bound on the whole shutdown; past it the process exits 1 whatever is still running. */
  timeoutMs: number;
  /** `process.exit` in production; a spy in tests. */
  exit: (code: number) => void;
  logger: Logger;
  /** Resolves after `ms`, or when `signal` fires; injected so tests move time instead of waiting. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const realSleep = (ms: number, signal: AbortSignal): Promise<void> => sleep(ms, signal).catch(() => undefined);

/**
 * Returns the function SIGTERM and SIGINT call. It runs the steps one after another (a failing step is
 * logged and the rest still run), then exits 0; a failure exits 1; if the steps outlast `timeoutMs` it exits
 * 1 without waiting further, so a hung step never outlives the platform's kill grace. A second signal
 * while shutting down joins the first shutdown.
 */
export function createShutdown({ steps, timeoutMs, exit, logger, sleep = realSleep }: ShutdownOptions) {
  let running: Promise<void> | undefined;

  async function runSteps(): Promise<boolean> {
    let clean = true;
    for (const step of steps) {
      try {
        await step.run();
        logger.debug({ step: step.name }, 'shutdown step done');
      } catch (error) {
        clean = false;
        logger.error({ err: error, step: step.name }, 'shutdown step failed');
      }
    }
    return clean;
  }

  return function shutdown(signal: string): Promise<void> {
    running ??= (async () => {
      logger.info({ signal, timeoutMs }, 'shutting down');
      const bound = new AbortController();
      const outcome = await Promise.race([
        runSteps().then((clean) => (clean ? 'clean' : 'failed')),
        sleep(timeoutMs, bound.signal).then(() => 'timed-out' as const),
      ]);
      bound.abort();
      if (outcome === 'timed-out') logger.error({ timeoutMs }, 'shutdown timed out; exiting anyway');
      else logger.info({ outcome }, 'shut down');
      exit(outcome === 'clean' ? 0 : 1);
    })();
    return running;
  };
}

/** Calls `shutdown` on the first SIGTERM or SIGINT (or whichever signals are given). */
export function onShutdownSignals(
  target: { on(event: NodeJS.Signals, listener: () => void): unknown },
  shutdown: (signal: string) => Promise<void>,
  signals: readonly NodeJS.Signals[] = ['SIGTERM', 'SIGINT'],
): void {
  for (const signal of signals) target.on(signal, () => void shutdown(signal));
}
