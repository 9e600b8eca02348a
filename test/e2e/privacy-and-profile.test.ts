import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ComponentType,
  InteractionResponseType,
  MessageFlags,
  type APIEmbed,
  type APIMessage,
} from 'discord-api-types/v10';
import { TMDB_ATTRIBUTION } from '../../src/tmdb/attribution.js';
import { NOT_YOURS } from '../../src/discord/router.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { movieSummary } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';

const GUILD = '810000000000000101';
const CHANNEL = '820000000000000101';
const NO_REACTIONS = '820000000000000102';
const ALICE = '830000000000000101';
const BOB = '830000000000000102';
const CAROL = '830000000000000103';
const DAVE = '830000000000000104';
const ERIN = '830000000000000105';
const FRANK = '830000000000000106';
const GINA = '830000000000000107';
const HUGO = '830000000000000108';
const STRANGER = '830000000000000199';
const t0 = new Date('2026-03-01T12:00:00.000Z');
/** The bot's clock: nine days after the seeded activity, so every seeded member is active (window 180 days). */
const now = new Date('2026-03-10T12:00:00.000Z');

const isEphemeral = (message: APIMessage) => ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
const customIdsOf = (message: APIMessage) =>
  (message.components ?? [])
    .flatMap((row) => (row.type === ComponentType.ActionRow ? row.components : []))
    .map((component) => ('custom_id' in component ? component.custom_id : undefined));
const embedText = (embed: APIEmbed | undefined) =>
  [embed?.title, embed?.description, ...(embed?.fields ?? []).flatMap((field) => [field.name, field.value])].join('\n');

