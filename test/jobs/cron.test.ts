import { describe, expect, it } from 'vitest';
import { CronExpressionError, nextFireTime, parseCron, previousFireTime } from '../../src/jobs/cron.js';

/** The next `count` fire times after `from`, as ISO strings. */
function fires(expression: string, timeZone: string, from: string, count: number): string[] {
  const out: string[] = [];
  let after = new Date(from);
  for (let i = 0; i < count; i++) {
    after = nextFireTime(expression, timeZone, after);
    out.push(after.toISOString());
  }
  return out;
}

const iso = (date: Date) => date.toISOString();

// 2026's changes. Europe/Berlin: Sun 29 March 01:00Z (02:00 CET → 03:00 CEST), Sun 25 October 01:00Z
// (03:00 CEST → 02:00 CET). America/New_York: Sun 8 March 07:00Z (02:00 EST → 03:00 EDT), Sun 1 November
// 06:00Z (02:00 EDT → 01:00 EST).
describe('nextFireTime across daylight-saving changes', () => {
  describe('Europe/Berlin', () => {
    it('keeps 20:00 local through spring forward: 19:00Z in CET, then 18:00Z in CEST', () => {
      expect(fires('0 20 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 3)).toEqual([
        '2026-03-28T19:00:00.000Z',
        '2026-03-29T18:00:00.000Z',
        '2026-03-30T18:00:00.000Z',
      ]);
    });

    it('keeps 20:00 local through fall back: 18:00Z in CEST, then 19:00Z in CET', () => {
      expect(fires('0 20 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', 2)).toEqual([
        '2026-10-24T18:00:00.000Z',
        '2026-10-25T19:00:00.000Z',
      ]);
    });

    it('fires a 02:30 that spring forward skips at 03:30 CEST that day, so the daily job still runs', () => {
      expect(fires('30 2 * * *', 'Europe/Berlin', '2026-03-28T12:00:00Z', 2)).toEqual([
        '2026-03-29T01:30:00.000Z',
        '2026-03-30T00:30:00.000Z',
      ]);
    });

    it('fires a 02:30 that occurs twice in autumn once, at its first (CEST) occurrence', () => {
      expect(fires('30 2 * * *', 'Europe/Berlin', '2026-10-24T12:00:00Z', 2)).toEqual([
        '2026-10-25T00:30:00.000Z',
        '2026-10-26T01:30:00.000Z',
      ]);
    });

    it('fires an hourly job once per local time in the repeated hour, leaving a two-hour gap', () => {
      expect(fires('30 * * * *', 'Europe/Berlin', '2026-10-24T22:00:00Z', 4)).toEqual([
        '2026-10-24T22:30:00.000Z',
        '2026-10-24T23:30:00.000Z',
        '2026-10-25T00:30:00.000Z',
        '2026-10-25T02:30:00.000Z',
      ]);
    });

    it('fires once when a skipped time and a real one land on the same instant', () => {
      expect(fires('30 2,3 * * *', 'Europe/Berlin', '2026-03-28T23:00:00Z', 3)).toEqual([
        '2026-03-29T01:30:00.000Z',
        '2026-03-30T00:30:00.000Z',
        '2026-03-30T01:30:00.000Z',
      ]);
    });
  });

  describe('America/New_York', () => {
    it('keeps 20:00 local through spring forward: 01:00Z in EST, then 00:00Z in EDT', () => {
      expect(fires('0 20 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 2)).toEqual([
        '2026-03-08T01:00:00.000Z',
        '2026-03-09T00:00:00.000Z',
      ]);
    });

    it('keeps 20:00 local through fall back: 00:00Z in EDT, then 01:00Z in EST', () => {
      expect(fires('0 20 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2)).toEqual([
        '2026-11-01T00:00:00.000Z',
        '2026-11-02T01:00:00.000Z',
      ]);
    });

    it('fires a 02:30 that spring forward skips at 03:30 EDT that day', () => {
      expect(fires('30 2 * * *', 'America/New_York', '2026-03-07T12:00:00Z', 2)).toEqual([
        '2026-03-08T07:30:00.000Z',
        '2026-03-09T06:30:00.000Z',
      ]);
    });

    it('fires a 01:30 that occurs twice in autumn once, at its first (EDT) occurrence', () => {
      expect(fires('30 1 * * *', 'America/New_York', '2026-10-31T12:00:00Z', 2)).toEqual([
        '2026-11-01T05:30:00.000Z',
        '2026-11-02T06:30:00.000Z',
      ]);
    });

    it('fires every half hour through the spring gap without firing anything twice', () => {
      expect(fires('*/30 * * * *', 'America/New_York', '2026-03-08T06:00:00Z', 4)).toEqual([
        '2026-03-08T06:30:00.000Z',
        '2026-03-08T07:00:00.000Z',
        '2026-03-08T07:30:00.000Z',
        '2026-03-08T08:00:00.000Z',
      ]);
    });
  });

  it('reads a zone with a half-hour offset', () => {
    expect(iso(nextFireTime('0 9 * * *', 'Asia/Kolkata', new Date('2026-06-01T00:00:00Z')))).toBe(
      '2026-06-01T03:30:00.000Z',
    );
  });
});

