import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, type Repositories } from '../../src/db/repositories/index.js';
import { createCronScheduler, createJobs, movieNightDeadlinesJob } from '../../src/jobs/index.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { createManualClock, createManualTicker, tickThrough } from '../support/manual-clock.js';

const silent = createLogger({ level: 'silent' });

describe('movieNightDeadlinesJob', () => {
  it('sweeps every minute in UTC, however late, with the run’s signal and logger', async () => {
    const runs: { signal?: AbortSignal | undefined }[] = [];
    const job = movieNightDeadlinesJob({
      async closeDue(run = {}) {
        runs.push(run);
      },
    });
    expect(job).toMatchObject({
      name: 'movie-night-deadlines',
      cron: '* * * * *',
      timeZone: 'UTC',
      catchUp: { kind: 'always' },
    });
    const signal = new AbortController().signal;
    await job.run({ dueAt: new Date('2026-12-01T20:10:00Z'), signal, log: silent });
    expect(runs).toEqual([{ signal, log: silent }]);
  });
});

describe.each(databaseKinds())('the movie-night deadlines job in createJobs on %s', (kind) => {
  let test: TestDatabase;
  let repos: Repositories;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
    repos = createRepositories(test.db);
  });
  afterAll(() => test.destroy());

  it('runs each minute once, and after a restart catches up the minute missed while down', async () => {
    const clock = createManualClock('2026-12-01T20:00:30Z');
    const ticker = createManualTicker();
    let sweeps = 0;
    const boot = () =>
      createJobs({
        jobRuns: repos.jobRuns,
        tmdbCache: {
          enforceAgeLimit: async () => ({ deleted: 0, refreshed: 0, failed: 0, notFound: [], moreDue: false }),
        },
        movieNights: { closeDue: async () => void sweeps++ },
        logger: silent,
        clock,
        scheduler: createCronScheduler({ ticker, clock, logger: silent }),
      });
    const first = boot();
    await first.start();
    await tickThrough(clock, ticker, '2026-12-01T20:03:00Z', () => first.whenIdle());
    expect(sweeps).toBe(3);
    await first.stop();

    // Down for 20:04 and 20:05: the next process runs the latest missed minute once, at start.
    await clock.set('2026-12-01T20:05:30Z');
    const second = boot();
    await second.start();
    await second.whenIdle();
    expect(sweeps).toBe(4);
    expect((await repos.jobRuns.list('movie-night-deadlines')).map(({ dueAt }) => dueAt.toISOString())).toEqual([
      '2026-12-01T20:05:00.000Z',
      '2026-12-01T20:03:00.000Z',
      '2026-12-01T20:02:00.000Z',
      '2026-12-01T20:01:00.000Z',
    ]);
    await second.stop();
  });
});
