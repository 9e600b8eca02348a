/**
 * Checks catalogue entries against MovieLens's `links.csv` and `movies.csv` (read from `../shared`, never copied
 * here): each film is joined by TMDB id, and its IMDb id, title and year must agree. MovieLens writes titles its own
 * way ("Matrix, The (1999)", "Spirited Away (Sen to Chihiro no kamikakushi) (2001)"), so titles are compared in a
 * normal form that forgives articles, alternate titles, punctuation, diacritics and "&" for "and".
 */
import { parse } from 'csv-parse/sync';
import type { CatalogueFilm } from '../../src/seed/catalogue.js';

export interface MovieLensCheck {
  /** Catalogue films found in MovieLens by TMDB id. */
  checked: number;
  /** Catalogue films MovieLens lists neither by TMDB id nor by IMDb id. */
  missing: number;
  /** One line per film whose IMDb id, title or year disagrees, or whose IMDb id MovieLens links to another TMDB id. */
  mismatches: string[];
}

interface MovieLensFilm {
  imdbNumber: number;
  title: string;
  year: number | null;
}

const YEAR_TOLERANCE = 1;

/** Leading articles, English and foreign, that MovieLens moves to the end ("Haine, La", "Avventura, L'"). */
const ARTICLES = 'the a an le la les il el lo los las das der die'.split(' ');
const LEADING_ARTICLES = new Set(ARTICLES);
const TRAILING_ARTICLE = new RegExp(`,\\s*(${ARTICLES.join('|')}|l')$`, 'i');

/** Lower case, no diacritics, "&" read as "and", no leading article, letters and digits only. */
export function normaliseTitle(title: string): string {
  const words = title
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/&/g, ' and ')
    .split(/[^\p{L}\p{N}']+/u)
    .filter((word) => word.replace(/'/g, '') !== '');
  const [first] = words;
  if (first !== undefined) {
    const elided = /^l'(.+)$/.exec(first);
    if (elided) words[0] = elided[1]!;
    else if (LEADING_ARTICLES.has(first) && words.length > 1) words.shift();
  }
  return words.join('').replace(/'/g, '');
}

/**
 * Every name a title goes by: the whole, its main part and each parenthesised alternative ("a.k.a." dropped), each
 * also without a subtitle (the part before the first colon, and the part after the last colon or " - ", as in
 * "Star Wars: Episode V - The Empire Strikes Back").
 */
export function titleVariants(title: string): Set<string> {
  const names = [title.trim()];
  let main = title.trim();
  for (let group = /\s*\(([^()]*)\)$/.exec(main); group; group = /\s*\(([^()]*)\)$/.exec(main)) {
    names.push(group[1]!.replace(/^a\.k\.a\.\s*/i, ''));
    main = main.slice(0, group.index);
  }
  names.push(main);
  const variants = new Set<string>();
  for (const name of names) {
    const withoutArticle = name.trim().replace(TRAILING_ARTICLE, '');
    const colon = withoutArticle.indexOf(':');
    const lastSeparator = Math.max(withoutArticle.lastIndexOf(':'), withoutArticle.lastIndexOf(' - '));
    for (const form of [
      withoutArticle,
      colon > 0 ? withoutArticle.slice(0, colon) : '',
      lastSeparator > 0 ? withoutArticle.slice(lastSeparator).replace(/^(:| - )/, '') : '',
    ]) {
      const normal = normaliseTitle(form);
      if (normal !== '') variants.add(normal);
    }
  }
  return variants;
}

function sameTitle(film: CatalogueFilm, movieLensTitle: string): boolean {
  const theirs = titleVariants(movieLensTitle);
  return [film.title, film.originalTitle].some((title) => [...titleVariants(title)].some((name) => theirs.has(name)));
}

function readRows(csv: string): Record<string, string>[] {
  return parse<Record<string, string>>(csv, { columns: true, skip_empty_lines: true });
}

/** movies.csv's "Title (Year)" split in two; a title without a year keeps year null. */
function splitYear(titleAndYear: string): { title: string; year: number | null } {
  const match = /^(.*?)\s*\((\d{4})(?:[–-]\d{0,4})?\)\s*$/.exec(titleAndYear);
  return match ? { title: match[1]!, year: Number(match[2]) } : { title: titleAndYear.trim(), year: null };
}

interface MovieLensIndex {
  byTmdbId: Map<number, MovieLensFilm[]>;
  tmdbIdByImdbNumber: Map<number, number>;
}

function readMovieLens(linksCsv: string, moviesCsv: string): MovieLensIndex {
  const movies = new Map(readRows(moviesCsv).map((row) => [row.movieId, splitYear(row.title ?? '')]));
  const index: MovieLensIndex = { byTmdbId: new Map(), tmdbIdByImdbNumber: new Map() };
  for (const link of readRows(linksCsv)) {
    const movie = movies.get(link.movieId);
    if (!link.tmdbId || !movie) continue;
    const tmdbId = Number(link.tmdbId);
    const imdbNumber = Number(link.imdbId);
    const films = index.byTmdbId.get(tmdbId) ?? [];
    films.push({ imdbNumber, ...movie });
    index.byTmdbId.set(tmdbId, films);
    index.tmdbIdByImdbNumber.set(imdbNumber, tmdbId);
  }
  return index;
}

/** What disagrees between a catalogue film and one MovieLens row, or nothing. */
function disagreements(film: CatalogueFilm, theirs: MovieLensFilm): string[] {
  const problems: string[] = [];
  if (Number(film.imdbId.slice(2)) !== theirs.imdbNumber) problems.push(`IMDb id (MovieLens: ${theirs.imdbNumber})`);
  if (!sameTitle(film, theirs.title)) problems.push(`title (MovieLens: "${theirs.title}")`);
  if (theirs.year !== null && Math.abs(theirs.year - film.year) > YEAR_TOLERANCE) {
    problems.push(`year (MovieLens: ${theirs.year})`);
  }
  return problems;
}

export function checkAgainstMovieLens(
  films: readonly CatalogueFilm[],
  linksCsv: string,
  moviesCsv: string,
): MovieLensCheck {
  const movieLens = readMovieLens(linksCsv, moviesCsv);
  const result: MovieLensCheck = { checked: 0, missing: 0, mismatches: [] };
  for (const film of films) {
    const name = `TMDB ${film.tmdbId} ${film.imdbId} "${film.title}" (${film.year})`;
    const rows = movieLens.byTmdbId.get(film.tmdbId);
    if (!rows) {
      // An unknown TMDB id hides a wrong one when MovieLens knows the film under its IMDb id.
      const theirTmdbId = movieLens.tmdbIdByImdbNumber.get(Number(film.imdbId.slice(2)));
      if (theirTmdbId === undefined) result.missing += 1;
      else result.mismatches.push(`${name}: TMDB id disagrees (MovieLens links the IMDb id to ${theirTmdbId})`);
      continue;
    }
    result.checked += 1;
    // MovieLens sometimes links two of its films to one TMDB id: agreeing with either is enough.
    const problems = rows.map((row) => disagreements(film, row));
    if (problems.some((list) => list.length === 0)) continue;
    result.mismatches.push(`${name}: ${problems[0]!.join(', ')} disagrees`);
  }
  return result;
}
