import { z } from 'zod';
import type { StarValue } from '../format.js';
import type { CsvTable } from './csv.js';
import {
  calendarDay,
  checkRecord,
  filmRef,
  optionalColumn,
  optionalTmdbId,
  optionalYear,
  requireColumns,
  title,
} from './fields.js';
import type { ImportRow, NotFilmRow } from './rows.js';

/**
 * IMDb's ratings export (Your Ratings → ⋯ → Export): `Const` (the tt id), `Your Rating` (1-10), `Date Rated`,
 * `Title`, `Original Title`, `URL`, `Title Type`, `IMDb Rating`, `Runtime (mins)`, `Year`, `Genres`, `Num Votes`,
 * `Release Date`, `Directors`. Only the columns below are read; the list of unmatched rows Marquee gives back adds
 * `tmdbID` for the member to fill in.
 */
export const IMDB_COLUMNS = {
  id: 'Const',
  rating: 'Your Rating',
  dateRated: 'Date Rated',
  title: 'Title',
  titleType: 'Title Type',
  year: 'Year',
  tmdbId: 'tmdbID',
} as const;
const C = IMDB_COLUMNS;

/**
 * Title types that are no film (IMDb writes "TV Series" in exports, `tvSeries` in its datasets): skipped and counted.
 * TV films, shorts, specials and videos are films to TMDB, so they are looked up.
 */
const NOT_FILMS = new Set([
  'tv series',
  'tv mini series',
  'tv episode',
  'video game',
  'podcast series',
  'podcast episode',
  'music video',
]);

/** "TV Mini-Series", "tvMiniSeries" → "tv mini series". */
function normaliseType(type: string): string {
  return type
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[^a-z]+/g, ' ')
    .trim();
}

export function isFilmType(titleType: string): boolean {
  return !NOT_FILMS.has(normaliseType(titleType));
}

/** IMDb's 1-10 in Marquee's half stars: halved, to the nearest half star (7 → 3½★). */
export function tenPointToStars(rating: number): StarValue {
  return Math.min(5, Math.max(0.5, Math.round(rating) / 2)) as StarValue;
}

function rowSchema(latest: string) {
  return z.object({
    [C.id]: z
      .string()
      .trim()
      .regex(/^tt\d{5,10}$/, 'is not an IMDb id like tt0133093'),
    [C.rating]: z
      .string()
      .trim()
      .regex(/^([1-9]|10)$/, 'must be a whole number from 1 to 10')
      .transform(Number),
    [C.dateRated]: calendarDay(latest),
    [C.title]: title,
    [C.titleType]: z.string().trim(),
    [C.year]: optionalYear,
    [C.tmdbId]: optionalColumn(optionalTmdbId),
  });
}

/** Every row of an IMDb ratings CSV, checked: the films to rate, and the rows that are no film. */
export function imdbRows(table: CsvTable, latestDate: string): { rows: ImportRow[]; notFilms: NotFilmRow[] } {
  requireColumns(
    table,
    [C.id, C.rating, C.dateRated, C.title, C.titleType, C.year],
    table.header.includes('Letterboxd URI')
      ? 'That is a Letterboxd file: use /import letterboxd.'
      : 'Upload the CSV IMDb exports from Your Ratings.',
  );
  const schema = rowSchema(latestDate);
  const rows: ImportRow[] = [];
  const notFilms: NotFilmRow[] = [];
  for (const record of table.records) {
    const cells = checkRecord(schema, table, record);
    if (!isFilmType(cells[C.titleType])) {
      notFilms.push({ file: table.name, line: record.line, title: cells[C.title], titleType: cells[C.titleType] });
      continue;
    }
    const film = filmRef(cells[C.title], cells[C.year], cells[C.tmdbId], cells[C.id]);
    rows.push({
      file: table.name,
      line: record.line,
      kind: 'rating',
      film,
      date: cells[C.dateRated],
      stars: tenPointToStars(cells[C.rating]),
      watchedOn: null,
      source: record.values,
    });
  }
  return { rows, notFilms };
}
