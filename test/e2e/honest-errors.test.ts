import nock from 'nock';
import { ApplicationCommandOptionType, MessageFlags, type APIMessage } from 'discord-api-types/v10';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { emptyAllTables } from '../support/databases.js';
import { GUILD_ONLY } from '../../src/discord/router.js';
import { TMDB_KEY_REJECTED } from '../../src/services/tmdb-health.js';
import { startBotHarness, TMDB_BASE, type BotHarness } from '../support/bot-harness.js';
import { movieSummary } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { tmdbFixture } from '../support/film-support.js';
import { picksPastPanel } from '../support/onboarding.js';

const GUILD = '810000000000000801';
const CHANNEL = '820000000000000801';
const NEW_GUILD = '810000000000000802';
const NEW_CHANNEL = '820000000000000802';
const ALICE = '830000000000000801';
const t0 = new Date('2026-01-01T00:00:00Z');
const tmdb = () => nock(new URL(TMDB_BASE).origin);

const isEphemeral = (message: APIMessage) => ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;

describe.each(databaseKinds())('honest errors, on %s', (kind) => {
  let bot: BotHarness;
  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      guilds: [{ id: GUILD, channels: [{ id: CHANNEL }], members: [{ id: ALICE }] }],
      // Short budgets stand in for the real ones: TMDB "not answering" without the wait.
      services: { movies: { lookupBudgetMs: 100 }, recommendations: { popularBudgetMs: 100 } },
    });
  });
  beforeEach(() => emptyAllTables(bot.app.database));
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });
  afterAll(() => bot.close());

  const failures = () => bot.logs.filter((line) => line.msg === 'interaction failed');

  describe('options from an older registration of a command', () => {
    it('tells the member a required option is missing, privately, without logging an error', async () => {
      const reply = await bot.fake
        .slash({
          guildId: GUILD,
          channelId: CHANNEL,
          userId: ALICE,
          name: 'rate',
          options: [{ name: 'movie', type: ApplicationCommandOptionType.String, value: '603' }],
        })
        .waitFor('reply');

      expect(reply.message.content).toBe(
        '/rate arrived without its `stars` option, probably from an older version of the command. Reload Discord (Ctrl+R, or reopen the app) and try again.',
      );
      expect(isEphemeral(reply.message)).toBe(true);
      expect(failures()).toEqual([]);
      expect(bot.logs.filter((line) => line.code === 'option-missing')).toHaveLength(1);
    });

    it('tells the member an option of another type cannot be read', async () => {
      const reply = await bot.fake
        .slash({
          guildId: GUILD,
          channelId: CHANNEL,
          userId: ALICE,
          name: 'rate',
          options: [
            { name: 'movie', type: ApplicationCommandOptionType.String, value: '603' },
            { name: 'stars', type: ApplicationCommandOptionType.String, value: 'four' },
          ],
        })
        .waitFor('reply');

      expect(reply.message.content).toMatch(/^\/rate arrived with a `stars` option Marquee cannot read/);
      expect(isEphemeral(reply.message)).toBe(true);
      expect(failures()).toEqual([]);
      expect(await bot.app.repos.ratings.listByUser(ALICE)).toEqual([]);
    });
  });

  it('serves a member of a server the gateway never announced, as a server just joined', async () => {
    bot.fake.addGuild(
      { id: NEW_GUILD, channels: [{ id: NEW_CHANNEL }], members: [{ id: ALICE }] },
      { announce: false },
    );

    const reply = await bot.fake
      .slash({ guildId: NEW_GUILD, channelId: NEW_CHANNEL, userId: ALICE, name: 'watchlist', subcommand: 'list' })
      .waitFor('reply');

    expect(reply.message.content).not.toContain(GUILD_ONLY);
    expect(reply.message.embeds[0]?.title ?? reply.message.content).toMatch(/watchlist/i);
    expect(bot.app.client.guilds.cache.has(NEW_GUILD)).toBe(true);
    expect(bot.app.client.channels.cache.has(NEW_CHANNEL)).toBe(true);
    // Recorded as seen there (the guild row created) after the answer.
    await vi.waitFor(async () => expect(await bot.app.repos.guilds.isMember(NEW_GUILD, ALICE)).toBe(true));
  });

  describe('TMDB failing', () => {
    it('says the TMDB key is not working, and logs it at error level once for many requests', async () => {
      tmdb().get(/.*/).query(true).times(10).reply(401, tmdbFixture('error-401'));
      const ask = (movie: string) =>
        bot.fake
          .slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'rate', options: { movie, stars: 4 } })
          .waitFor('edit');

      const answers = [await ask('603'), await ask('Heat')];

      expect(answers.map((edit) => edit.message.content)).toEqual([TMDB_KEY_REJECTED, TMDB_KEY_REJECTED]);
      expect(answers.every((edit) => isEphemeral(edit.message))).toBe(true);
      const errors = bot.logs.filter((line) => Number(line.level) >= 50);
      expect(errors.map((line) => line.msg)).toEqual([expect.stringMatching(/^TMDB rejected Marquee’s key/)]);
    });

    it('says TMDB is not answering when a new member asks for picks and no film is stored yet', async () => {
      tmdb().get(/.*/).query(true).times(20).delay(120_000).reply(200, {});

      const edit = await bot.fake
        .slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'recommend' })
        .waitFor('edit', 10_000);

      expect(edit.message.content).toBe(
        'TMDB is not answering right now, and I know no films to suggest yet. Please try again in a few minutes.',
      );
      expect(failures()).toEqual([]);
    });

    it('offers films already stored while TMDB is not answering, and says where they come from', async () => {
      await bot.app.repos.movies.upsertSummaries(
        [movieSummary(550, { title: 'Fight Club' }), movieSummary(238, { title: 'The Godfather' })],
        t0,
      );
      tmdb().get(/.*/).query(true).times(20).delay(120_000).reply(200, {});

      const handle = bot.fake.slash({
        guildId: GUILD,
        channelId: CHANNEL,
        userId: ALICE,
        name: 'recommend',
        options: { count: 2 },
      });

      // Nobody here rated a film and TMDB's top rated does not answer: no onboarding panel, the picks follow.
      const cards = await picksPastPanel(bot, handle);
      expect(cards[0]?.content).toContain('TMDB is not answering right now: here are films I already know.');
      expect(cards.flatMap((message) => message.embeds.map((embed) => embed.title)).sort()).toEqual([
        'Fight Club (2001)',
        'The Godfather (2001)',
      ]);
      expect(bot.fake.messagesIn(CHANNEL).filter((message) => message.embeds.length > 0)).toHaveLength(2);
    });
  });
});
