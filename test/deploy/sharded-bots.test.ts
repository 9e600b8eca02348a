import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { APIMessage } from 'discord-api-types/v10';
import { commands } from '../../commands/index.js';
import type { App } from '../../src/app.js';
import { createCronScheduler } from '../../src/jobs/index.js';
import { createLogger } from '../../src/logger.js';
import { shardOfGuild, startFakeDiscord, type FakeDiscord, type InteractionHandle } from '../../local-discord/index.js';
import { APPLICATION_ID, startBot, type BotOptions } from '../support/bot-harness.js';
import { movieSummary } from '../support/builders.js';
import { detailsBody, TMDB_ORIGIN } from '../support/film-support.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { createManualClock, createManualTicker, type ManualTicker } from '../support/manual-clock.js';

/** Guild ids whose events Discord sends to shard `shard` of 2. */
function guildsOnShard(shard: number): string[] {
  const ids = Array.from({ length: 8 }, (_, k) => String(810_000_000_000_000_000n + (BigInt(k) << 22n)));
  return ids.filter((id) => shardOfGuild(id, 2) === shard);
}

const [GUILD_0, LEFT_0] = guildsOnShard(0) as [string, string];
/** LEFT_x: stored, but the bot was removed from it while offline. */
const [GUILD_1, LEFT_1] = guildsOnShard(1) as [string, string];
const CHANNEL_0 = '820000000000000601';
const CHANNEL_1 = '820000000000000602';
/** Asks for picks in guild 1 (shard 1). */
const VIV = '830000000000000601';
/** Agrees with Viv; a member of both guilds, rates through shard 0. */
const UMA = '830000000000000602';
const LIKED = [1, 2, 3, 4, 5];
/** Films Uma rates through the other process; nobody else rated them. */
const FILM_X = 201;
const FILM_Y = 202;
/** Popular filler, so picks exist whatever the neighbours know. */
const FILLER = [301, 302, 303, 304, 305];
const TTL_SECONDS = 60;
const t0 = new Date('2026-03-01T04:10:00.000Z');

const filmOf = (message: APIMessage) => Number(message.embeds[0]?.url?.split('/').pop());

