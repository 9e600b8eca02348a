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

/** Every IANA zone this runtime knows, UTC first: what time-zone options offer and typos are matched against. */
export const TIME_ZONES: readonly string[] = [
  'UTC',
  ...Intl.supportedValuesOf('timeZone').filter((zone) => zone !== 'UTC'),
];

/** Edit distance (insertions, deletions, substitutions), for telling a typo from another name. */
function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/**
 * Zones a member may have meant, best first: names containing what they typed (`berlin`, `new york`), else names
 * (or their city part) within a few typos (`Europe/Berln`, `Amrica/Chicago`). Empty when nothing is close, as for
 * `Mars/Olympus`.
 */
export function matchTimeZones(input: string, limit = 3): string[] {
  const typed = input.trim().toLowerCase().replaceAll(' ', '_');
  if (typed === '') return [];
  const containing = TIME_ZONES.filter((zone) => zone.toLowerCase().includes(typed));
  if (containing.length > 0) return containing.slice(0, limit);
  const allowed = Math.max(1, Math.floor(typed.length / 4));
  return TIME_ZONES.map((zone) => {
    const name = zone.toLowerCase();
    const city = name.slice(name.lastIndexOf('/') + 1);
    return { zone, distance: Math.min(editDistance(typed, name), editDistance(typed, city)) };
  })
    .filter(({ distance }) => distance <= allowed)
    .sort((a, b) => a.distance - b.distance || a.zone.localeCompare(b.zone))
    .slice(0, limit)
    .map(({ zone }) => zone);
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
