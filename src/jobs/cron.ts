import { addDays, daysInMonth, localDateOf, resolveDay, weekday, type LocalDate } from './time-zone.js';

/**
 * Cron expressions and their fire times, as pure functions of (expression, IANA zone, instant).
 *
 * Syntax: five fields, `minute hour day-of-month month day-of-week`, each `*`, a number, a range `a-b`, a
 * step (`*\/n`, `a-b/n`, `a/n`), or a comma list of those; month names `jan`-`dec`, weekday names
 * `sun`-`sat`, 7 also Sunday; `@yearly`, `@monthly`, `@weekly`, `@daily`, `@hourly`. As in Vixie cron, when
 * both day fields are restricted a day matches either; a field starting with `*` is unrestricted. No
 * seconds field: a slot is a whole minute, which is also what keys a claimed run.
 *
 * Daylight saving: a matching local time becomes an instant the way JavaScript's `Date` and Temporal read
 * local times. A time that occurs twice (autumn) fires once, at its earlier occurrence; a time skipped by a
 * spring-forward change fires at the same distance past the change (02:30 in Berlin on the last Sunday of
 * March fires at 03:30 CEST), so a daily job runs every day. Two times that land on one instant fire once.
 * Jobs that must keep even real-time intervals (every 15 minutes through the night) belong in `UTC`.
 */
export interface CronSchedule {
  readonly expression: string;
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly daysOfMonth: ReadonlySet<number>;
  readonly months: ReadonlySet<number>;
  readonly daysOfWeek: ReadonlySet<number>;
  readonly dayOfMonthRestricted: boolean;
  readonly dayOfWeekRestricted: boolean;
}

export class CronExpressionError extends TypeError {
  override readonly name = 'CronExpressionError';
}

const NICKNAMES: Readonly<Record<string, string>> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MONTH_NAMES = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];
const WEEKDAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

interface FieldSpec {
  name: string;
  min: number;
  max: number;
  names?: readonly string[];
  /** The first name stands for this number (1 for January). */
  firstNameValue?: number;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTH_NAMES, firstNameValue: 1 },
  { name: 'day of week', min: 0, max: 7, names: WEEKDAY_NAMES, firstNameValue: 0 },
] as const satisfies readonly FieldSpec[];

function parseValue(text: string, spec: FieldSpec, expression: string): number {
  const named = spec.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named >= 0) return named + (spec.firstNameValue ?? 0);
  if (!/^\d+$/.test(text)) throw new CronExpressionError(`"${expression}": "${text}" is not a valid ${spec.name}`);
  const value = Number(text);
  if (value < spec.min || value > spec.max) {
    throw new CronExpressionError(`"${expression}": ${spec.name} ${value} is outside ${spec.min}-${spec.max}`);
  }
  return value;
}

function parseField(field: string, spec: FieldSpec, expression: string): Set<number> {
  const values = new Set<number>();
  for (const part of field.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined || range === '') {
      throw new CronExpressionError(`"${expression}": bad ${spec.name} "${part}"`);
    }
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1 || stepText === '') {
      throw new CronExpressionError(`"${expression}": bad step in ${spec.name} "${part}"`);
    }
    let first: number;
    let last: number;
    if (range === '*') {
      [first, last] = [spec.min, spec.max];
    } else if (range.includes('-')) {
      const [from = '', to = ''] = range.split('-');
      [first, last] = [parseValue(from, spec, expression), parseValue(to, spec, expression)];
      if (first > last) throw new CronExpressionError(`"${expression}": ${spec.name} range "${range}" runs backwards`);
    } else {
      first = parseValue(range, spec, expression);
      // `a/n` means from a to the end of the field, as in Vixie cron.
      last = stepText === undefined ? first : spec.max;
    }
    for (let value = first; value <= last; value += step) values.add(value);
  }
  return values;
}

