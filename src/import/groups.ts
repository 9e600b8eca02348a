import { normaliseTitle } from '../db/repositories/movies.js';
import type { FilmRef, ImportRow } from './rows.js';

/** Rows by the film they name: each film is looked up once, however many rows name it. */
export type FilmGroups = Map<string, { film: FilmRef; rows: ImportRow[] }>;

/** Rows naming a film the same way share a key: its TMDB id, its IMDb id, or its normalised title and year. */
function filmKey(film: FilmRef): string {
  if (film.by === 'tmdb') return `tmdb:${film.tmdbId}`;
  if (film.by === 'imdb') return `imdb:${film.imdbId}`;
  return `title:${normaliseTitle(film.title)}|${film.year ?? ''}`;
}

export function groupByFilm(rows: readonly ImportRow[]): FilmGroups {
  const groups: FilmGroups = new Map();
  for (const row of rows) {
    const key = filmKey(row.film);
    const group = groups.get(key);
    if (group) group.rows.push(row);
    else groups.set(key, { film: row.film, rows: [row] });
  }
  return groups;
}
