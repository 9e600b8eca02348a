import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MessageFlags, type APIEmbed, type APIMessage } from 'discord-api-types/v10';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { movieSummary } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';

const DAY = 86_400_000;
const NOW = new Date('2026-03-31T12:00:00.000Z');
const daysAgo = (days: number) => new Date(NOW.getTime() - days * DAY);
const isEphemeral = (message: APIMessage) => ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
const field = (embed: APIEmbed | undefined, name: string) => embed?.fields?.find((f) => f.name === name)?.value;

describe.each(databaseKinds())('/stats on %s', (kind) => {
  const GUILD = '810000000000001101';
  const CHANNEL = '820000000000001101';
  const MANAGERS = '840000000000001101';
  const ADMIN = '830000000000001101';
  const MEMBER = '830000000000001102';
  const M3 = '830000000000001103';
  const M4 = '830000000000001104';
  const OUTSIDER = '830000000000001105';
  const [m1, m2, m3, m4, m5, m6, m7, m8] = [6_001, 6_002, 6_003, 6_004, 6_005, 6_006, 6_007, 6_008];
  const [f1, f2, f3] = [6_101, 6_102, 6_103];
  let bot: BotHarness;

  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      clock: () => NOW,
      guilds: [
        {
          id: GUILD,
          channels: [{ id: CHANNEL, name: 'films' }],
          roles: [{ id: MANAGERS, name: 'managers', permissions: ['ManageGuild'] }],
          members: [
            { id: ADMIN, username: 'admin', roles: [MANAGERS] },
            { id: MEMBER, username: 'member' },
            { id: M3, username: 'm3' },
            { id: M4, username: 'm4' },
          ],
        },
      ],
    });
    const { repos, database } = bot.app;
    const { User, Guild, GuildMember, Rating } = database.models;
    await repos.movies.upsertSummaries(
      [m1, m2, m3, m4, m5, m6, m7, m8, f1, f2, f3].map((id) => movieSummary(id)),
      NOW,
    );
    await User.bulkCreate([{ id: ADMIN }, { id: MEMBER }, { id: M3 }, { id: M4, shareTaste: false }, { id: OUTSIDER }]);
    await Guild.create({ id: GUILD, region: null });
    await GuildMember.bulkCreate(
      [ADMIN, MEMBER, M3, M4].map((userId) => ({ guildId: GUILD, userId, firstSeenAt: NOW, lastSeenAt: NOW })),
    );
    const card = async (
      messageId: string,
      forUserId: string | null,
      movieId: number,
      source: 'similar-films' | 'neighbours' | 'popular' | 'group',
      createdAt: Date,
    ) =>
      repos.recommendations.record({
        messageId,
        guildId: GUILD,
        channelId: CHANNEL,
        audience: source === 'group' ? 'group' : 'member',
        forUserId,
        createdAt,
        items: [{ position: 1, movieId, source, score: 1 }],
      });
    // Personal picks of the last 30 days: four of similar films for MEMBER (ten days ago), two of neighbours for
    // ADMIN (five days ago); a popular one for MEMBER 40 days ago, and a group pick.
    await card('900000000000000001', MEMBER, m1, 'similar-films', daysAgo(10));
    await card('900000000000000002', MEMBER, m2, 'similar-films', daysAgo(10));
    await card('900000000000000003', MEMBER, m3, 'similar-films', daysAgo(10));
    await card('900000000000000004', MEMBER, m4, 'similar-films', daysAgo(10));
    await card('900000000000000005', ADMIN, m5, 'neighbours', daysAgo(5));
    await card('900000000000000006', ADMIN, m6, 'neighbours', daysAgo(5));
    await card('900000000000000007', MEMBER, m7, 'popular', daysAgo(40));
    await card('900000000000000008', null, m8, 'group', daysAgo(3));
    const reaction = (userId: string, movieId: number, value: 1 | -1, messageId: string, at: Date) =>
      repos.feedback.set({ userId, movieId, value, messageId }, at);
    await reaction(MEMBER, m1, 1, '900000000000000001', daysAgo(9)); // 👍 within 7 days
    await reaction(MEMBER, m2, -1, '900000000000000002', daysAgo(8)); // 👎 within 7 days
    await reaction(MEMBER, m3, 1, '900000000000000003', daysAgo(2)); // 👍 eight days later: not counted
    await reaction(MEMBER, m4, 1, '900000000000000004', daysAgo(9)); // 👍, and rated 4½★ three days after the pick
    await reaction(M3, m6, 1, '900000000000000006', daysAgo(4)); // not the member the pick was for
    await reaction(MEMBER, m7, 1, '900000000000000007', daysAgo(39)); // before the 30 days
    await reaction(MEMBER, m8, 1, '900000000000000008', daysAgo(2)); // a group pick
    const rating = (userId: string, movieId: number, score: number, at: Date) => ({
      userId,
      movieId,
      score,
      ratedAt: at,
    });
    await Rating.bulkCreate([
      rating(MEMBER, m4, 4.5, daysAgo(7)),
      rating(ADMIN, m5, 2, daysAgo(4)),
      ...[ADMIN, MEMBER, M3].map((userId) => rating(userId, f1, 5, daysAgo(20))),
      rating(ADMIN, f3, 4, daysAgo(20)),
      rating(MEMBER, f3, 4, daysAgo(20)),
      rating(M3, f3, 5, daysAgo(20)),
      // Before the 30 days; M4 keeps their taste to themselves, so f2 has two raters who share theirs.
      ...[ADMIN, M3, M4].map((userId) => rating(userId, f2, 4, daysAgo(60))),
      // Not a member of this server.
      rating(OUTSIDER, f1, 5, daysAgo(1)),
    ]);
  });
  afterAll(() => bot.close());

  it('shows a server manager, privately, what they say: per source, the totals, ratings and the most loved films', async () => {
    const handle = bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: ADMIN, name: 'stats' });
    const { message } = await handle.waitFor('edit', 15_000);

    expect(isEphemeral(message)).toBe(true);
    const edit = bot.fake.requestsTo('PATCH', /webhooks/).at(-1)?.body as { allowed_mentions?: unknown } | undefined;
    expect(edit?.allowed_mentions).toEqual({ parse: [] });
    const embed = message.embeds[0];
    expect(embed?.title).toBe('Marquee in this server: the last 30 days');
    // similar films: 4 shown; 👍 on cards 1 and 4 (2/4), 👎 on card 2 (1/4), card 4 rated 4½★. The weights come from
    // the outcomes of 180 days: p̄ = (1 + 3)/(2 + 3 + 2) = 4/7, prior Beta(16/7, 12/7); similar films 2 successes and
    // 1 failure → (30/49)/(4/7) = 1.07; neighbours 1 failure (card 5 rated 2★) → (16/35)/(4/7) = 0.80; popular
    // 1 success (card 7) → (23/35)/(4/7) = 1.15; server favourites nothing → 1.
    expect(field(embed, 'Films like ones members loved')).toBe(
      [
        '👍 `██████████░░░░░░░░░░` 50% (2)',
        '👎 `█████░░░░░░░░░░░░░░░` 25% (1)',
        '4 picks shown · 1 rated 4★ or more · weight now ×1.07',
      ].join('\n'),
    );
    expect(field(embed, 'Members who agree')).toBe(
      [
        '👍 `░░░░░░░░░░░░░░░░░░░░` 0% (0)',
        '👎 `░░░░░░░░░░░░░░░░░░░░` 0% (0)',
        '2 picks shown · 0 rated 4★ or more · weight now ×0.80',
      ].join('\n'),
    );
    expect(field(embed, 'This server’s favourites')).toBe('No picks shown · weight now ×1.00');
    expect(field(embed, 'Popular on TMDB')).toBe('No picks shown · weight now ×1.15');
    expect(field(embed, 'All picks')).toBe('6 picks shown · 👍 33% (2) · 👎 17% (1) · 1 rated 4★ or more');
    // MEMBER: m4, f1, f3; ADMIN: m5, f1, f3; M3: f1, f3 (f2's ratings are older, OUTSIDER is not a member).
    expect(field(embed, 'Ratings')).toBe('3 members of this server gave 8 ratings (new or changed)');
    expect(field(embed, 'Most loved here')).toBe(
      `1. Film ${f1} (2001): 5.0★ from 3 members\n2. Film ${f3} (2001): 4.3★ from 3 members`,
    );
  });

  it('refuses members without Manage Server, privately', async () => {
    const handle = bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: MEMBER, name: 'stats' });
    const { message } = await handle.waitFor('reply');

    expect(isEphemeral(message)).toBe(true);
    expect(message.content).toBe('/stats is for members with the Manage Server permission in this server.');
    expect(message.embeds ?? []).toEqual([]);
  });

  it('is registered for Manage Server only, so Discord hides it from other members by default', () => {
    const stats = bot.app.commands.find((command) => command.data.name === 'stats');
    expect(stats?.data.toJSON().default_member_permissions).toBe('32');
  });
});
