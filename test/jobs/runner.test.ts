import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/database.js';
import { createJobRunsRepository, type JobRunsRepository } from '../../src/db/repositories/job-runs.js';
import { CATCH_UP } from '../../src/jobs/catch-up.js';
import type { Clock } from '../../src/jobs/clock.js';
import { createJobRunner, type JobRunnerSettings } from '../../src/jobs/runner.js';
import { createCronScheduler } from '../../src/jobs/scheduler.js';
import type { JobContext, JobDefinition } from '../../src/jobs/types.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { createLogCapture } from '../support/log-capture.js';
import { createManualClock, createManualTicker, settle, tickThrough } from '../support/manual-clock.js';

const silent = createLogger({ level: 'silent' });
const MINUTE_MS = 60_000;

interface Recorded {
  dueAt: string;
  at: string;
}

function deferred() {
  let resolve: () => void = () => undefined;
  const promise = new Promise<void>((settle) => {
    resolve = settle;
  });
  return { promise, resolve };
}

/** The scheduled movie night of the issue: 20:00 Berlin time (19:00Z in December), at most 30 minutes late. */
function movieNight(clock: Clock, runs: Recorded[], overrides: Partial<JobDefinition> = {}): JobDefinition {
  return {
    name: 'movie-night',
    cron: '0 20 * * *',
    timeZone: 'Europe/Berlin',
    catchUp: CATCH_UP.within(30 * MINUTE_MS),
    async run({ dueAt }) {
      runs.push({ dueAt: dueAt.toISOString(), at: clock.now().toISOString() });
    },
    ...overrides,
  };
}

