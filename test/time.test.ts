import { describe, expect, it } from 'vitest';
import { calendarDate, canonicalTimeZone, isCalendarDate, shiftDate } from '../src/time.js';

describe('canonicalTimeZone', () => {
  it('accepts IANA zones in any case and returns their canonical spelling', () => {
    expect(canonicalTimeZone('UTC')).toBe('UTC');
    expect(canonicalTimeZone('europe/paris')).toBe('Europe/Paris');
    expect(canonicalTimeZone(' America/New_York ')).toBe('America/New_York');
  });

  it('refuses names that are not zones, raw offsets and empty or oversized input', () => {
    expect(canonicalTimeZone('Mars/Olympus_Mons')).toBeNull();
    expect(canonicalTimeZone('+01:00')).toBeNull();
    expect(canonicalTimeZone('')).toBeNull();
    expect(canonicalTimeZone('Europe/'.padEnd(100, 'x'))).toBeNull();
  });
});

describe('calendar dates', () => {
  // 03:00 UTC on 1 March 2026 is still 22:00 on 28 February in New York (EST, UTC−5; DST starts 8 March).
  const now = new Date('2026-03-01T03:00:00Z');

  it('reads the date in the given time zone', () => {
    expect(calendarDate(now, 'America/New_York')).toBe('2026-02-28');
    expect(calendarDate(now, 'UTC')).toBe('2026-03-01');
  });

  it('counts an unknown time zone as UTC', () => {
    expect(calendarDate(now, 'Mars/Olympus_Mons')).toBe('2026-03-01');
  });

  it('moves dates across month, year and leap-day boundaries', () => {
    expect(shiftDate('2026-01-01', -1)).toBe('2025-12-31');
    expect(shiftDate('2024-03-01', -1)).toBe('2024-02-29');
    expect(shiftDate('2026-02-28', 1)).toBe('2026-03-01');
  });

  it('tells real dates from malformed and impossible ones', () => {
    expect(isCalendarDate('2024-02-29')).toBe(true);
    for (const bad of ['2026-02-30', '2026-2-3', '28/02/2026', '2026-13-01']) expect(isCalendarDate(bad)).toBe(false);
  });
});
