import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ComponentType, MessageFlags, type APIMessage, type APIStringSelectComponent } from 'discord-api-types/v10';
import type { InteractionHandle } from '../../local-discord/index.js';
import { startBotHarness, TMDB_BASE, type BotHarness } from '../support/bot-harness.js';
import { movieSummary } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { detailsBody, searchBody, tmdbFixture } from '../support/film-support.js';
import { cardsOf, handled } from '../support/onboarding.js';

const GUILD = '810000000000001201';
const CHANNEL = '820000000000001201';
const ADMIN_ROLE = '850000000000001201';
const ADMIN = '830000000000001201';
const MEMBER = '830000000000001202';
const NEIGHBOURS = Array.from({ length: 5 }, (_, k) => String(840_000_000_000_001_200n + BigInt(k)));
const t0 = new Date('2026-03-01T12:00:00.000Z');

const tmdb = () => nock(new URL(TMDB_BASE).origin);
const isEphemeral = (message: APIMessage) => ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
const whereToWatch = (message: APIMessage) =>
  message.embeds[0]?.fields?.find((field) => field.name.startsWith('Where to watch'))?.name;
/** `movie/{id}` and its watch providers (US, GB and AE in TMDB's example), as a card needs them. */
function tmdbKnows(id: number, title: string, releaseDate: string) {
  tmdb()
    .get(`/3/movie/${id}`)
    .query(true)
    .reply(200, detailsBody(id, title, releaseDate));
  tmdb().get(`/3/movie/${id}/watch/providers`).query(true).reply(200, tmdbFixture('movie-watch-providers'));
}
const menuOf = (message: APIMessage): APIStringSelectComponent | undefined =>
  (message.components ?? []).flatMap((row) =>
    'components' in row
      ? row.components.filter((c): c is APIStringSelectComponent => c.type === ComponentType.StringSelect)
      : [],
  )[0];

