import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { APIMessage } from 'discord-api-types/v10';
import type { InteractionHandle } from '../../local-discord/index.js';
import { startBotHarness, TMDB_BASE, type BotHarness } from '../support/bot-harness.js';
import { movieSummary } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { detailsBody, searchBody, tmdbFixture } from '../support/film-support.js';
import { picksPastPanel } from '../support/onboarding.js';

const TMDB_ORIGIN = new URL(TMDB_BASE).origin;
const tmdb = () => nock(TMDB_ORIGIN);
const t0 = new Date('2026-03-01T12:00:00.000Z');
/** The TMDB id a card links to. */
const filmOf = (message: APIMessage) => Number(message.embeds[0]?.url?.split('/').pop());
/** A `movie/{id}/recommendations` page with these films, as TMDB sends it. */
const recommendationsBody = (films: { id: number; title: string; release_date: string }[]) => {
  const page = searchBody(films);
  return { ...page, results: page.results.map((film) => ({ ...film, media_type: 'movie' })) };
};
/** TMDB's popular, trending and top-rated lists, for the tie-breaking popularity. */
function tmdbPopularLists(): void {
  for (const [path, fixture] of [
    ['/3/movie/popular', 'movie-popular-list'],
    ['/3/trending/movie/week', 'trending-movies'],
    ['/3/movie/top_rated', 'movie-top-rated-list'],
  ] as const) {
    tmdb().get(path).query(true).reply(200, tmdbFixture(fixture));
  }
}

// Short budgets for what a card may go without (runtime, where to watch, popularity as a tie-breaker) stand in for
// the real ones where a test does not mock those requests; the lists of loved films keep a budget that a prompt
// fake TMDB always meets.
const SERVICES = {
  recommendations: { cardBudgetMs: 100, tieBreakBudgetMs: 100, popularBudgetMs: 300, interactiveListBudgetMs: 5_000 },
} as const;