describe.each(databaseKinds())('the job runner on %s', (kind) => {
  let test: TestDatabase;
  /** A second connection pool on the same database: the second bot process. */
  let otherDb: Database;
  let repo: JobRunsRepository;

  /** One bot process: its own clock, ticker and runner, over `db`. */
  function botProcess(
    db: Database,
    start: string,
    jobs: (clock: Clock) => JobDefinition[],
    options: Partial<JobRunnerSettings> = {},
  ) {
    const clock = createManualClock(start);
    const ticker = createManualTicker();
    const logs = createLogCapture();
    const scheduler = createCronScheduler({ ticker, clock, logger: silent });
    const runner = createJobRunner({
      repo: createJobRunsRepository(db.sequelize),
      scheduler,
      clock,
      logger: logs.logger,
      jobs: jobs(clock),
      owner: `process-${start}`,
      ...options,
    });
    return { clock, ticker, runner, logs };
  }

  /** A finished run on record, as an earlier process would have left it. */
  async function recordRun(job: string, dueAt: string): Promise<void> {
    const at = new Date(dueAt);
    await repo.claim({ job, dueAt: at, startedAt: at, claimedBy: 'earlier', outcome: 'running' });
    await repo.finish({ job, dueAt: at, finishedAt: at, outcome: 'succeeded', error: null });
  }

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    otherDb = createDatabase(test.target, silent);
    repo = createJobRunsRepository(test.db.sequelize);
  });
  afterAll(async () => {
    await otherDb.close();
    await test.destroy();
  });
  beforeEach(async () => {
    await test.db.sequelize.query('DELETE FROM job_runs');
  });

  it('runs a job due at 20:00 once, at 20:00, and records it', async () => {
    const runs: Recorded[] = [];
    const bot = botProcess(test.db, '2026-12-01T19:55:00+01:00', (clock) => [movieNight(clock, runs)]);
    await bot.runner.start();
    await tickThrough(bot.clock, bot.ticker, '2026-12-01T20:30:00+01:00', () => bot.runner.whenIdle());

    expect(runs).toEqual([{ dueAt: '2026-12-01T19:00:00.000Z', at: '2026-12-01T19:00:00.000Z' }]);
    expect(await repo.list('movie-night')).toMatchObject([
      {
        dueAt: new Date('2026-12-01T19:00:00Z'),
        startedAt: new Date('2026-12-01T19:00:00Z'),
        outcome: 'succeeded',
        error: null,
      },
    ]);
    await bot.runner.stop();
  });

  it('runs a slot once when two processes sharing the database fire for it one second apart', async () => {
    const runs: Recorded[] = [];
    const first = botProcess(test.db, '2026-12-01T19:59:00+01:00', (clock) => [movieNight(clock, runs)]);
    const second = botProcess(otherDb, '2026-12-01T19:59:00+01:00', (clock) => [movieNight(clock, runs)]);
    await Promise.all([first.runner.start(), second.runner.start()]);

    await first.clock.set('2026-12-01T20:00:00+01:00');
    first.ticker.tick();
    await first.runner.whenIdle();
    // The second process's clock is a second behind: its tick comes after the first run has finished.
    await second.clock.set('2026-12-01T20:00:01+01:00');
    second.ticker.tick();
    await second.runner.whenIdle();
    await second.logs.until('slot already claimed by another process');

    expect(runs).toEqual([{ dueAt: '2026-12-01T19:00:00.000Z', at: '2026-12-01T19:00:00.000Z' }]);
    expect(await repo.list('movie-night')).toMatchObject([
      { outcome: 'succeeded', claimedBy: 'process-2026-12-01T19:59:00+01:00' },
    ]);
    await Promise.all([first.runner.stop(), second.runner.stop()]);
  });

  it('runs a slot once when the second process fires while the first is still running it', async () => {
    const release = deferred();
    let started = 0;
    const slowJob = (clock: Clock): JobDefinition => ({
      ...movieNight(clock, []),
      async run() {
        started += 1;
        await release.promise;
      },
    });
    const first = botProcess(test.db, '2026-12-01T19:59:00+01:00', (clock) => [slowJob(clock)]);
    const second = botProcess(otherDb, '2026-12-01T19:59:00+01:00', (clock) => [slowJob(clock)]);
    await Promise.all([first.runner.start(), second.runner.start()]);

    await first.clock.set('2026-12-01T20:00:00+01:00');
    first.ticker.tick();
    await first.logs.until('job started');
    await second.clock.set('2026-12-01T20:00:01+01:00');
    second.ticker.tick();
    await second.runner.whenIdle();
    await second.logs.until('slot already claimed by another process');
    release.resolve();
    await first.runner.whenIdle();

    expect(started).toBe(1);
    expect(await repo.list('movie-night')).toMatchObject([{ outcome: 'succeeded' }]);
    await Promise.all([first.runner.stop(), second.runner.stop()]);
  });

  describe('catching up a slot missed while no process ran', () => {
    it('runs an `always` job late, once, for the latest missed slot only', async () => {
      await recordRun('close-polls', '2026-11-27T19:00:00Z');
      const runs: Recorded[] = [];
      const bot = botProcess(test.db, '2026-12-01T22:30:00+01:00', (clock) => [
        movieNight(clock, runs, { name: 'close-polls', catchUp: CATCH_UP.always }),
      ]);
      await bot.runner.start();
      await bot.runner.whenIdle();

      expect(runs).toEqual([{ dueAt: '2026-12-01T19:00:00.000Z', at: '2026-12-01T21:30:00.000Z' }]);
      expect((await repo.list('close-polls')).map((run) => run.outcome)).toEqual(['succeeded', 'succeeded']);
      expect(bot.logs.lines.some((line) => line.includes('"trigger":"catch-up"'))).toBe(true);
      await bot.runner.stop();
    });

    it('runs a `within(30 min)` job that is 10 minutes late', async () => {
      await recordRun('movie-night', '2026-11-30T19:00:00Z');
      const runs: Recorded[] = [];
      const bot = botProcess(test.db, '2026-12-01T20:10:00+01:00', (clock) => [movieNight(clock, runs)]);
      await bot.runner.start();
      await bot.runner.whenIdle();

      expect(runs).toEqual([{ dueAt: '2026-12-01T19:00:00.000Z', at: '2026-12-01T19:10:00.000Z' }]);
      await bot.runner.stop();
    });

    it('skips a `within(30 min)` job that is 2 hours late, logs it, records it, and runs the next slot', async () => {
      await recordRun('movie-night', '2026-11-30T19:00:00Z');
      const runs: Recorded[] = [];
      const bot = botProcess(test.db, '2026-12-01T22:00:00+01:00', (clock) => [movieNight(clock, runs)]);
      await bot.runner.start();
      await bot.runner.whenIdle();

      expect(runs).toEqual([]);
      await bot.logs.until('slot skipped');
      const [skipped] = await repo.list('movie-night', 1);
      expect(skipped).toMatchObject({
        dueAt: new Date('2026-12-01T19:00:00Z'),
        outcome: 'skipped',
        error: expect.stringMatching(/7200 s late/),
      });

      await tickThrough(bot.clock, bot.ticker, '2026-12-02T20:01:00+01:00', () => bot.runner.whenIdle());
      expect(runs).toEqual([{ dueAt: '2026-12-02T19:00:00.000Z', at: '2026-12-02T19:00:00.000Z' }]);
      await bot.runner.stop();
    });

    it('catches a missed slot up once when two processes start together', async () => {
      await recordRun('close-polls', '2026-11-30T19:00:00Z');
      const runs: Recorded[] = [];
      const job = (clock: Clock) => [movieNight(clock, runs, { name: 'close-polls', catchUp: CATCH_UP.always })];
      const first = botProcess(test.db, '2026-12-01T21:00:00+01:00', job);
      const second = botProcess(otherDb, '2026-12-01T21:00:01+01:00', job);
      await Promise.all([first.runner.start(), second.runner.start()]);
      await Promise.all([first.runner.whenIdle(), second.runner.whenIdle()]);

      expect(runs).toHaveLength(1);
      await Promise.all([first.runner.stop(), second.runner.stop()]);
    });

    it('catches nothing up for a job with no recorded run: it starts at its next slot', async () => {
      const runs: Recorded[] = [];
      const bot = botProcess(test.db, '2026-12-01T20:10:00+01:00', (clock) => [movieNight(clock, runs)]);
      await bot.runner.start();
      await bot.runner.whenIdle();

      expect(runs).toEqual([]);
      await bot.logs.until('no run recorded yet; the job starts at its next slot');
      await bot.runner.stop();
    });
  });

  it('records a failed run with its error, and still runs the next slot', async () => {
    let calls = 0;
    const bot = botProcess(test.db, '2026-12-01T19:59:00+01:00', (clock) => [
      {
        ...movieNight(clock, []),
        async run() {
          calls += 1;
          if (calls === 1) throw new Error('Discord is down');
        },
      },
    ]);
    await bot.runner.start();
    await tickThrough(bot.clock, bot.ticker, '2026-12-02T20:00:00+01:00', () => bot.runner.whenIdle());

    expect((await repo.list('movie-night')).map(({ outcome, error }) => ({ outcome, error }))).toEqual([
      { outcome: 'succeeded', error: null },
      { outcome: 'failed', error: 'Error: Discord is down' },
    ]);
    await bot.runner.stop();
  });

  it('prunes runs older than the retention after a run, keeping the latest of each job', async () => {
    await recordRun('movie-night', '2026-10-01T18:00:00Z');
    await recordRun('movie-night', '2026-11-30T19:00:00Z');
    await recordRun('yearly', '2026-01-01T00:00:00Z');
    const bot = botProcess(test.db, '2026-12-01T19:59:00+01:00', (clock) => [movieNight(clock, [])]);
    await bot.runner.start();
    await tickThrough(bot.clock, bot.ticker, '2026-12-01T20:00:00+01:00', () => bot.runner.whenIdle());

    expect((await repo.list('movie-night')).map((run) => run.dueAt.toISOString())).toEqual([
      '2026-12-01T19:00:00.000Z',
      '2026-11-30T19:00:00.000Z',
    ]);
    expect(await repo.list('yearly')).toHaveLength(1);
    await bot.runner.stop();
  });

  describe('stop()', () => {
    /** A bot whose job, once started at 20:00, runs until the test lets it finish. */
    async function botMidRun(stopTimeoutMs: number) {
      const release = deferred();
      const started = deferred();
      let signal: AbortSignal | undefined;
      const bot = botProcess(
        test.db,
        '2026-12-01T19:59:00+01:00',
        (clock) => [
          {
            ...movieNight(clock, []),
            async run(context: JobContext) {
              signal = context.signal;
              started.resolve();
              await release.promise;
            },
          },
        ],
        { stopTimeoutMs },
      );
      await bot.runner.start();
      await bot.clock.set('2026-12-01T20:00:00+01:00');
      bot.ticker.tick();
      await started.promise;
      return { ...bot, release, signal: () => signal };
    }

    it('waits for the running job, signalling it to wrap up, and then records it', async () => {
      const bot = await botMidRun(10_000);
      let stopped = false;
      const stopping = bot.runner.stop().then((report) => {
        stopped = true;
        return report;
      });
      await bot.clock.advance(9_000);
      expect(stopped).toBe(false);
      expect(bot.signal()?.aborted).toBe(true);

      bot.release.resolve();
      expect(await stopping).toEqual({ unfinished: [] });
      expect(await repo.list('movie-night')).toMatchObject([{ outcome: 'succeeded' }]);
      expect(bot.clock.sleepers).toBe(0);
    });

    it('gives up waiting at its bound, leaving the run recorded as running', async () => {
      const bot = await botMidRun(10_000);
      let stopped = false;
      const stopping = bot.runner.stop().then((report) => {
        stopped = true;
        return report;
      });
      await bot.clock.advance(9_999);
      expect(stopped).toBe(false);
      await bot.clock.advance(1);
      expect(await stopping).toEqual({ unfinished: ['movie-night'] });
      expect(await repo.list('movie-night')).toMatchObject([{ outcome: 'running', finishedAt: null }]);
      bot.release.resolve();
      await bot.runner.whenIdle();
    });

    it('starts no run after it, even when a slot comes', async () => {
      const runs: Recorded[] = [];
      const bot = botProcess(test.db, '2026-12-01T19:59:00+01:00', (clock) => [movieNight(clock, runs)]);
      await bot.runner.start();
      expect(await bot.runner.stop()).toEqual({ unfinished: [] });
      await bot.clock.set('2026-12-01T20:00:00+01:00');
      bot.ticker.tick();
      await settle();
      expect(bot.ticker.started).toBe(false);
      expect(runs).toEqual([]);
      expect(await repo.list('movie-night')).toEqual([]);
    });
  });
});
