import type { Logger } from '../logger.js';
import { MINUTE_MS } from '../time.js';
import type { TmdbError } from './errors.js';

/**
 * How TMDB answered lately, for telling members what a failure is: 'ok', 'unreachable' (no answer, errors,
 * timeouts: retrying later can help) or 'key-rejected' (a 401: only the admin can fix it).
 */
export type TmdbState = 'ok' | 'unreachable' | 'key-rejected';

export interface TmdbStatus {
  /** TMDB's state as the latest request within `staleAfterMs` found it; 'ok' when nothing failed lately. */
  current(): TmdbState;
}

export interface TmdbStatusRecorder extends TmdbStatus {
  /** A request got the answer it asked for. */
  answered(): void;
  /** A request failed. A 404 is TMDB answering; a caller's abort and a bad request of ours say nothing about TMDB. */
  failed(error: TmdbError): void;
}

export interface TmdbStatusOptions {
  logger?: Logger | undefined;
  /** Milliseconds, injected for tests. */
  now?: () => number;
  /** A rejected key is logged at error level at most once per this interval, however many requests fail. */
  errorLogIntervalMs?: number;
  /** A failure older than this, with nothing since, no longer colours what members are told. */
  staleAfterMs?: number;
}

export const TMDB_STATUS_DEFAULTS = {
  logger: undefined,
  now: () => Date.now(),
  errorLogIntervalMs: 15 * MINUTE_MS,
  staleAfterMs: 5 * MINUTE_MS,
} as const satisfies Required<Omit<TmdbStatusOptions, 'logger'>> & { logger: undefined };

const IGNORED: ReadonlySet<TmdbError['kind']> = new Set(['aborted', 'bad-request']);

/**
 * Follows TMDB's answers (the transport reports every request's outcome). It also logs, once per interval
 * rather than per request: a rejected key at error level (only the admin can fix it), TMDB stopping to answer
 * at warn, and TMDB answering again at info.
 */
export function createTmdbStatus(options: TmdbStatusOptions = {}): TmdbStatusRecorder {
  const { logger, now, errorLogIntervalMs, staleAfterMs } = { ...TMDB_STATUS_DEFAULTS, ...options };
  let state: TmdbState = 'ok';
  let changedAt = Number.NEGATIVE_INFINITY;
  const lastLogged: Record<Exclude<TmdbState, 'ok'>, number> = {
    unreachable: Number.NEGATIVE_INFINITY,
    'key-rejected': Number.NEGATIVE_INFINITY,
  };

  function answered(): void {
    if (state !== 'ok') logger?.info({ was: state }, 'TMDB answers again');
    state = 'ok';
    changedAt = now();
  }

  return {
    current() {
      return state !== 'ok' && now() - changedAt > staleAfterMs ? 'ok' : state;
    },
    answered,
    failed(error) {
      if (IGNORED.has(error.kind)) return;
      if (error.kind === 'not-found') return answered();
      const next: TmdbState = error.kind === 'unauthorized' ? 'key-rejected' : 'unreachable';
      const at = now();
      state = next;
      changedAt = at;
      if (at - lastLogged[next] < errorLogIntervalMs) return;
      lastLogged[next] = at;
      if (next === 'key-rejected') {
        logger?.error(
          { status: error.status, path: error.path },
          'TMDB rejected Marquee’s key: set a valid TMDB_TOKEN (or TMDB_API_KEY) from themoviedb.org → Settings → API, then restart',
        );
      } else {
        logger?.warn({ kind: error.kind, status: error.status, path: error.path }, 'TMDB is not answering');
      }
    },
  };
}

/** For callers given no status: TMDB is taken to be fine. */
export const TMDB_STATUS_UNKNOWN: TmdbStatus = { current: () => 'ok' };
