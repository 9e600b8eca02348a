import type { Transaction } from 'sequelize';
import type { MoviesRepository } from '../db/repositories/movies.js';
import { UserFacingError } from '../errors.js';

/**
 * Rows that reference a film need its movies row. The catalog stores what it fetched but only logs a
 * failed write, so a film can reach a command without a row: say so plainly rather than letting the
 * insert fail its foreign key into a generic apology. Run inside the writing transaction.
 */
export async function assertMovieStored(
  movies: Pick<MoviesRepository, 'isStored'>,
  movieId: number,
  transaction?: Transaction,
): Promise<void> {
  if (await movies.isStored(movieId, transaction ? { transaction } : {})) return;
  throw new UserFacingError('movie-not-stored', 'I could not save that film just now; please try again in a moment.');
}
