import { ForeignKeyConstraintError } from 'sequelize';
import { z } from 'zod';
import type { Models } from './models.js';
import { inTx, type Tx } from './unit-of-work.js';

/** A write referenced a film that has no movies row (its foreign key refused it); nothing was written. */
export class FilmNotStoredError extends Error {
  override readonly name = 'FilmNotStoredError';

  constructor(
    readonly movieId: number,
    options?: ErrorOptions,
  ) {
    super(`film ${movieId} has no movies row`, options);
  }
}

/** The violated constraint as node-postgres reports it (whatever the server's message language); SQLite has none. */
function constraintOf(driverError: unknown): string | undefined {
  const parsed = z.object({ constraint: z.string() }).safeParse(driverError);
  return parsed.success ? parsed.data.constraint : undefined;
}

/**
 * Runs a write of a row that references a film and lets the foreign key, not a read before the write, say
 * whether the film is stored. The constraints are checked at the statement (none is DEFERRABLE), so the
 * refusal comes from the insert itself, inside the caller's unit of work, which it then rolls back.
 * PostgreSQL names the violated constraint (`<table>_movie_id_fkey`); SQLite names none, but leaves the
 * transaction usable after a failed statement, so there one look at the movies row tells a missing film
 * from another missing parent (e.g. a member deleted meanwhile).
 */
export async function writeReferencingFilm<Result>(
  models: Pick<Models, 'Movie'>,
  movieId: number,
  tx: Tx | undefined,
  write: () => Promise<Result>,
): Promise<Result> {
  try {
    return await write();
  } catch (error) {
    if (!(error instanceof ForeignKeyConstraintError)) throw error;
    const constraint = constraintOf(error.parent) ?? error.index;
    const filmMissing =
      constraint !== undefined
        ? constraint.endsWith('movie_id_fkey')
        : (await models.Movie.count({ where: { tmdbId: movieId }, ...inTx(tx) })) === 0;
    if (filmMissing) throw new FilmNotStoredError(movieId, { cause: error });
    throw error;
  }
}
