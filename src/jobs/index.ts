import type { Logger } from '../logger.js';
import type { TmdbCacheService } from '../services/tmdb-cache.js';
import { createSystemClock, type Clock } from './clock.js';
import type { RecommendationService } from '../services/recommendations/index.js';
import { relatedFilmsJob, tmdbCacheJob } from './definitions.js';
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
  /** Movie-night deadlines (every minute); the job is left out without it. */
  movieNights?: Pick<MovieNightService, 'closeDue'>;
  logger: Logger;
  /** Default: the system clock. */
  clock?: Clock;
  /** Default: node-cron ticking each minute. */
  scheduler?: Scheduler;
}

/** Every scheduled job of Marquee, on one runner: what the composition root starts and SIGTERM stops. */
export function createJobs({
  jobRuns,
  tmdbCache,
  recommendations,
  movieNights,
  logger,
  clock = createSystemClock(),
  scheduler,
  ...settings
}: JobsOptions): JobRunner {
  const log = logger.child({ component: 'jobs' });
  return createJobRunner({
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
}
