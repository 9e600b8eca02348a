/**
 * The built-in film catalogue (`data/catalogue.json`): a few hundred well-known films holding only facts anyone can
 * check (TMDB id, IMDb id, titles, year, genres, runtime). It feeds the seeder and the offline demo's local TMDB.
 * Written from public knowledge, never from MovieLens or TMDB dumps; test/seed/catalogue.test.ts checks it against
 * MovieLens where `../shared` is present.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { isMovieGenreId } from '../tmdb/genres.js';

const catalogueFilm = z.strictObject({
  tmdbId: z.number().int().positive(),
  imdbId: z.string().regex(/^tt\d{7,8}$/),
  title: z.string().min(1),
  originalTitle: z.string().min(1),
  year: z.number().int().min(1895).max(2100),
  genreIds: z.array(z.number().int().refine(isMovieGenreId, 'not a TMDB movie genre id')).min(1),
  runtime: z.number().int().positive(),
});

const catalogueFile = z.strictObject({
  about: z.string(),
  films: z.array(catalogueFilm).min(1),
});

export type CatalogueFilm = z.infer<typeof catalogueFilm>;

export const CATALOGUE_PATH = new URL('../../data/catalogue.json', import.meta.url);

/** Reads and checks the catalogue; a malformed file or a repeated TMDB id throws naming the entry. */
export function loadCatalogue(path: URL | string = CATALOGUE_PATH): CatalogueFilm[] {
  const { films } = catalogueFile.parse(JSON.parse(readFileSync(path, 'utf8')));
  const seen = new Set<number>();
  for (const film of films) {
    if (seen.has(film.tmdbId)) throw new Error(`data/catalogue.json lists TMDB id ${String(film.tmdbId)} twice`);
    seen.add(film.tmdbId);
  }
  return films;
}
