import { afterEach, describe, expect, it, vi } from 'vitest';
import {
  combineSignals,
  isTimeoutReason,
  raceSignal,
  sleep,
  startDeadline,
  timeoutReason,
  type Schedule,
} from '../src/deadline.js';

/** A schedule on a clock the test moves by hand. */
function manualSchedule() {
  let now = 0;
  const timers = new Set<{ at: number; callback: () => void }>();
  const schedule: Schedule = (callback, ms) => {
    const timer = { at: now + ms, callback };
    timers.add(timer);
    return () => timers.delete(timer);
  };
  return {
    schedule,
    pending: () => timers.size,
    advance(ms: number) {
      now += ms;
      for (const timer of [...timers].sort((a, b) => a.at - b.at)) {
        if (timer.at > now) break;
        timers.delete(timer);
        timer.callback();
      }
    },
  };
}

/** Lets every pending promise callback run (setImmediate is not faked here). */
function flush(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

afterEach(() => {
  vi.useRealTimers();
});

describe('startDeadline', () => {
  it('aborts with a TimeoutError once the budget is spent, not before', () => {
    const clock = manualSchedule();
    const { signal } = startDeadline(2_000, clock.schedule);

    clock.advance(1_999);
    expect(signal.aborted).toBe(false);
    clock.advance(1);

    expect(signal.aborted).toBe(true);
    expect(isTimeoutReason(signal.reason)).toBe(true);
  });

  it('never fires once cancelled', () => {
    const clock = manualSchedule();
    const deadline = startDeadline(2_000, clock.schedule);

    deadline.cancel();
    clock.advance(5_000);

    expect(deadline.signal.aborted).toBe(false);
    expect(clock.pending()).toBe(0);
  });

  it('runs on the global timer by default, so fake timers drive it (AbortSignal.timeout cannot be)', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const { signal } = startDeadline(8_000);

    vi.advanceTimersByTime(7_999);
    expect(signal.aborted).toBe(false);
    vi.advanceTimersByTime(1);

    expect(signal.aborted).toBe(true);
  });
});

describe('isTimeoutReason', () => {
  it('tells a passed deadline from a plain abort', () => {
    expect(isTimeoutReason(timeoutReason())).toBe(true);
    expect(isTimeoutReason(new DOMException('late', 'TimeoutError'))).toBe(true);
    expect(isTimeoutReason(AbortSignal.abort().reason)).toBe(false);
    expect(isTimeoutReason('TimeoutError')).toBe(false);
  });
});

describe('combineSignals', () => {
  it('ignores missing signals and passes a single one through', () => {
    const only = new AbortController().signal;

    expect(combineSignals()).toBeUndefined();
    expect(combineSignals(undefined, undefined)).toBeUndefined();
    expect(combineSignals(undefined, only)).toBe(only);
  });

  it('fires with the reason of whichever signal fires first', () => {
    const caller = new AbortController();
    const clock = manualSchedule();
    const budget = startDeadline(5_000, clock.schedule);
    const combined = combineSignals(caller.signal, budget.signal);

    clock.advance(5_000);

    expect(combined.aborted).toBe(true);
    expect(isTimeoutReason(combined.reason)).toBe(true);
    caller.abort(new Error('late caller'));
    expect(isTimeoutReason(combined.reason)).toBe(true);
  });
});

describe('sleep', () => {
  it('resolves after the wait and not before', async () => {
    const clock = manualSchedule();
    let done = false;
    const wait = sleep(1_500, undefined, clock.schedule).then(() => {
      done = true;
    });

    clock.advance(1_499);
    await flush();
    expect(done).toBe(false);
    clock.advance(1);

    await wait;
    expect(done).toBe(true);
  });

  it('rejects with the signal’s reason as soon as it fires, and stops its timer', async () => {
    const clock = manualSchedule();
    const caller = new AbortController();
    const wait = sleep(60_000, caller.signal, clock.schedule);

    caller.abort(new Error('gave up'));

    await expect(wait).rejects.toThrow('gave up');
    expect(clock.pending()).toBe(0);
  });

  it('rejects at once for a signal that already fired, and waits for nothing at 0 ms', async () => {
    const clock = manualSchedule();

    const expired = AbortSignal.abort(timeoutReason());

    await expect(sleep(1_000, expired, clock.schedule)).rejects.toMatchObject({ name: 'TimeoutError' });
    await expect(sleep(0, undefined, clock.schedule)).resolves.toBeUndefined();
    expect(clock.pending()).toBe(0);
  });
});

describe('raceSignal', () => {
  it('is the promise itself without a signal', () => {
    const promise = Promise.resolve(1);

    expect(raceSignal(promise, undefined, () => 0)).toBe(promise);
  });

  it('gives the promise’s value when it settles first', async () => {
    const caller = new AbortController();

    await expect(raceSignal(Promise.resolve('answer'), caller.signal, () => 'fallback')).resolves.toBe('answer');
    const broken = Promise.reject(new Error('broken'));
    await expect(raceSignal(broken, caller.signal, () => 'fallback')).rejects.toThrow('broken');
  });

  it('gives the fallback when the signal fires first, leaving the work running', async () => {
    const caller = new AbortController();
    let finish: (value: string) => void = () => undefined;
    const work = new Promise<string>((resolve) => {
      finish = resolve;
    });
    const raced = raceSignal(work, caller.signal, () => 'fallback');

    caller.abort();

    await expect(raced).resolves.toBe('fallback');
    finish('late answer');
    await expect(work).resolves.toBe('late answer');
  });

  it('rejects with what onAbort throws, also for a signal that already fired', async () => {
    const fail = (signal: AbortSignal) => {
      throw new Error(isTimeoutReason(signal.reason) ? 'deadline passed' : 'aborted');
    };
    const caller = new AbortController();
    const raced = raceSignal(new Promise<never>(() => undefined), caller.signal, fail);

    caller.abort(timeoutReason());

    await expect(raced).rejects.toThrow('deadline passed');
    // Abandoned work that fails later is observed, so it is never an unhandled rejection.
    await expect(raceSignal(Promise.reject(new Error('later')), AbortSignal.abort(), fail)).rejects.toThrow('aborted');
  });
});
