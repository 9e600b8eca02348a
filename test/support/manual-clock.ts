import type { Clock } from '../../src/jobs/clock.js';
import type { Ticker } from '../../src/jobs/scheduler.js';

/** A clock that moves only when the test says; `sleep` resolves when the test moves past its deadline. */
export interface ManualClock extends Clock {
  /** Moves to `to` (never backwards), waking sleepers due by then, and lets pending promises settle. */
  set(to: Date | string): Promise<void>;
  advance(ms: number): Promise<void>;
  /** Sleepers not yet woken or cancelled. */
  readonly sleepers: number;
}

/** Lets every queued promise callback (and the I/O they start, such as a database query) run. */
export async function settle(rounds = 5): Promise<void> {
  for (let i = 0; i < rounds; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

export function createManualClock(start: Date | string): ManualClock {
  let now = new Date(start).getTime();
  const sleepers = new Set<{ at: number; wake: () => void }>();

  async function set(to: Date | string): Promise<void> {
    now = Math.max(now, new Date(to).getTime());
    for (const sleeper of [...sleepers].sort((a, b) => a.at - b.at)) {
      if (sleeper.at <= now) sleeper.wake();
    }
    await settle();
  }

  return {
    now: () => new Date(now),
    sleep(ms, signal) {
      return new Promise<void>((resolve) => {
        if (signal?.aborted) return resolve();
        const sleeper = {
          at: now + ms,
          wake: () => {
            sleepers.delete(sleeper);
            signal?.removeEventListener('abort', sleeper.wake);
            resolve();
          },
        };
        sleepers.add(sleeper);
        signal?.addEventListener('abort', sleeper.wake, { once: true });
      });
    },
    set,
    advance: (ms) => set(new Date(now + ms)),
    get sleepers() {
      return sleepers.size;
    },
  };
}

/** A ticker the test turns by hand, as node-cron does each minute. */
export interface ManualTicker extends Ticker {
  tick(): void;
  readonly started: boolean;
}

export function createManualTicker(): ManualTicker {
  let onTick: (() => void) | undefined;
  return {
    start(callback) {
      onTick = callback;
    },
    stop() {
      onTick = undefined;
    },
    tick() {
      onTick?.();
    },
    get started() {
      return onTick !== undefined;
    },
  };
}

/**
 * Walks `clock` minute by minute up to `to`, ticking at each minute boundary the way node-cron does; after
 * each tick, awaits `afterTick` (e.g. the runner's `whenIdle`, so the runs a tick started have finished).
 */
export async function tickThrough(
  clock: ManualClock,
  ticker: ManualTicker,
  to: Date | string,
  afterTick: () => Promise<void> = settle,
): Promise<void> {
  const end = new Date(to).getTime();
  let next = Math.floor(clock.now().getTime() / 60_000) * 60_000 + 60_000;
  while (next <= end) {
    await clock.set(new Date(next));
    ticker.tick();
    await afterTick();
    next += 60_000;
  }
  await clock.set(new Date(end));
}