/** Parses and checks an expression; throws a CronExpressionError that says what is wrong. */
export function parseCron(expression: string): CronSchedule {
  const trimmed = expression.trim();
  const fields = (NICKNAMES[trimmed.toLowerCase()] ?? trimmed).split(/\s+/);
  if (fields.length !== 5) {
    throw new CronExpressionError(
      `"${expression}": expected 5 fields (minute hour day month weekday), got ${fields.length}`,
    );
  }
  const [minute, hour, dayOfMonth, month, dayOfWeek] = fields.map((field, index) =>
    parseField(field, FIELDS[index] ?? FIELDS[0], expression),
  ) as [Set<number>, Set<number>, Set<number>, Set<number>, Set<number>];
  if (dayOfWeek.delete(7)) dayOfWeek.add(0);
  const schedule: CronSchedule = {
    expression,
    minutes: [...minute].sort((a, b) => a - b),
    hours: [...hour].sort((a, b) => a - b),
    daysOfMonth: dayOfMonth,
    months: month,
    daysOfWeek: dayOfWeek,
    dayOfMonthRestricted: !(fields[2] ?? '*').startsWith('*'),
    dayOfWeekRestricted: !(fields[4] ?? '*').startsWith('*'),
  };
  const anyDayOfWeek = schedule.dayOfWeekRestricted && schedule.dayOfMonthRestricted;
  const possible = [...month].some((m) => [...dayOfMonth].some((day) => day <= (m === 2 ? 29 : daysInMonth(2001, m))));
  if (!anyDayOfWeek && !possible) throw new CronExpressionError(`"${expression}": names no day that exists`);
  return schedule;
}

function matchesDay(schedule: CronSchedule, date: LocalDate): boolean {
  if (!schedule.months.has(date.month)) return false;
  const byMonthDay = schedule.daysOfMonth.has(date.day);
  const byWeekday = schedule.daysOfWeek.has(weekday(date));
  if (schedule.dayOfMonthRestricted && schedule.dayOfWeekRestricted) return byMonthDay || byWeekday;
  return byMonthDay && byWeekday;
}

/** Every fire instant of one local day, ascending and without duplicates. */
function firesOn(schedule: CronSchedule, date: LocalDate, timeZone: string): number[] {
  if (!matchesDay(schedule, date)) return [];
  const day = resolveDay(date, timeZone);
  const instants = new Set<number>();
  for (const hour of schedule.hours) for (const minute of schedule.minutes) instants.add(day.instantOf(hour, minute));
  return [...instants].sort((a, b) => a - b);
}

/**
 * Days to search: Feb 29 on a given weekday recurs within 28 years, but a date-only expression like
 * `0 0 29 2 *` needs at most 8 (2096 → 2104). Only matching days cost more than calendar arithmetic.
 */
const SEARCH_DAYS = 366 * 9;

function toSchedule(expression: string | CronSchedule): CronSchedule {
  return typeof expression === 'string' ? parseCron(expression) : expression;
}

/**
 * The first fire instant strictly after `after`. Local days are searched in order; once one yields an
 * instant, the next day is checked too, since a skipped time moved past midnight could land earlier.
 */
export function nextFireTime(expression: string | CronSchedule, timeZone: string, after: Date): Date {
  const schedule = toSchedule(expression);
  const afterMs = after.getTime();
  let date = addDays(localDateOf(afterMs, timeZone), -1);
  let best: number | undefined;
  for (let i = 0; i < SEARCH_DAYS; i++, date = addDays(date, 1)) {
    const found = firesOn(schedule, date, timeZone).find((instant) => instant > afterMs);
    if (found !== undefined) {
      if (best !== undefined) return new Date(Math.min(best, found));
      best = found;
    } else if (best !== undefined) {
      return new Date(best);
    }
  }
  if (best !== undefined) return new Date(best);
  throw new CronExpressionError(`"${schedule.expression}" does not fire within ${SEARCH_DAYS} days`);
}

/** The latest fire instant at or before `atOrBefore`: the slot that is due at that moment. */
export function previousFireTime(expression: string | CronSchedule, timeZone: string, atOrBefore: Date): Date {
  const schedule = toSchedule(expression);
  const limitMs = atOrBefore.getTime();
  let date = addDays(localDateOf(limitMs, timeZone), 1);
  let best: number | undefined;
  for (let i = 0; i < SEARCH_DAYS; i++, date = addDays(date, -1)) {
    const found = firesOn(schedule, date, timeZone).findLast((instant) => instant <= limitMs);
    if (found !== undefined) {
      if (best !== undefined) return new Date(Math.max(best, found));
      best = found;
    } else if (best !== undefined) {
      return new Date(best);
    }
  }
  if (best !== undefined) return new Date(best);
  throw new CronExpressionError(`"${schedule.expression}" did not fire within ${SEARCH_DAYS} days`);
}
