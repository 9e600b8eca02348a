/**
 * The demo's world, all on this machine: a throwaway SQLite file seeded with a server of members in taste clusters,
 * the catalogue's local TMDB with figures from those members' ratings, the local Discord (a guild with a text and a
 * voice channel, the seeded members and a newcomer), and the real bot (`createApp`, the real discord.js client)
 * started against both. `close()` stops them in reverse order, whatever was started.
 */
import path from 'node:path';
import { ChannelType } from 'discord-api-types/v10';
import { commands } from '../../commands/index.js';
import { createApp, type App } from '../../src/app.js';
import { createDatabase } from '../../src/db/database.js';
import { migrateUp } from '../../src/db/migrator.js';
import { createRepositories } from '../../src/db/repositories/index.js';
import { createLogger, type Logger } from '../../src/logger.js';
import { createRandom } from '../../src/recommender/evaluation/random.js';
import { loadCatalogue, type CatalogueFilm } from '../../src/seed/catalogue.js';
import { catalogueSeedFilms, seedGuild, type SeedReport } from '../../src/seed/seed.js';
import {
  computeDemoFigures,
  figureFilm,
  startCatalogueTmdb,
  startFakeDiscord,
  type DemoRating,
  type FakeDiscord,
  type LocalTmdb,
} from '../../local-discord/index.js';
import { localBotConfig } from '../../local-discord/local-bot.js';
import { createBotLog, type BotLog } from './bot-log.js';
import type { Member } from './scene.js';

/** The demo server's size: enough members for three or four taste clusters with neighbours in each. */
export const DEMO_SERVER = { members: 48, ratingsPerMember: 40, clusters: 4 } as const;

const APPLICATION_ID = '1100000000000000001';
const GUILD_ID = '1234567890123456789';
const TEXT_CHANNEL_ID = '1234567890123456790';
const VOICE_CHANNEL_ID = '1234567890123456791';
/**
 * The demo's day: the seeded server's "today", and the bot's clock starts that evening and runs on in real time. With
 * the day fixed, a seed plays the same story whenever it is run.
 */
export const DEMO_DAY = new Date('2026-03-06T00:00:00.000Z');
const DEMO_EVENING_MS = 19.5 * 3_600_000;

/** The newcomer's account: a snowflake of 2024, after every seeded member's. */
const NEWCOMER: Member = { id: '1234567890123456800', name: 'Nia Okafor' };

export interface WorldOptions {
  /** The demo's folder: the SQLite file and the bot's log go here. */
  dir: string;
  seed: number;
  /** Another catalogue file (tests); default data/catalogue.json. */
  cataloguePath?: string | URL;
}

export interface DemoWorld {
  fake: FakeDiscord;
  tmdb: LocalTmdb;
  app: App;
  log: BotLog;
  films: readonly CatalogueFilm[];
  report: SeedReport;
  /** The seeded ratings, as the local TMDB's figures were computed from them. */
  ratings: readonly DemoRating[];
  databasePath: string;
  guild: { id: string; name: string };
  text: { id: string; name: string };
  voice: { id: string; name: string };
  newcomer: Member;
  /** Display names by user id: the seeded members and the newcomer. */
  names: Record<string, string>;
  /** The bot's clock: the demo's evening, running on in real time. */
  clock: () => Date;
  close(): Promise<void>;
}

function readCatalogue(cataloguePath: string | URL | undefined): CatalogueFilm[] {
  try {
    return loadCatalogue(cataloguePath);
  } catch (error) {
    throw new Error(`the film catalogue could not be read (${(error as Error).message})`, { cause: error });
  }
}

