import { z } from 'zod';
import { UserFacingError } from '../errors.js';
import { isCalendarDate } from '../time.js';
import type { CsvTable } from './csv.js';
import type { FilmRef } from './rows.js';

/** Nobody logged a film before this; an earlier date is a typo (the diary's own bound, services/diary.ts). */
const EARLIEST_DATE = '1900-01-01';

/** A `YYYY-MM-DD` that exists, from 1900 up to `latest` (today, give or take a time zone). */
export function calendarDay(latest: string) {
  return z
    .string()
    .trim()
    .refine(isCalendarDate, { message: 'is not a date like 2024-01-31' })
    .refine((date) => date >= EARLIEST_DATE && date <= latest, {
      message: `is not between ${EARLIEST_DATE} and today`,
    });
}

export const title = z.string().trim().min(1, 'is empty').max(512, 'is longer than 512 characters');

/** A release year, or null when the cell is empty (some exports leave it out). */
export const optionalYear = z
  .string()
  .trim()
  .regex(/^(\d{4})?$/, 'is not a year like 1999')
  .transform((year) => (year === '' ? null : Number(year)))
  .refine((year) => year === null || (year >= 1870 && year <= 2100), 'is not a year films were made in');

/** A TMDB id a member filled in (or our own export wrote), or null. */
export const optionalTmdbId = z
  .string()
  .trim()
  .regex(/^(\d{1,9})?$/, 'is not a TMDB id (digits only, e.g. 603)')
  .transform((id) => (id === '' ? null : Number(id)))
  .refine((id) => id === null || id > 0, 'is not a TMDB id');

export const optionalImdbId = z
  .string()
  .trim()
  .regex(/^(tt\d{5,10})?$/, 'is not an IMDb id like tt0133093')
  .transform((id) => (id === '' ? null : id));

/** How a row names its film: an id when the file has one, else title and year. */
export function filmRef(name: string, year: number | null, tmdbId: number | null, imdbId: string | null): FilmRef {
  if (tmdbId !== null) return { by: 'tmdb', tmdbId, title: name, year };
  if (imdbId !== null) return { by: 'imdb', imdbId, title: name, year };
  return { by: 'title', title: name, year };
}

/** Refuses a file that lacks any of `required`, naming them and what the file has instead. */
export function requireColumns(table: CsvTable, required: readonly string[], hint: string): void {
  const missing = required.filter((column) => !table.header.includes(column));
  if (missing.length === 0) return;
  const has = table.header.length > 0 ? table.header.slice(0, 12).join(', ') : 'no header row';
  throw new UserFacingError(
    'import-bad-columns',
    `${table.name} lacks the column${missing.length > 1 ? 's' : ''} ${missing.join(', ')} (it has: ${has}). ${hint}`,
  );
}

/**
 * One record through its zod schema: the parsed row, or a refusal naming the file, line, column and value, so the
 * member can find it. One bad row refuses the whole file: nothing is written from a file that is not what it claims.
 */
export function checkRecord<Schema extends z.ZodType>(
  schema: Schema,
  table: CsvTable,
  record: CsvTable['records'][number],
): z.output<Schema> {
  const result = schema.safeParse(record.values);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const column = String(issue?.path[0] ?? '');
  const value = record.values[column] ?? '';
  const shown = value.length > 40 ? `${value.slice(0, 40)}…` : value;
  throw new UserFacingError(
    'import-bad-row',
    `${table.name}, line ${record.line}: ${column || 'the row'} ${issue?.message ?? 'is not valid'} (it says “${shown}”). Fix that line or upload the file as the site exported it; nothing was imported.`,
  );
}

/** For a column a file may leave out: absent reads as an empty cell. */
export function optionalColumn<Schema extends z.ZodType>(schema: Schema) {
  return z.preprocess((value) => value ?? '', schema);
}
