import type { ExportDiaryEntry, ExportRating } from '../db/repositories/imports.js';
import { toCsv } from './csv-write.js';
import { LETTERBOXD_COLUMNS } from './letterboxd.js';

const C = LETTERBOXD_COLUMNS;
const year = (releaseDate: string | null) => releaseDate?.slice(0, 4) ?? '';
const day = (at: Date) => at.toISOString().slice(0, 10);

/**
 * A member's ratings and diary as Letterboxd's own export writes them (`ratings.csv`, `diary.csv`), plus `tmdbID`,
 * which Letterboxd's importer reads and which makes `/import letterboxd` match by id, never by title. Marquee keeps one
 * rating per film, so a diary row carries it only on the film's latest entry; the earlier entries are rewatches'
 * predecessors and later ones `Rewatch: Yes`. The Letterboxd URI is left empty: Marquee does not know it.
 */
export function letterboxdExport(data: { ratings: readonly ExportRating[]; diary: readonly ExportDiaryEntry[] }): {
  ratings: string;
  diary: string;
} {
  const ratings = toCsv(
    [C.date, C.name, C.year, C.uri, C.rating, C.tmdbId],
    data.ratings.map((rating) => [
      day(rating.ratedAt),
      rating.title,
      year(rating.releaseDate),
      '',
      String(rating.score),
      String(rating.movieId),
    ]),
  );
  const scoreOf = new Map(data.ratings.map((rating) => [rating.movieId, rating.score]));
  const latestEntry = new Map<number, number>();
  for (const entry of data.diary) latestEntry.set(entry.movieId, entry.entryId);
  const seen = new Set<number>();
  const diary = toCsv(
    [C.date, C.name, C.year, C.uri, C.rating, C.rewatch, C.tags, C.watchedDate, C.tmdbId],
    data.diary.map((entry) => {
      const rewatch = seen.has(entry.movieId);
      seen.add(entry.movieId);
      const score = latestEntry.get(entry.movieId) === entry.entryId ? scoreOf.get(entry.movieId) : undefined;
      return [
        day(entry.createdAt),
        entry.title,
        year(entry.releaseDate),
        '',
        score === undefined ? '' : String(score),
        rewatch ? 'Yes' : '',
        '',
        entry.watchedOn,
        String(entry.movieId),
      ];
    }),
  );
  return { ratings, diary };
}
