import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, type Repositories } from '../../src/db/repositories/index.js';
import { createCronScheduler, createJobs, relatedFilmsJob, tmdbCacheJob } from '../../src/jobs/index.js';
import { createLogger } from '../../src/logger.js';
import type { TmdbCacheReport } from '../../src/services/tmdb-cache.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { createManualClock, createManualTicker, tickThrough } from '../support/manual-clock.js';

const silent = createLogger({ level: 'silent' });
const REPORT: TmdbCacheReport = { deleted: 0, refreshed: 0, failed: 0, notFound: [], moreDue: false };

describe.each(databaseKinds())('createJobs on %s', (kind) => {
  let test: TestDatabase;
  let repos: Repositories;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
    repos = createRepositories(test.db);
  });
  afterAll(() => test.destroy());

  it('runs the TMDB cache pass once a day at 04:15 UTC, with a signal that fires on stop', async () => {
    const clock = createManualClock('2026-12-01T04:10:00Z');
    const ticker = createManualTicker();
    const signals: AbortSignal[] = [];
    const jobs = createJobs({
      jobRuns: repos.jobRuns,
      tmdbCache: {
        async enforceAgeLimit({ signal } = {}) {
          if (signal) signals.push(signal);
          return REPORT;
        },
      },
      logger: silent,
      clock,
      scheduler: createCronScheduler({ ticker, clock, logger: silent }),
    });
    await jobs.start();
    await tickThrough(clock, ticker, '2026-12-01T04:30:00Z', () => jobs.whenIdle());

    expect(signals).toHaveLength(1);
    expect(await repos.jobRuns.list('tmdb-cache')).toMatchObject([
      { dueAt: new Date('2026-12-01T04:15:00Z'), outcome: 'succeeded' },
    ]);
    await jobs.stop();
    expect(signals[0]?.aborted).toBe(true);
  });

  it('starts and stops on node-cron by default', async () => {
    await test.db.sequelize.query('DELETE FROM job_runs');
    const jobs = createJobs({
      jobRuns: repos.jobRuns,
      tmdbCache: { enforceAgeLimit: async () => REPORT },
      logger: silent,
    });
    await jobs.start();
    expect(await jobs.stop()).toEqual({ unfinished: [] });
  });
});

describe('tmdbCacheJob', () => {
  it('is caught up however late: a missed pass still counts toward TMDB’s limit', () => {
    const job = tmdbCacheJob({ enforceAgeLimit: async () => REPORT });
    expect(job).toMatchObject({ name: 'tmdb-cache', cron: '15 4 * * *', timeZone: 'UTC', catchUp: { kind: 'always' } });
  });
});

describe('relatedFilmsJob', () => {
  it('refreshes TMDB’s lists of loved films nightly after the cache pass, however late, with the run’s signal', async () => {
    const signals: (AbortSignal | undefined)[] = [];
    const job = relatedFilmsJob({
      async refreshRelatedFilms({ signal } = {}) {
        signals.push(signal);
        return { deleted: 0, fetched: 0, failed: 0 };
      },
    });
    expect(job).toMatchObject({
      name: 'related-films',
      cron: '45 4 * * *',
      timeZone: 'UTC',
      catchUp: { kind: 'always' },
    });

    const signal = new AbortController().signal;
    await job.run({ dueAt: new Date('2026-12-01T04:45:00Z'), signal, log: silent });
    expect(signals).toEqual([signal]);
  });
});
