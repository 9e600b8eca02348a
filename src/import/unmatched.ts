import { toCsv } from './csv-write.js';
import { IMDB_COLUMNS } from './imdb.js';
import { LETTERBOXD_COLUMNS } from './letterboxd.js';
import type { UnmatchedReason } from './matcher.js';
import type { ImportFormat, ImportRow } from './rows.js';

const WHY: Record<UnmatchedReason, string> = {
  'no-match': 'TMDB has no film with this title in this year (±1)',
  ambiguous: 'several films have this title and year: fill in tmdbID',
  'unknown-id': 'TMDB knows no film with this id',
};

const L = LETTERBOXD_COLUMNS;
const I = IMDB_COLUMNS;
const WHY_COLUMN = 'Why';

/**
 * The unmatched rows as a CSV the member can fix and import again with the same command: what to fix first (title,
 * year, tmdbID, why), then the row's other cells as they were. Letterboxd rows keep which file they came from in
 * `Source`, so one file can hold ratings, diary entries and watchlist films and still import each as what it was.
 */
export function unmatchedCsv(
  format: ImportFormat,
  rows: readonly { row: ImportRow; reason: UnmatchedReason }[],
): { name: string; text: string } | null {
  if (rows.length === 0) return null;
  const header =
    format === 'letterboxd'
      ? [L.name, L.year, L.tmdbId, WHY_COLUMN, L.source, L.date, L.rating, L.rewatch, L.tags, L.watchedDate, L.uri]
      : [I.id, I.title, I.year, I.tmdbId, WHY_COLUMN, I.rating, I.dateRated, I.titleType];
  const lines = rows.map(({ row, reason }) =>
    header.map((column) => (column === WHY_COLUMN ? WHY[reason] : (row.source[column] ?? ''))),
  );
  return { name: `unmatched-${format}.csv`, text: toCsv(header, lines) };
}
