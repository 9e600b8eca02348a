import { readFileSync } from 'node:fs';
import nock from 'nock';
import type { ImportFile } from '../../src/import/parse.js';
import { detailsBody, searchBody, TMDB_ORIGIN } from './film-support.js';
import { makeZip, type ZipEntrySpec } from './zip.js';

/** A sample export file from test/fixtures/import (`letterboxd/ratings.csv`), as an upload. */
export function importFixture(path: string): ImportFile {
  const bytes = readFileSync(new URL(`../fixtures/import/${path}`, import.meta.url));
  return { name: path.split('/').pop() ?? path, bytes };
}

/**
 * A Letterboxd export zip laid out as Letterboxd lays it out: the four files imports read at the top, and beside them
 * what they leave alone (profile, reviews, lists, likes, and `deleted/` and `orphaned/` diary files).
 */
export function letterboxdZip(files: Partial<Record<'ratings' | 'diary' | 'watched' | 'watchlist', Buffer>> = {}) {
  const entry = (name: 'ratings' | 'diary' | 'watched' | 'watchlist'): ZipEntrySpec => ({
    name: `${name}.csv`,
    data: files[name] ?? importFixture(`letterboxd/${name}.csv`).bytes,
  });
  const ignoredDiary =
    'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date\n2020-01-01,Cats,2019,,0.5,,,2020-01-01\n';
  return makeZip([
    { name: 'profile.csv', data: 'Date Joined,Username,Given Name\n2015-01-01,someone,Some\n' },
    entry('ratings'),
    entry('diary'),
    entry('watched'),
    entry('watchlist'),
    { name: 'reviews.csv', data: 'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n' },
    { name: 'lists/', data: '', store: true },
    { name: 'lists/favourites.csv', data: 'Letterboxd list export v7\n' },
    { name: 'likes/films.csv', data: 'Date,Name,Year,Letterboxd URI\n2020-01-01,Cats,2019,\n' },
    { name: 'deleted/diary.csv', data: ignoredDiary },
    { name: 'orphaned/diary.csv', data: ignoredDiary },
  ]);
}

/** A film TMDB knows, for `nockTmdbCatalogue`. */
export interface CatalogueFilm {
  id: number;
  title: string;
  releaseDate: string;
  imdbId?: string;
  originalTitle?: string;
}

export interface TmdbCatalogue {
  /** Every path TMDB was asked for, with its query, in order. */
  requests: string[];
  /** Answers are held until this resolves (set it to gate a request; `null` answers at once). */
  gate: ((path: string) => Promise<void> | null) | null;
  done(): void;
}

const fold = (text: string) =>
  text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();

/**
 * TMDB at nock's origin, answering from a small catalogue as TMDB would: `search/movie` (the query found in the title,
 * `primary_release_year` honoured, 20 a page), `find/{imdb id}`, `movie/{id}` (404 for an unknown id) and empty lists
 * of related films.
 */
export function nockTmdbCatalogue(films: readonly CatalogueFilm[]): TmdbCatalogue {
  const catalogue: TmdbCatalogue = { requests: [], gate: null, done: () => nock.cleanAll() };
  const answer = async (uri: string, reply: () => [number, unknown]): Promise<[number, unknown]> => {
    catalogue.requests.push(uri);
    const held = catalogue.gate?.(uri);
    if (held) await held;
    return reply();
  };
  const listed = (list: readonly CatalogueFilm[]) =>
    searchBody(
      list.map((film) => ({
        id: film.id,
        title: film.title,
        release_date: film.releaseDate,
        original_title: film.originalTitle ?? film.title,
      })),
    );
  nock(TMDB_ORIGIN)
    .persist()
    .get('/3/search/movie')
    .query(true)
    .reply((uri) =>
      answer(uri, () => {
        const query = new URL(uri, TMDB_ORIGIN).searchParams;
        const needle = fold(query.get('query') ?? '');
        const year = query.get('primary_release_year');
        const found = films.filter(
          (film) =>
            (fold(film.title).includes(needle) || fold(film.originalTitle ?? '').includes(needle)) &&
            (year === null || film.releaseDate.startsWith(year)),
        );
        const body = listed(found.slice(0, 20));
        return [200, { ...body, total_results: found.length, total_pages: Math.max(1, Math.ceil(found.length / 20)) }];
      }),
    )
    .get(/^\/3\/find\/[^/?]+/)
    .query(true)
    .reply((uri) =>
      answer(uri, () => {
        const id = decodeURIComponent(new URL(uri, TMDB_ORIGIN).pathname.split('/').pop() ?? '');
        const film = films.find((candidate) => candidate.imdbId === id);
        const results = film ? listed([film]).results : [];
        return [
          200,
          { movie_results: results, person_results: [], tv_results: [], tv_episode_results: [], tv_season_results: [] },
        ];
      }),
    )
    // Lists of related films (fetched for each loved film): none, so they cost one request each and no retries.
    .get(/^\/3\/movie\/\d+\/(recommendations|similar)$/)
    .query(true)
    .reply((uri) => answer(uri, () => [200, { page: 1, results: [], total_pages: 1, total_results: 0 }]))
    .get(/^\/3\/movie\/\d+$/)
    .query(true)
    .reply((uri) =>
      answer(uri, () => {
        const id = Number(new URL(uri, TMDB_ORIGIN).pathname.split('/').pop());
        const film = films.find((candidate) => candidate.id === id);
        if (!film) return [404, { status_code: 34, status_message: 'The resource you requested could not be found.' }];
        return [200, detailsBody(film.id, film.title, film.releaseDate, { imdb_id: film.imdbId ?? null })];
      }),
    );
  return catalogue;
}

/** The films the fixture files name, as TMDB has them (two Dunes; a Heat TMDB finds by IMDb id; no "A Film Nobody Made"). */
export const FIXTURE_FILMS: readonly CatalogueFilm[] = [
  { id: 438_631, title: 'Dune', releaseDate: '2021-09-15', imdbId: 'tt1160419' },
  { id: 841, title: 'Dune', releaseDate: '1984-12-14', imdbId: 'tt0087182' },
  { id: 146, title: 'Crouching Tiger, Hidden Dragon', releaseDate: '2000-07-06', originalTitle: '臥虎藏龍' },
  { id: 531, title: 'The Wrong Trousers', releaseDate: '1993-12-17' },
  { id: 194, title: 'Amélie', releaseDate: '2001-04-25', originalTitle: "Le Fabuleux Destin d'Amélie Poulain" },
  { id: 11_314, title: 'Koyaanisqatsi', releaseDate: '1982-10-04' },
  { id: 976_893, title: 'Perfect Days', releaseDate: '2023-11-10' },
  { id: 949, title: 'Heat', releaseDate: '1995-12-15', imdbId: 'tt0113277' },
  { id: 39_227, title: 'Heat', releaseDate: '1986-03-14', imdbId: 'tt0091183' },
  { id: 603, title: 'The Matrix', releaseDate: '1999-03-30', imdbId: 'tt0133093' },
];