/** Seeds a fresh SQLite file and reads back what was stored (the figures are the stored ratings'). */
async function seedDatabase(url: string, films: readonly CatalogueFilm[], seed: number, logger: Logger) {
  const config = localBotConfig({
    discord: { token: 'unused', apiBase: 'http://127.0.0.1:1/api' },
    applicationId: APPLICATION_ID,
    tmdb: { baseUrl: 'http://127.0.0.1:1/3', token: 'unused' },
    databaseUrl: url,
  });
  const database = createDatabase(config.database, logger);
  try {
    await migrateUp(database, logger);
    const repos = createRepositories(database);
    const report = await seedGuild(repos, {
      guildId: GUILD_ID,
      guildName: 'Film Club',
      users: DEMO_SERVER.members,
      ratingsPerUser: DEMO_SERVER.ratingsPerMember,
      clusters: DEMO_SERVER.clusters,
      seed,
      films: catalogueSeedFilms(films),
      asOf: DEMO_DAY,
    });
    // Every member of the demo server chose to be named in explanations (`/privacy settings show_name:True`).
    for (const userId of [...report.members.map((member) => member.userId), NEWCOMER.id]) {
      await repos.users.ensure(userId);
      await repos.users.updateSettings(userId, { showName: true });
    }
    const rows = await database.models.Rating.findAll({ raw: true });
    const ratings: DemoRating[] = rows.map((row) => ({
      userId: row.userId,
      movieId: row.movieId,
      score: Number(row.score),
      ratedAt: new Date(row.ratedAt),
    }));
    return { report, ratings };
  } finally {
    await database.close();
  }
}

/** Builds the world in `dir`; on failure whatever was started is stopped before the error goes on. */
export async function startWorld({ dir, seed, cataloguePath }: WorldOptions): Promise<DemoWorld> {
  const cleanups: (() => Promise<void>)[] = [];
  const close = async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup().catch(() => undefined);
  };
  try {
    const log = createBotLog(path.join(dir, 'bot.log'));
    cleanups.push(() => log.close());
    const logger = createLogger({ level: 'info', destination: log.stream });
    const films = readCatalogue(cataloguePath);
    const databasePath = path.join(dir, 'marquee-demo.sqlite');
    const databaseUrl = `sqlite://${databasePath}`;
    const { report, ratings } = await seedDatabase(databaseUrl, films, seed, logger);

    const figures = computeDemoFigures(films.map(figureFilm), ratings);
    const tmdb = await startCatalogueTmdb({ films, figures });
    cleanups.push(() => tmdb.close());

    const names: Record<string, string> = Object.fromEntries(report.members.map(({ userId, name }) => [userId, name]));
    names[NEWCOMER.id] = NEWCOMER.name;
    const guild = { id: GUILD_ID, name: 'Film Club' };
    const text = { id: TEXT_CHANNEL_ID, name: 'film-club' };
    const voice = { id: VOICE_CHANNEL_ID, name: 'Cinema' };
    const fake = await startFakeDiscord({
      applicationId: APPLICATION_ID,
      guilds: [
        {
          ...guild,
          channels: [text, { ...voice, type: ChannelType.GuildVoice }],
          members: Object.entries(names).map(([id, name]) => ({
            id,
            username: name.toLowerCase().replace(/[^a-z]+/g, '.'),
            globalName: name,
          })),
        },
      ],
      commands: commands.map((command) => command.data.toJSON()),
    });
    cleanups.push(() => fake.close());

    const startedAt = performance.now();
    const clock = () => new Date(DEMO_DAY.getTime() + DEMO_EVENING_MS + Math.round(performance.now() - startedAt));
    const app = createApp({
      clock,
      config: localBotConfig({ discord: fake, applicationId: APPLICATION_ID, tmdb, databaseUrl }),
      logger,
      services: {
        // A seeded source for the draws of the picks' sources, so the story repeats from run to run.
        recommendations: { random: createRandom(seed) },
        // Poll cards show live counts at once (a real server keeps Discord's edit budget with the default).
        movieNights: { editIntervalMs: 0 },
      },
    });
    cleanups.push(() => app.stop());
    await app.start();
    await fake.waitUntil(() => app.client.isReady() && app.client.guilds.cache.has(GUILD_ID), {
      timeoutMs: 15_000,
      description: 'the bot to be ready',
    });
    // The first runs of the nightly jobs (TMDB lists of the films members loved) finish before the story starts.
    await app.jobs.whenIdle();
    await app.background.whenIdle();

    return {
      fake,
      tmdb,
      app,
      log,
      films,
      report,
      ratings,
      databasePath,
      guild,
      text,
      voice,
      newcomer: NEWCOMER,
      names,
      clock,
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
