/**
 * A weekly slot (weekday, local time of day) and the cron expression it is stored and scheduled as: `M H * * D`,
 * read in the schedule's IANA zone by the jobs module, which also settles daylight saving (src/jobs/cron.ts).
 */

/** Weekdays as cron counts them (0 = Sunday), in the order a week reads in most of Europe. */
export const WEEKDAYS = [
  { value: 1, name: 'Monday' },
  { value: 2, name: 'Tuesday' },
  { value: 3, name: 'Wednesday' },
  { value: 4, name: 'Thursday' },
  { value: 5, name: 'Friday' },
  { value: 6, name: 'Saturday' },
  { value: 0, name: 'Sunday' },
] as const;

export type Weekday = (typeof WEEKDAYS)[number]['value'];

export interface WeeklySlot {
  weekday: Weekday;
  hour: number;
  minute: number;
}

export function isWeekday(value: number): value is Weekday {
  return WEEKDAYS.some((day) => day.value === value);
}

export function weekdayName(weekday: Weekday): string {
  return WEEKDAYS.find((day) => day.value === weekday)?.name ?? 'Sunday';
}

/** `20:00`, `8:30` or `08:30` on a 24-hour clock → hour and minute; anything else (`25:00`, `8pm`) → null. */
export function parseTimeOfDay(text: string): { hour: number; minute: number } | null {
  const match = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text.trim());
  if (!match) return null;
  return { hour: Number(match[1]), minute: Number(match[2]) };
}

/** `20:05`: always two digits each. */
export function formatTimeOfDay({ hour, minute }: { hour: number; minute: number }): string {
  return `${String(hour).padStart(2, '0')}:${String(minute).padStart(2, '0')}`;
}

export function weeklyCron({ weekday, hour, minute }: WeeklySlot): string {
  return `${minute} ${hour} * * ${weekday}`;
}

/** Reads back what `weeklyCron` wrote; throws on anything else, which only a hand-edited row could hold. */
export function readWeeklyCron(cron: string): WeeklySlot {
  const match = /^(\d{1,2}) (\d{1,2}) \* \* (\d)$/.exec(cron);
  const [minute, hour, weekday] = match ? [Number(match[1]), Number(match[2]), Number(match[3])] : [];
  if (
    minute === undefined ||
    hour === undefined ||
    weekday === undefined ||
    minute > 59 ||
    hour > 23 ||
    !isWeekday(weekday)
  ) {
    throw new RangeError(`"${cron}" is not a weekly schedule (M H * * D)`);
  }
  return { weekday, hour, minute };
}

/** `Fridays at 20:00`. */
export function describeSlot(slot: WeeklySlot): string {
  return `${weekdayName(slot.weekday)}s at ${formatTimeOfDay(slot)}`;
}
