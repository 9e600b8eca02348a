import { describe, expect, it } from 'vitest';
import type { CatalogueFilm } from '../../src/seed/catalogue.js';
import { checkAgainstMovieLens, normaliseTitle, titleVariants } from './movielens-check.js';

function film(overrides: Partial<CatalogueFilm> & Pick<CatalogueFilm, 'tmdbId' | 'imdbId' | 'title'>): CatalogueFilm {
  return { originalTitle: overrides.title, year: 2000, genreIds: [18], runtime: 100, ...overrides };
}

// Hand-written rows in MovieLens's shape: links.csv's imdbId has no "tt" and its zero padding varies.
const LINKS = `movieId,imdbId,tmdbId
1,0133093,603
2,245429,129
3,0110413,101
4,0113247,406
5,0178868,2671
6,0103074,1541
7,0076759,11
8,0099999,
`;
const MOVIES = `movieId,title,genres
1,"Matrix, The (1999)",Action|Sci-Fi
2,Spirited Away (Sen to Chihiro no kamikakushi) (2001),Animation
3,Léon: The Professional (a.k.a. The Professional) (Léon) (1994),Action|Crime
4,"Hate (Haine, La) (1995)",Crime|Drama
5,Ringu (Ring) (1998),Horror
6,Thelma and Louise (1991),Adventure|Crime
7,Star Wars: Episode IV - A New Hope (1977),Action|Sci-Fi
8,Untitled (2001),Drama
`;

const check = (...films: CatalogueFilm[]) => checkAgainstMovieLens(films, LINKS, MOVIES);

const matrix = film({ tmdbId: 603, imdbId: 'tt0133093', title: 'The Matrix', year: 1999 });

describe('checkAgainstMovieLens', () => {
  it('accepts a film MovieLens writes with its article at the end ("Matrix, The")', () => {
    expect(check(matrix)).toEqual({ checked: 1, missing: 0, mismatches: [] });
  });

  it('accepts a title that matches one of the alternatives MovieLens gives in parentheses', () => {
    const result = check(
      film({ tmdbId: 129, imdbId: 'tt0245429', title: 'Spirited Away', originalTitle: '千と千尋の神隠し', year: 2001 }),
      film({ tmdbId: 101, imdbId: 'tt0110413', title: 'The Professional', originalTitle: 'Léon', year: 1994 }),
      film({ tmdbId: 2671, imdbId: 'tt0178868', title: 'Ring', originalTitle: 'リング', year: 1998 }),
    );
    expect(result).toEqual({ checked: 3, missing: 0, mismatches: [] });
  });

  it('accepts a match on the original title alone, with a foreign article moved to the end', () => {
    const laHaine = film({ tmdbId: 406, imdbId: 'tt0113247', title: 'Hatred', originalTitle: 'La Haine', year: 1995 });
    expect(check(laHaine).mismatches).toEqual([]);
  });

  it('reads "&" as "and" and ignores punctuation, case and diacritics', () => {
    const thelma = film({ tmdbId: 1541, imdbId: 'tt0103074', title: 'THELMA & LOUISE!', year: 1991 });
    expect(check(thelma).mismatches).toEqual([]);
    expect(normaliseTitle('Léon')).toBe(normaliseTitle('LEON'));
  });

  it('accepts a title without the subtitle MovieLens adds', () => {
    const starWars = film({ tmdbId: 11, imdbId: 'tt0076759', title: 'Star Wars', year: 1977 });
    expect(check(starWars).mismatches).toEqual([]);
    expect(titleVariants('Star Wars: Episode V - The Empire Strikes Back')).toContain(
      normaliseTitle('The Empire Strikes Back'),
    );
  });

  it('accepts a year one off and rejects one two off', () => {
    expect(check({ ...matrix, year: 1998 }).mismatches).toEqual([]);
    expect(check({ ...matrix, year: 2000 }).mismatches).toEqual([]);
    expect(check({ ...matrix, year: 2001 }).mismatches).toEqual([
      'TMDB 603 tt0133093 "The Matrix" (2001): year (MovieLens: 1999) disagrees',
    ]);
    expect(check({ ...matrix, year: 1997 }).mismatches).toHaveLength(1);
  });

  it('rejects a wrong IMDb id, whatever MovieLens pads its ids with', () => {
    expect(check({ ...matrix, imdbId: 'tt0133094' }).mismatches).toEqual([
      'TMDB 603 tt0133094 "The Matrix" (1999): IMDb id (MovieLens: 133093) disagrees',
    ]);
  });

  it('rejects a title that names another film', () => {
    const [mismatch] = check({
      ...matrix,
      title: 'The Matrix Reloaded',
      originalTitle: 'The Matrix Reloaded',
    }).mismatches;
    expect(mismatch).toContain('title (MovieLens: "Matrix, The") disagrees');
  });

  it('lists every offender, each with all that disagrees', () => {
    const result = check(
      { ...matrix, imdbId: 'tt0000001', year: 1950 },
      film({ tmdbId: 1541, imdbId: 'tt0103074', title: 'Thelma & Louise', year: 1991 }),
      film({ tmdbId: 406, imdbId: 'tt0113247', title: 'Hate', originalTitle: 'Haine', year: 1985 }),
    );
    expect(result.checked).toBe(3);
    expect(result.mismatches).toEqual([
      'TMDB 603 tt0000001 "The Matrix" (1950): IMDb id (MovieLens: 133093), year (MovieLens: 1999) disagrees',
      'TMDB 406 tt0113247 "Hate" (1985): year (MovieLens: 1995) disagrees',
    ]);
  });

  it('counts a film MovieLens does not list as missing, not as a mismatch', () => {
    const unknown = film({ tmdbId: 999_999, imdbId: 'tt9999999', title: 'Not in MovieLens', year: 2024 });
    expect(check(matrix, unknown)).toEqual({ checked: 1, missing: 1, mismatches: [] });
  });

  it('rejects a TMDB id MovieLens does not know when it knows the film by its IMDb id under another one', () => {
    const wrongTmdbId = { ...matrix, tmdbId: 604 };
    expect(check(wrongTmdbId)).toEqual({
      checked: 0,
      missing: 0,
      mismatches: ['TMDB 604 tt0133093 "The Matrix" (1999): TMDB id disagrees (MovieLens links the IMDb id to 603)'],
    });
  });
});
