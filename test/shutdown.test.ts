import { EventEmitter } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createJobRunsRepository } from '../src/db/repositories/job-runs.js';
import { CATCH_UP } from '../src/jobs/catch-up.js';
import { createJobRunner } from '../src/jobs/runner.js';
import { createCronScheduler } from '../src/jobs/scheduler.js';
import { createLogger } from '../src/logger.js';
import { createShutdown, onShutdownSignals, type ShutdownStep } from '../src/shutdown.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from './support/databases.js';
import { createManualClock, createManualTicker, type ManualClock } from './support/manual-clock.js';

const silent = createLogger({ level: 'silent' });

describe.each(databaseKinds())('shutdown with jobs on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createTestDatabase(kind);
  });
  afterAll(() => test.destroy());

  /** The bot as src/index.ts will build it: a job runner mid-run at 20:00, and SIGTERM wired to a shutdown. */
  async function botMidRun(job: string, { stopTimeoutMs, timeoutMs }: { stopTimeoutMs: number; timeoutMs: number }) {
    const clock = createManualClock('2026-12-01T19:59:00Z');
    const ticker = createManualTicker();
    let release: () => void = () => undefined;
    let markStarted: () => void = () => undefined;
    const started = new Promise<void>((resolve) => {
      markStarted = resolve;
    });
    const repo = createJobRunsRepository(test.db.sequelize);
    const runner = createJobRunner({
      repo,
      clock,
      logger: silent,
      scheduler: createCronScheduler({ ticker, clock, logger: silent }),
      stopTimeoutMs,
      jobs: [
        {
          name: job,
          cron: '0 20 * * *',
          timeZone: 'UTC',
          catchUp: CATCH_UP.always,
          run: () =>
            new Promise<void>((resolve) => {
              release = resolve;
              markStarted();
            }),
        },
      ],
    });
    await runner.start();
    await clock.set('2026-12-01T20:00:00Z');
    ticker.tick();
    await started;

    const closed: string[] = [];
    const exit = vi.fn<(code: number) => void>();
    const steps: ShutdownStep[] = [
      {
        name: 'jobs',
        async run() {
          const { unfinished } = await runner.stop();
          if (unfinished.length > 0) throw new Error(`jobs still running: ${unfinished.join(', ')}`);
        },
      },
      { name: 'database', run: () => void closed.push('database') },
    ];
    const shutdown = createShutdown({ steps, timeoutMs, exit, logger: silent, sleep: clock.sleep });
    const signals = new EventEmitter();
    onShutdownSignals(signals, shutdown);
    return { clock, repo, runner, signals, shutdown, exit, closed, release: () => release() };
  }

  it('SIGTERM during a run waits for it (bounded) and exits cleanly', async () => {
    const bot = await botMidRun('sigterm-clean', { stopTimeoutMs: 8_000, timeoutMs: 9_000 });
    bot.signals.emit('SIGTERM');
    await bot.clock.advance(5_000);
    expect(bot.exit).not.toHaveBeenCalled();
    expect(bot.closed).toEqual([]);

    bot.release();
    await bot.shutdown('SIGTERM');
    expect(bot.exit).toHaveBeenCalledExactlyOnceWith(0);
    expect(bot.closed).toEqual(['database']);
    expect(await bot.repo.list('sigterm-clean')).toMatchObject([{ outcome: 'succeeded' }]);
  });

  it('SIGTERM during a run that outlasts the jobs bound: stops waiting at it, closes the rest, exits 1', async () => {
    const bot = await botMidRun('sigterm-stuck', { stopTimeoutMs: 8_000, timeoutMs: 9_000 });
    bot.signals.emit('SIGTERM');
    await bot.clock.advance(7_999);
    expect(bot.exit).not.toHaveBeenCalled();

    await bot.clock.advance(1);
    await bot.shutdown('SIGTERM');
    expect(bot.exit).toHaveBeenCalledExactlyOnceWith(1);
    expect(bot.closed).toEqual(['database']);
    expect(await bot.repo.list('sigterm-stuck')).toMatchObject([{ outcome: 'running' }]);
    bot.release();
    await bot.runner.whenIdle();
  });

  it('a second signal joins the shutdown already under way', async () => {
    const bot = await botMidRun('sigterm-twice', { stopTimeoutMs: 8_000, timeoutMs: 9_000 });
    bot.signals.emit('SIGTERM');
    bot.signals.emit('SIGINT');
    bot.release();
    await bot.shutdown('SIGTERM');
    expect(bot.exit).toHaveBeenCalledExactlyOnceWith(0);
    expect(bot.closed).toEqual(['database']);
  });
});

describe('createShutdown', () => {
  async function run(steps: ShutdownStep[], clock: ManualClock, timeoutMs = 1_000) {
    const exit = vi.fn<(code: number) => void>();
    const done = createShutdown({ steps, timeoutMs, exit, logger: silent, sleep: clock.sleep })('SIGTERM');
    return { exit, done };
  }

  it('exits 1 at its bound when a step hangs, without waiting for it', async () => {
    const clock = createManualClock('2026-12-01T00:00:00Z');
    const { exit, done } = await run([{ name: 'hangs', run: () => new Promise<void>(() => undefined) }], clock);
    await clock.advance(999);
    expect(exit).not.toHaveBeenCalled();
    await clock.advance(1);
    await done;
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
  });

  it('runs every step in order even when one fails, then exits 1', async () => {
    const clock = createManualClock('2026-12-01T00:00:00Z');
    const order: string[] = [];
    const { exit, done } = await run(
      [
        { name: 'first', run: () => void order.push('first') },
        {
          name: 'fails',
          run: () => {
            order.push('fails');
            throw new Error('boom');
          },
        },
        { name: 'last', run: () => void order.push('last') },
      ],
      clock,
    );
    await done;
    expect(order).toEqual(['first', 'fails', 'last']);
    expect(exit).toHaveBeenCalledExactlyOnceWith(1);
    expect(clock.sleepers).toBe(0);
  });
});
