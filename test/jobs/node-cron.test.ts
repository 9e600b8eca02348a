import cron from 'node-cron';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { nextFireTime } from '../../src/jobs/cron.js';
import { createNodeCronScheduler } from '../../src/jobs/node-cron.js';
import { createLogger } from '../../src/logger.js';

const silent = createLogger({ level: 'silent' });
const DAY_MS = 86_400_000;

/** Every fire time of the expression in (from, from + days]. */
function expectedFires(expression: string, timeZone: string, from: string, days: number): string[] {
  const end = Date.parse(from) + days * DAY_MS;
  const out: string[] = [];
  let at = nextFireTime(expression, timeZone, new Date(from));
  while (at.getTime() <= end) {
    out.push(at.toISOString());
    at = nextFireTime(expression, timeZone, at);
  }
  return out;
}

function useFakeTime(now: string): void {
  vi.useFakeTimers({
    now: new Date(now),
    toFake: ['setTimeout', 'clearTimeout', 'setInterval', 'clearInterval', 'Date'],
  });
}

afterEach(() => {
  vi.useRealTimers();
});

describe('the node-cron scheduler under fake timers', () => {
  it.each([
    // The last column is the day-of-change slot: 03:30 local for a skipped 02:30, the first of two 02:30s.
    [
      'Europe/Berlin, spring forward, a skipped 02:30',
      '30 2 * * *',
      'Europe/Berlin',
      '2026-03-27T12:00:00Z',
      '2026-03-29T01:30:00.000Z',
    ],
    [
      'Europe/Berlin, fall back, a repeated 02:30',
      '30 2 * * *',
      'Europe/Berlin',
      '2026-10-23T12:00:00Z',
      '2026-10-25T00:30:00.000Z',
    ],
    [
      'America/New_York, spring forward, a skipped 02:30',
      '30 2 * * *',
      'America/New_York',
      '2026-03-06T12:00:00Z',
      '2026-03-08T07:30:00.000Z',
    ],
    [
      'America/New_York, fall back, a repeated 01:30',
      '30 1 * * *',
      'America/New_York',
      '2026-10-30T12:00:00Z',
      '2026-11-01T05:30:00.000Z',
    ],
    [
      'Europe/Berlin, fall back, every 20 minutes',
      '*/20 * * * *',
      'Europe/Berlin',
      '2026-10-24T20:00:00Z',
      '2026-10-25T00:40:00.000Z',
    ],
  ])(
    '%s: fires once per slot, at exactly the instants nextFireTime names',
    async (_case, expression, timeZone, start, changeDaySlot) => {
      useFakeTime(start);
      const scheduler = createNodeCronScheduler({ logger: silent });
      const fired: { dueAt: string; at: string }[] = [];
      scheduler.schedule('job', expression, timeZone, (dueAt) =>
        fired.push({ dueAt: dueAt.toISOString(), at: new Date().toISOString() }),
      );

      await vi.advanceTimersByTimeAsync(3 * DAY_MS);
      scheduler.stop();

      const expected = expectedFires(expression, timeZone, start, 3);
      expect(expected.length).toBeGreaterThanOrEqual(3);
      expect(fired.map((fire) => fire.dueAt)).toEqual(expected);
      expect(fired.every((fire) => fire.at === fire.dueAt)).toBe(true);
      expect(fired.map((fire) => fire.dueAt)).toContain(changeDaySlot);
    },
  );

  it('fires nothing after stop()', async () => {
    useFakeTime('2026-06-01T19:58:00Z');
    const scheduler = createNodeCronScheduler({ logger: silent });
    const fired: Date[] = [];
    scheduler.schedule('job', '0 20 * * *', 'UTC', (dueAt) => fired.push(dueAt));
    scheduler.stop();
    await vi.advanceTimersByTimeAsync(DAY_MS);
    expect(fired).toEqual([]);
  });

  it('refuses an unknown zone or a bad expression when scheduling, not at the first tick', () => {
    const scheduler = createNodeCronScheduler({ logger: silent });
    expect(() => scheduler.schedule('a', '0 20 * * *', 'Europe/Atlantis', () => undefined)).toThrow(
      /unknown time zone/,
    );
    expect(() => scheduler.schedule('b', '0 25 * * *', 'UTC', () => undefined)).toThrow(/hour 25/);
    scheduler.stop();
  });
});

/**
 * Why the adapter hands node-cron only a UTC minute tick: given the job's own expression and zone, node-cron
 * 4.6 drops the skipped 02:30 and picks a repeated time by the sign of the offset. If a node-cron upgrade
 * changes this, this test says so; the adapter does not depend on it.
 */
describe('node-cron 4.6 left to its own zone handling', () => {
  async function nodeCronFires(expression: string, timeZone: string, start: string): Promise<string[]> {
    useFakeTime(start);
    const fired: string[] = [];
    const task = cron.createTask(expression, (context) => void fired.push(context.date.toISOString()), {
      timezone: timeZone,
      logger: { info() {}, warn() {}, error() {}, debug() {} },
    });
    await task.start();
    await vi.advanceTimersByTimeAsync(3 * DAY_MS);
    await task.destroy();
    return fired;
  }

  it('skips the 02:30 that spring forward removes in Berlin (no run on 29 March)', async () => {
    expect(await nodeCronFires('30 2 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z')).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
  });

  it('takes the second 02:30 in Berlin but the first 01:30 in New York', async () => {
    expect(await nodeCronFires('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z')).toContain(
      '2026-10-25T01:30:00.000Z',
    );
    expect(await nodeCronFires('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z')).toContain(
      '2026-11-01T05:30:00.000Z',
    );
  });
});
