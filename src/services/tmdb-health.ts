import type { CoreDeps } from '../context.js';
import { UserFacingError } from '../errors.js';
import type { TmdbError } from '../tmdb/errors.js';
import { TMDB_STATUS_UNKNOWN, type TmdbState } from '../tmdb/status.js';

export type { TmdbState };

/** Only the admin can fix a rejected key, so members are told to tell them rather than to try again. */
export const TMDB_KEY_REJECTED = "Marquee's TMDB key is not working; tell the server admin.";
export const TMDB_NOT_ANSWERING = 'TMDB is not answering right now';

/**
 * A TMDB failure as the member should hear it: a rejected key for what it is, anything else as TMDB not
 * answering, followed by `unreachable` (what that meant for this request and what to do).
 */
export function tmdbRefusal(error: TmdbError, unreachable: string): UserFacingError {
  return error.kind === 'unauthorized'
    ? new UserFacingError('tmdb-key-rejected', TMDB_KEY_REJECTED, { cause: error })
    : new UserFacingError('tmdb-unavailable', `${TMDB_NOT_ANSWERING}, ${unreachable}`, { cause: error });
}

/** TMDB as the bot's latest requests found it, for commands that answer from stored films when it fails. */
export function createTmdbHealthService({ tmdbStatus = TMDB_STATUS_UNKNOWN }: Pick<CoreDeps, 'tmdbStatus'>) {
  return {
    state: (): TmdbState => tmdbStatus.current(),
  };
}

export type TmdbHealthService = ReturnType<typeof createTmdbHealthService>;
