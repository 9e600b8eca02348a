import { z } from 'zod';
import { UserFacingError } from '../errors.js';
import { isStarValue, type StarValue } from '../format.js';
import type { CsvTable } from './csv.js';
import {
  calendarDay,
  checkRecord,
  filmRef,
  optionalColumn,
  optionalImdbId,
  optionalTmdbId,
  optionalYear,
  requireColumns,
  title,
} from './fields.js';
import type { ImportRow, RowKind } from './rows.js';

/**
 * Letterboxd's export (Settings → Data → Export your data): a zip whose top level holds `ratings.csv`, `diary.csv`,
 * `watched.csv` and `watchlist.csv` among others (reviews, lists, likes, and `deleted/`, which are not imported).
 * Every file has `Date, Name, Year, Letterboxd URI`; ratings add `Rating` (½-5 in halves), the diary `Rating,
 * Rewatch, Tags, Watched Date`. Marquee's own export adds `tmdbID`, which Letterboxd's importer reads too, and the
 * list of unmatched rows it gives back adds `Source` (which file each row came from), so one file can be fixed and
 * imported again.
 */
export const LETTERBOXD_FILES = ['ratings', 'diary', 'watched', 'watchlist'] as const;
export type LetterboxdFile = (typeof LETTERBOXD_FILES)[number];

export const LETTERBOXD_COLUMNS = {
  date: 'Date',
  name: 'Name',
  year: 'Year',
  uri: 'Letterboxd URI',
  rating: 'Rating',
  rewatch: 'Rewatch',
  tags: 'Tags',
  watchedDate: 'Watched Date',
  tmdbId: 'tmdbID',
  imdbId: 'imdbID',
  source: 'Source',
} as const;
const C = LETTERBOXD_COLUMNS;

const BASE_COLUMNS = [C.date, C.name, C.year];
const REQUIRED: Record<LetterboxdFile | 'mixed', readonly string[]> = {
  ratings: [...BASE_COLUMNS, C.rating],
  diary: [...BASE_COLUMNS, C.rating, C.watchedDate],
  watched: BASE_COLUMNS,
  watchlist: BASE_COLUMNS,
  mixed: [...BASE_COLUMNS, C.source],
};
const KIND_OF: Record<LetterboxdFile, RowKind> = {
  ratings: 'rating',
  diary: 'diary',
  watched: 'watched',
  watchlist: 'watchlist',
};
const HINT = 'Upload Letterboxd’s export zip, or one of its ratings.csv, diary.csv, watched.csv or watchlist.csv.';

/** The top-level entries of an export zip that are imported; anything else in it is left alone. */
export function isLetterboxdZipEntry(name: string): boolean {
  return letterboxdFileNamed(name) !== null && !name.includes('/');
}

/** `ratings.csv` → 'ratings' (any folder, any case), or null. */
function letterboxdFileNamed(path: string): LetterboxdFile | null {
  const base = (path.split('/').pop() ?? '').toLowerCase();
  return LETTERBOXD_FILES.find((file) => base === `${file}.csv`) ?? null;
}

/**
 * Which file an uploaded CSV is, by its columns: `Source` is our list of unmatched rows, `Watched Date` a diary,
 * `Rating` the ratings. Watched and watchlist files have the same columns, so their name tells them apart.
 */
function kindOf(table: CsvTable, fromZip: boolean): LetterboxdFile | 'mixed' {
  const named = letterboxdFileNamed(table.name);
  if (fromZip && named) return named;
  requireColumns(
    table,
    BASE_COLUMNS,
    table.header.includes('Const') ? 'That is an IMDb file: use /import imdb.' : HINT,
  );
  if (table.header.includes(C.source)) return 'mixed';
  if (table.header.includes(C.watchedDate)) return 'diary';
  if (table.header.includes(C.rating)) return 'ratings';
  if (named === 'watched' || named === 'watchlist') return named;
  throw new UserFacingError(
    'import-bad-columns',
    `${table.name} has the columns of both watched.csv and watchlist.csv: name the file watched.csv or watchlist.csv so Marquee knows which it is.`,
  );
}

const starsCell = z
  .string()
  .trim()
  .refine((value) => value === '' || isStarValue(Number(value)), 'must be from 0.5 to 5 in half stars')
  .transform((value): StarValue | null => (value === '' ? null : (Number(value) as StarValue)));

function rowSchema(latest: string) {
  const day = calendarDay(latest);
  return z.object({
    [C.date]: day,
    [C.name]: title,
    [C.year]: optionalYear,
    [C.rating]: optionalColumn(starsCell),
    [C.watchedDate]: optionalColumn(z.union([z.literal(''), day])),
    [C.tmdbId]: optionalColumn(optionalTmdbId),
    [C.imdbId]: optionalColumn(optionalImdbId),
    [C.source]: optionalColumn(
      z
        .string()
        .trim()
        .toLowerCase()
        .refine((source) => source === '' || (LETTERBOXD_FILES as readonly string[]).includes(source), {
          message: `must be one of ${LETTERBOXD_FILES.join(', ')}`,
        }),
    ),
  });
}

/** A row's own needs beyond its cells' formats: a rating in ratings, a watch date in the diary. */
function missingFor(file: LetterboxdFile, row: { stars: StarValue | null; watchedOn: string | null }): string | null {
  if (file === 'ratings' && row.stars === null) return `${C.rating} is empty`;
  if (file === 'diary' && row.watchedOn === null) return `${C.watchedDate} is empty`;
  return null;
}

/** Every row of one Letterboxd CSV, checked; a file that is not one, or any bad row, refuses the upload. */
export function letterboxdRows(
  table: CsvTable,
  latestDate: string,
  fromZip: boolean,
): { kind: string; rows: ImportRow[] } {
  const kind = kindOf(table, fromZip);
  requireColumns(table, REQUIRED[kind], HINT);
  const schema = rowSchema(latestDate);
  const rows = table.records.map((record): ImportRow => {
    const cells = checkRecord(schema, table, record);
    const file = kind === 'mixed' ? (cells[C.source] as LetterboxdFile | '') : kind;
    if (file === '') {
      throw new UserFacingError(
        'import-bad-row',
        `${table.name}, line ${record.line}: ${C.source} is empty; it must say ratings, diary, watched or watchlist.`,
      );
    }
    const watchedOn = cells[C.watchedDate] === '' ? null : cells[C.watchedDate];
    const stars = file === 'watched' || file === 'watchlist' ? null : cells[C.rating];
    const missing = missingFor(file, { stars, watchedOn });
    if (missing) {
      throw new UserFacingError(
        'import-bad-row',
        `${table.name}, line ${record.line}: ${missing}. Nothing was imported.`,
      );
    }
    return {
      file: table.name,
      line: record.line,
      kind: KIND_OF[file],
      film: filmRef(cells[C.name], cells[C.year], cells[C.tmdbId], cells[C.imdbId]),
      date: cells[C.date],
      stars,
      watchedOn: file === 'diary' ? watchedOn : null,
      source: { ...record.values, [C.source]: file },
    };
  });
  return { kind: kind === 'mixed' ? 'unmatched rows' : kind, rows };
}
