/**
 * The offline demo's local TMDB: the built-in catalogue (data/catalogue.json) in TMDB's shapes, served by
 * ./tmdb.ts's `startLocalTmdb`. Titles, years, genres, runtimes and IMDb ids are the catalogue's facts; popularity,
 * votes and each film's related films are the demo server's (./catalogue-figures.ts), and labelled so wherever the
 * demo shows them. Posters, overviews and where to watch are unknown here: null, `""` and none, never made up.
 *
 * ```ts
 * const figures = computeDemoFigures(films.map(figureFilm), ratings);
 * const tmdb = await startCatalogueTmdb({ films, figures });
 * ```
 */
import type { CatalogueFilm } from '../src/seed/catalogue.js';
import type { DemoFigures, FigureFilm } from './catalogue-figures.js';
import {
  startLocalTmdb,
  type LocalTmdb,
  type LocalTmdbCatalogue,
  type LocalTmdbOptions,
  type TmdbFilm,
  type TmdbListName,
} from './tmdb.js';

/** A top-rated film needs this many votes, as TMDB's list leaves out films too few people rated. */
export const TOP_RATED_MIN_VOTES = 3;

/** What the figures need of a catalogue film. */
export function figureFilm(film: CatalogueFilm): FigureFilm {
  return { tmdbId: film.tmdbId, genreIds: film.genreIds, year: film.year };
}

/** Lower case, accents and punctuation gone, single spaces: "Amélie" and "amelie", "Se7en" and "se7en" meet. */
export function normaliseSearch(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/** "alien 1979", "alien (1979)" → title and year; null when the text ends in no plausible year. */
export function splitYear(text: string): { title: string; year: number } | null {
  const match = /^(.*?)[\s,]*\(?(\d{4})\)?\s*$/.exec(text.trim());
  if (!match?.[1]) return null;
  const year = Number(match[2]);
  return year >= 1870 && year <= 2100 ? { title: match[1], year } : null;
}

/** 0 exact, 1 starts with the query, 2 contains it, 3 every word starts a word of the title; null: no match. */
function matchRank(titles: readonly string[], needle: string): number | null {
  if (needle === '') return null;
  const words = needle.split(' ');
  let best: number | null = null;
  for (const title of titles) {
    const rank =
      title === needle
        ? 0
        : title.startsWith(needle)
          ? 1
          : title.includes(needle)
            ? 2
            : words.every((word) => title.split(' ').some((part) => part.startsWith(word)))
              ? 3
              : null;
    if (rank !== null && (best === null || rank < best)) best = rank;
  }
  return best;
}

export interface CatalogueTmdbOptions extends LocalTmdbOptions {
  films: readonly CatalogueFilm[];
  figures: DemoFigures;
}

/** The catalogue as TMDB serves it: search by title (with a year, as members type it), lists, related films. */
export function catalogueTmdb(films: readonly CatalogueFilm[], figures: DemoFigures): LocalTmdbCatalogue {
  const served: TmdbFilm[] = films.map((film) => {
    const figure = figures.films.get(film.tmdbId);
    return {
      id: film.tmdbId,
      title: film.title,
      originalTitle: film.originalTitle,
      originalLanguage: null,
      // Only the year is known: the day is a placeholder, and Marquee shows only the year of a date.
      releaseDate: `${String(film.year)}-01-01`,
      genreIds: film.genreIds,
      popularity: figure?.popularity ?? 0,
      voteAverage: figure?.voteAverage ?? 0,
      voteCount: figure?.voteCount ?? 0,
      runtime: film.runtime,
      overview: '',
      imdbId: film.imdbId,
    };
  });
  const byId = new Map(served.map((film) => [film.id, film]));
  const year = new Map(films.map((film) => [film.tmdbId, film.year]));
  const titles = new Map(
    films.map((film) => [
      film.tmdbId,
      [...new Set([normaliseSearch(film.title), normaliseSearch(film.originalTitle)])],
    ]),
  );
  const byPopularity = [...served].sort((a, b) => b.popularity - a.popularity || a.id - b.id);
  const recentOf = (film: TmdbFilm, window: 'recentDay' | 'recentWeek') => figures.films.get(film.id)?.[window] ?? 0;
  const trending = (window: 'recentDay' | 'recentWeek') =>
    [...byPopularity].sort((a, b) => recentOf(b, window) - recentOf(a, window));
  const lists: Record<TmdbListName, readonly TmdbFilm[]> = {
    popular: byPopularity,
    top_rated: served
      .filter((film) => film.voteCount >= TOP_RATED_MIN_VOTES)
      .sort((a, b) => b.voteAverage - a.voteAverage || b.voteCount - a.voteCount || a.id - b.id),
    'trending/day': trending('recentDay'),
    'trending/week': trending('recentWeek'),
  };
  const filmsOf = (ids: readonly number[] | undefined) => (ids ?? []).flatMap((id) => byId.get(id) ?? []);

  /** Films matching `title` (in `year` when given), best match first, then the most popular. */
  function find(title: string, inYear: number | undefined): { film: TmdbFilm; rank: number }[] {
    const needle = normaliseSearch(title);
    return byPopularity.flatMap((film) => {
      if (inYear !== undefined && year.get(film.id) !== inYear) return [];
      const rank = matchRank(titles.get(film.id) ?? [], needle);
      return rank === null ? [] : [{ film, rank }];
    });
  }

  return {
    films: served,
    search(query, filters) {
      // The whole text ("Apollo 13", "Blade Runner 2049"), and a trailing year as a filter ("alien 1979").
      const split = splitYear(query);
      const found = [
        ...find(query, filters.year),
        ...(split && filters.year === undefined ? find(split.title, split.year) : []),
      ].sort((a, b) => a.rank - b.rank);
      return [...new Map(found.map(({ film }) => [film.id, film])).values()];
    },
    list: (name) => lists[name],
    related: (film, kind) => filmsOf(figures[kind].get(film.id)),
    // Where to watch is not in the catalogue: TMDB's answer for a film nobody offers.
    providers: () => ({}),
  };
}

/** Starts the catalogue's local TMDB on a free loopback port. */
export function startCatalogueTmdb({ films, figures, ...options }: CatalogueTmdbOptions): Promise<LocalTmdb> {
  return startLocalTmdb(catalogueTmdb(films, figures), options);
}
