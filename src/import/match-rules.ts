import { normaliseTitle } from '../db/repositories/movies.js';
import type { MovieSummary } from '../tmdb/types.js';

/**
 * When a title and year name a film confidently (issue 17: never a guess). Pure, so every rule is tested on its own.
 *
 * - Titles are compared normalised (case, accents, punctuation and spacing aside), against TMDB's title and its
 *   original title.
 * - From the films Marquee already stores, only an exact year and a single such film count: the store holds only
 *   films someone looked at, so a near miss there says nothing about what else exists.
 * - From a TMDB search for the title in that year: the one film with that title, or the only result at all.
 * - From a TMDB search for the title in any year: the one film with that title released within a year of the row's
 *   (festival and release years differ); several are ambiguous.
 * - A row without a year: the one film with that title among every result, if TMDB gave them all on one page.
 */

function year(movie: Pick<MovieSummary, 'releaseDate'>): number | null {
  const match = /^(\d{4})/.exec(movie.releaseDate ?? '');
  return match ? Number(match[1]) : null;
}

function sameTitle(movie: Pick<MovieSummary, 'title' | 'originalTitle'>, wanted: string): boolean {
  return [movie.title, movie.originalTitle].some((t) => t !== null && normaliseTitle(t) === wanted);
}

export type MatchVerdict<Movie> = { kind: 'match'; movie: Movie } | { kind: 'ambiguous' } | { kind: 'none' };

const none = { kind: 'none' } as const;

function only<Movie>(candidates: readonly Movie[]): MatchVerdict<Movie> {
  if (candidates.length === 1 && candidates[0] !== undefined) return { kind: 'match', movie: candidates[0] };
  return candidates.length > 1 ? { kind: 'ambiguous' } : none;
}

/** Among stored films: the single one with that exact title and year (rows without a year never match here). */
export function matchStored<Movie extends Pick<MovieSummary, 'title' | 'originalTitle' | 'releaseDate'>>(
  row: { title: string; year: number | null },
  stored: readonly Movie[],
): MatchVerdict<Movie> {
  if (row.year === null) return none;
  const wanted = normaliseTitle(row.title);
  return only(stored.filter((movie) => sameTitle(movie, wanted) && year(movie) === row.year));
}

/** TMDB's results for the title searched in the row's year: the one with that title, or the only result. */
export function matchInYear<Movie extends MovieSummary>(
  row: { title: string },
  results: readonly Movie[],
): MatchVerdict<Movie> {
  const wanted = normaliseTitle(row.title);
  const titled = results.filter((movie) => sameTitle(movie, wanted));
  if (titled.length > 0) return only(titled);
  return results.length === 1 ? only(results) : none;
}

/**
 * TMDB's results for the title searched in any year (`complete`: every result is on this page): with a year, the one
 * film with that title within a year of it; without, the one film with that title at all.
 */
export function matchAnyYear<Movie extends MovieSummary>(
  row: { title: string; year: number | null },
  results: readonly Movie[],
  complete: boolean,
): MatchVerdict<Movie> {
  const wanted = normaliseTitle(row.title);
  const titled = results.filter((movie) => sameTitle(movie, wanted));
  if (row.year === null) {
    if (!complete && titled.length > 0) return { kind: 'ambiguous' };
    return only(titled);
  }
  const near = titled.filter((movie) => {
    const released = year(movie);
    return released !== null && Math.abs(released - (row.year ?? released)) <= 1;
  });
  return only(near);
}
