import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createDatabase, type Database } from '../../src/db/database.js';
import { createJobRunsRepository, type JobRunsRepository } from '../../src/db/repositories/job-runs.js';
import { CATCH_UP } from '../../src/jobs/catch-up.js';
import type { Clock } from '../../src/jobs/clock.js';
import { createJobSync, type JobSource } from '../../src/jobs/job-source.js';
import { createJobRunner } from '../../src/jobs/runner.js';
import { createCronScheduler } from '../../src/jobs/scheduler.js';
import type { JobDefinition } from '../../src/jobs/types.js';
import { createLogger } from '../../src/logger.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { createLogCapture } from '../support/log-capture.js';
import { createManualClock, createManualTicker, tickThrough } from '../support/manual-clock.js';

const silent = createLogger({ level: 'silent' });
const MINUTE_MS = 60_000;

interface Fired {
  job: string;
  dueAt: string;
  at: string;
}

/** A job that records its runs (and its skipped slots, as `skipped:` entries). */
function recordingJob(
  clock: Clock,
  fired: Fired[],
  name: string,
  cron: string,
  overrides: Partial<JobDefinition> = {},
): JobDefinition {
  return {
    name,
    cron,
    timeZone: 'Europe/Berlin',
    catchUp: CATCH_UP.within(30 * MINUTE_MS),
    async run({ dueAt }) {
      fired.push({ job: name, dueAt: dueAt.toISOString(), at: clock.now().toISOString() });
    },
    async skipped({ dueAt }) {
      fired.push({ job: `skipped:${name}`, dueAt: dueAt.toISOString(), at: clock.now().toISOString() });
    },
    ...overrides,
  };
}

