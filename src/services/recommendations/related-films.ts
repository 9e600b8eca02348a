import type { RelatedFilmsRepository } from '../../db/repositories/related-films.js';
import { combineSignals, startDeadline } from '../../deadline.js';
import type { Logger } from '../../logger.js';
import type { FilmList, RelatedFilms as RelatedLookup } from '../../recommender/index.js';
import type { MovieCatalog, RelatedFilmsAnswer } from '../../tmdb/catalog.js';
import { TmdbError } from '../../tmdb/errors.js';
import { DAY_MS, MINUTE_MS } from '../../time.js';
import type { BackgroundWork } from '../background-work.js';
import { NO_CACHE_EVENTS, type CacheEventBus } from '../cache-events.js';
import { NO_METRICS, type MetricsPort } from '../../metrics-port.js';
import type { FilmFacts } from './film-facts.js';

export interface RelatedFilmsOptions {
  /** A stored list older than this is fetched again (by the nightly job, or when its film is loved again). */
  relatedStaleMs?: number;
  /** TMDB's terms: stored lists are deleted at this age (never more than 6 months). */
  relatedMaxAgeMs?: number;
  /** Lists fetched per nightly run: the job's share of TMDB's rate budget. */
  relatedBatchSize?: number;
  /** TMDB failures in a row after which a nightly run stops fetching: TMDB is down. */
  relatedMaxFailures?: number;
  /** Lists fetched while a member waits for their first picks, at most… */
  interactiveListFetches?: number;
  /** …within this long, whatever the request's own deadline. */
  interactiveListBudgetMs?: number;
  /** Lists kept in memory, cleared when exceeded. */
  rememberedLists?: number;
  /** A film whose list TMDB failed to give is not asked for again on the interactive path for this long. */
  interactiveRetryMs?: number;
  /**
   * A list kept in memory longer than this is read from the table again: the safety net for lists another process
   * stored or deleted that its NOTIFY did not bring (Infinity where no other process shares the data).
   */
  cacheTtlMs?: number;
}

export const RELATED_FILMS_DEFAULTS = {
  relatedStaleMs: 30 * DAY_MS,
  relatedMaxAgeMs: 180 * DAY_MS,
  relatedBatchSize: 500,
  relatedMaxFailures: 5,
  interactiveListFetches: 5,
  interactiveListBudgetMs: 1_500,
  rememberedLists: 50_000,
  interactiveRetryMs: 10 * MINUTE_MS,
  cacheTtlMs: Number.POSITIVE_INFINITY,
} as const satisfies Required<RelatedFilmsOptions>;

export interface RelatedFilmsDeps {
  repo: Pick<RelatedFilmsRepository, 'listsFor' | 'save' | 'dueForRefresh' | 'deleteFetchedBefore'>;
  catalog: Pick<MovieCatalog, 'relatedFilms'>;
  /** Told the genres and years of the listed films, for the request's filters. */
  facts: FilmFacts;
  background: BackgroundWork;
  clock: () => Date;
  log: Logger;
  /** Told of every list stored and every pruning, for the other processes' memory. */
  cacheEvents?: CacheEventBus;
  /** Told whether a list was found in memory (for /metrics). */
  metrics?: Pick<MetricsPort, 'cacheLookup'>;
}

/** What one nightly pass did. */
export interface RelatedFilmsReport {
  deleted: number;
  fetched: number;
  failed: number;
}

/**
 * TMDB's film-to-film lists, the similar-films source: stored in their own table, fetched in the background when a
 * member loves a film and refreshed nightly; on the interactive path only a few, within a small budget, for a
 * member's first picks. A list is replaced only by what TMDB answered, so a stored list survives any TMDB failure;
 * a film without a list contributes nothing. Lists in memory are kept as the same objects, so each guild's model
 * converts a list once.
 */
