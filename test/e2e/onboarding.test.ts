import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import {
  ComponentType,
  InteractionResponseType,
  MessageFlags,
  type APIButtonComponentWithCustomId,
  type APIMessage,
  type APIStringSelectComponent,
} from 'discord-api-types/v10';
import type { InteractionHandle } from '../../local-discord/index.js';
import { controlGone, NOT_YOURS } from '../../src/discord/router.js';
import { startBotHarness, TMDB_BASE, type BotHarness } from '../support/bot-harness.js';
import { movieSummary } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { tmdbFixture } from '../support/film-support.js';

const GUILD = '810000000000001101';
const CHANNEL = '820000000000001101';
const NEWBIE = '830000000000001101';
const BOB = '830000000000001102';
/** Six members who used Marquee here (database only) and agree on films 1001-1008. */
const NEIGHBOURS = Array.from({ length: 6 }, (_, k) => String(840_000_000_000_001_100n + BigInt(k)));
/** Rated by all six: the server's most-rated films, in id order (the panel's first two pages). */
const COMMON = Array.from({ length: 8 }, (_, k) => 1_001 + k);
/** Loved by four of them only: fewer raters, so after the common films on the panel. */
const LOVED = [2_001, 2_002];
const t0 = new Date('2026-03-01T12:00:00.000Z');
const TMDB_ORIGIN = new URL(TMDB_BASE).origin;

const isEphemeral = (message: APIMessage) => ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
const selects = (message: APIMessage): APIStringSelectComponent[] =>
  (message.components ?? []).flatMap((row) =>
    'components' in row
      ? row.components.filter((c): c is APIStringSelectComponent => c.type === ComponentType.StringSelect)
      : [],
  );
const buttons = (message: APIMessage): APIButtonComponentWithCustomId[] =>
  (message.components ?? []).flatMap((row) =>
    'components' in row
      ? row.components.filter(
          (c): c is APIButtonComponentWithCustomId => c.type === ComponentType.Button && 'custom_id' in c,
        )
      : [],
  );
const button = (message: APIMessage, label: string) => {
  const found = buttons(message).find((b) => b.label === label);
  if (!found) throw new Error(`no ${label} button on the panel`);
  return found;
};
/** The film a select rates, by its placeholder ("1. Film 1001 (2001): your rating"). */
const filmOfSelect = (select: APIStringSelectComponent) => Number(/Film (\d+)/.exec(select.placeholder ?? '')?.[1]);

