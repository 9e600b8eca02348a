import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { MessageFlags, type APIMessage } from 'discord-api-types/v10';
import { startBotHarness, TMDB_BASE, type BotHarness } from '../support/bot-harness.js';
import { movieSummary } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import type { InteractionHandle } from '../../local-discord/index.js';
import { emptyMessage, reasonLine } from '../../commands/recommend.js';
import { tmdbFixture } from '../support/film-support.js';
import { picksPastPanel } from '../support/onboarding.js';

const GUILD = '810000000000000201';
const CHANNEL = '820000000000000201';
const NO_REACTIONS = '820000000000000202';
const ALICE = '830000000000000201';
const BOB = '830000000000000202';
const NEWBIE = '830000000000000203';
const PRIVATE = '830000000000000204';
const STRANGER = '830000000000000299';
/** 26 members who used Marquee here (in the database only): a full neighbourhood for Alice. */
const NEIGHBOURS = Array.from({ length: 26 }, (_, k) => String(840_000_000_000_000_000n + BigInt(k)));
const t0 = new Date('2026-03-01T12:00:00.000Z');
const TMDB_ORIGIN = new URL(TMDB_BASE).origin;

const isEphemeral = (message: APIMessage) => ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
/** The TMDB id a card links to. */
const filmOf = (message: APIMessage) => Number(message.embeds[0]?.url?.split('/').pop());

describe('emptyMessage', () => {
  it('names the filters asked for', () => {
    expect(emptyMessage({ genreId: 35, fromYear: 1990, maxRuntime: 110 }, true)).toBe(
      'I have no picks for you (Comedy, from 1990 on, at most 110 minutes) right now: try wider filters, or rate more films you have seen with `/rate`.',
    );
    expect(emptyMessage({ fromYear: 1990, toYear: 1999 }, false)).toBe(
      'I have no picks for them (1990-1999) right now: try wider filters.',
    );
  });
});

describe('reasonLine', () => {
  it('words what the service may show: a count of agreeing members with their average, or only that members liked it (GUIDE §9)', () => {
    expect(reasonLine({ kind: 'similar-taste' }, true)).toBe('Members with similar taste liked it.');
    expect(reasonLine({ kind: 'count', backers: 3, averageRating: 4.5 }, true)).toBe(
      '3 members who agree with you rated it 4.5★ on average.',
    );
    expect(reasonLine({ kind: 'count', backers: 4, averageRating: null }, false)).toBe(
      '4 members who agree with them liked it.',
    );
  });

  it('names the strongest source: the films the member loved, the server’s favourites, TMDB’s list', () => {
    const seeds = [
      { tmdbId: 329_865, title: 'Arrival', releaseDate: '2016-11-10' },
      { tmdbId: 273_481, title: 'Sicario', releaseDate: '2015-09-17' },
    ];
    expect(reasonLine({ kind: 'similar-films', seeds }, true)).toBe(
      'Because you loved Arrival (2016) and Sicario (2015).',
    );
    expect(reasonLine({ kind: 'server-favourite', average: 4.6, raters: 5, ratingsToGo: null }, true)).toBe(
      'Loved in this server: 4.6★ from 5 members.',
    );
    expect(reasonLine({ kind: 'popular', list: 'trending', ratingsToGo: 3 }, true)).toBe(
      'Popular on TMDB this week. Rate 3 more films you have seen with `/rate` for personal picks.',
    );
    expect(reasonLine({ kind: 'popular', list: 'trending', ratingsToGo: null }, false)).toBe(
      'Popular on TMDB this week.',
    );
  });

  it('names the backers it is given, the strongest with how much they agree', () => {
    const named = [
      { userId: '1', rating: 4.5, agreements: 14 },
      { userId: '2', rating: null, agreements: 3 },
    ];
    expect(reasonLine({ kind: 'named', named, othersToo: true }, false)).toBe(
      '<@1> rated it ★★★★½ (agrees with them on 14 films), <@2> gave it 👍, and other members who agree with them liked it too.',
    );
    expect(reasonLine({ kind: 'named', named: named.slice(0, 1), othersToo: false }, true)).toBe(
      '<@1> rated it ★★★★½ (agrees with you on 14 films).',
    );
  });
});

