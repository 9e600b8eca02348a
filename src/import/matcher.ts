import { normaliseTitle } from '../db/repositories/movies.js';
import type { StoredFilm } from '../db/repositories/imports.js';
import type { MovieCatalog } from '../tmdb/catalog.js';
import type { TmdbPriority } from '../tmdb/client.js';
import { TmdbError } from '../tmdb/errors.js';
import type { MovieSummary } from '../tmdb/types.js';
import { matchAnyYear, matchInYear, matchStored, type MatchVerdict } from './match-rules.js';
import type { FilmRef } from './rows.js';

/** Why a row matched no film: TMDB knows nothing by that name or id, or several films fit and none is sure. */
export type UnmatchedReason = 'no-match' | 'ambiguous' | 'unknown-id';

/** A film found for a row: the film and whether it came from the films already stored. */
export type FilmMatch =
  | { kind: 'matched'; stored: true; film: StoredFilm; imdbId: string | null }
  | { kind: 'matched'; stored: false; film: MovieSummary; imdbId: string | null }
  | { kind: 'unmatched'; reason: UnmatchedReason };

/** Where a matcher looks: stored films first (repository reads), then TMDB through the read-through catalog. */
export interface FilmLookups {
  filmsByTmdbIds(tmdbIds: readonly number[]): Promise<StoredFilm[]>;
  filmsByImdbIds(imdbIds: readonly string[]): Promise<Map<string, StoredFilm>>;
  filmsBySearchTitles(searchTitles: readonly string[]): Promise<StoredFilm[]>;
  catalog: Pick<MovieCatalog, 'search' | 'findByImdbId' | 'getMovie'>;
}

const unmatched = (reason: UnmatchedReason): FilmMatch => ({ kind: 'unmatched', reason });

function fromVerdict(verdict: MatchVerdict<MovieSummary>): FilmMatch | null {
  if (verdict.kind === 'match') return { kind: 'matched', film: verdict.movie, stored: false, imdbId: null };
  return verdict.kind === 'ambiguous' ? unmatched('ambiguous') : null;
}

/**
 * Finds the films rows name. `stored` answers from the database in a few queries for a whole chunk; `remote` asks
 * TMDB for one row's film on the lane given (the import's priority and abort signal), and throws
 * the TmdbError of a failure that is TMDB's, not the row's, so the import can stop rather than call a row unmatched.
 */
export function createFilmMatcher(lookups: FilmLookups, lane: { signal: AbortSignal; priority: TmdbPriority }) {
  async function byTitle(film: { title: string; year: number | null }): Promise<FilmMatch> {
    if (film.year !== null) {
      const inYear = await lookups.catalog.search(film.title, { ...lane, primaryReleaseYear: film.year });
      const found = fromVerdict(matchInYear(film, inYear.results));
      if (found) return found;
    }
    const anyYear = await lookups.catalog.search(film.title, lane);
    return fromVerdict(matchAnyYear(film, anyYear.results, anyYear.totalPages <= 1)) ?? unmatched('no-match');
  }

  return {
    /** Rows whose film is stored: by TMDB id, IMDb id, or exact title and year (see match-rules.ts). */
    async stored(films: readonly FilmRef[]): Promise<Map<FilmRef, FilmMatch>> {
      const found = new Map<FilmRef, FilmMatch>();
      const tmdb = films.filter((film) => film.by === 'tmdb');
      const imdb = films.filter((film) => film.by === 'imdb');
      const titled = films.filter((film) => film.by === 'title');
      const byId = new Map(
        (await lookups.filmsByTmdbIds(tmdb.map((film) => film.tmdbId))).map((film) => [film.tmdbId, film]),
      );
      for (const film of tmdb) {
        const stored = byId.get(film.tmdbId);
        if (stored) found.set(film, { kind: 'matched', film: stored, stored: true, imdbId: null });
      }
      const byImdb = await lookups.filmsByImdbIds(imdb.map((film) => film.imdbId));
      for (const film of imdb) {
        const stored = byImdb.get(film.imdbId);
        if (stored) found.set(film, { kind: 'matched', film: stored, stored: true, imdbId: film.imdbId });
      }
      const candidates = await lookups.filmsBySearchTitles(titled.map((film) => normaliseTitle(film.title)));
      for (const film of titled) {
        const verdict = matchStored(film, candidates);
        if (verdict.kind === 'match')
          found.set(film, { kind: 'matched', film: verdict.movie, stored: true, imdbId: null });
      }
      return found;
    },

    /** One row's film from TMDB: by id when the row has one (an IMDb id TMDB does not know falls back to title and year). */
    async remote(film: FilmRef): Promise<FilmMatch> {
      try {
        if (film.by === 'tmdb') {
          const movie = await lookups.catalog.getMovie(film.tmdbId, lane);
          return { kind: 'matched', film: movie, stored: false, imdbId: null };
        }
        if (film.by === 'imdb') {
          const movie = await lookups.catalog.findByImdbId(film.imdbId, lane);
          if (movie) return { kind: 'matched', film: movie, stored: false, imdbId: film.imdbId };
          const titled = await byTitle(film);
          return titled.kind === 'matched' ? titled : unmatched('unknown-id');
        }
        return await byTitle(film);
      } catch (error) {
        if (error instanceof TmdbError && error.kind === 'not-found') return unmatched('unknown-id');
        throw error;
      }
    },
  };
}

export type FilmMatcher = ReturnType<typeof createFilmMatcher>;
