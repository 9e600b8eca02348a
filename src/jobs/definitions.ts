import type { RecommendationService } from '../services/recommendations/index.js';
import type { ScheduleService } from '../services/schedules/index.js';
import type { TmdbCacheService } from '../services/tmdb-cache.js';
import { MINUTE_MS } from '../time.js';
import { CATCH_UP } from './catch-up.js';
import type { JobSource } from './job-source.js';
import type { JobDefinition } from './types.js';

/**
 * TMDB's 6-month cache limit, daily at 04:15 UTC (a quiet hour in Europe and the Americas; UTC so daylight
 * saving never moves or doubles it). Catch-up `always`: a pass missed while the bot was down still counts.
 */
export function tmdbCacheJob(tmdbCache: Pick<TmdbCacheService, 'enforceAgeLimit'>): JobDefinition {
  return {
    name: 'tmdb-cache',
    cron: '15 4 * * *',
    timeZone: 'UTC',
    catchUp: CATCH_UP.always,
    async run({ signal, log }) {
      await tmdbCache.enforceAgeLimit({ signal, log });
    },
  };
}

/**
 * TMDB's lists of the films members loved (the similar-films source of the picks), nightly at 04:45 UTC, after the
 * cache pass: lists older than 180 days are deleted (TMDB's terms), missing or 30-day-stale ones fetched, a bounded
 * batch on the TMDB client's background lane. Catch-up `always`: a night missed still leaves lists to refresh.
 */
export function relatedFilmsJob(recommendations: Pick<RecommendationService, 'refreshRelatedFilms'>): JobDefinition {
  return {
    name: 'related-films',
    cron: '45 4 * * *',
    timeZone: 'UTC',
    catchUp: CATCH_UP.always,
    async run({ signal, log }) {
      await recommendations.refreshRelatedFilms({ signal, log });
    },
  };
}

/** Job names of scheduled movie nights: `schedule:<id>` (ids are never reused, so neither are the names). */
export const SCHEDULE_JOB_PREFIX = 'schedule:';

/** A night missed while no process ran is still posted within this bound, and skipped (logged) after it. */
export const SCHEDULED_NIGHT_CATCH_UP_MS = 30 * MINUTE_MS;

/**
 * One scheduled movie night: its weekly `M H * * D` in the server's zone (daylight saving as src/jobs/cron.ts reads
 * it), posted at most 30 minutes late (an hour into the night nobody wants the call). A schedule created while
 * the bot was down counts from its creation.
 */
export function scheduledNightJob(
  schedule: { id: number; cron: string; timeZone: string; createdAt: Date },
  schedules: Pick<ScheduleService, 'fire' | 'skipped'>,
): JobDefinition {
  return {
    name: `${SCHEDULE_JOB_PREFIX}${schedule.id}`,
    cron: schedule.cron,
    timeZone: schedule.timeZone,
    catchUp: CATCH_UP.within(SCHEDULED_NIGHT_CATCH_UP_MS),
    since: schedule.createdAt,
    run: (context) => schedules.fire(schedule.id, context),
    skipped: (context) => schedules.skipped(schedule.id, context),
  };
}

/** Every scheduled movie night, read from the database afresh each time (see job-source.ts). */
export function scheduledNightJobs(schedules: Pick<ScheduleService, 'all' | 'fire' | 'skipped'>): JobSource {
  return {
    prefix: SCHEDULE_JOB_PREFIX,
    async load() {
      return (await schedules.all()).map((schedule) => scheduledNightJob(schedule, schedules));
    },
  };
}
