import type { MoviesRepository } from '../../db/repositories/movies.js';
import { releaseYear } from '../../format.js';
import type { MovieSummary } from '../../tmdb/types.js';
import type { PickCriteria } from './criteria.js';

/** Bound on the films remembered, cleared when exceeded. */
const MAX_REMEMBERED_FILMS = 200_000;

/** What the genre and year filters need to know about a film; `year` is null when TMDB has no release date. */
interface Facts {
  genreIds: readonly number[];
  year: number | null;
}

function factsOf(movie: Pick<MovieSummary, 'genreIds' | 'releaseDate'>): Facts {
  const year = releaseYear(movie);
  return { genreIds: movie.genreIds, year: year === null ? null : Number(year) };
}

/** The request's genre and year filter over a film's facts, or null when it sets neither. */
function factsCheck({ genreId, fromYear, toYear }: Omit<PickCriteria, 'count'>): ((facts: Facts) => boolean) | null {
  if (genreId === undefined && fromYear === undefined && toYear === undefined) return null;
  return ({ genreIds, year }) =>
    (genreId === undefined || genreIds.includes(genreId)) &&
    ((fromYear === undefined && toYear === undefined) ||
      (year !== null && year >= (fromYear ?? year) && year <= (toYear ?? year)));
}

export interface FilmFilter {
  accepts: (itemId: number) => boolean;
  /** Films `accepts` was asked about whose facts are not remembered yet. */
  unknown: number[];
}

/**
 * Genres and release years of the films picks may be made of, remembered from TMDB lists and the movies
 * table, so the genre and year filters can answer synchronously, as the engine and blendPicks ask them.
 */
export function createFilmFacts({ movies }: { movies: Pick<MoviesRepository, 'findByIds'> }) {
  const facts = new Map<number, Facts>();

  function remember(summaries: readonly MovieSummary[]): void {
    if (facts.size + summaries.length > MAX_REMEMBERED_FILMS) facts.clear();
    for (const movie of summaries) facts.set(movie.tmdbId, factsOf(movie));
  }

  return {
    remember,

    /** Reads the facts of the films not remembered yet from the movies table. */
    async load(movieIds: readonly number[]): Promise<void> {
      const missing = movieIds.filter((id) => !facts.has(id));
      if (missing.length === 0) return;
      if (facts.size + missing.length > MAX_REMEMBERED_FILMS) facts.clear();
      const rows = await movies.findByIds(missing);
      for (const row of rows) facts.set(row.tmdbId, factsOf(row));
      // A film without a row has no known genre or year: it never passes a genre or year filter.
      for (const id of missing) if (!facts.has(id)) facts.set(id, { genreIds: [], year: null });
    },

    genresOf(movieId: number): readonly number[] | undefined {
      return facts.get(movieId)?.genreIds;
    },

    /**
     * The request's genre and year filter: a film whose facts are not remembered yet fails and is noted in
     * `unknown`, for the caller to load them and ask again.
     */
    filter(criteria: Omit<PickCriteria, 'count'>): FilmFilter {
      const check = factsCheck(criteria);
      const unknown: number[] = [];
      return {
        unknown,
        accepts: (itemId) => {
          if (check === null) return true;
          const known = facts.get(itemId);
          if (known === undefined) unknown.push(itemId);
          return known !== undefined && check(known);
        },
      };
    },
  };
}

export type FilmFacts = ReturnType<typeof createFilmFacts>;
