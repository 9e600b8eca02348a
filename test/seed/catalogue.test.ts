import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadCatalogue, type CatalogueFilm } from '../../src/seed/catalogue.js';
import { genreName } from '../../src/tmdb/genres.js';
import { checkAgainstMovieLens, type MovieLensCheck } from './movielens-check.js';

const films = loadCatalogue();

function countBy<T>(
  items: readonly T[],
  keys: (item: T) => readonly (number | string)[],
): Map<number | string, number> {
  const counts = new Map<number | string, number>();
  for (const item of items) for (const key of keys(item)) counts.set(key, (counts.get(key) ?? 0) + 1);
  return counts;
}

const decadeOf = (film: CatalogueFilm) => Math.floor(film.year / 10) * 10;

describe('the built-in catalogue (data/catalogue.json)', () => {
  it('holds at least 400 films', () => {
    expect(films.length).toBeGreaterThanOrEqual(400);
  });

  it('lists each TMDB id and each IMDb id once', () => {
    expect(new Set(films.map((film) => film.tmdbId)).size).toBe(films.length);
    expect(new Set(films.map((film) => film.imdbId)).size).toBe(films.length);
  });

  it('has films from every decade from the 1940s to the 2010s', () => {
    const decades = countBy(films, (film) => [decadeOf(film)]);
    for (const decade of [1940, 1950, 1960, 1970, 1980, 1990, 2000, 2010])
      expect(decades.get(decade)).toBeGreaterThan(0);
  });

  it('carries at least 12 genres with 10 films or more each', () => {
    const genres = countBy(films, (film) => film.genreIds);
    const wellStocked = [...genres].filter(([, count]) => count >= 10).map(([id]) => genreName(Number(id)));
    expect(wellStocked.length).toBeGreaterThanOrEqual(12);
  });

  it('gives every film a plausible runtime (40 to 300 minutes)', () => {
    const implausible = films.filter((film) => film.runtime < 40 || film.runtime > 300);
    expect(implausible.map((film) => film.title)).toEqual([]);
  });

  it('keeps the films ordered by year, then title', () => {
    const ordered = [...films].sort((a, b) => a.year - b.year || a.title.localeCompare(b.title, 'en'));
    expect(films.map((film) => film.tmdbId)).toEqual(ordered.map((film) => film.tmdbId));
  });
});

// MovieLens (research licence) lives in ../shared and is never copied here. A fresh clone has no ../shared and skips
// this block; CI has it, and there a missing directory must fail rather than skip.
const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const MOVIELENS = path.resolve(repoRoot, '../shared/datasets/ml-latest-small');
const MAX_MISSING_SHARE = 0.1;

describe.runIf(existsSync(MOVIELENS) || Boolean(process.env.CI))('the catalogue against MovieLens', () => {
  let result: MovieLensCheck;

  beforeAll(() => {
    const read = (name: string) => readFileSync(path.join(MOVIELENS, name), 'utf8');
    result = checkAgainstMovieLens(films, read('links.csv'), read('movies.csv'));
  });

  it('agrees on the IMDb id, title and year of every film MovieLens lists', () => {
    expect(result.checked).toBeGreaterThan(0);
    expect(result.mismatches).toEqual([]);
  });

  it('finds all but at most 10 % of the films in MovieLens', () => {
    expect(result.missing / films.length).toBeLessThanOrEqual(MAX_MISSING_SHARE);
  });
});
