import { randomUUID } from 'node:crypto';
import type { CoreDeps } from '../context.js';
import { startDeadline } from '../deadline.js';
import { UserFacingError } from '../errors.js';
import {
  defaultAttachmentFetch,
  downloadAttachment,
  type AttachmentFetch,
  type AttachmentInfo,
} from '../import/download.js';
import { IMPORT_LIMITS, type ImportLimits } from '../import/limits.js';
import { createFilmMatcher, type FilmMatch, type UnmatchedReason } from '../import/matcher.js';
import { parseImport, type ImportFile } from '../import/parse.js';
import { planWrites, type MatchedRow } from '../import/plan.js';
import { chunks, eachLimited } from '../import/batches.js';
import { groupByFilm, type FilmGroups } from '../import/groups.js';
import type { ImportFormat, ImportRow, ParsedImport } from '../import/rows.js';
import { startingCounts, type ImportEnd, type ImportProgress, type ImportSummary } from '../import/summary.js';
import { unmatchedCsv } from '../import/unmatched.js';
import { TmdbError } from '../tmdb/errors.js';
import type { TmdbPriority } from '../tmdb/client.js';
import type { MovieSummary } from '../tmdb/types.js';
import { calendarDate, MINUTE_MS, SECOND_MS, shiftDate } from '../time.js';
import type { TasteListener } from './taste-listener.js';

export type { ImportFile } from '../import/parse.js';
export type { AttachmentInfo } from '../import/download.js';
export type { ImportFormat, ParsedImport } from '../import/rows.js';
export type { ImportProgress, ImportSummary } from '../import/summary.js';

export interface ImportServiceOptions {
  /** One import's TMDB lookups in flight at once: a few, so its requests never pile up in the client's queue. */
  lookupConcurrency?: number;
  /** Distinct films looked up before their rows are written, so a stop keeps what was done. */
  chunkFilms?: number;
  /** Rows per write transaction: short, so other members' writes wait for one batch at most. */
  batchRows?: number;
  /** A claim whose import has not beaten for this long is taken as left by a process that died. */
  staleClaimMs?: number;
  /** How often a running import refreshes its claim between batches. */
  heartbeatMs?: number;
  /** Bound on downloading the member's file. */
  downloadTimeoutMs?: number;
  /** How attachments are fetched (Discord's CDN); tests inject one. */
  fetch?: AttachmentFetch;
  limits?: Partial<ImportLimits>;
}

export const IMPORT_SERVICE_DEFAULTS = {
  lookupConcurrency: 4,
  chunkFilms: 100,
  batchRows: 100,
  staleClaimMs: 5 * MINUTE_MS,
  heartbeatMs: 30 * SECOND_MS,
  downloadTimeoutMs: 60 * SECOND_MS,
  fetch: defaultAttachmentFetch,
  limits: {},
} as const satisfies Required<ImportServiceOptions>;

/**
 * The TMDB queue lane of an import's lookups: behind every request a member is waiting on ('interactive': autocomplete,
 * /rate, /movie, picks), ahead of work nobody waits for ('background': the lists of loved films, which each imported
 * 3½★+ rating asks for, and the nightly cache refresh), so a big import is not slowed by the fetches it starts.
 */
export const IMPORT_LOOKUP_PRIORITY: TmdbPriority = 'normal';

/** Who hears how an import goes: the command (its reply, then a DM or the channel) or the operator script. */
export interface ImportListener {
  /** After every film looked up and every batch written (throttling is the listener's). Must not throw. */
  progress(progress: ImportProgress): void;
  /** Once, at the end; awaited, so stopping the bot waits for the member to be told. */
  finished(summary: ImportSummary): Promise<void>;
}

export interface ImportRequest {
  userId: string;
  parsed: ParsedImport;
}

export interface StartedImport {
  progress: ImportProgress;
  /** Resolves once the import ended and the listener was told (never rejects: failures are a summary). */
  done: Promise<ImportSummary>;
}

/** Why an import stops before its end. */
class ImportStopped extends Error {
  constructor(readonly reason: Extract<ImportEnd, { kind: 'stopped' }>['reason']) {
    super(`import stopped: ${reason}`);
  }
}

/**
 * Imports from Letterboxd and IMDb exports (issue 17). An upload is downloaded (bounded) and parsed completely first;
 * nothing is written from a file that is refused. Then, one import per member at a time (a claim row shared by every
 * process), the rows are matched chunk by chunk: stored films first, then TMDB through the client's queue (see
 * IMPORT_LOOKUP_PRIORITY), a few lookups at a time and with no transaction open; each chunk's rows are then written in short transactions, so other
 * members' commands keep answering. A stop (shutdown, TMDB failing, the member deleting their data) keeps what was
 * written; importing the same file again skips it.
 */