describe.each(databaseKinds())('jobs added, replaced and removed at runtime on %s', (kind) => {
  let test: TestDatabase;
  let otherDb: Database;
  let repo: JobRunsRepository;

  /** One bot process with a runner over `db` and its own clock and ticker. */
  function botProcess(db: Database, start: string, jobs: JobDefinition[] = [], owner = 'first') {
    const clock = createManualClock(start);
    const ticker = createManualTicker();
    const logs = createLogCapture();
    const runner = createJobRunner({
      repo: createJobRunsRepository(db.sequelize),
      scheduler: createCronScheduler({ ticker, clock, logger: silent }),
      clock,
      logger: logs.logger,
      jobs,
      owner,
    });
    return { clock, ticker, runner, logs };
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

  it('runs a job put after start at its next slot, a replaced one at its new time only, a removed one never', async () => {
    const fired: Fired[] = [];
    const bot = botProcess(test.db, '2026-12-04T19:00:00+01:00');
    await bot.runner.start();
    bot.runner.put(recordingJob(bot.clock, fired, 'schedule:1', '0 20 * * 5'));
    bot.runner.put(recordingJob(bot.clock, fired, 'schedule:2', '30 19 * * 5'));
    expect(bot.runner.names()).toEqual(['schedule:1', 'schedule:2']);
    // Moved from 19:30 to 21:00 before it fired; schedule:1 goes before its slot.
    bot.runner.put(recordingJob(bot.clock, fired, 'schedule:2', '0 21 * * 5'));
    expect(bot.runner.remove('schedule:1')).toBe(true);
    expect(bot.runner.remove('schedule:1')).toBe(false);

    await tickThrough(bot.clock, bot.ticker, '2026-12-04T21:30:00+01:00', () => bot.runner.whenIdle());
    expect(fired).toEqual([{ job: 'schedule:2', dueAt: '2026-12-04T20:00:00.000Z', at: '2026-12-04T20:00:00.000Z' }]);
    await bot.runner.stop();
  });

  it('catches up a slot after `since` with no run recorded, within the bound, late', async () => {
    const fired: Fired[] = [];
    const bot = botProcess(test.db, '2026-12-04T20:10:00+01:00', []);
    bot.runner.put(
      recordingJob(bot.clock, fired, 'schedule:3', '0 20 * * 5', { since: new Date('2026-12-01T12:00:00Z') }),
    );
    await bot.runner.start();
    await bot.runner.whenIdle();
    expect(fired).toEqual([{ job: 'schedule:3', dueAt: '2026-12-04T19:00:00.000Z', at: '2026-12-04T19:10:00.000Z' }]);
    await bot.runner.stop();
  });

  it('catches nothing up for a slot before `since`: a schedule made after its weekday time waits a week', async () => {
    const fired: Fired[] = [];
    const bot = botProcess(test.db, '2026-12-04T20:10:00+01:00', []);
    bot.runner.put(
      recordingJob(bot.clock, fired, 'schedule:4', '0 20 * * 5', { since: new Date('2026-12-04T19:05:00Z') }),
    );
    await bot.runner.start();
    await bot.runner.whenIdle();
    expect(fired).toEqual([]);
    await bot.runner.stop();
  });

  it('skips a slot past the bound and calls its `skipped` follow-up once, however many processes start', async () => {
    const fired: Fired[] = [];
    const since = new Date('2026-12-01T12:00:00Z');
    const first = botProcess(test.db, '2026-12-04T20:45:00+01:00', [], 'first');
    const second = botProcess(otherDb, '2026-12-04T20:45:01+01:00', [], 'second');
    for (const bot of [first, second]) {
      bot.runner.put(recordingJob(bot.clock, fired, 'schedule:5', '0 20 * * 5', { since }));
    }
    await Promise.all([first.runner.start(), second.runner.start()]);
    await Promise.all([first.runner.whenIdle(), second.runner.whenIdle()]);
    await Promise.race([first.logs.until('slot skipped'), second.logs.until('slot skipped')]);

    expect(fired).toEqual([
      { job: 'skipped:schedule:5', dueAt: '2026-12-04T19:00:00.000Z', at: expect.stringMatching(/^2026-12-04T19:45/) },
    ]);
    expect(await repo.list('schedule:5')).toMatchObject([
      { outcome: 'skipped', error: expect.stringMatching(/2700 s late/) },
    ]);
    await Promise.all([first.runner.stop(), second.runner.stop()]);
  });

  it('logs a failing `skipped` follow-up and still records the skip', async () => {
    const bot = botProcess(test.db, '2026-12-04T21:00:00+01:00');
    bot.runner.put(
      recordingJob(bot.clock, [], 'schedule:6', '0 20 * * 5', {
        since: new Date('2026-12-01T12:00:00Z'),
        async skipped() {
          throw new Error('Discord is down');
        },
      }),
    );
    await bot.runner.start();
    await bot.logs.until('follow-up of a skipped slot failed');
    expect(await repo.list('schedule:6')).toMatchObject([{ outcome: 'skipped' }]);
    await bot.runner.stop();
  });

  describe('a job source read again by the sync', () => {
    /** A source over a list the test edits, as another process edits the schedules table. */
    function listSource(clock: Clock, fired: Fired[]) {
      const rows: { id: number; cron: string }[] = [];
      let failing = false;
      const source: JobSource = {
        prefix: 'schedule:',
        async load() {
          if (failing) throw new Error('database unreachable');
          return rows.map((row) => recordingJob(clock, fired, `schedule:${row.id}`, row.cron));
        },
      };
      return {
        source,
        rows,
        fail(on: boolean) {
          failing = on;
        },
      };
    }

    it('puts new and changed jobs, removes gone ones and forgets their runs, keeps all when a read fails', async () => {
      const fired: Fired[] = [];
      const bot = botProcess(test.db, '2026-12-04T19:00:00+01:00');
      const list = listSource(bot.clock, fired);
      const sync = createJobSync({
        runner: bot.runner,
        sources: [list.source],
        store: repo,
        clock: bot.clock,
        logger: bot.logs.logger,
      });
      list.rows.push({ id: 1, cron: '0 20 * * 5' }, { id: 2, cron: '0 21 * * 5' });
      await sync.refresh();
      await bot.runner.start();
      sync.start();
      expect(bot.runner.names()).toEqual(['schedule:1', 'schedule:2']);

      await tickThrough(bot.clock, bot.ticker, '2026-12-04T20:00:00+01:00', () => bot.runner.whenIdle());
      expect(fired.map((f) => f.job)).toEqual(['schedule:1']);

      // Another process moves schedule 2 to 20:30 and deletes schedule 1; the read failing once changes nothing.
      list.rows.splice(0, 2, { id: 2, cron: '30 20 * * 5' });
      list.fail(true);
      await bot.clock.advance(MINUTE_MS);
      await sync.whenIdle();
      await bot.logs.until('could not read scheduled jobs; keeping the ones known');
      expect(bot.runner.names()).toEqual(['schedule:1', 'schedule:2']);
      list.fail(false);
      // The minute's read is what applies it, not a call of `refresh`.
      await bot.clock.advance(MINUTE_MS);
      await sync.whenIdle();
      expect(bot.runner.names()).toEqual(['schedule:2']);
      expect(await repo.list('schedule:1')).toEqual([]);

      await tickThrough(bot.clock, bot.ticker, '2026-12-04T21:30:00+01:00', () => bot.runner.whenIdle());
      expect(fired.map((f) => [f.job, f.dueAt])).toEqual([
        ['schedule:1', '2026-12-04T19:00:00.000Z'],
        ['schedule:2', '2026-12-04T19:30:00.000Z'],
      ]);
      sync.stop();
      await bot.runner.stop();
    });

    it('leaves an unchanged job alone: a refresh in the middle of its minute does not reschedule it', async () => {
      const fired: Fired[] = [];
      const bot = botProcess(test.db, '2026-12-04T19:59:30+01:00');
      const list = listSource(bot.clock, fired);
      const sync = createJobSync({
        runner: bot.runner,
        sources: [list.source],
        store: repo,
        clock: bot.clock,
        logger: silent,
      });
      list.rows.push({ id: 7, cron: '0 20 * * 5' });
      await sync.refresh();
      await bot.runner.start();
      await bot.clock.set('2026-12-04T20:00:10+01:00');
      // A read between the slot and the (late) tick keeps the job's next slot at 20:00: the tick still fires it.
      await sync.refresh();
      bot.ticker.tick();
      await bot.runner.whenIdle();
      expect(fired.map((f) => f.dueAt)).toEqual(['2026-12-04T19:00:00.000Z']);
      await bot.runner.stop();
    });

    it('leaves out a job whose name is outside the source’s prefix', async () => {
      const bot = botProcess(test.db, '2026-12-04T19:00:00+01:00');
      const source: JobSource = {
        prefix: 'schedule:',
        load: async () => [recordingJob(bot.clock, [], 'tmdb-cache', '0 20 * * 5')],
      };
      const sync = createJobSync({
        runner: bot.runner,
        sources: [source],
        store: repo,
        clock: bot.clock,
        logger: bot.logs.logger,
      });
      await sync.refresh();
      expect(bot.runner.names()).toEqual([]);
      await bot.logs.until('job source gave a job outside its prefix; left out');
    });
  });
});
