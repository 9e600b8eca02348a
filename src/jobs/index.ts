import type { Logger } from '../logger.js';
import type { TmdbCacheService } from '../services/tmdb-cache.js';
import { createSystemClock, type Clock } from './clock.js';
import type { RecommendationService } from '../services/recommendations/index.js';
import type { ScheduleService } from '../services/schedules/index.js';
import { relatedFilmsJob, scheduledNightJobs, tmdbCacheJob } from './definitions.js';
import { createJobSync } from './job-source.js';
import { movieNightDeadlinesJob } from './movie-night-deadlines.js';
import type { MovieNightService } from '../services/movie-nights/index.js';
import { createNodeCronScheduler } from './node-cron.js';
import { createJobRunner, type JobRunner, type JobRunnerSettings } from './runner.js';
import type { Scheduler } from './scheduler.js';
import type { JobRunStore } from './types.js';

export * from './background.js';
export * from './catch-up.js';
export * from './clock.js';
export * from './cron.js';
export * from './definitions.js';
export * from './job-source.js';
export * from './movie-night-deadlines.js';
export * from './node-cron.js';
export * from './runner.js';
export * from './scheduler.js';
export * from './types.js';

export interface JobsOptions extends Partial<JobRunnerSettings> {
  /** `repositories.jobRuns`. */
  jobRuns: JobRunStore;
  tmdbCache: Pick<TmdbCacheService, 'enforceAgeLimit'>;
  /** The nightly refresh of TMDB's lists; the job is left out without it. */
  recommendations?: Pick<RecommendationService, 'refreshRelatedFilms'>;
  /** Scheduled movie nights, a job each (`schedule:<id>`); left out without it. */
  schedules?: Pick<ScheduleService, 'all' | 'fire' | 'skipped' | 'subscribe'>;
  /** How often the scheduled movie nights are read again (another process may have changed them); default 1 min. */
  refreshMs?: number;
  /** Movie-night deadlines (every minute); the job is left out without it. */
  movieNights?: Pick<MovieNightService, 'closeDue'>;
  logger: Logger;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: node-cron ticking each minute. */
  scheduler?: Scheduler;
}

export interface Jobs extends JobRunner {
  /** Reads the scheduled movie nights again and applies what changed (done each minute, and at once on a change here). */
  refresh(): Promise<void>;
}

/**
 * Every scheduled job of Marquee, on one runner: what the composition root starts and SIGTERM stops. The fixed jobs
 * are listed here; the scheduled movie nights are read from the database before the first catch-up (so a night
 * missed while no process ran is caught up too), again each minute, and at once when this process changes one.
 */
export function createJobs({
  jobRuns,
  tmdbCache,
  recommendations,
  schedules,
  refreshMs,
  movieNights,
  logger,
  clock = createSystemClock(),
  scheduler,
  ...settings
}: JobsOptions): Jobs {
  const log = logger.child({ component: 'jobs' });
  const runner = createJobRunner({
    ...settings,
    repo: jobRuns,
    clock,
    logger: log,
    scheduler: scheduler ?? createNodeCronScheduler({ logger: log, clock }),
    jobs: [
      tmdbCacheJob(tmdbCache),
      ...(recommendations ? [relatedFilmsJob(recommendations)] : []),
      ...(movieNights ? [movieNightDeadlinesJob(movieNights)] : []),
    ],
  });
  const sync = createJobSync({
    runner,
    sources: schedules ? [scheduledNightJobs(schedules)] : [],
    store: jobRuns,
    clock,
    logger: log,
    ...(refreshMs === undefined ? {} : { intervalMs: refreshMs }),
  });
  const refresh = () => sync.refresh();
  let unsubscribe: (() => void) | undefined;

  return {
    ...runner,
    refresh,
    async start() {
      await refresh();
      await runner.start();
      sync.start();
      unsubscribe = schedules?.subscribe(() => {
        refresh().catch((error: unknown) => log.warn({ err: error }, 'could not apply a schedule change'));
      });
    },
    async stop() {
      unsubscribe?.();
      sync.stop();
      const report = await runner.stop();
      // A read of the schedules in flight finishes before the database closes.
      await sync.whenIdle();
      return report;
    },
    async whenIdle() {
      await sync.whenIdle();
      await runner.whenIdle();
    },
  };
}