// Sharding needs PostgreSQL: SQLite refuses SHARD_COUNT > 1 (test/config.test.ts).
describe.each(databaseKinds().filter((kind) => kind === 'postgres'))(
  'two bot processes, one shard each, sharing %s',
  (kind) => {
    let database: TestDatabase;
    let fake: FakeDiscord;
    const clock = createManualClock(t0);
    const tickers: ManualTicker[] = [];
    const logs: Record<string, Record<string, unknown>[]> = { 0: [], 1: [] };
    const bots: App[] = [];
    let shard0: App;
    let shard1: App;

    async function boot(shard: 0 | 1, app: BotOptions['app'] = {}): Promise<App> {
      const ticker = createManualTicker();
      tickers.push(ticker);
      logs[shard] = [];
      const bot = await startBot({
        fake,
        databaseUrl: database.target.url,
        logs: logs[shard],
        logLevel: 'debug',
        clock: () => clock.now(),
        env: { SHARD_COUNT: '2', SHARD_IDS: String(shard), CACHE_TTL_SECONDS: String(TTL_SECONDS) },
        // TMDB is not mocked: short budgets stand in for its optional parts, and its lists fall back to stored films.
        services: { recommendations: { cardBudgetMs: 100, interactiveListBudgetMs: 100, tieBreakBudgetMs: 100 } },
        app: {
          ...app,
          jobs: {
            clock,
            scheduler: createCronScheduler({ ticker, clock, logger: createLogger({ level: 'silent' }) }),
          },
        },
      });
      bots.push(bot);
      return bot;
    }

    const handled = (shard: 0 | 1, handle: InteractionHandle) =>
      fake.waitUntil(
        () => logs[shard]!.some((line) => line.interactionId === handle.id && line.msg === 'interaction handled'),
        { timeoutMs: 15_000, description: `shard ${shard} to finish ${handle.id}` },
      );

    /** Viv's picks in guild 1, each with the source recorded for its card. */
    async function vivsPicks(): Promise<{ movieId: number; source: string }[]> {
      const handle = fake.slash({ guildId: GUILD_1, channelId: CHANNEL_1, userId: VIV, name: 'recommend' });
      await handled(1, handle);
      const cards = [...handle.edits, ...handle.followups].flatMap((event) => (event.message ? [event.message] : []));
      return Promise.all(
        cards.map(async (card) => ({
          movieId: filmOf(card),
          source: (await shard1.repos.recommendations.find(card.id))?.items[0]?.source ?? 'none',
        })),
      );
    }

    async function umaRates(movieId: number): Promise<void> {
      detailsOf(movieId);
      const handle = fake.slash({
        guildId: GUILD_0,
        channelId: CHANNEL_0,
        userId: UMA,
        name: 'rate',
        options: { movie: String(movieId), stars: 5 },
      });
      await handled(0, handle);
      expect(handle.edits[0]?.message?.content).toContain('You rated');
    }

    beforeAll(async () => {
      database = await createTestDatabase(kind);
      fake = await startFakeDiscord({
        applicationId: APPLICATION_ID,
        guilds: [
          { id: GUILD_0, channels: [{ id: CHANNEL_0, name: 'films' }], members: [{ id: UMA, username: 'uma' }] },
          {
            id: GUILD_1,
            channels: [{ id: CHANNEL_1, name: 'films' }],
            members: [
              { id: VIV, username: 'viv' },
              { id: UMA, username: 'uma' },
            ],
          },
        ],
        commands: commands.map((command) => command.data.toJSON()),
      });
      const { Movie, User, Guild, GuildMember, Rating } = database.db.models;
      const films = [
        ...[...LIKED, FILM_X, FILM_Y].map((id) => movieSummary(id, { popularity: 1 })),
        ...FILLER.map((id, rank) => movieSummary(id, { popularity: 100 - rank })),
      ];
      await Movie.bulkCreate(
        films.map((film) => ({
          tmdbId: film.tmdbId,
          title: film.title,
          searchTitle: film.title.toLowerCase(),
          releaseDate: film.releaseDate,
          genreIds: film.genreIds,
          popularity: film.popularity,
          fetchedAt: t0,
        })),
      );
      await User.bulkCreate([{ id: VIV }, { id: UMA }]);
      await Guild.bulkCreate([GUILD_0, LEFT_0, GUILD_1, LEFT_1].map((id) => ({ id })));
      await GuildMember.bulkCreate(
        [VIV, UMA].map((userId) => ({ guildId: GUILD_1, userId, firstSeenAt: t0, lastSeenAt: t0 })),
      );
      await Rating.bulkCreate(
        [VIV, UMA].flatMap((userId) => LIKED.map((movieId) => ({ userId, movieId, score: 5, ratedAt: t0 }))),
      );
      shard0 = await boot(0);
      shard1 = await boot(1);
    });
    afterAll(async () => {
      for (const bot of bots) await bot.stop();
      await fake.close();
      await database.destroy();
    });
    afterEach(() => nock.cleanAll());

    /** TMDB's details of a film /rate looks up (so it does not wait for retries of an unmocked TMDB). */
    const detailsOf = (movieId: number) =>
      nock(TMDB_ORIGIN)
        .get(`/3/movie/${movieId}`)
        .query(true)
        .reply(200, detailsBody(movieId, `Film ${movieId}`, '2001-01-01'));

    it('each process identifies with its own shard id of 2 and hears only its own guild', () => {
      expect(fake.identifies.map(({ shard }) => shard)).toEqual([
        [0, 2],
        [1, 2],
      ]);
      expect([...shard0.client.guilds.cache.keys()]).toEqual([GUILD_0]);
      expect([...shard1.client.guilds.cache.keys()]).toEqual([GUILD_1]);
    });

    it('compares the slash commands with Discord’s from one process only, the one running shard 0', async () => {
      const checks = () => fake.requestsTo('GET', `/applications/${APPLICATION_ID}/commands`);
      await fake.waitUntil(() => checks().length > 0, { description: 'the command check' });
      await new Promise((resolve) => setImmediate(resolve));
      expect(checks()).toHaveLength(1);
    });

    it('cleans up at start only the guilds of its own shards: the other shard’s guilds stay', async () => {
      const cleaned = (shard: 0 | 1) =>
        logs[shard]!.find((line) => line.msg === 'deleted data of guilds left while offline')?.guildIds;
      await fake.waitUntil(() => cleaned(0) && cleaned(1), { description: 'both clean-ups at start' });
      // Each READY listed one guild; neither process took the other's guild for one the bot had left.
      expect([cleaned(0), cleaned(1)]).toEqual([[LEFT_0], [LEFT_1]]);
      expect((await shard0.repos.guilds.ids()).sort()).toEqual([GUILD_0, GUILD_1].sort());
    });

    it('a rating written through one process is in the other’s next /recommend at once, through NOTIFY', async () => {
      // Shard 1 builds guild 1's model: Uma agrees with Viv but has rated nothing Viv has not.
      expect((await vivsPicks()).filter(({ source }) => source === 'neighbours')).toEqual([]);
      expect(shard1.listening).toBe(true);

      await umaRates(FILM_X);
      await fake.waitUntil(() => logs[1]!.some((line) => line.msg === 'heard a change another process made'), {
        description: 'shard 1 to hear of the rating',
      });

      // The clock has not moved: the cached model learnt it from the notification, not from its TTL.
      expect((await vivsPicks())[0]).toEqual({ movieId: FILM_X, source: 'neighbours' });
    });

    it('without NOTIFY, the rating shows once the cached model is older than CACHE_TTL_SECONDS', async () => {
      await shard1.stop();
      shard1 = await boot(1, { crossProcessCaches: false });
      expect(shard1.listening).toBe(false);
      expect((await vivsPicks())[0]).toEqual({ movieId: FILM_X, source: 'neighbours' });

      await umaRates(FILM_Y);
      // The cached model has not heard: Y is no neighbour pick yet.
      expect((await vivsPicks()).find(({ movieId }) => movieId === FILM_Y)?.source).not.toBe('neighbours');

      await clock.advance(TTL_SECONDS * 1_000);
      const picks = await vivsPicks();
      expect(picks.filter(({ source }) => source === 'neighbours').map(({ movieId }) => movieId)).toEqual(
        expect.arrayContaining([FILM_X, FILM_Y]),
      );
    });

    it('runs a job due at the same minute in both processes once', async () => {
      await clock.set('2026-03-01T04:15:00.000Z');
      for (const ticker of tickers) if (ticker.started) ticker.tick();
      await Promise.all([shard0.jobs.whenIdle(), shard1.jobs.whenIdle()]);

      const runs = await shard0.repos.jobRuns.list('tmdb-cache');
      expect(runs).toMatchObject([{ dueAt: new Date('2026-03-01T04:15:00.000Z'), outcome: 'succeeded' }]);
      const counted = await Promise.all(
        [shard0, shard1].map(
          async (bot) =>
            (await bot.metrics.registry.getSingleMetric('marquee_job_runs_total')?.get())?.values.find(
              ({ labels }) => labels.job === 'tmdb-cache',
            )?.value ?? 0,
        ),
      );
      expect(counted.reduce((sum, value) => sum + value, 0)).toBe(1);
    });
  },
);