describe('previousFireTime', () => {
  it('names the slot due at a moment, the moment itself included', () => {
    expect(iso(previousFireTime('0 20 * * *', 'Europe/Berlin', new Date('2026-07-01T18:00:00Z')))).toBe(
      '2026-07-01T18:00:00.000Z',
    );
    expect(iso(previousFireTime('0 20 * * *', 'Europe/Berlin', new Date('2026-07-01T17:59:59Z')))).toBe(
      '2026-06-30T18:00:00.000Z',
    );
  });

  it('never names the second pass of a repeated time as a slot', () => {
    expect(iso(previousFireTime('30 2 * * *', 'Europe/Berlin', new Date('2026-10-25T01:45:00Z')))).toBe(
      '2026-10-25T00:30:00.000Z',
    );
  });

  it('names the shifted instant of a skipped time', () => {
    expect(iso(previousFireTime('30 2 * * *', 'America/New_York', new Date('2026-03-08T07:29:00Z')))).toBe(
      '2026-03-07T07:30:00.000Z',
    );
    expect(iso(previousFireTime('30 2 * * *', 'America/New_York', new Date('2026-03-08T07:30:00Z')))).toBe(
      '2026-03-08T07:30:00.000Z',
    );
  });

  it('agrees with nextFireTime everywhere across a year, both zones, several expressions', () => {
    const expressions = ['0 20 * * *', '30 2 * * *', '30 1 * * *', '*/20 * * * *', '15 4 * * 1-5', '0 0 1 * *'];
    const zones = ['Europe/Berlin', 'America/New_York', 'UTC'];
    const start = Date.parse('2026-01-01T00:00:00Z');
    const step = 11 * 3_600_000 + 13 * 60_000 + 17_000;
    for (const expression of expressions) {
      for (const zone of zones) {
        for (let t = start; t < start + 366 * 86_400_000; t += step) {
          const at = new Date(t);
          const next = nextFireTime(expression, zone, at);
          const previous = previousFireTime(expression, zone, at);
          expect(next.getTime()).toBeGreaterThan(t);
          expect(previous.getTime()).toBeLessThanOrEqual(t);
          // Nothing fires strictly between the previous slot and the next one.
          expect(nextFireTime(expression, zone, previous).getTime()).toBe(next.getTime());
          expect(previousFireTime(expression, zone, new Date(next.getTime() - 1)).getTime()).toBe(previous.getTime());
        }
      }
    }
  });
});

describe('parseCron', () => {
  it('reads lists, ranges, steps, names and nicknames', () => {
    const schedule = parseCron('0,30 9-17/4 * jan-mar mon-fri');
    expect(schedule.minutes).toEqual([0, 30]);
    expect(schedule.hours).toEqual([9, 13, 17]);
    expect([...schedule.months].sort()).toEqual([1, 2, 3]);
    expect([...schedule.daysOfWeek].sort()).toEqual([1, 2, 3, 4, 5]);
    expect(parseCron('@daily').hours).toEqual([0]);
    expect(parseCron('5/20 * * * *').minutes).toEqual([5, 25, 45]);
  });

  it('counts 7 as Sunday', () => {
    expect([...parseCron('0 0 * * 7').daysOfWeek]).toEqual([0]);
    expect(iso(nextFireTime('0 12 * * 7', 'UTC', new Date('2026-07-01T00:00:00Z')))).toBe('2026-07-05T12:00:00.000Z');
  });

  it('fires on either day when both day fields are restricted, as Vixie cron does', () => {
    // 1 July 2026 is a Wednesday; Monday 6 July is the next Monday.
    expect(fires('0 12 1 * mon', 'UTC', '2026-06-30T00:00:00Z', 3)).toEqual([
      '2026-07-01T12:00:00.000Z',
      '2026-07-06T12:00:00.000Z',
      '2026-07-13T12:00:00.000Z',
    ]);
  });

  it('finds a leap day years ahead', () => {
    expect(iso(nextFireTime('0 0 29 2 *', 'UTC', new Date('2026-03-01T00:00:00Z')))).toBe('2028-02-29T00:00:00.000Z');
  });

  it.each([
    ['0 20 * *', /expected 5 fields/],
    ['0 0 20 * * *', /expected 5 fields/],
    ['60 * * * *', /minute 60 is outside 0-59/],
    ['* 5-2 * * *', /runs backwards/],
    ['*/0 * * * *', /bad step/],
    ['0 0 31 2 *', /names no day that exists/],
    ['0 0 * * funday', /not a valid day of week/],
  ])('rejects %s, saying why', (expression, message) => {
    expect(() => parseCron(expression)).toThrow(CronExpressionError);
    expect(() => parseCron(expression)).toThrow(message);
  });
});