export function createRelatedFilms(
  {
    repo,
    catalog,
    facts,
    background,
    clock,
    log,
    cacheEvents = NO_CACHE_EVENTS,
    metrics = NO_METRICS,
  }: RelatedFilmsDeps,
  options: Required<RelatedFilmsOptions>,
) {
  /** Film → its stored list (raw ids, best first), when TMDB gave it, and when it was read into memory. */
  const remembered = new Map<number, { list: FilmList; fetchedAt: number; rememberedAt: number }>();
  /** Film → when an interactive fetch of its list last failed (so a TMDB outage costs each film one wait). */
  const failedAt = new Map<number, number>();

  function remember(movieId: number, list: FilmList, fetchedAt: Date): void {
    if (remembered.size >= options.rememberedLists) remembered.clear();
    remembered.set(movieId, { list, fetchedAt: fetchedAt.getTime(), rememberedAt: clock().getTime() });
  }

  /** A remembered list, unless kept past the safety net's age. */
  function recall(movieId: number): { list: FilmList; fetchedAt: number } | undefined {
    const entry = remembered.get(movieId);
    const live = entry !== undefined && clock().getTime() - entry.rememberedAt < options.cacheTtlMs;
    metrics.cacheLookup('related-lists', live);
    return live ? entry : undefined;
  }

  const isStale = (fetchedAt: number) => clock().getTime() - fetchedAt >= options.relatedStaleMs;

  /**
   * Fetches one film's list from TMDB and stores it; a film TMDB does not know gets an empty list ('none'), any
   * other failure leaves what was stored as it was.
   */
  async function fetchList(movieId: number, request: { signal?: AbortSignal; priority: 'interactive' | 'background' }) {
    let answer: RelatedFilmsAnswer;
    try {
      answer = await catalog.relatedFilms(movieId, request);
    } catch (error) {
      if (!(error instanceof TmdbError && error.kind === 'not-found')) throw error;
      answer = { kind: 'none', films: [] };
    }
    facts.remember(answer.films);
    const fetchedAt = clock();
    const relatedIds = answer.films.map(({ tmdbId }) => tmdbId);
    await repo.save({ movieId, kind: answer.kind, fetchedAt, relatedIds });
    remember(movieId, relatedIds, fetchedAt);
    cacheEvents.publish({ kind: 'related-list', movieId });
  }

  /** The stored lists of these films (memory first, then the table), as the ranking reads them. */
  async function load(movieIds: readonly number[]): Promise<Map<number, { list: FilmList; fetchedAt: number }>> {
    const known = new Map<number, { list: FilmList; fetchedAt: number }>();
    const missing: number[] = [];
    for (const id of new Set(movieIds)) {
      const entry = recall(id);
      if (entry) known.set(id, entry);
      else missing.push(id);
    }
    if (missing.length > 0) {
      for (const stored of await repo.listsFor(missing)) {
        remember(stored.movieId, stored.relatedIds, stored.fetchedAt);
        known.set(stored.movieId, remembered.get(stored.movieId)!);
      }
    }
    return known;
  }

  /** A member loved a film: its list is fetched in the background unless a fresh one is stored. */
  function loved(movieId: number): void {
    background.run(`related-films:${movieId}`, async (signal) => {
      const stored = (await load([movieId])).get(movieId);
      if (stored && !isStale(stored.fetchedAt)) return;
      try {
        await fetchList(movieId, { signal, priority: 'background' });
      } catch (error) {
        log.warn({ err: error, movieId }, 'TMDB list of a loved film unavailable; kept what was stored');
      }
    });
  }

  return {
    loved,

    /** Another process stored these lists anew, or deleted some (all): read them from the table next time. */
    forget(movieIds?: readonly number[]): void {
      if (movieIds === undefined) remembered.clear();
      else for (const id of movieIds) remembered.delete(id);
    },

    /**
     * The lists of a member's films for one request. While fewer than `interactiveListFetches` of their loved films
     * (`lovedFilms`) have a stored list (their first picks), the missing ones are fetched now, up to that many within
     * `interactiveListBudgetMs`; the rest, and stale ones, in the background. A list TMDB does not give in time is
     * simply missing from this answer; a film whose fetch failed is not tried again here for `interactiveRetryMs`.
     */
    async forMember(
      movieIds: readonly number[],
      lovedFilms: readonly number[],
      signal?: AbortSignal,
    ): Promise<RelatedLookup> {
      const known = await load(movieIds);
      const lovedWithout = lovedFilms.filter((id) => !known.has(id));
      const lovedWith = lovedFilms.length - lovedWithout.length;
      const at = clock().getTime();
      // Only while the member's loved films have too few lists (their first picks), and not again right after a failure.
      const now = lovedWithout
        .filter((id) => at - (failedAt.get(id) ?? Number.NEGATIVE_INFINITY) >= options.interactiveRetryMs)
        .slice(0, Math.max(0, options.interactiveListFetches - lovedWith));
      if (now.length > 0) {
        const budget = startDeadline(options.interactiveListBudgetMs);
        const deadline = combineSignals(budget.signal, signal);
        try {
          const results = await Promise.allSettled(
            now.map((id) => fetchList(id, { signal: deadline, priority: 'interactive' })),
          );
          results.forEach((result, index) => {
            if (result.status === 'fulfilled') return;
            if (failedAt.size >= options.rememberedLists) failedAt.clear();
            failedAt.set(now[index]!, at);
            log.warn({ err: result.reason, movieId: now[index] }, 'TMDB list unavailable for these picks');
          });
        } finally {
          budget.cancel();
        }
        for (const entry of (await load(now)).entries()) known.set(...entry);
      }
      for (const id of lovedWithout) if (!now.includes(id)) loved(id);
      for (const id of lovedFilms) if (known.has(id) && isStale(known.get(id)!.fetchedAt)) loved(id);
      return (itemId) => known.get(itemId)?.list;
    },

    /**
     * The nightly pass: deletes lists past TMDB's age limit, then fetches the lists of loved films that are missing
     * or stale, a bounded batch on the background lane; stops between films when `signal` fires.
     */
    async refreshDue({
      signal = new AbortController().signal,
      log: runLog = log,
      lovedRating,
    }: {
      signal?: AbortSignal;
      log?: Logger;
      lovedRating: number;
    }): Promise<RelatedFilmsReport> {
      const now = clock().getTime();
      const deleted = await repo.deleteFetchedBefore(new Date(now - options.relatedMaxAgeMs));
      if (deleted > 0) {
        remembered.clear();
        cacheEvents.publish({ kind: 'related-lists-pruned' });
      }
      const due = await repo.dueForRefresh({
        lovedRating,
        staleBefore: new Date(now - options.relatedStaleMs),
        limit: options.relatedBatchSize,
      });
      let fetched = 0;
      let failed = 0;
      let failuresInARow = 0;
      for (const movieId of due) {
        if (signal.aborted || failuresInARow >= options.relatedMaxFailures) break;
        try {
          await fetchList(movieId, { signal, priority: 'background' });
          fetched++;
          failuresInARow = 0;
        } catch (error) {
          if (signal.aborted) break;
          failed++;
          failuresInARow++;
          runLog.warn({ err: error, movieId }, 'could not refresh a TMDB list; kept what was stored');
        }
      }
      const report = { deleted, fetched, failed };
      runLog.info({ ...report, due: due.length }, 'TMDB lists refreshed');
      return report;
    },
  };
}

export type RelatedFilmsService = ReturnType<typeof createRelatedFilms>;
