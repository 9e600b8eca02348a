import { sleep } from '../deadline.js';

/**
 * Time as the jobs module sees it. Injected, so a test moves time forward instead of waiting: a 10-second
 * shutdown bound or a missed 20:00 slot then takes microseconds.
 */
export interface Clock {
  now(): Date;
  /**
   * Resolves once `ms` of this clock's time has passed, or at once when `signal` fires (never rejects):
   * a bound that is no longer needed must not keep the process alive.
   */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** The real clock; `now` may come from the app's own clock function (src/app.ts takes one). */
export function createSystemClock(now: () => Date = () => new Date()): Clock {
  return { now, sleep: (ms, signal) => sleep(ms, signal).catch(() => undefined) };
}
