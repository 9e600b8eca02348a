import nock from 'nock';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { APIMessage } from 'discord-api-types/v10';
import { picksPastPanel } from '../support/onboarding.js';
import { startBotHarness, TMDB_BASE, type BotHarness } from '../support/bot-harness.js';
import { movieSummary } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { searchBody } from '../support/film-support.js';

const TMDB_ORIGIN = new URL(TMDB_BASE).origin;
const tmdb = () => nock(TMDB_ORIGIN);
const t0 = new Date('2026-03-01T12:00:00.000Z');
/** The TMDB id a card links to. */
const filmOf = (message: APIMessage) => Number(message.embeds[0]?.url?.split('/').pop());
const reasonOf = (message: APIMessage) => message.embeds[0]?.description ?? '';

/** TMDB's popular, trending and top-rated lists answer empty: only Alice's loved films' lists bring picks. */
function emptyPopularLists(): void {
  for (const path of ['/3/movie/popular', '/3/trending/movie/week', '/3/movie/top_rated']) {
    tmdb().get(path).query(true).reply(200, searchBody([]));
  }
}

const SERVICES = {
  recommendations: { cardBudgetMs: 100, tieBreakBudgetMs: 100, popularBudgetMs: 300, interactiveListBudgetMs: 5_000 },
} as const;

/**
 * Alice loved A (5★, seed weight 1) and B (4★, ½); TMDB's lists A → [a1, a2, a3], B → [b1, b2, b3] are stored.
 * With d(k) = 1/(k + 6)², L(a1) = 1/36, L(a2) = 1/49, L(a3) = 1/64, L(b1) = ½/36, L(b2) = ½/49, L(b3) = ½/64.
 */
describe.each(databaseKinds())('picks that learn from one member’s 👍 and 👎, on %s', (kind) => {
  const GUILD = '810000000000001001';
  const CHANNEL = '820000000000001001';
  const ALICE = '830000000000001001';
  const [A, B] = [5_001, 5_002];
  const [a1, a2, a3] = [5_011, 5_012, 5_013];
  const [b1, b2, b3] = [5_021, 5_022, 5_023];
  const c1 = 5_031;
  let bot: BotHarness;

  async function picks(count: number): Promise<APIMessage[]> {
    emptyPopularLists();
    const handle = bot.fake.slash({
      guildId: GUILD,
      channelId: CHANNEL,
      userId: ALICE,
      name: 'recommend',
      options: { count },
    });
    // Alice has fewer than 5 ratings: she skips the onboarding panel.
    return picksPastPanel(bot, handle);
  }

  async function react(card: APIMessage, emoji: '👍' | '👎', movieId: number): Promise<void> {
    bot.fake.reactionAdd({ userId: ALICE, messageId: card.id, emoji });
    await vi.waitFor(
      async () =>
        expect(await bot.app.repos.feedback.listByUser(ALICE)).toContainEqual({
          userId: ALICE,
          movieId,
          value: emoji === '👍' ? 1 : -1,
          messageId: card.id,
        }),
      { timeout: 10_000, interval: 50 },
    );
  }

  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      clock: () => t0,
      guilds: [{ id: GUILD, channels: [{ id: CHANNEL, name: 'films' }], members: [{ id: ALICE, username: 'alice' }] }],
      services: SERVICES,
    });
    const { repos, database } = bot.app;
    await repos.movies.upsertSummaries(
      [A, B, a1, a2, a3, b1, b2, b3].map((id) => movieSummary(id)),
      t0,
    );
    await database.models.User.create({ id: ALICE });
    await database.models.Guild.create({ id: GUILD, region: null });
    await database.models.GuildMember.create({ guildId: GUILD, userId: ALICE, firstSeenAt: t0, lastSeenAt: t0 });
    await database.models.Rating.bulkCreate([
      { userId: ALICE, movieId: A, score: 5, ratedAt: t0 },
      { userId: ALICE, movieId: B, score: 4, ratedAt: t0 },
    ]);
    await repos.relatedFilms.save({ movieId: A, kind: 'recommendations', fetchedAt: t0, relatedIds: [a1, a2, a3] });
    await repos.relatedFilms.save({ movieId: B, kind: 'recommendations', fetchedAt: t0, relatedIds: [b1, b2, b3] });
  });
  afterAll(() => bot.close());
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });

  it('lowers the loved film whose list carried a pick Alice turned down: the next pick comes from her other one', async () => {
    const [first] = await picks(1);
    expect(filmOf(first!)).toBe(a1);
    expect(reasonOf(first!)).toContain(`Because you loved Film ${A} (2001).`);

    await react(first!, '👎', a1);

    // A now weighs ½: L(a2) = ½/49 falls below L(b1) = ½/36 (without the lesson a2 would come next).
    const [next] = await picks(1);
    expect(filmOf(next!)).toBe(b1);
    expect(reasonOf(next!)).toContain(`Because you loved Film ${B} (2001).`);
  });

  it('makes a film Alice gave 👍 a loved seed of her picks, and trusts the list that held it more', async () => {
    const [card] = await picks(1);
    expect(filmOf(card!)).toBe(b1);
    // The 👍 makes b1 a loved film: its TMDB list is fetched in the background, as after a rating.
    const list = tmdb()
      .get(`/3/movie/${b1}/recommendations`)
      .query(true)
      .reply(200, { ...searchBody([{ id: c1, title: `Film ${c1}`, release_date: '2001-01-01' }]), page: 1 });

    await react(card!, '👍', b1);
    await bot.app.background.whenIdle();
    expect(list.isDone()).toBe(true);

    // B was backed by b1 at the top of its list: ×(1 + 2) → b2 1.5/49, b3 1.5/64; b1 seeds c1 at w(4★) = ½: ½/36;
    // then a2 at ½/49.
    const next = await picks(3);
    expect(next.map(filmOf)).toEqual([b2, b3, c1]);
    expect(reasonOf(next[2]!)).toContain(`Because you loved Film ${b1} (2001).`);
  });

  it('keeps both lessons after a restart', async () => {
    await bot.restart();

    const next = await picks(3);

    expect(next.map(filmOf)).toEqual([b2, b3, c1]);
    expect(reasonOf(next[0]!)).toContain(`Because you loved Film ${B} (2001).`);
    expect(reasonOf(next[2]!)).toContain(`Because you loved Film ${b1} (2001).`);
  });
});
