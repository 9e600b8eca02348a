import { Writable } from 'node:stream';
import { commands as allCommands } from '../../commands/index.js';
import { createApp, type App, type AppOptions } from '../../src/app.js';
import { createRandom } from '../../src/recommender/evaluation/random.js';
import type { Command } from '../../src/discord/command.js';
import type { Clock, Scheduler } from '../../src/jobs/index.js';
import { createCronScheduler } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';
import type { ManualClock, ManualTicker } from './manual-clock.js';
import type { ServiceOptions } from '../../src/services/index.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../../local-discord/index.js';
import { localBotConfig } from '../../local-discord/local-bot.js';

/** Where the bot's TMDB client points in end-to-end tests: intercept it with `nock(TMDB_BASE)`. */
export const TMDB_BASE = 'https://api.themoviedb.org/3';
export const APPLICATION_ID = '900000000000000001';

export interface BotHarness {
  fake: FakeDiscord;
  app: App;
  database: TestDatabase;
  /** Every log line the bot wrote, parsed. */
  logs: Record<string, unknown>[];
  /**
   * Stops the bot and starts a fresh one on the same database and fake Discord: nothing cached survives. `whileDown`
   * runs in between (members reacting, time passing while no bot runs).
   */
  restart(whileDown?: () => Promise<void>): Promise<void>;
  /**
   * Starts another bot process on the same database and fake Discord (its own client, caches and jobs), as a second
   * replica would run; `close` stops it too. Both get every gateway event: send it no interactions.
   */
  startInstance(options?: { jobs?: JobTiming }): Promise<App>;
  close(): Promise<void>;
}

export interface BotHarnessOptions {
  kind: DatabaseKind;
  guilds: NonNullable<FakeDiscordOptions['guilds']>;
  users?: NonNullable<FakeDiscordOptions['users']>;
  clock?: () => Date;
  /** Commands to serve instead of the real list (e.g. one that throws, to test the router). */
  commands?: readonly Command[];
  /** Budgets and sizes of the use cases, e.g. a short TMDB budget so a test of a hanging TMDB waits on nothing long. */
  services?: ServiceOptions;
  /** Extra environment, e.g. `{ MEMBER_ACTIVE_DAYS: '30' }`. */
  env?: Record<string, string>;
  /** A real TMDB over HTTP (the local fake, `startFakeTmdb`) instead of nock at `TMDB_BASE`. */
  tmdb?: { baseUrl: string; token: string };
  /** More of the composition root's options (jobs scheduler, health probe, cross-process caches…). */
  app?: Omit<AppOptions, 'config' | 'logger' | 'commands' | 'clock' | 'services'>;
  /** The scheduled jobs on a hand-moved clock and ticker (default: the real clock and node-cron). */
  jobs?: JobTiming;
  /** Waiting for jobs and movie-night deadlines: a manual clock (`createManualClock`) moves it without sleeping. */
  timers?: Clock;
  /** The jobs' scheduler, one per boot (a stopped scheduler stays stopped): e.g. a cron scheduler on a manual ticker. */
  scheduler?: () => Scheduler;
}

/** What the scheduled jobs of one bot process run on; `clock` also serves as the app's clock. */
export interface JobTiming {
  clock: ManualClock;
  ticker: ManualTicker;
}

/** A writable stream that parses each JSON log line into `logs`. */
export function logCollector(logs: Record<string, unknown>[]): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
}

export interface BotOptions extends Omit<BotHarnessOptions, 'kind' | 'guilds' | 'users'> {
  fake: FakeDiscord;
  databaseUrl: string;
  /** Where the bot's log lines go, parsed. */
  logs: Record<string, unknown>[];
  /** Default `info`; `debug` also shows what the cache events and SQL do. */
  logLevel?: 'info' | 'debug';
}

/** One bot (the real composition root) against an existing fake Discord and database, started and ready. */
export async function startBot(options: BotOptions): Promise<App> {
  const config = localBotConfig({
    discord: options.fake,
    applicationId: APPLICATION_ID,
    tmdb: options.tmdb ?? { baseUrl: TMDB_BASE, token: 'test-tmdb-token' },
    databaseUrl: options.databaseUrl,
    ...(options.env ? { env: options.env } : {}),
  });
  const logger = createLogger({ level: options.logLevel ?? 'info', destination: logCollector(options.logs) });
  const { jobs } = options;
  const clock = jobs ? () => jobs.clock.now() : options.clock;
  const app = createApp({
    config,
    logger,
    ...(options.commands ? { commands: options.commands } : {}),
    ...(clock ? { clock } : {}),
    // The Thompson draws of the source weights come from a seeded source, so picks repeat from run to run.
    services: {
      ...options.services,
      recommendations: { random: createRandom(1), ...options.services?.recommendations },
    },
    ...(jobs
      ? {
          jobs: {
            clock: jobs.clock,
            scheduler: createCronScheduler({ ticker: jobs.ticker, clock: jobs.clock, logger }),
          },
        }
      : options.timers || options.scheduler
        ? {
            jobs: {
              ...(options.timers ? { clock: options.timers } : {}),
              ...(options.scheduler ? { scheduler: options.scheduler() } : {}),
            },
          }
        : {}),
    ...options.app,
  });
  await app.start();
  await options.fake.waitUntil(() => app.client.isReady(), { description: 'the bot to be ready' });
  return app;
}

/**
 * The whole bot as it runs in production (the real composition root, migrations, discord.js Client),
 * against a fresh test database, TMDB at `TMDB_BASE` (nock) or the local fake TMDB, and a fake Discord on 127.0.0.1.
 */
export async function startBotHarness(options: BotHarnessOptions): Promise<BotHarness> {
  const database = await createTestDatabase(options.kind);
  const fake = await startFakeDiscord({
    applicationId: APPLICATION_ID,
    guilds: options.guilds,
    ...(options.users ? { users: options.users } : {}),
    commands: (options.commands ?? allCommands).map((command) => command.data.toJSON()),
  });
  const logs: Record<string, unknown>[] = [];
  const boot = (jobs = options.jobs): Promise<App> =>
    startBot({ ...options, ...(jobs ? { jobs } : {}), fake, databaseUrl: database.target.url, logs });
  const instances: App[] = [];

  const harness: BotHarness = {
    fake,
    app: await boot(),
    database,
    logs,
    async restart(whileDown) {
      await harness.app.stop();
      await whileDown?.();
      harness.app = await boot();
    },
    async startInstance({ jobs } = {}) {
      const app = await boot(jobs);
      instances.push(app);
      return app;
    },
    async close() {
      for (const app of instances) await app.stop();
      await harness.app.stop();
      await fake.close();
      await database.destroy();
    },
  };
  return harness;
}