export function createImportService(
  core: Pick<CoreDeps, 'repos' | 'catalog' | 'clock' | 'logger'>,
  { taste }: { taste: TasteListener },
  options: ImportServiceOptions = {},
) {
  const { repos, catalog, clock } = core;
  const settings = { ...IMPORT_SERVICE_DEFAULTS, ...options };
  const limits: ImportLimits = { ...IMPORT_LIMITS, ...settings.limits };
  const log = core.logger.child({ component: 'imports' });
  const running = new Map<string, { controller: AbortController; done: Promise<ImportSummary> }>();

  async function run(
    runId: string,
    { userId, parsed }: ImportRequest,
    groups: FilmGroups,
    listener: ImportListener,
    shutdown: AbortSignal,
  ): Promise<ImportSummary> {
    const startedAt = clock();
    const runLog = log.child({ userId, runId });
    const counts = startingCounts(parsed);
    let filmsLookedUp = 0;
    let lastBeat = startedAt.getTime();
    const unmatchedRows: { row: ImportRow; reason: UnmatchedReason }[] = [];
    const reasons: Partial<Record<UnmatchedReason, number>> = {};
    const snapshot = (): ImportProgress => ({
      files: parsed.files,
      films: groups.size,
      filmsLookedUp,
      counts: { ...counts },
    });
    const report = () => {
      listener.progress(snapshot());
      if (clock().getTime() - lastBeat < settings.heartbeatMs) return;
      lastBeat = clock().getTime();
      repos.imports
        .heartbeat(userId, runId, clock())
        .catch((error: unknown) => runLog.warn({ err: error }, 'could not refresh the import claim'));
    };

    // A failing lookup stops the others at once; so does the bot stopping.
    const failFast = new AbortController();
    const lane = { signal: AbortSignal.any([shutdown, failFast.signal]), priority: IMPORT_LOOKUP_PRIORITY };
    const matcher = createFilmMatcher(
      {
        filmsByTmdbIds: (ids) => repos.movies.findByIds(ids),
        filmsByImdbIds: (ids) => repos.imports.filmsByImdbIds(ids),
        filmsBySearchTitles: (titles) => repos.imports.filmsBySearchTitles(titles),
        catalog,
      },
      lane,
    );

    async function matchChunk(keys: readonly string[]): Promise<Map<string, FilmMatch>> {
      const films = keys.map((key) => groups.get(key)!.film);
      const stored = await matcher.stored(films);
      const matches = new Map<string, FilmMatch>();
      const remote: string[] = [];
      keys.forEach((key, index) => {
        const found = stored.get(films[index]!);
        if (found) {
          matches.set(key, found);
          filmsLookedUp++;
        } else remote.push(key);
      });
      report();
      await eachLimited(remote, settings.lookupConcurrency, async (key) => {
        if (shutdown.aborted) throw new ImportStopped('shutdown');
        try {
          matches.set(key, await matcher.remote(groups.get(key)!.film));
        } catch (error) {
          failFast.abort();
          throw error;
        }
        filmsLookedUp++;
        report();
      });
      return matches;
    }

    /** Films TMDB named that the catalog could not store (it only logs that) are stored before rows point at them. */
    async function storeMissing(matches: Iterable<FilmMatch>): Promise<void> {
      const fetched = new Map<number, MovieSummary>();
      for (const match of matches) {
        if (match.kind === 'matched' && !match.stored) fetched.set(match.film.tmdbId, match.film);
      }
      if (fetched.size === 0) return;
      const stored = await repos.imports.storedIds([...fetched.keys()]);
      const missing = [...fetched.values()].filter((film) => !stored.has(film.tmdbId));
      if (missing.length > 0) await repos.movies.upsertSummaries(missing, clock());
    }

    async function writeBatch(batch: readonly MatchedRow[], imdbIds: readonly { tmdbId: number; imdbId: string }[]) {
      const movieIds = [...new Set(batch.map(({ movieId }) => movieId))];
      const plan = await repos.unitOfWork(async (tx) => {
        // First, so a deletion that committed meanwhile wins and holds off until this unit of work ends.
        if (await repos.tombstones.forgottenSince(startedAt, { userId }, { tx })) throw new ImportStopped('forgotten');
        if (!(await repos.imports.heartbeat(userId, runId, clock(), { tx }))) throw new ImportStopped('taken-over');
        await repos.users.ensure(userId, { tx });
        const planned = planWrites(batch, await repos.imports.filmStates(userId, movieIds, { tx }));
        for (const { movieId, stars, ratedAt } of planned.ratings) {
          await repos.ratings.upsert({ userId, movieId, score: stars, ratedAt }, { tx });
        }
        await repos.imports.addDiaryEntries(userId, planned.diary, { tx });
        await repos.imports.addToWatchlist(userId, planned.watchlist, { tx });
        await repos.imports.rememberImdbIds(imdbIds, { tx });
        tx.afterCommit(() => {
          for (const { movieId, stars } of planned.ratings) {
            try {
              taste.ratingChanged(userId, movieId, stars);
            } catch (error) {
              runLog.error({ err: error, movieId }, 'the recommender could not take an imported rating');
            }
          }
        });
        return planned;
      });
      lastBeat = clock().getTime();
      for (const outcome of plan.outcomes) counts[outcome === 'imported' ? 'imported' : 'already']++;
      counts.notReached -= batch.length;
      report();
    }

    async function importChunk(keys: readonly string[]): Promise<void> {
      const matches = await matchChunk(keys);
      const matched: MatchedRow[] = [];
      const imdbIds: { tmdbId: number; imdbId: string }[] = [];
      for (const key of keys) {
        const match = matches.get(key)!;
        const { rows } = groups.get(key)!;
        if (match.kind === 'unmatched') {
          for (const row of rows) unmatchedRows.push({ row, reason: match.reason });
          reasons[match.reason] = (reasons[match.reason] ?? 0) + rows.length;
          counts.unmatched += rows.length;
          counts.notReached -= rows.length;
          continue;
        }
        if (match.imdbId !== null && !match.stored) imdbIds.push({ tmdbId: match.film.tmdbId, imdbId: match.imdbId });
        for (const row of rows) matched.push({ row, movieId: match.film.tmdbId });
      }
      await storeMissing(matches.values());
      const batches = chunks(matched, settings.batchRows);
      for (const [index, batch] of batches.entries()) {
        if (shutdown.aborted) throw new ImportStopped('shutdown');
        await writeBatch(batch, index === 0 ? imdbIds : []);
      }
    }

    let end: ImportEnd = { kind: 'done' };
    try {
      for (const keys of chunks([...groups.keys()], settings.chunkFilms)) {
        if (shutdown.aborted) throw new ImportStopped('shutdown');
        await importChunk(keys);
      }
      runLog.info({ ...counts }, 'import finished');
    } catch (error) {
      end = { kind: 'stopped', reason: stopReason(error, shutdown) };
      if (end.reason === 'failed') runLog.error({ err: error, ...counts }, 'import failed');
      else runLog.info({ reason: end.reason, ...counts }, 'import stopped');
    } finally {
      await repos.imports
        .release(userId, runId)
        .catch((error: unknown) => runLog.warn({ err: error }, 'could not release the import claim'));
    }
    const summary: ImportSummary = {
      ...snapshot(),
      format: parsed.format,
      end,
      unmatchedFile: unmatchedCsv(parsed.format, unmatchedRows),
      unmatchedReasons: reasons,
    };
    await listener
      .finished(summary)
      .catch((error: unknown) => runLog.warn({ err: error }, 'could not tell the member how the import went'));
    return summary;
  }

  return {
    limits,

    /** The member's uploaded file, downloaded within the size limit and `downloadTimeoutMs`. */
    async download(attachment: AttachmentInfo): Promise<ImportFile> {
      const bytes = await downloadAttachment(attachment, {
        fetch: settings.fetch,
        signal: startDeadline(settings.downloadTimeoutMs).signal,
        limits,
      });
      return { name: attachment.name, bytes };
    },

    /** Reads and checks the whole file (UserFacingError naming the problem otherwise); writes nothing. */
    parse(format: ImportFormat, file: ImportFile): Promise<ParsedImport> {
      return parseImport(format, file, shiftDate(calendarDate(clock(), 'UTC'), 1), limits);
    },

    /**
     * Claims the member's one import and starts it without waiting for it: the listener hears how it goes. Refused
     * with UserFacingError 'import-running' while another import of theirs runs (in any process).
     */
    async start(request: ImportRequest, listener: ImportListener): Promise<StartedImport> {
      const { userId } = request;
      const runId = randomUUID();
      const now = clock();
      const claimed = await repos.unitOfWork(async (tx) => {
        await repos.users.ensure(userId, { tx });
        return repos.imports.claim(userId, runId, now, new Date(now.getTime() - settings.staleClaimMs), { tx });
      });
      if (!claimed) {
        throw new UserFacingError(
          'import-running',
          'You already have an import running: wait for its summary, then start the next one. (If Marquee restarted during it, you can start again in a few minutes.)',
        );
      }
      const controller = new AbortController();
      const groups = groupByFilm(request.parsed.rows);
      const done = run(runId, request, groups, listener, controller.signal).finally(() => running.delete(runId));
      running.set(runId, { controller, done });
      return {
        progress: {
          files: request.parsed.files,
          films: groups.size,
          filmsLookedUp: 0,
          counts: startingCounts(request.parsed),
        },
        done,
      };
    },

    /** Tells every running import to stop after its current batch and waits for them (at most `timeoutMs`). */
    async stop(timeoutMs: number): Promise<void> {
      const imports = [...running.values()];
      for (const { controller } of imports) controller.abort();
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([
        Promise.allSettled(imports.map(({ done }) => done)),
        new Promise<void>((resolve) => {
          timer = setTimeout(resolve, timeoutMs);
          timer.unref();
        }),
      ]);
      clearTimeout(timer);
    },
  };
}

function stopReason(error: unknown, shutdown: AbortSignal): Extract<ImportEnd, { kind: 'stopped' }>['reason'] {
  if (error instanceof ImportStopped) return error.reason;
  if (shutdown.aborted) return 'shutdown';
  if (error instanceof TmdbError) return error.kind === 'unauthorized' ? 'tmdb-key-rejected' : 'tmdb-unavailable';
  return 'failed';
}

export type ImportService = ReturnType<typeof createImportService>;
