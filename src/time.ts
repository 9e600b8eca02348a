/** Durations, time zones and calendar dates: the one place that knows how long a day is. */

export const SECOND_MS = 1_000;
export const MINUTE_MS = 60 * SECOND_MS;
export const HOUR_MS = 60 * MINUTE_MS;
export const DAY_MS = 24 * HOUR_MS;

const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** The canonical IANA name of a time zone (`europe/paris` → `Europe/Paris`), or null when it is not one. */
export function canonicalTimeZone(input: string): string | null {
  const name = input.trim();
  if (name === '' || name.length > 64) return null;
  try {
    const resolved = new Intl.DateTimeFormat('en', { timeZone: name }).resolvedOptions().timeZone;
    // Newer ICU versions accept raw offsets like "+01:00"; they are not zones and follow no daylight saving.
    return /^[+-]/.test(resolved) ? null : resolved;
  } catch {
    return null;
  }
}

/** The calendar date (`YYYY-MM-DD`) at `at` in an IANA time zone; an unknown zone counts as UTC. */
export function calendarDate(at: Date, timeZone: string): string {
  const parts = (zone: string) =>
    new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).formatToParts(at);
  let found: Intl.DateTimeFormatPart[];
  try {
    found = parts(timeZone);
  } catch {
    found = parts('UTC');
  }
  const part = (type: Intl.DateTimeFormatPartTypes) => found.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

/** `YYYY-MM-DD` moved by whole days (calendar arithmetic, no time zone involved). */
export function shiftDate(date: string, days: number): string {
  const [year = 0, month = 1, day = 1] = date.split('-').map(Number);
  return new Date(Date.UTC(year, month - 1, day) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Whether the text is a `YYYY-MM-DD` date that exists (no 30 February). */
export function isCalendarDate(date: string): boolean {
  const match = DATE_PATTERN.exec(date);
  if (!match) return false;
  const [, year, month, day] = match.map(Number);
  const utc = new Date(Date.UTC(year ?? 0, (month ?? 1) - 1, day ?? 1));
  // Date.UTC rolls 2026-02-30 over to March; a real date survives the round trip.
  return utc.getUTCFullYear() === year && utc.getUTCMonth() + 1 === month && utc.getUTCDate() === day;
}