describe.each(databaseKinds())('picks in a server of five with two taste camps, on %s', (kind) => {
  const GUILD = '810000000000000701';
  const CHANNEL = '820000000000000701';
  const [M1, M2, M3, M4, M5] = [1, 2, 3, 4, 5].map((k) => `83000000000000070${k}`) as [
    string,
    string,
    string,
    string,
    string,
  ];
  /** The twelve films everyone rated: M1, M2 and M3 loved 1-6 and disliked 7-12; M4 and M5 the other way round. */
  const TWELVE = Array.from({ length: 12 }, (_, k) => 1_001 + k);
  /** Loved only by M2 and M3; M1 has not seen them. */
  const FIVE = [2_001, 2_002, 2_003, 2_004, 2_005];
  /** Loved only by M4 and M5. */
  const THREE = [3_001, 3_002, 3_003];
  let bot: BotHarness;
  let firstCards: APIMessage[] = [];

  const handled = (handle: InteractionHandle) =>
    bot.fake.waitUntil(
      () => bot.logs.some((line) => line.interactionId === handle.id && line.msg === 'interaction handled'),
      { timeoutMs: 15_000, description: 'the command to finish' },
    );
  async function picksFor(userId: string): Promise<APIMessage[]> {
    const handle = bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId, name: 'recommend' });
    await handled(handle);
    return [...handle.edits, ...handle.followups].flatMap((event) => (event.message ? [event.message] : []));
  }

  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      clock: () => t0,
      guilds: [
        {
          id: GUILD,
          channels: [{ id: CHANNEL, name: 'films' }],
          members: [M1, M2, M3, M4, M5].map((id, k) => ({ id, username: `member${k + 1}` })),
        },
      ],
      services: SERVICES,
    });
    const { repos, database } = bot.app;
    const { User, Guild, GuildMember, Rating } = database.models;
    await repos.movies.upsertSummaries(
      [...TWELVE, ...FIVE, ...THREE, 4_001].map((id) => movieSummary(id)),
      t0,
    );
    const members = [M1, M2, M3, M4, M5];
    // M2 lets itself be named; M4 too, so a reason that named it would show.
    await User.bulkCreate(members.map((id) => ({ id, showName: id === M2 || id === M4 })));
    await Guild.bulkCreate([{ id: GUILD, region: null }]);
    await GuildMember.bulkCreate(
      members.map((userId) => ({ guildId: GUILD, userId, firstSeenAt: t0, lastSeenAt: t0 })),
    );
    const rows: { userId: string; movieId: number; score: number; ratedAt: Date }[] = [];
    const rate = (userId: string, movieIds: readonly number[], score: number) => {
      for (const movieId of movieIds) rows.push({ userId, movieId, score, ratedAt: t0 });
    };
    for (const userId of [M1, M2, M3]) {
      rate(userId, TWELVE.slice(0, 6), 5);
      rate(userId, TWELVE.slice(6), 1);
    }
    for (const userId of [M2, M3]) rate(userId, FIVE, 5);
    for (const userId of [M4, M5]) {
      rate(userId, TWELVE.slice(0, 6), 1);
      rate(userId, TWELVE.slice(6), 5);
      rate(userId, THREE, 5);
    }
    await Rating.bulkCreate(rows);
  });
  afterAll(() => bot.close());
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });

  it('picks what the like-minded loved, never what the other camp loved, each with a true reason', async () => {
    // TMDB's lists of M1's loved films point at a film nobody here rated (4001) and, for one, at 2001.
    for (const [index, movieId] of TWELVE.slice(0, 6).entries()) {
      tmdb()
        .get(`/3/movie/${movieId}/recommendations`)
        .query(true)
        .reply(
          200,
          recommendationsBody([
            ...(index === 0 ? [{ id: 2_001, title: 'Film 2001', release_date: '2001-01-01' }] : []),
            { id: 4_001, title: 'Film 4001', release_date: '2001-01-01' },
          ]),
        );
    }
    tmdbPopularLists();

    firstCards = await picksFor(M1);

    const picked = firstCards.map(filmOf);
    expect(picked).toHaveLength(3);
    expect(picked.filter((id) => FIVE.includes(id)).length).toBeGreaterThanOrEqual(2);
    expect(picked.filter((id) => THREE.includes(id))).toEqual([]);
    for (const card of firstCards) {
      const description = card.embeds[0]?.description ?? '';
      // Only an agreeing backer speaks: M2 (named, agreeing on all twelve films), never M4 or M5.
      if (FIVE.includes(filmOf(card))) {
        expect(description).toContain(`<@${M2}> rated it ★★★★★ (agrees with you on 12 films)`);
      }
      expect(description).not.toContain(M4);
      expect(description).not.toContain(M5);
    }
  });

  it('shows only the like-minded as similar on /profile', async () => {
    const edit = await bot.fake
      .slash({ guildId: GUILD, channelId: CHANNEL, userId: M1, name: 'profile' })
      .waitFor('edit');
    const similar = edit.message.embeds[0]?.fields?.find((field) => field.name === 'Similar taste in this server');

    // M2 may be named; M3 is counted. M4 and M5, who rated the same twelve films the other way, are neither.
    expect(similar?.value).toBe(`<@${M2}> · 12 films rated by both\nand 1 other member`);
  });

  it('keeps a film out of the next picks after a 👎 on its card, given after a restart', async () => {
    const [card] = firstCards;
    if (!card) throw new Error('the first test sends the cards');
    await bot.restart();

    bot.fake.reactionAdd({ userId: M1, messageId: card.id, emoji: '👎' });
    await vi.waitFor(
      async () =>
        expect(await bot.app.repos.feedback.listByUser(M1)).toEqual([
          { userId: M1, movieId: filmOf(card), value: -1, messageId: card.id },
        ]),
      { timeout: 10_000, interval: 50 },
    );
    tmdbPopularLists();

    const next = (await picksFor(M1)).map(filmOf);
    expect(next).toHaveLength(3);
    expect(next).not.toContain(filmOf(card));
    expect(next.filter((id) => THREE.includes(id))).toEqual([]);
  });
});

