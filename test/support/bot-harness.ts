import { Writable } from 'node:stream';
import { commands as allCommands } from '../../commands/index.js';
import { createApp, type App } from '../../src/app.js';
import type { Command } from '../../src/discord/command.js';
import type { Clock, Scheduler } from '../../src/jobs/index.js';
import { loadConfig } from '../../src/config.js';
import { createLogger } from '../../src/logger.js';
import type { ServiceOptions } from '../../src/services/index.js';
import { createTestDatabase, type DatabaseKind, type TestDatabase } from './databases.js';
import { startFakeDiscord, type FakeDiscord, type FakeDiscordOptions } from '../../local-discord/index.js';

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
  /** Waiting for jobs and movie-night deadlines: a manual clock (`createManualClock`) moves it without sleeping. */
  timers?: Clock;
  /** The jobs' scheduler, one per boot (a stopped scheduler stays stopped): e.g. a cron scheduler on a manual ticker. */
  scheduler?: () => Scheduler;
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
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      for (const line of chunk.toString().split('\n')) if (line) logs.push(JSON.parse(line) as Record<string, unknown>);
      callback();
    },
  });
  const config = loadConfig(
    {
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_BASE: fake.apiBase,
      TMDB_TOKEN: options.tmdb?.token ?? 'test-tmdb-token',
      TMDB_API_BASE: options.tmdb?.baseUrl ?? TMDB_BASE,
      DATABASE_URL: database.target.url,
      LOG_LEVEL: 'debug',
      ...options.env,
    },
    ['discord', 'tmdb'],
  );
  const boot = async (): Promise<App> => {
    const app = createApp({
      config,
      logger: createLogger({ level: 'info', destination }),
      ...(options.commands ? { commands: options.commands } : {}),
      ...(options.clock ? { clock: options.clock } : {}),
      ...(options.services ? { services: options.services } : {}),
      ...(options.timers ? { timers: options.timers } : {}),
      ...(options.scheduler ? { scheduler: options.scheduler() } : {}),
    });
    await app.start();
    await fake.waitUntil(() => app.client.isReady(), { description: 'the bot to be ready' });
    return app;
  };

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
    async close() {
      await harness.app.stop();
      await fake.close();
      await database.destroy();
    },
  };
  return harness;
}
