import { FilmNotStoredError } from '../db/film-reference.js';
import { UserFacingError } from '../errors.js';

const NOT_STORED = 'I could not save that film just now; please try again in a moment.';

/**
 * Rows that reference a film need its movies row. The catalog stores what it fetched but only logs a
 * failed write, so a film can reach a command without a row. No read before the write checks it: the
 * write's foreign key refuses the row (FilmNotStoredError), and this says so plainly rather than letting
 * it become a generic apology. Await the write through it inside the unit of work, which then rolls back.
 */
export async function refuseUnstoredFilm<Result>(write: Promise<Result>): Promise<Result> {
  try {
    return await write;
  } catch (error) {
    if (!(error instanceof FilmNotStoredError)) throw error;
    throw new UserFacingError('movie-not-stored', NOT_STORED, { cause: error });
  }
}