describe.each(databaseKinds())('"Because you loved" from TMDB’s list of a rated film, on %s', (kind) => {
  const GUILD = '810000000000000801';
  const CHANNEL = '820000000000000801';
  const ALICE = '830000000000000801';
  const BOB = '830000000000000802';
  const MATRIX = 603;
  const RELOADED = 604;
  let bot: BotHarness;

  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      clock: () => t0,
      guilds: [
        {
          id: GUILD,
          channels: [{ id: CHANNEL, name: 'films' }],
          members: [
            { id: ALICE, username: 'alice' },
            { id: BOB, username: 'bob' },
          ],
        },
      ],
      services: SERVICES,
    });
  });
  afterAll(() => bot.close());
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });

  const recommendFor = async (userId: string) => {
    const handle = bot.fake.slash({
      guildId: GUILD,
      channelId: CHANNEL,
      userId,
      name: 'recommend',
      options: { count: 1 },
    });
    // Alice has fewer than 5 ratings: she skips the onboarding panel.
    const [card] = await picksPastPanel(bot, handle);
    if (!card) throw new Error('no pick card');
    return card;
  };

  it('stores the list of a film Alice rated 5★ in the background, and picks the film only that list holds', async () => {
    tmdb()
      .get(`/3/movie/${MATRIX}`)
      .query(true)
      .reply(200, detailsBody(MATRIX, 'The Matrix', '1999-03-30'));
    tmdb().get(`/3/movie/${MATRIX}/watch/providers`).query(true).reply(200, tmdbFixture('movie-watch-providers'));
    const list = tmdb()
      .get(`/3/movie/${MATRIX}/recommendations`)
      .query(true)
      .reply(200, recommendationsBody([{ id: RELOADED, title: 'The Matrix Reloaded', release_date: '2003-05-15' }]));

    await bot.fake
      .slash({
        guildId: GUILD,
        channelId: CHANNEL,
        userId: ALICE,
        name: 'rate',
        options: { movie: String(MATRIX), stars: 5 },
      })
      .waitFor('edit');
    // The list is fetched after the rating, in the background: the test awaits that work, not a clock.
    await bot.app.background.whenIdle();

    expect(list.isDone()).toBe(true);
    expect(await bot.app.repos.relatedFilms.listsFor([MATRIX])).toMatchObject([
      { movieId: MATRIX, kind: 'recommendations', relatedIds: [RELOADED] },
    ]);
    tmdb()
      .get(`/3/movie/${RELOADED}`)
      .query(true)
      .reply(200, detailsBody(RELOADED, 'The Matrix Reloaded', '2003-05-15', { runtime: 138 }));
    tmdb().get(`/3/movie/${RELOADED}/watch/providers`).query(true).reply(200, tmdbFixture('movie-watch-providers'));
    tmdbPopularLists();

    const card = await recommendFor(ALICE);

    // Nobody here rated 604: only TMDB's list of the film Alice loved brought it in. The card has its runtime and
    // where to watch it, as /movie shows them.
    expect(filmOf(card)).toBe(RELOADED);
    const embed = card.embeds[0];
    expect(embed?.description).toContain('Because you loved The Matrix (1999).');
    expect(embed?.fields?.find((field) => field.name === 'Runtime')?.value).toBe('2 h 18 min');
    expect(embed?.fields?.find((field) => field.name === 'Where to watch (US)')?.value).toContain('Stream:');
  });

  it('still uses the stored list after a restart while TMDB is down', async () => {
    await bot.restart();
    tmdb().get(/.*/).query(true).times(50).reply(500, { status_code: 11, status_message: 'Internal error' });

    const card = await recommendFor(ALICE);

    expect(filmOf(card)).toBe(RELOADED);
    expect(card.embeds[0]?.description).toContain('Because you loved The Matrix (1999).');
  });

  it('tells a member picking for another whose taste their 👍/👎 teach', async () => {
    tmdb().get(/.*/).query(true).times(50).reply(500, { status_code: 11, status_message: 'Internal error' });
    const handle = bot.fake.slash({
      guildId: GUILD,
      channelId: CHANNEL,
      userId: BOB,
      name: 'recommend',
      options: { member: ALICE, count: 1 },
    });
    const edit = await handle.waitFor('edit');

    expect(edit.message.content).toContain(
      `React with 👍 or 👎 to teach Marquee what you like: a reaction teaches the taste of whoever reacts, not <@${ALICE}>’s.`,
    );
    expect(edit.message.embeds[0]?.description).toContain('Because they loved The Matrix (1999).');
  });
});