describe.each(databaseKinds())('the onboarding panel end to end on %s', (kind) => {
  let bot: BotHarness;

  const handled = (handle: InteractionHandle) =>
    bot.fake.waitUntil(
      () => bot.logs.some((line) => line.interactionId === handle.id && line.msg === 'interaction handled'),
      { timeoutMs: 15_000, description: 'the interaction to finish' },
    );
  const current = (messageId: string): APIMessage => {
    const message = bot.fake.message(messageId);
    if (!message) throw new Error(`message ${messageId} is gone`);
    return message;
  };
  /** Chooses `value` in the select of `movieId` on the panel, as its owner (or someone else), and waits for the answer. */
  async function choose(panelId: string, movieId: number, value: string, userId = NEWBIE) {
    const select = selects(current(panelId)).find((s) => filmOfSelect(s) === movieId);
    if (!select) throw new Error(`film ${movieId} is not on the panel`);
    const handle = bot.fake.selectMenu({ userId, messageId: panelId, customId: select.custom_id, values: [value] });
    await handled(handle);
    return handle;
  }
  async function click(panelId: string, label: string, userId = NEWBIE) {
    const handle = bot.fake.button({ userId, messageId: panelId, customId: button(current(panelId), label).custom_id });
    await handled(handle);
    return handle;
  }
  async function openWith(name: 'recommend' | 'start', userId: string) {
    const handle = bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId, name });
    await handled(handle);
    const panel = handle.original;
    if (!panel) throw new Error('no panel');
    return { handle, panel };
  }
  const ratingsOf = async (userId: string) =>
    Object.fromEntries(
      (await bot.app.repos.ratings.listByUser(userId)).map((rating) => [rating.movieId, rating.score] as const),
    );

  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      clock: () => t0,
      guilds: [
        {
          id: GUILD,
          channels: [{ id: CHANNEL, name: 'films' }],
          members: [
            { id: NEWBIE, username: 'newbie' },
            { id: BOB, username: 'bob' },
          ],
        },
      ],
      // What a card may go without (runtime, where to watch, TMDB's lists of loved films) gets short budgets.
      services: { recommendations: { cardBudgetMs: 100, interactiveListBudgetMs: 100, tieBreakBudgetMs: 100 } },
    });
    const { repos, database } = bot.app;
    const { User, Guild, GuildMember, Rating } = database.models;
    await repos.movies.upsertSummaries(
      [...COMMON, ...LOVED].map((id) => movieSummary(id)),
      t0,
    );
    await User.bulkCreate(NEIGHBOURS.map((id) => ({ id })));
    await Guild.bulkCreate([{ id: GUILD, region: null }]);
    await GuildMember.bulkCreate(
      NEIGHBOURS.map((userId) => ({ guildId: GUILD, userId, firstSeenAt: t0, lastSeenAt: t0 })),
    );
    const rows = NEIGHBOURS.flatMap((userId) =>
      COMMON.map((movieId) => ({ userId, movieId, score: 4.5, ratedAt: t0 })),
    );
    for (const userId of NEIGHBOURS.slice(0, 4))
      for (const movieId of LOVED) rows.push({ userId, movieId, score: 5, ratedAt: t0 });
    await Rating.bulkCreate(rows);
  });
  afterAll(() => bot.close());
  beforeEach(() => {
    // TMDB's lists (the panel's top rated after the server's films, popularity for the picks), as often as asked.
    for (const [path, fixture] of [
      ['/3/movie/popular', 'movie-popular-list'],
      ['/3/trending/movie/week', 'trending-movies'],
      ['/3/movie/top_rated', 'movie-top-rated-list'],
    ] as const) {
      nock(TMDB_ORIGIN).persist().get(path).query(true).reply(200, tmdbFixture(fixture));
    }
  });
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });

  it('gives a new member’s /recommend the private panel, takes 4 ratings on page 1 and 1 on page 2, then personal picks; another member’s clicks change nothing', async () => {
    const { handle, panel } = await openWith('recommend', NEWBIE);

    // Private from the first answer on: the deferral itself was ephemeral, so nobody else saw even "thinking…".
    expect(handle.callbacks[0]).toMatchObject({
      callbackType: InteractionResponseType.DeferredChannelMessageWithSource,
    });
    expect(handle.events.every((event) => !event.message || isEphemeral(event.message))).toBe(true);
    expect(isEphemeral(panel)).toBe(true);
    // Four films (a select each) and a row of buttons: Discord's 5 rows.
    expect(panel.components).toHaveLength(5);
    expect(selects(panel).map(filmOfSelect)).toEqual(COMMON.slice(0, 4));
    expect(buttons(panel).map((b) => [b.label, b.disabled ?? false])).toEqual([
      ['Next films', false],
      ['Skip', false],
      ['Done', true],
    ]);
    expect(panel.content).toContain('**Rate a few films to start** · 0 of 5 rated');
    expect(selects(panel)[0]?.options.map((option) => option.value)).toEqual([
      'unseen',
      '5',
      '4.5',
      '4',
      '3.5',
      '3',
      '2.5',
      '2',
      '1.5',
      '1',
      '0.5',
    ]);

    const page1 = [4.5, 4, 5, 4];
    const clicks: InteractionHandle[] = [];
    for (const [index, movieId] of COMMON.slice(0, 4).entries()) {
      clicks.push(await choose(panel.id, movieId, String(page1[index])));
      // Edited in place: the same message, now counting.
      expect(current(panel.id).content).toContain(`${index + 1} of 5 rated`);
      if (index === 1) {
        // Midway, another member's clicks on the newbie's panel: the router's one answer, and nothing written.
        const written = async () => ({
          newbie: await ratingsOf(NEWBIE),
          bob: await ratingsOf(BOB),
          diaries: [await bot.app.repos.watchLog.countByUser(NEWBIE), await bot.app.repos.watchLog.countByUser(BOB)],
          panel: current(panel.id),
        });
        const before = await written();
        const foreign = [
          await choose(panel.id, COMMON[2]!, '1', BOB),
          await click(panel.id, 'Next films', BOB),
          await click(panel.id, 'Done', BOB),
        ];
        for (const handle of foreign) {
          const reply = await handle.waitFor('reply');
          expect(reply.message.content).toBe(NOT_YOURS);
          expect(isEphemeral(reply.message)).toBe(true);
        }
        expect(await written()).toEqual(before);
      }
    }
    expect(current(panel.id).embeds[0]?.description).toContain('**1.** Film 1001 (2001) · ★★★★½ (4.5)');
    expect(button(current(panel.id), 'Done').disabled ?? false).toBe(false);

    clicks.push(await click(panel.id, 'Next films'));
    expect(selects(current(panel.id)).map(filmOfSelect)).toEqual(COMMON.slice(4, 8));

    const last = await choose(panel.id, COMMON[4]!, '4.5');
    clicks.push(last);

    // The panel closes in place, then the picks follow in the channel.
    expect(current(panel.id).content).toContain('Thanks: you rated 5 films. Your picks are below');
    expect(current(panel.id).components ?? []).toEqual([]);
    const cards = last.followups.flatMap((event) => (event.message ? [event.message] : []));
    expect(cards).toHaveLength(3);
    expect(cards.map(isEphemeral)).toEqual([false, false, false]);
    expect(cards[0]?.content).toContain('3 picks for you');
    // Personal now: films the members who agree with them rated highly, for that reason, and no "rate N more" hint.
    for (const card of cards) {
      expect(card.embeds[0]?.description).toMatch(/\d members who agree with you rated it [\d.]+★ on average\./);
      expect(card.embeds[0]?.description).not.toContain('more film');
    }
    for (const card of cards) {
      expect(await bot.app.repos.recommendations.find(card.id)).toMatchObject({
        forUserId: NEWBIE,
        guildId: GUILD,
        items: [{ source: 'neighbours' }],
      });
    }

    // Stored as /rate stores them: the ratings, and each film once in the diary.
    expect(await ratingsOf(NEWBIE)).toEqual({ 1001: 4.5, 1002: 4, 1003: 5, 1004: 4, 1005: 4.5 });
    expect(await bot.app.database.models.WatchLog.count({ where: { userId: NEWBIE } })).toBe(5);
    // Nobody else saw the panel: every message of the panel's interactions but the cards is ephemeral, and the
    // channel holds only the cards.
    const panelMessages = [handle, ...clicks]
      .flatMap((h) => h.events)
      .flatMap((event) => (event.message ? [event.message] : []))
      .filter((message) => !cards.some((card) => card.id === message.id));
    expect(panelMessages.length).toBeGreaterThan(0);
    expect(panelMessages.every(isEphemeral)).toBe(true);
    expect(bot.fake.messagesIn(CHANNEL).map((message) => message.id)).toEqual(cards.map((card) => card.id));
  });

  it('keeps “Haven’t seen it” on the page, counts nothing for it, and Skip sends the picks', async () => {
    const { panel } = await openWith('start', BOB);

    await choose(panel.id, COMMON[1]!, 'unseen', BOB);

    const after = current(panel.id);
    expect(after.content).toContain('0 of 5 rated');
    expect(after.embeds[0]?.description).toContain("**2.** Film 1002 (2001) · haven't seen it");
    expect(selects(after)[1]?.options.find((option) => option.value === 'unseen')?.default).toBe(true);
    expect(await ratingsOf(BOB)).toEqual({});

    const skip = await click(panel.id, 'Skip', BOB);
    expect(current(panel.id).content).toContain('No films rated this time: your picks are below.');
    const cards = skip.followups.flatMap((event) => (event.message ? [event.message] : []));
    expect(cards.length).toBeGreaterThan(0);
    expect(cards.every((card) => !isEphemeral(card))).toBe(true);
  });

  it('gives a member with enough ratings their picks from /recommend, without a panel', async () => {
    // The newbie of the first test has 5 ratings now.
    const handle = bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: NEWBIE, name: 'recommend' });
    await handled(handle);

    expect(handle.callbacks[0]?.callbackType).toBe(InteractionResponseType.DeferredChannelMessageWithSource);
    expect(isEphemeral(handle.original!)).toBe(false);
    expect(handle.original?.content).toContain('picks for you');
  });

  it('answers a panel control whose state does not parse as gone', async () => {
    const message = bot.fake.createMessage({
      channelId: CHANNEL,
      authorId: bot.fake.botUserId,
      components: [
        {
          type: ComponentType.ActionRow,
          components: [{ type: ComponentType.Button, style: 1, label: 'Next', custom_id: 'start:next:not-a-state' }],
        },
      ],
    });
    const reply = await bot.fake
      .button({ userId: NEWBIE, messageId: message.id, customId: 'start:next:not-a-state' })
      .waitFor('reply');
    expect(reply.message.content).toBe(controlGone('start'));
  });

  it('answered every interaction without an unexpected error or a call the fake does not serve', () => {
    expect(bot.logs.filter((line) => line.msg === 'interaction failed')).toEqual([]);
    expect(bot.fake.unhandledRequests).toEqual([]);
  });
});