describe.each(databaseKinds())('/movie for everyone or one, and /server region, end to end on %s', (kind) => {
  let bot: BotHarness;
  const slash = (spec: {
    name: string;
    subcommand?: string;
    options?: Record<string, string | number | boolean>;
    userId?: string;
  }): InteractionHandle => bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: MEMBER, ...spec });
  const region = async () => (await bot.app.database.models.Guild.findByPk(GUILD))?.region ?? null;

  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      clock: () => t0,
      guilds: [
        {
          id: GUILD,
          channels: [{ id: CHANNEL, name: 'films' }],
          roles: [{ id: ADMIN_ROLE, name: 'admins', permissions: ['ManageGuild'] }],
          members: [
            { id: ADMIN, username: 'admin', roles: [ADMIN_ROLE] },
            { id: MEMBER, username: 'member' },
          ],
        },
      ],
      services: { recommendations: { cardBudgetMs: 2_000, interactiveListBudgetMs: 100, tieBreakBudgetMs: 100 } },
    });
  });
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });
  afterAll(() => bot.close());

  describe('/movie', () => {
    it('shows the card to everyone by default, for a film picked from the suggestions or typed', async () => {
      await bot.app.repos.movies.upsertSummaries([movieSummary(238, { title: 'The Godfather' })], t0);
      tmdbKnows(238, 'The Godfather', '1972-03-14');
      tmdb()
        .get('/3/search/movie')
        .query((q) => q.query === 'heat')
        .reply(200, searchBody([{ id: 949, title: 'Heat', release_date: '1995-12-15' }]));
      tmdbKnows(949, 'Heat', '1995-12-15');

      const picked = await slash({ name: 'movie', options: { movie: '238' } }).waitFor('edit');
      const typed = await slash({ name: 'movie', options: { movie: 'Heat' } }).waitFor('edit');

      expect([picked, typed].map((edit) => [edit.message.embeds[0]?.title, isEphemeral(edit.message)])).toEqual([
        ['The Godfather (1972)', false],
        ['Heat (1995)', false],
      ]);
    });

    it('shows it to the member alone with private:true, however the film was entered', async () => {
      tmdbKnows(238, 'The Godfather', '1972-03-14');
      const picked = await slash({ name: 'movie', options: { movie: '238', private: true } }).waitFor('edit');
      const typed = await slash({ name: 'movie', options: { movie: 'Heat', private: true } }).waitFor('edit');

      expect([picked, typed].map((edit) => [edit.message.embeds[0]?.title, isEphemeral(edit.message)])).toEqual([
        ['The Godfather (1972)', true],
        ['Heat (1995)', true],
      ]);
    });

    it.each([
      [false, 'to the channel, and the member’s menu goes away'],
      [true, 'in place of the member’s menu'],
    ])(
      'asks privately which film when several match, then shows the chosen one (private: %s) %s',
      async (privately) => {
        tmdb()
          .get('/3/search/movie')
          .query((q) => q.query === 'dune')
          .reply(
            200,
            searchBody([
              { id: 438_631, title: 'Dune', release_date: '2021-09-15' },
              { id: 841, title: 'Dune', release_date: '1984-12-14' },
            ]),
          );
        tmdbKnows(841, 'Dune', '1984-12-14');
        const ask = slash({ name: 'movie', options: { movie: 'Dune', private: privately } });
        await handled(bot, ask);
        const menu = [...ask.edits, ...ask.followups].find((event) => event.message && menuOf(event.message))?.message;
        if (!menu) throw new Error('no menu');
        expect(isEphemeral(menu)).toBe(true);
        // Nothing public was left behind while the member chooses.
        expect(bot.fake.messagesIn(CHANNEL).filter((message) => message.interaction_metadata?.id === ask.id)).toEqual(
          [],
        );

        const choose = bot.fake.selectMenu({
          userId: MEMBER,
          messageId: menu.id,
          customId: menuOf(menu)!.custom_id,
          values: ['841'],
        });
        await handled(bot, choose);

        if (privately) {
          expect(bot.fake.message(menu.id)?.embeds[0]?.title).toBe('Dune (1984)');
          expect(cardsOf(choose).every(isEphemeral)).toBe(true);
        } else {
          const [card] = choose.followups.flatMap((event) => (event.message ? [event.message] : []));
          expect(card?.embeds[0]?.title).toBe('Dune (1984)');
          expect(isEphemeral(card!)).toBe(false);
          expect(bot.fake.messagesIn(CHANNEL).map((message) => message.id)).toContain(card?.id);
          expect(bot.fake.message(menu.id)).toBeUndefined();
        }
      },
    );
  });

  describe('/server region', () => {
    it('refuses a member without Manage Server, privately, and writes nothing; /about shows the default', async () => {
      const reply = await slash({ name: 'server', subcommand: 'region', options: { code: 'GB' } }).waitFor('reply');

      expect(reply.message.content).toBe(
        'Only members with the Manage Server permission can change where Marquee looks up streaming services; nothing was changed.',
      );
      expect(isEphemeral(reply.message)).toBe(true);
      expect(await region()).toBeNull();
      const about = await slash({ name: 'about' }).waitFor('reply');
      expect(
        about.message.embeds[0]?.fields?.find((field) => field.name === 'Where to watch is shown for')?.value,
      ).toBe(
        "United States of America (US), Marquee's default. Members with Manage Server can change it with `/server region`.",
      );
    });

    it.each(['XX', 'USA', 'Narnia'])(
      'refuses a code TMDB does not know (%s), clearly, and writes nothing',
      async (code) => {
        const reply = await slash({
          name: 'server',
          subcommand: 'region',
          options: { code },
          userId: ADMIN,
        }).waitFor('reply');

        expect(reply.message.content).toBe(
          `“${code}” is not a country code TMDB knows. Use a two-letter ISO 3166-1 code such as US, GB, DE or FR (suggestions appear as you type); nothing was changed.`,
        );
        expect(isEphemeral(reply.message)).toBe(true);
        expect(await region()).toBeNull();
      },
    );

    it('suggests countries by code or name as the admin types', async () => {
      const answer = await bot.fake
        .autocomplete({
          guildId: GUILD,
          channelId: CHANNEL,
          userId: ADMIN,
          name: 'server',
          subcommand: 'region',
          options: { code: 'united k' },
          focused: 'code',
        })
        .waitFor('autocomplete');
      expect(answer.choices).toEqual([{ name: 'United Kingdom (GB)', value: 'GB' }]);
    });

    it('stores the region an admin gives, which /movie, pick cards and /about then use', async () => {
      const reply = await slash({
        name: 'server',
        subcommand: 'region',
        options: { code: 'gb' },
        userId: ADMIN,
      }).waitFor('reply');
      expect(reply.message.content).toBe(
        'Where to watch is now looked up for **United Kingdom (GB)** in this server: `/movie` and new picks show its streaming services.',
      );
      expect(await region()).toBe('GB');

      tmdbKnows(238, 'The Godfather', '1972-03-14');
      const card = await slash({ name: 'movie', options: { movie: '238' } }).waitFor('edit');
      expect(whereToWatch(card.message)).toBe('Where to watch (GB)');
      expect(card.message.embeds[0]?.fields?.find((f) => f.name === 'Where to watch (GB)')?.value).toContain(
        'Stream: Disney Plus, Amazon Prime Video',
      );

      // A pick card: the server's favourite for a member with enough ratings.
      const { User, GuildMember, Rating } = bot.app.database.models;
      await bot.app.repos.movies.upsertSummaries(
        [1, 2, 3, 4, 5, 550].map((id) => movieSummary(id)),
        t0,
      );
      await User.bulkCreate(
        [ADMIN, ...NEIGHBOURS].map((id) => ({ id })),
        { ignoreDuplicates: true },
      );
      await GuildMember.bulkCreate(
        [ADMIN, ...NEIGHBOURS].map((userId) => ({ guildId: GUILD, userId, firstSeenAt: t0, lastSeenAt: t0 })),
        { ignoreDuplicates: true },
      );
      await Rating.bulkCreate(
        [ADMIN, ...NEIGHBOURS].flatMap((userId) =>
          [1, 2, 3, 4, 5].map((movieId) => ({ userId, movieId, score: 4, ratedAt: t0 })),
        ),
      );
      await Rating.bulkCreate(NEIGHBOURS.map((userId) => ({ userId, movieId: 550, score: 5, ratedAt: t0 })));
      tmdbKnows(550, 'Fight Club', '1999-10-15');
      const picks = slash({ name: 'recommend', options: { count: 1 }, userId: ADMIN });
      await handled(bot, picks);
      const [pick] = cardsOf(picks);
      expect(pick?.embeds[0]?.title).toBe('Fight Club (1999)');
      expect(whereToWatch(pick!)).toBe('Where to watch (GB)');

      const about = await slash({ name: 'about' }).waitFor('reply');
      expect(
        about.message.embeds[0]?.fields?.find((field) => field.name === 'Where to watch is shown for')?.value,
      ).toBe('United Kingdom (GB), set with `/server region`.');
    });
  });
});