describe.each(databaseKinds())('/recommend end to end on %s', (kind) => {
  let bot: BotHarness;

  /** The router logs "interaction handled" last, after every write and reaction of the command. */
  const handled = (handle: InteractionHandle) =>
    bot.fake.waitUntil(
      () => bot.logs.some((line) => line.interactionId === handle.id && line.msg === 'interaction handled'),
      {
        timeoutMs: 15_000,
        description: 'the command to finish',
      },
    );

  /** The reply edit and the follow-ups (one message per film, in order), once the command has finished. */
  async function cards(handle: InteractionHandle, count: number): Promise<APIMessage[]> {
    await handled(handle);
    const messages = [...handle.edits, ...handle.followups].flatMap((event) => (event.message ? [event.message] : []));
    expect(handle.edits).toHaveLength(1);
    expect(handle.followups).toHaveLength(count - 1);
    return messages;
  }

  const seeded = (message: APIMessage) => {
    const reactions = bot.fake.reactionsOn(message.id);
    return (
      reactions['👍']?.includes(bot.fake.botUserId) === true && reactions['👎']?.includes(bot.fake.botUserId) === true
    );
  };

  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      clock: () => t0,
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
            { id: NEWBIE, username: 'newbie' },
            { id: PRIVATE, username: 'private' },
          ],
        },
      ],
      users: [{ id: STRANGER, username: 'stranger' }],
      // TMDB is not mocked where a test does not need it: short budgets for the optional parts (runtime and
      // where to watch, lists of loved films, popularity as a tie-breaker) stand in for the real ones.
      services: { recommendations: { cardBudgetMs: 100, interactiveListBudgetMs: 100, tieBreakBudgetMs: 100 } },
    });
    const { repos, database } = bot.app;
    const { User, Guild, GuildMember, Rating } = database.models;
    const shared = Array.from({ length: 10 }, (_, i) => i + 1);
    // Every film is from 2001 but 104, from 1995.
    await repos.movies.upsertSummaries(
      [...shared, 101, 103, 104, 105].map((id) => movieSummary(id, id === 104 ? { releaseDate: '1995-06-01' } : {})),
      t0,
    );
    await User.bulkCreate([ALICE, PRIVATE, ...NEIGHBOURS].map((id) => ({ id, publicProfile: id !== PRIVATE })));
    await Guild.bulkCreate([{ id: GUILD, region: null }]);
    await GuildMember.bulkCreate(
      [ALICE, PRIVATE, ...NEIGHBOURS].map((userId) => ({ guildId: GUILD, userId, firstSeenAt: t0, lastSeenAt: t0 })),
    );
    // Everyone rated films 1-10; the neighbours also rated 101 (which Alice watched), and 103/104/105 in groups.
    const rows = [ALICE, ...NEIGHBOURS].flatMap((userId) =>
      shared.map((movieId) => ({ userId, movieId, score: 4, ratedAt: t0 })),
    );
    const rate = (movieId: number, score: number, raters: string[]) => {
      for (const userId of raters) rows.push({ userId, movieId, score, ratedAt: t0 });
    };
    rate(101, 5, NEIGHBOURS);
    rate(103, 4.5, NEIGHBOURS.slice(0, 10));
    rate(104, 4, NEIGHBOURS.slice(10, 18));
    rate(105, 5, NEIGHBOURS.slice(18, 21));
    await Rating.bulkCreate(rows);
    await repos.watchLog.add({ userId: ALICE, movieId: 101, watchedOn: '2026-02-01', note: null }, t0);
  });
  afterAll(() => bot.close());
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });

  let aliceCards: APIMessage[] = [];

  it('sends a member with ratings one card per neighbour pick, seeds 👍 and 👎 on each and records it', async () => {
    const handle = bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'recommend' });

    aliceCards = await cards(handle, 3);

    // Neighbour votes: 103 (ten 4.5★) before 104 (eight 4★) before 105 (three 5★); 101 was watched.
    expect(aliceCards.map(filmOf)).toEqual([103, 104, 105]);
    expect(aliceCards.map(isEphemeral)).toEqual([false, false, false]);
    expect(aliceCards[0]?.content).toContain('3 picks for you');
    expect(aliceCards[0]?.content).toContain('React with 👍 or 👎');
    expect(aliceCards[0]?.embeds[0]?.title).toBe('Film 103 (2001)');
    // Nobody allows their name: ten backers are a count, with their average.
    expect(aliceCards[0]?.embeds[0]?.description).toContain('10 members who agree with you rated it 4.5★ on average.');
    expect(aliceCards[0]?.embeds[0]?.description).toMatch(/You would probably rate it ★/);
    await bot.fake.waitUntil(() => aliceCards.every(seeded), {
      timeoutMs: 15_000,
      description: 'the feedback reactions',
    });
    for (const card of aliceCards) {
      expect(await bot.app.repos.recommendations.find(card.id)).toMatchObject({
        guildId: GUILD,
        channelId: CHANNEL,
        forUserId: ALICE,
        items: [{ position: 1, movieId: filmOf(card), source: 'neighbours' }],
      });
    }
  });

  it('gives a brand-new member who skips the onboarding panel the server’s favourites and popular TMDB films, saying how many ratings make picks personal', async () => {
    for (const [path, fixture] of [
      ['/3/movie/popular', 'movie-popular-list'],
      ['/3/trending/movie/week', 'trending-movies'],
      ['/3/movie/top_rated', 'movie-top-rated-list'],
    ] as const) {
      nock(TMDB_ORIGIN).get(path).query(true).reply(200, tmdbFixture(fixture));
    }
    const handle = bot.fake.slash({
      guildId: GUILD,
      channelId: CHANNEL,
      userId: NEWBIE,
      name: 'recommend',
      options: { count: 2 },
    });

    // The onboarding panel opens first; a newbie who skips it gets these picks.
    const sent = await picksPastPanel(bot, handle);

    // 101 (26 members, 5★ each) is the server's favourite; then TMDB's popular #1, Ant-Man.
    expect(sent.map(filmOf)).toEqual([101, 640146]);
    expect(sent[0]?.embeds[0]?.description).toContain(
      'Loved in this server: 5.0★ from 26 members. Rate 5 more films you have seen with `/rate` for personal picks.',
    );
    expect(sent[1]?.embeds[0]?.description).toContain(
      '**Popular on TMDB right now** Rate 5 more films you have seen with `/rate` for personal picks.',
    );
    await bot.fake.waitUntil(() => sent.every(seeded), { timeoutMs: 15_000, description: 'the feedback reactions' });
    expect((await bot.app.repos.recommendations.find(sent[1]?.id ?? ''))?.items).toMatchObject([
      { movieId: 640146, source: 'popular' },
    ]);
    expect((await bot.app.repos.recommendations.find(sent[0]?.id ?? ''))?.items).toMatchObject([
      { movieId: 101, source: 'server-favourites' },
    ]);
  });

  it('still sends the picks where the bot cannot add reactions, saying feedback needs that permission', async () => {
    const handle = bot.fake.slash({
      guildId: GUILD,
      channelId: NO_REACTIONS,
      userId: ALICE,
      name: 'recommend',
      options: { count: 2 },
    });

    const sent = await cards(handle, 2);

    expect(sent.map(filmOf)).toEqual([103, 104]);
    expect(sent[0]?.content).toContain('Feedback with 👍/👎 needs the Add Reactions permission in this channel.');
    expect(bot.fake.requestsTo('PUT', `/channels/${NO_REACTIONS}/messages/:id/reactions/:emoji/@me`)).toEqual([]);
    expect(await bot.app.repos.recommendations.find(sent[0]?.id ?? '')).not.toBeNull();
  });

  it('keeps to the years asked for: from_year:2000 leaves out the film from 1995', async () => {
    const handle = bot.fake.slash({
      guildId: GUILD,
      channelId: CHANNEL,
      userId: ALICE,
      name: 'recommend',
      options: { count: 2, from_year: 2000 },
    });

    const sent = await cards(handle, 2);

    // Without the filter the two picks are 103 and 104 (as where the bot cannot react); 104 is from 1995, so 105 takes its place.
    expect(sent.map(filmOf)).toEqual([103, 105]);
    expect(sent.map((card) => card.embeds[0]?.title)).toEqual(['Film 103 (2001)', 'Film 105 (2001)']);
  });

  it('names a backer only with showName on and while still in the server, without pinging anyone', async () => {
    const [inServer, gone] = NEIGHBOURS;
    if (!inServer || !gone) throw new Error('neighbours missing');
    bot.fake.addMember(GUILD, { id: inServer, username: 'neighbour' });
    await bot.fake
      .slash({
        guildId: GUILD,
        channelId: CHANNEL,
        userId: inServer,
        name: 'privacy',
        subcommand: 'settings',
        options: { show_name: true },
      })
      .waitFor('reply');
    // `gone` allows their name too but is no longer in the Discord server (the bot asks Discord's REST API).
    await bot.app.repos.users.updateSettings(gone, { showName: true });
    bot.app.services.recommendations.settingsChanged(gone);

    const handle = bot.fake.slash({
      guildId: GUILD,
      channelId: CHANNEL,
      userId: ALICE,
      name: 'recommend',
      options: { count: 1 },
    });
    const [card] = await cards(handle, 1);

    // 103's strongest backers are the first three neighbours (equal votes, lowest ids first); only one may be named.
    const description = card?.embeds[0]?.description ?? '';
    expect(description).toContain(
      `<@${inServer}> rated it ★★★★½ (agrees with you on 10 films), and other members who agree with you liked it too.`,
    );
    expect(description).not.toContain(gone);
    expect(handle.edits[0]?.body).toMatchObject({ allowed_mentions: { parse: [] } });
  });

  it("shows another member's picks when their profile is public", async () => {
    const handle = bot.fake.slash({
      guildId: GUILD,
      channelId: CHANNEL,
      userId: BOB,
      name: 'recommend',
      options: { member: ALICE, count: 1 },
    });

    const [card] = await cards(handle, 1);

    expect(card?.content).toContain(`1 pick for <@${ALICE}>`);
    expect(filmOf(card!)).toBe(103);
    expect(card?.embeds[0]?.description).toContain('They would probably rate it');
  });

  it('refuses, ephemerally, picks for someone who is not in the server or keeps their profile private, writing nothing', async () => {
    const { database } = bot.app;
    const cardsBefore = await database.models.RecommendationMessage.count();
    for (const [member, reason] of [
      [STRANGER, /not a member of this server/],
      [PRIVATE, /keeps their profile private/],
    ] as const) {
      const handle = bot.fake.slash({
        guildId: GUILD,
        channelId: CHANNEL,
        userId: BOB,
        name: 'recommend',
        options: { member },
      });
      const reply = await handle.waitFor('reply');
      expect(isEphemeral(reply.message)).toBe(true);
      expect(reply.message.content).toMatch(reason);
      await handled(handle);
    }
    expect(await database.models.User.count({ where: { id: STRANGER } })).toBe(0);
    expect(await database.models.RecommendationMessage.count()).toBe(cardsBefore);
  });

  it('records a 👍 on a card from before a restart as the reacting member’s feedback', async () => {
    const [card] = aliceCards;
    if (!card) throw new Error('the first test sends the cards');
    await bot.restart();

    bot.fake.reactionAdd({ userId: BOB, messageId: card.id, emoji: '👍' });

    await vi.waitFor(
      async () =>
        expect(await bot.app.repos.feedback.listByUser(BOB)).toEqual([
          { userId: BOB, movieId: 103, value: 1, messageId: card.id },
        ]),
      { timeout: 10_000, interval: 50 },
    );
  });
});
