import type { StarValue } from '../format.js';

/** Where an import comes from: `/import letterboxd` or `/import imdb` (the operator script guesses it from the file). */
export const IMPORT_FORMATS = ['letterboxd', 'imdb'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/**
 * What a row says happened: a rating, a diary entry (a viewing on a date, maybe rated then), a film marked as watched
 * without a date, or a film on the watchlist.
 */
export type RowKind = 'rating' | 'diary' | 'watched' | 'watchlist';

/** How a row names its film: by TMDB id, by IMDb id, or only by title and (maybe) year. */
export type FilmRef =
  | { by: 'tmdb'; tmdbId: number; title: string; year: number | null }
  | { by: 'imdb'; imdbId: string; title: string; year: number | null }
  | { by: 'title'; title: string; year: number | null };

/** One row of an uploaded file, checked (zod) and in Marquee's terms. */
export interface ImportRow {
  /** The file it came from (`ratings.csv`) and its line there, for the unmatched list and error messages. */
  file: string;
  line: number;
  kind: RowKind;
  film: FilmRef;
  /** `YYYY-MM-DD`: when it was rated, logged or added (what decides which of two ratings is newer). */
  date: string;
  /** The rating, in half stars; null when the row has none (a diary entry without one, a watched film). */
  stars: StarValue | null;
  /** Diary rows: the day the film was watched. */
  watchedOn: string | null;
  /** The row as it was in the file (column → text), to give unmatched rows back for fixing. */
  source: Readonly<Record<string, string>>;
}

/** A row skipped because it is no film (an IMDb TV series or episode): counted, never looked up. */
export interface NotFilmRow {
  file: string;
  line: number;
  title: string;
  titleType: string;
}

/** A checked upload, ready to match: nothing of it was written yet. */
export interface ParsedImport {
  format: ImportFormat;
  /** Each file read (a zip's recognised entries, or the one CSV), with its kind and row count. */
  files: { name: string; kind: string; rows: number }[];
  rows: ImportRow[];
  notFilms: NotFilmRow[];
}
