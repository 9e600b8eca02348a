import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src/logger.js';
import { createCardRefresher, createDeadlineTimer } from '../../../src/services/movie-nights/timers.js';
import { createManualClock, settle } from '../../support/manual-clock.js';

const silent = createLogger({ level: 'silent' });

describe('createCardRefresher', () => {
  function refresher() {
    const clock = createManualClock('2026-03-01T20:00:00Z');
    const edits: { nightId: number; at: string }[] = [];
    const cards = createCardRefresher({
      clock: () => clock.now(),
      timers: clock,
      intervalMs: 1_000,
      log: silent,
      refresh: async (nightId) => void edits.push({ nightId, at: clock.now().toISOString() }),
    });
    return { clock, edits, cards };
  }

  it('edits a card at once, then at most once a second, one edit covering every change meanwhile', async () => {
    const { clock, edits, cards } = refresher();
    await cards.request(1);
    expect(edits).toEqual([{ nightId: 1, at: '2026-03-01T20:00:00.000Z' }]);

    // Three changes within the second: one edit, when the second is up.
    void cards.request(1);
    void cards.request(1);
    void cards.request(1);
    await settle();
    expect(edits).toHaveLength(1);
    await clock.advance(999);
    expect(edits).toHaveLength(1);
    await clock.advance(1);
    await cards.whenIdle();
    expect(edits).toEqual([
      { nightId: 1, at: '2026-03-01T20:00:00.000Z' },
      { nightId: 1, at: '2026-03-01T20:00:01.000Z' },
    ]);
  });

  it('keeps the interval per card', async () => {
    const { edits, cards } = refresher();
    await Promise.all([cards.request(1), cards.request(2)]);
    expect(edits.map(({ nightId }) => nightId)).toEqual([1, 2]);
  });

  it('after stop, a waiting edit is dropped and nothing waits on the clock', async () => {
    const { clock, edits, cards } = refresher();
    await cards.request(1);
    const waiting = cards.request(1);
    cards.stop();
    await waiting;
    expect(edits).toHaveLength(1);
    expect(clock.sleepers).toBe(0);
  });
});

describe('createDeadlineTimer', () => {
  function timer(deadlines: (Date | null)[], onDue: () => Promise<void> = async () => undefined) {
    const clock = createManualClock('2026-03-01T20:00:00Z');
    const woke: string[] = [];
    let next: Date | null = deadlines[0] ?? null;
    const deadline = createDeadlineTimer({
      clock: () => clock.now(),
      timers: clock,
      log: silent,
      next: async () => next,
      onDue: async () => {
        woke.push(clock.now().toISOString());
        await onDue();
      },
    });
    return { clock, woke, deadline, setNext: (at: Date | null) => (next = at) };
  }

  it('wakes at the earliest deadline known, and moves to an earlier one', async () => {
    const { clock, woke, deadline, setNext } = timer([new Date('2026-03-01T20:10:00Z')]);
    await deadline.arm();
    setNext(new Date('2026-03-01T20:05:00Z'));
    await deadline.arm();
    // A later deadline does not push the wait back.
    setNext(new Date('2026-03-01T20:07:00Z'));
    await deadline.arm();
    await clock.set('2026-03-01T20:04:59Z');
    expect(woke).toEqual([]);
    await clock.set('2026-03-01T20:05:00Z');
    expect(woke).toEqual(['2026-03-01T20:05:00.000Z']);
    expect(clock.sleepers).toBe(0);
  });

  it('runs at once for a deadline already passed, but retries work still due only after a pause', async () => {
    const { clock, woke, deadline } = timer([new Date('2026-03-01T19:59:00Z')]);
    await deadline.arm();
    expect(woke).toEqual(['2026-03-01T20:00:00.000Z']);
    // The sweep failed: the work is still due. Arming again waits instead of spinning.
    await deadline.arm();
    expect(woke).toHaveLength(1);
    await clock.advance(10_000);
    expect(woke).toEqual(['2026-03-01T20:00:00.000Z', '2026-03-01T20:00:10.000Z']);
  });

  it('does nothing without deadlines, and nothing after stop', async () => {
    const { clock, woke, deadline, setNext } = timer([null]);
    await deadline.arm();
    expect(clock.sleepers).toBe(0);
    setNext(new Date('2026-03-01T20:01:00Z'));
    await deadline.arm();
    deadline.stop();
    await clock.set('2026-03-01T20:02:00Z');
    expect(woke).toEqual([]);
  });
});
