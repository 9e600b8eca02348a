import { describe, expect, it } from 'vitest';
import {
  describeSlot,
  formatTimeOfDay,
  parseTimeOfDay,
  readWeeklyCron,
  weeklyCron,
} from '../../src/services/schedules/weekly.js';
import { nextFireTime } from '../../src/jobs/cron.js';
import { matchTimeZones } from '../../src/time.js';

describe('weekly slots', () => {
  it.each([
    ['20:00', { hour: 20, minute: 0 }],
    ['8:30', { hour: 8, minute: 30 }],
    ['08:30', { hour: 8, minute: 30 }],
    [' 23:59 ', { hour: 23, minute: 59 }],
    ['0:00', { hour: 0, minute: 0 }],
  ])('reads %s on a 24-hour clock', (text, time) => {
    expect(parseTimeOfDay(text)).toEqual(time);
  });

  it.each(['25:00', '24:00', '20:60', '8pm', '2000', '20:0', '', '20:00:00'])('refuses %s', (text) => {
    expect(parseTimeOfDay(text)).toBeNull();
  });

  it('writes a slot as the cron the jobs module reads, and reads it back', () => {
    const slot = { weekday: 5, hour: 20, minute: 5 } as const;
    expect(weeklyCron(slot)).toBe('5 20 * * 5');
    expect(readWeeklyCron('5 20 * * 5')).toEqual(slot);
    expect(describeSlot(slot)).toBe('Fridays at 20:05');
    expect(formatTimeOfDay({ hour: 7, minute: 0 })).toBe('07:00');
    expect(() => readWeeklyCron('0 20 * * 1-5')).toThrow(RangeError);
    expect(() => readWeeklyCron('0 24 * * 1')).toThrow(RangeError);
  });

  it('fires its cron at the local time on both sides of a daylight-saving change', () => {
    // Sundays at 20:00: Berlin leaves UTC+1 on 29 March 2026, New York leaves UTC−5 on 8 March 2026.
    const sunday = weeklyCron({ weekday: 0, hour: 20, minute: 0 });
    expect(nextFireTime(sunday, 'Europe/Berlin', new Date('2026-03-22T00:00:00Z'))).toEqual(
      new Date('2026-03-22T19:00:00Z'),
    );
    expect(nextFireTime(sunday, 'Europe/Berlin', new Date('2026-03-22T19:00:00Z'))).toEqual(
      new Date('2026-03-29T18:00:00Z'),
    );
    expect(nextFireTime(sunday, 'America/New_York', new Date('2026-03-01T12:00:00Z'))).toEqual(
      new Date('2026-03-02T01:00:00Z'),
    );
    expect(nextFireTime(sunday, 'America/New_York', new Date('2026-03-02T01:00:00Z'))).toEqual(
      new Date('2026-03-09T00:00:00Z'),
    );
  });
});

describe('matchTimeZones', () => {
  it.each([
    ['Europe/Berln', ['Europe/Berlin']],
    ['berlin', ['Europe/Berlin']],
    ['new york', ['America/New_York']],
    ['Amrica/Chicago', ['America/Chicago']],
    ['Tokio', ['Asia/Tokyo']],
  ])('finds what %s was meant to be', (typed, zones) => {
    expect(matchTimeZones(typed)).toEqual(zones);
  });

  it('finds nothing close to a zone that is none', () => {
    expect(matchTimeZones('Mars/Olympus')).toEqual([]);
    expect(matchTimeZones('   ')).toEqual([]);
  });

  it('gives at most `limit` names', () => {
    expect(matchTimeZones('america', 25)).toHaveLength(25);
  });
});