describe.each(databaseKinds())('privacy and profile commands end to end on %s', (kind) => {
  let bot: BotHarness;

  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      clock: () => now,
      guilds: [
        {
          id: GUILD,
          channels: [
            { id: CHANNEL, name: 'films' },
            { id: NO_REACTIONS, name: 'announcements', deniedBotPermissions: ['AddReactions'] },
          ],
          members: [
            { id: ALICE, username: 'alice' },
            { id: BOB, username: 'bob' },
            { id: CAROL, username: 'carol' },
            { id: DAVE, username: 'dave' },
            { id: ERIN, username: 'erin' },
            { id: FRANK, username: 'frank' },
            { id: GINA, username: 'gina' },
            { id: HUGO, username: 'hugo' },
          ],
        },
      ],
      // Known to Discord, but not a member of the guild.
      users: [{ id: STRANGER, username: 'stranger' }],
    });
    const { repos } = bot.app;
    await repos.movies.upsertSummaries(
      [1, 2, 3].map((id) => movieSummary(id)),
      t0,
    );
    for (const userId of [ALICE, BOB, CAROL]) await repos.guilds.touchMember(GUILD, userId, t0);
    await repos.ratings.upsert({ userId: ALICE, movieId: 1, score: 4.5, ratedAt: t0 });
    await repos.ratings.upsert({ userId: ALICE, movieId: 2, score: 3, ratedAt: t0 });
    await repos.watchlist.add(ALICE, 3, t0);
    await repos.ratings.upsert({ userId: BOB, movieId: 1, score: 2, ratedAt: t0 });
    await repos.watchlist.add(BOB, 3, t0);
    await repos.ratings.upsert({ userId: CAROL, movieId: 3, score: 5, ratedAt: t0 });
    // Hugo, Erin, Frank and Gina rated films 11-16 alike, so the engine finds them similar to each other.
    await repos.movies.upsertSummaries(
      [11, 12, 13, 14, 15, 16].map((id) => movieSummary(id)),
      t0,
    );
    const scores = [5, 4.5, 1, 2, 4, 0.5];
    for (const userId of [HUGO, ERIN, FRANK, GINA]) {
      await repos.guilds.touchMember(GUILD, userId, t0);
      for (const [index, score] of scores.entries()) {
        await repos.ratings.upsert({ userId, movieId: 11 + index, score, ratedAt: t0 });
      }
    }
    await repos.users.updateSettings(ERIN, { showName: true });
    await repos.users.updateSettings(FRANK, { showName: true });
  });
  afterAll(() => bot.close());

  /** Whether Marquee stores anything for the user as a member (a users row). */
  const isStored = async (userId: string) => (await bot.app.database.models.User.count({ where: { id: userId } })) > 0;
  const ratingCount = async (userId: string) => (await bot.app.repos.ratings.listByUser(userId)).length;

  describe('/privacy delete', () => {
    it('asks first, ephemerally, with buttons only that member can use', async () => {
      const reply = await bot.fake
        .slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'privacy', subcommand: 'delete' })
        .waitFor('reply');
      expect(isEphemeral(reply.message)).toBe(true);
      expect(customIdsOf(reply.message)).toEqual([`privacy:delete-confirm:${ALICE}`, `privacy:delete-cancel:${ALICE}`]);
      // Nothing is deleted by asking.
      expect(await ratingCount(ALICE)).toBe(2);
    });

    it('refuses a click by anyone but the member and deletes nothing', async () => {
      const { message } = await bot.fake
        .slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'privacy', subcommand: 'delete' })
        .waitFor('reply');
      const refusal = await bot.fake
        .button({ userId: BOB, messageId: message.id, customId: `privacy:delete-confirm:${ALICE}` })
        .waitFor('reply');
      expect(isEphemeral(refusal.message)).toBe(true);
      expect(refusal.message.content).toBe(NOT_YOURS);
      expect(await ratingCount(ALICE)).toBe(2);
    });

    it('cancels without deleting anything', async () => {
      const { message } = await bot.fake
        .slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'privacy', subcommand: 'delete' })
        .waitFor('reply');
      const update = await bot.fake
        .button({ userId: ALICE, messageId: message.id, customId: `privacy:delete-cancel:${ALICE}` })
        .waitFor('update');
      expect(update.message.content).toMatch(/nothing was deleted/i);
      expect(update.message.components ?? []).toEqual([]);
      expect(await ratingCount(ALICE)).toBe(2);
    });

    it("removes the member's rows on confirmation, keeps other members' rows, and the click does not recreate them", async () => {
      const { repos } = bot.app;
      const { message } = await bot.fake
        .slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'privacy', subcommand: 'delete' })
        .waitFor('reply');
      const click = bot.fake.button({
        userId: ALICE,
        messageId: message.id,
        customId: `privacy:delete-confirm:${ALICE}`,
      });
      const edit = await click.waitFor('edit');
      expect(click.callbacks.map((event) => event.callbackType)).toEqual([
        InteractionResponseType.DeferredMessageUpdate,
      ]);
      // Alice had 2 ratings and 1 watchlist film, seen in 1 server.
      expect(edit.message.content).toContain(
        'Deleted 2 ratings, 1 watchlist film, 1 server membership and your settings.',
      );
      expect(edit.message.components ?? []).toEqual([]);

      expect(await isStored(ALICE)).toBe(false);
      expect(await ratingCount(ALICE)).toBe(0);
      expect(await repos.watchlist.list(ALICE)).toEqual([]);
      expect(await repos.guilds.isMember(GUILD, ALICE)).toBe(false);

      expect(await isStored(BOB)).toBe(true);
      expect(await ratingCount(BOB)).toBe(1);
      expect(await repos.watchlist.list(BOB)).toHaveLength(1);
      expect(await repos.guilds.isMember(GUILD, BOB)).toBe(true);
      expect(await ratingCount(CAROL)).toBe(1);
      // The router logs "interaction handled" last, after any write the click could have made.
      await bot.fake.waitUntil(() =>
        bot.logs.some((line) => line.interactionId === click.id && line.msg === 'interaction handled'),
      );
      expect(await isStored(ALICE)).toBe(false);
    });
  });

  describe('/privacy export', () => {
    it("sends the member's data as an ephemeral JSON attachment, with Letterboxd CSVs of ratings and diary", async () => {
      const handle = bot.fake.slash({
        guildId: GUILD,
        channelId: CHANNEL,
        userId: BOB,
        name: 'privacy',
        subcommand: 'export',
      });
      const edit = await handle.waitFor('edit');
      expect(isEphemeral(edit.message)).toBe(true);
      expect(edit.files.map((each) => each.name)).toEqual([`marquee-data-${BOB}.json`, 'ratings.csv', 'diary.csv']);
      const [file, ratings, diary] = edit.files;
      expect(ratings?.data.toString('utf8')).toBe(
        'Date,Name,Year,Letterboxd URI,Rating,tmdbID\n2026-03-01,Film 1,2001,,2,1\n',
      );
      expect(diary?.data.toString('utf8')).toBe(
        'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date,tmdbID\n',
      );
      const data: unknown = JSON.parse(file?.data.toString('utf8') ?? '');
      expect(data).toMatchObject({
        userId: BOB,
        ratings: [{ movieId: 1, title: 'Film 1', score: 2, ratedAt: t0.toISOString() }],
        watchlist: [{ movieId: 3 }],
        memberships: [{ guildId: GUILD }],
      });
      expect(JSON.stringify(data)).not.toContain(CAROL);
    });
  });

  describe('/privacy settings', () => {
    it('refuses a time zone that is not one, ephemerally, and writes nothing', async () => {
      const reply = await bot.fake
        .slash({
          guildId: GUILD,
          channelId: CHANNEL,
          userId: CAROL,
          name: 'privacy',
          subcommand: 'settings',
          options: { show_name: true, timezone: 'Mars/Olympus_Mons' },
        })
        .waitFor('reply');
      expect(isEphemeral(reply.message)).toBe(true);
      expect(reply.message.content).toContain('is not a time zone');
      expect(await bot.app.repos.users.get(CAROL)).toMatchObject({ showName: false, timezone: 'UTC' });
    });

    it('updates the given switches and shows them all with what they mean', async () => {
      const reply = await bot.fake
        .slash({
          guildId: GUILD,
          channelId: CHANNEL,
          userId: CAROL,
          name: 'privacy',
          subcommand: 'settings',
          options: { show_name: true, timezone: 'europe/paris' },
        })
        .waitFor('reply');
      expect(isEphemeral(reply.message)).toBe(true);
      expect(reply.message.content).toContain('**Show name**: on');
      expect(reply.message.content).toContain('**Share taste**: on');
      expect(reply.message.content).toContain('Europe/Paris');
      expect(reply.message.content).toContain('Updated: show name, time zone.');
      expect(await bot.app.repos.users.get(CAROL)).toMatchObject({ showName: true, timezone: 'Europe/Paris' });
    });
  });

  describe('/about', () => {
    it('lists Add Reactions as missing in a channel where the bot lacks it, with the TMDB notice', async () => {
      const reply = await bot.fake
        .slash({ guildId: GUILD, channelId: NO_REACTIONS, userId: BOB, name: 'about' })
        .waitFor('reply');
      const text = embedText(reply.message.embeds[0]);
      expect(text).toContain('**Add Reactions**');
      expect(text).toContain(TMDB_ATTRIBUTION);
      expect(text).toContain('JustWatch');
    });

    it('does not list Add Reactions where the bot has it', async () => {
      const reply = await bot.fake
        .slash({ guildId: GUILD, channelId: CHANNEL, userId: BOB, name: 'about' })
        .waitFor('reply');
      expect(embedText(reply.message.embeds[0])).not.toContain('Add Reactions**');
    });
  });

  describe('/profile', () => {
    it('refuses, ephemerally and before any deferral, a user who is not in the guild, asking Discord nothing more', async () => {
      const memberLookups = bot.fake.requestsTo('GET', /\/members\//).length;
      const handle = bot.fake.slash({
        guildId: GUILD,
        channelId: CHANNEL,
        userId: BOB,
        name: 'profile',
        options: { member: STRANGER },
      });
      const reply = await handle.waitFor('reply');
      expect(isEphemeral(reply.message)).toBe(true);
      expect(reply.message.content).toContain('not a member of this server');
      expect(handle.callbacks).toHaveLength(1);
      expect(await isStored(STRANGER)).toBe(false);
      // Discord resolved the option to a user but not a member: that answers it, with no REST call.
      expect(bot.fake.requestsTo('GET', /\/members\//)).toHaveLength(memberLookups);
    });

    it("shows another member's public profile with their numbers", async () => {
      const edit = await bot.fake
        .slash({ guildId: GUILD, channelId: CHANNEL, userId: BOB, name: 'profile', options: { member: CAROL } })
        .waitFor('edit');
      const embed = edit.message.embeds[0];
      expect(embed?.author?.name).toBe('carol');
      // Carol: one rating, 5★; no diary, no watchlist.
      expect(embed?.fields).toEqual(
        expect.arrayContaining([
          { name: 'Ratings', value: '1', inline: true },
          { name: 'Average rating', value: '★★★★★ 5.0', inline: true },
        ]),
      );
      // The real engine answered: Carol shares no rated film with anyone left, so nobody is similar.
      expect(embed?.fields?.find((field) => field.name === 'Similar taste in this server')?.value).toBe(
        'Nobody here has rated enough of the same films yet.',
      );
    });

    it('names similar members only with their consent and while they are still in the guild', async () => {
      // Frank allows his name but has left; Discord sends no event for that without a privileged intent.
      bot.fake.removeMember(GUILD, FRANK);
      const edit = await bot.fake
        .slash({ guildId: GUILD, channelId: CHANNEL, userId: HUGO, name: 'profile' })
        .waitFor('edit');
      const similar = edit.message.embeds[0]?.fields?.find((field) => field.name === 'Similar taste in this server');
      // Erin: named. Frank (left) and Gina (showName off): counted only.
      expect(similar?.value).toBe(`<@${ERIN}> · 6 films rated by both\nand 2 other members`);
      expect(bot.fake.requestsTo('GET', `/guilds/${GUILD}/members/${FRANK}`)).not.toHaveLength(0);
      expect(bot.fake.requestsTo('GET', `/guilds/${GUILD}/members/${GINA}`)).toHaveLength(0);
    });

    it('refuses a member whose profile is private', async () => {
      await bot.app.repos.users.updateSettings(DAVE, { publicProfile: false });
      const reply = await bot.fake
        .slash({ guildId: GUILD, channelId: CHANNEL, userId: BOB, name: 'profile', options: { member: DAVE } })
        .waitFor('reply');
      expect(isEphemeral(reply.message)).toBe(true);
      expect(reply.message.content).toContain('private');
    });
  });
});
