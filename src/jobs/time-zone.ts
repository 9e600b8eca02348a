import { DAY_MS, MINUTE_MS } from '../time.js';

/**
 * Wall-clock arithmetic in an IANA time zone, through `Intl` only (no tz library): what the pure cron
 * functions need to turn a local date and time into an instant, across daylight-saving changes.
 */

/** A local calendar date; `month` 1-12. */
export interface LocalDate {
  year: number;
  month: number;
  day: number;
}

/** Whether `Intl` knows the zone (`Europe/Berlin`, `UTC`); `Intl` throws a RangeError for an unknown one. */
export function isTimeZone(timeZone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (!formatter) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The local wall-clock reading of an instant, written as if it were UTC (milliseconds dropped). */
function wallClockMs(instantMs: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const part of formatterFor(timeZone).formatToParts(new Date(instantMs))) {
    if (part.type !== 'literal') parts[part.type] = Number(part.value);
  }
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/** UTC offset of the zone at that instant, in milliseconds (+1 h in Berlin in winter). */
export function offsetAt(instantMs: number, timeZone: string): number {
  return wallClockMs(instantMs, timeZone) - Math.floor(instantMs / 1_000) * 1_000;
}

/** The local calendar date of an instant in the zone. */
export function localDateOf(instantMs: number, timeZone: string): LocalDate {
  const wall = new Date(wallClockMs(instantMs, timeZone));
  return { year: wall.getUTCFullYear(), month: wall.getUTCMonth() + 1, day: wall.getUTCDate() };
}

/** `date` moved by whole days on the calendar. */
export function addDays({ year, month, day }: LocalDate, days: number): LocalDate {
  const moved = new Date(Date.UTC(year, month - 1, day + days));
  return { year: moved.getUTCFullYear(), month: moved.getUTCMonth() + 1, day: moved.getUTCDate() };
}

/** 0 = Sunday … 6 = Saturday, as cron counts. */
export function weekday({ year, month, day }: LocalDate): number {
  return new Date(Date.UTC(year, month - 1, day)).getUTCDay();
}

export function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/**
 * Turns local times of one calendar day into instants. Looks for an offset change from a day before to a
 * day after (finding the instant of the change by bisection, to the minute), so each time after that costs
 * arithmetic only.
 */
export interface DayResolver {
  /**
   * The instant of a local time that day, read the way JavaScript's `Date` and Temporal's default
   * ('compatible') read it: a time that occurs twice is its earlier occurrence; a time skipped by a
   * spring-forward change is read with the offset from before the change, so 02:30 becomes 03:30.
   */
  instantOf(hour: number, minute: number): number;
}

/** Resolvers of recently used days: a day's offsets never change, and each costs `Intl` calls. */
const resolvedDays = new Map<string, DayResolver>();
const MAX_RESOLVED_DAYS = 2_000;

export function resolveDay(date: LocalDate, timeZone: string): DayResolver {
  const key = `${timeZone}|${date.year}-${date.month}-${date.day}`;
  let resolver = resolvedDays.get(key);
  if (!resolver) {
    resolver = buildDayResolver(date, timeZone);
    if (resolvedDays.size >= MAX_RESOLVED_DAYS) resolvedDays.clear();
    resolvedDays.set(key, resolver);
  }
  return resolver;
}

function buildDayResolver(date: LocalDate, timeZone: string): DayResolver {
  const midnight = Date.UTC(date.year, date.month - 1, date.day);
  const from = midnight - 2 * DAY_MS;
  const to = midnight + 2 * DAY_MS;
  const before = offsetAt(from, timeZone);
  const after = offsetAt(to, timeZone);
  if (before === after) return { instantOf: (hour, minute) => midnight + (hour * 60 + minute) * MINUTE_MS - before };

  // The first minute with the new offset: offsets only change on whole minutes in the tz database since 1970.
  let low = from / MINUTE_MS;
  let high = to / MINUTE_MS;
  while (high - low > 1) {
    const middle = Math.floor((low + high) / 2);
    if (offsetAt(middle * MINUTE_MS, timeZone) === before) low = middle;
    else high = middle;
  }
  const change = high * MINUTE_MS;
  return {
    instantOf(hour, minute) {
      const wall = midnight + (hour * 60 + minute) * MINUTE_MS;
      const withBefore = wall - before;
      const withAfter = wall - after;
      const validBefore = withBefore < change;
      const validAfter = withAfter >= change;
      if (validBefore && validAfter) return Math.min(withBefore, withAfter);
      if (validAfter) return withAfter;
      // Valid with the old offset, or not at all (skipped): either way the old offset reads it.
      return withBefore;
    },
  };
}
