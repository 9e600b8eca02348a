import type { Logger } from '../logger.js';
import type { TmdbClient } from '../tmdb/client.js';
import { TmdbError } from '../tmdb/errors.js';
import { toMovieDetails } from '../tmdb/schemas.js';
import type { MovieDetails } from '../tmdb/types.js';
import { DAY_MS } from '../time.js';

/** `movie/{id}` in our shape: the one TMDB call this use case makes. */
export interface TmdbDetailsSource {
  /** Rejects with a TmdbError; kind 'not-found' when TMDB no longer has the film. */
  movieDetails(tmdbId: number, options: { signal: AbortSignal }): Promise<MovieDetails>;
}

/** The TMDB client's details call on its background lane, so members' autocomplete always goes first. */
export function tmdbDetailsSource(client: Pick<TmdbClient, 'movieDetails'>): TmdbDetailsSource {
  return {
    async movieDetails(tmdbId, { signal }) {
      return toMovieDetails(await client.movieDetails(tmdbId, { signal, priority: 'background' }));
    },
  };
}

/** The movies table as this use case needs it (src/db/repositories/movie-cache.ts and movies.ts). */
export interface TmdbCacheStore {
  /** Returns how many went. */
  deleteUnreferencedFetchedBefore(cutoff: Date, limit: number): Promise<number>;
  referencedFetchedBefore(cutoff: Date, limit: number): Promise<number[]>;
  upsertDetails(movie: MovieDetails, fetchedAt: Date): Promise<void>;
}

export interface TmdbCacheSettings {
  /** TMDB's terms: cached data may be kept at most 6 months. 180 days is never more than that. */
  maxAgeMs: number;
  /**
   * Films that member data points to are refreshed from this age on, earlier than `maxAgeMs`, so a
   * backlog (an import of thousands of films on one day) is worked off in daily batches before the limit.
   */
  refreshAfterMs: number;
  /** `movie/{id}` requests per run: the job's share of TMDB's rate budget. */
  refreshBatchSize: number;
  /** Films deleted per statement. */
  deleteBatchSize: number;
  /** TMDB failures in a row (other than "no such film") after which the run stops refreshing: TMDB is down. */
  maxConsecutiveFailures: number;
}

export interface TmdbCacheOptions extends Partial<TmdbCacheSettings> {
  store: TmdbCacheStore;
  tmdb: TmdbDetailsSource;
  clock: () => Date;
  logger: Logger;
}

export const TMDB_CACHE_DEFAULTS = {
  maxAgeMs: 180 * DAY_MS,
  refreshAfterMs: 150 * DAY_MS,
  refreshBatchSize: 200,
  deleteBatchSize: 500,
  maxConsecutiveFailures: 5,
} as const satisfies Required<TmdbCacheSettings>;

export interface TmdbCacheReport {
  /** Unreferenced films deleted. */
  deleted: number;
  refreshed: number;
  /** Referenced films TMDB no longer has: kept (members' data points to them), left as they are. */
  notFound: number[];
  failed: number;
  /** More referenced films were due than this run's batch. */
  moreDue: boolean;
}

/**
 * Keeps the movies table within TMDB's terms: a film row older than `maxAgeMs` that no member data
 * points to is deleted (it comes back from TMDB when someone looks for it); one that members' ratings,
 * diaries, watchlists, feedback, cards or movie nights point to is refreshed from `movie/{id}` instead,
 * a bounded batch per run. Stops between films when `signal` fires.
 */
export function createTmdbCacheService(options: TmdbCacheOptions) {
  const { store, tmdb, clock, logger } = options;
  const settings = { ...TMDB_CACHE_DEFAULTS, ...options };

  async function deleteUnreferenced(cutoff: Date, signal: AbortSignal): Promise<number> {
    let deleted = 0;
    while (!signal.aborted) {
      const count = await store.deleteUnreferencedFetchedBefore(cutoff, settings.deleteBatchSize);
      deleted += count;
      if (count < settings.deleteBatchSize) break;
    }
    return deleted;
  }

  async function refreshReferenced(cutoff: Date, signal: AbortSignal, log: Logger) {
    const due = await store.referencedFetchedBefore(cutoff, settings.refreshBatchSize + 1);
    const batch = due.slice(0, settings.refreshBatchSize);
    let refreshed = 0;
    let failed = 0;
    let failuresInARow = 0;
    const notFound: number[] = [];
    for (const tmdbId of batch) {
      if (signal.aborted || failuresInARow >= settings.maxConsecutiveFailures) break;
      try {
        const details = await tmdb.movieDetails(tmdbId, { signal });
        await store.upsertDetails(details, clock());
        refreshed += 1;
        failuresInARow = 0;
      } catch (error) {
        if (error instanceof TmdbError && error.kind === 'not-found') {
          notFound.push(tmdbId);
          log.warn({ tmdbId }, 'TMDB no longer has a film members refer to; kept as it is');
        } else if (!signal.aborted) {
          failed += 1;
          failuresInARow += 1;
          log.warn({ err: error, tmdbId }, 'could not refresh a cached film');
        }
      }
    }
    return { refreshed, failed, notFound, moreDue: due.length > batch.length };
  }

  return {
    /** One daily pass; returns what it did. */
    async enforceAgeLimit({
      signal = new AbortController().signal,
      log = logger,
    }: { signal?: AbortSignal; log?: Logger } = {}) {
      const now = clock().getTime();
      const deleted = await deleteUnreferenced(new Date(now - settings.maxAgeMs), signal);
      const refresh = await refreshReferenced(new Date(now - settings.refreshAfterMs), signal, log);
      const report: TmdbCacheReport = { deleted, ...refresh };
      log.info({ ...report, notFound: refresh.notFound.length }, 'TMDB cache age limit enforced');
      return report;
    },
  };
}

export type TmdbCacheService = ReturnType<typeof createTmdbCacheService>;
