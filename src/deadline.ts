/**
 * Deadlines and cancellation, in one place. Every timer here goes through a `Schedule`, by default the
 * global `setTimeout` looked up at call time, so a test drives it with fake timers or its own schedule
 * (Node's `AbortSignal.timeout` runs on an internal timer that neither can reach).
 */

/** Runs `callback` once after `ms`; the returned function cancels it if it has not run yet. */
export type Schedule = (callback: () => void, ms: number) => () => void;

/** The global timer. It keeps the process alive while it runs, as a pending retry or pause should. */
export const timerSchedule: Schedule = (callback, ms) => {
  const timer = setTimeout(callback, ms);
  return () => clearTimeout(timer);
};

/** The global timer, not keeping the process alive: a deadline alone never holds a shutdown up. */
const deadlineSchedule: Schedule = (callback, ms) => {
  const timer = setTimeout(callback, ms);
  timer.unref();
  return () => clearTimeout(timer);
};

/** The reason a deadline aborts with: the same `TimeoutError` that `AbortSignal.timeout()` uses. */
export function timeoutReason(message = 'The operation was aborted due to timeout'): DOMException {
  return new DOMException(message, 'TimeoutError');
}

/** Whether an abort reason says a deadline passed (ours or `AbortSignal.timeout`'s) rather than a plain abort. */
export function isTimeoutReason(reason: unknown): boolean {
  return reason instanceof Error && reason.name === 'TimeoutError';
}

export interface Deadline {
  /** Aborts with a `TimeoutError` reason once the budget is spent. */
  readonly signal: AbortSignal;
  /** Stops the timer when the work finished first; the signal then never fires. */
  cancel(): void;
}

/**
 * A budget of `ms` starting now: `AbortSignal.timeout(ms)` that fake timers and an injected schedule
 * can drive. The default timer does not keep the process alive; `cancel()` once done if you can.
 */
export function startDeadline(ms: number, schedule: Schedule = deadlineSchedule): Deadline {
  const controller = new AbortController();
  const cancel = schedule(() => controller.abort(timeoutReason()), Math.max(0, ms));
  return { signal: controller.signal, cancel };
}

/** One signal that fires when the first of these does; undefined entries are ignored, and none gives undefined. */
export function combineSignals(signal: AbortSignal, ...others: readonly (AbortSignal | undefined)[]): AbortSignal;
export function combineSignals(...signals: readonly (AbortSignal | undefined)[]): AbortSignal | undefined;
export function combineSignals(...signals: readonly (AbortSignal | undefined)[]): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}

/** Waits `ms`, or rejects with the signal's reason as soon as it fires (at once if it already has). */
export function sleep(ms: number, signal?: AbortSignal, schedule: Schedule = timerSchedule): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    if (ms <= 0) {
      resolve();
      return;
    }
    const onAbort = () => {
      cancel();
      reject(signal?.reason);
    };
    const cancel = schedule(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * `promise`'s outcome, unless `signal` fires first: then whatever `onAbort` returns (or throws). The work
 * itself is not cancelled, only no longer waited for, so e.g. a shared fetch can still fill a cache.
 * Without a signal this is `promise` itself.
 */
export function raceSignal<Value, Fallback = never>(
  promise: Promise<Value>,
  signal: AbortSignal | undefined,
  onAbort: (signal: AbortSignal) => Fallback,
): Promise<Value | Fallback> {
  if (!signal) return promise;
  return new Promise<Value | Fallback>((resolve, reject) => {
    const settleAborted = () => {
      try {
        resolve(onAbort(signal));
      } catch (error) {
        reject(error);
      }
    };
    if (signal.aborted) {
      settleAborted();
      // Observed, so a later rejection of the abandoned work is not reported as unhandled.
      promise.catch(() => undefined);
      return;
    }
    signal.addEventListener('abort', settleAborted, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', settleAborted));
  });
}
