import { UserFacingError } from '../../errors.js';
import { isMovieGenreId } from '../../tmdb/genres.js';

/** Picks per request, as `/recommend` offers them (one message per film, each seeded with two reactions). */
export const MIN_PICKS = 1;
export const MAX_PICKS = 5;
/** Bounds of the year filter: TMDB's oldest film is from 1874; announced films reach a few years ahead. */
export const EARLIEST_YEAR = 1874;
export const YEARS_AHEAD = 5;
/** Bounds of the runtime filter, in minutes. */
export const MIN_RUNTIME = 30;
export const MAX_RUNTIME = 600;

/** What a request asks for besides whose picks. */
export interface PickCriteria {
  /** MIN_PICKS to MAX_PICKS. */
  count: number;
  /** TMDB genre id the picks must have. */
  genreId?: number;
  /**
   * Release years the picks must fall in (inclusive, EARLIEST_YEAR to the current year + YEARS_AHEAD); a film
   * without a date fails.
   */
  fromYear?: number;
  toYear?: number;
  /** Longest runtime in minutes (MIN_RUNTIME-MAX_RUNTIME); a film of unknown runtime fails. */
  maxRuntime?: number;
}

/** An optional bound that, when set, is a whole number in [min, max]. */
function isWithin(value: number | undefined, min: number, max: number): boolean {
  return value === undefined || (Number.isInteger(value) && value >= min && value <= max);
}

/**
 * Refuses, with a UserFacingError, a count, genre, year or runtime out of bounds (years up to `now`'s year +
 * YEARS_AHEAD). The service checks every request; the command checks before deferring, so a crafted payload
 * gets a private refusal and nothing public.
 */
export function checkPickCriteria({ count, genreId, fromYear, toYear, maxRuntime }: PickCriteria, now: Date): void {
  if (!Number.isInteger(count) || count < MIN_PICKS || count > MAX_PICKS) {
    throw new UserFacingError('bad-count', `Ask for ${MIN_PICKS} to ${MAX_PICKS} picks.`);
  }
  if (genreId !== undefined && !isMovieGenreId(genreId)) {
    throw new UserFacingError(
      'bad-genre',
      'That genre is not one TMDB uses for films: pick one of the offered genres.',
    );
  }
  const latestYear = now.getUTCFullYear() + YEARS_AHEAD;
  if (
    !isWithin(fromYear, EARLIEST_YEAR, latestYear) ||
    !isWithin(toYear, EARLIEST_YEAR, latestYear) ||
    (fromYear !== undefined && toYear !== undefined && fromYear > toYear)
  ) {
    throw new UserFacingError(
      'bad-year',
      `Years go from ${EARLIEST_YEAR} to ${latestYear}, the first no later than the last.`,
    );
  }
  if (!isWithin(maxRuntime, MIN_RUNTIME, MAX_RUNTIME)) {
    throw new UserFacingError('bad-runtime', `The longest runtime must be ${MIN_RUNTIME} to ${MAX_RUNTIME} minutes.`);
  }
}
