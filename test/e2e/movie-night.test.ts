import { ChannelType, ComponentType, MessageFlags, type APIMessage } from 'discord-api-types/v10';
import nock from 'nock';
import { QueryTypes } from 'sequelize';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createCronScheduler } from '../../src/jobs/scheduler.js';
import { createLogger } from '../../src/logger.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { movieDetails } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { createManualClock, createManualTicker, tickThrough, type ManualClock } from '../support/manual-clock.js';

const GUILD = '810000000000000301';
const TEXT = '820000000000000301';
const CALL_TEXT = '820000000000000302';
const PRIVACY_TEXT = '820000000000000303';
const VOICE = '820000000000000310';
const HIDDEN_VOICE = '820000000000000311';
const ANA = '830000000000000301';
const BEN = '830000000000000302';
const CHRIS = '830000000000000303';
const DANA = '830000000000000304';
const EVE = '830000000000000305';
const OTHER_BOT = '830000000000000399';
/** Members who used Marquee here (database only): they agree with the group, and rated the films it has not seen. */
const NEIGHBOURS = Array.from({ length: 12 }, (_, k) => String(840_000_000_000_000_300n + BigInt(k)));
const t0 = new Date('2026-03-01T20:00:00.000Z');
const minutes = (n: number) => new Date(t0.getTime() + n * 60_000);

/** What each member rated (4★ or 5★) and watched without rating. */
const RATED: Record<string, number[]> = { [ANA]: [1, 2, 3, 4], [BEN]: [3, 4, 5, 6], [CHRIS]: [5, 6, 7, 8] };
const WATCHED: Record<string, number[]> = { [ANA]: [11], [CHRIS]: [15] };
const SEEN = new Set([...Object.values(RATED).flat(), ...Object.values(WATCHED).flat()]);

const isEphemeral = (message: APIMessage) => ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
const filmOf = (url: string | undefined) => Number(url?.split('/').pop());
const customIdsOf = (message: APIMessage | undefined) =>
  (message?.components ?? [])
    .flatMap((row) => (row.type === ComponentType.ActionRow ? row.components : []))
    .map((component) => ('custom_id' in component ? component.custom_id : undefined));

/** Polls an asynchronous condition (a database read) until it holds; the fake's `waitUntil` takes synchronous ones. */
async function eventually<T>(
  check: () => Promise<T>,
  description: string,
  timeoutMs = 15_000,
): Promise<NonNullable<T>> {
  const giveUpAt = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value) return value;
    if (performance.now() > giveUpAt) throw new Error(`timed out waiting for ${description}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe.each(databaseKinds())('/movienight end to end on %s', (kind) => {
  let bot: BotHarness;
  let clock: ManualClock;
  const ticker = createManualTicker();

  const query = <Row extends object>(sql: string, replacements: Record<string, unknown> = {}) =>
    bot.app.database.sequelize.query<Row>(sql, { type: QueryTypes.SELECT, replacements });
  const count = async (sql: string, replacements: Record<string, unknown> = {}) =>
    Number((await query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${sql}`, replacements))[0]?.n);
  const nightIn = async (channelId: string) => {
    const [night] = await query<{ id: number | string; message_id: string | null; status: string }>(
      'SELECT id, message_id, status FROM movie_nights WHERE channel_id = :channelId ORDER BY id DESC',
      { channelId },
    );
    return night ? { id: Number(night.id), messageId: night.message_id, status: night.status } : null;
  };
  const votesOf = (nightId: number) =>
    query<{ user_id: string; movie_id: number | string; via: string }>(
      'SELECT user_id, movie_id, via FROM movie_night_votes WHERE night_id = :nightId ORDER BY user_id',
      { nightId },
    ).then((rows) => rows.map((row) => ({ userId: row.user_id, movieId: Number(row.movie_id), via: row.via })));
  /** The router logs "interaction handled" last, after every write and message of the command. */
  const handled = (id: string) =>
    bot.fake.waitUntil(() => bot.logs.some((line) => line.interactionId === id && line.msg === 'interaction handled'), {
      timeoutMs: 15_000,
      description: 'the interaction to finish',
    });
  const suggest = (channelId: string, userId: string, options: Record<string, string | number | boolean> = {}) =>
    bot.fake.slash({ guildId: GUILD, channelId, userId, name: 'movienight', subcommand: 'suggest', options });
  /** The member's ephemeral answer (a refusal before deferring is a reply, anything after it an edit). */
  const answer = async (handle: ReturnType<typeof suggest>) => {
    const { message } = await handle.waitFor('answer', 15_000);
    expect(message && isEphemeral(message)).toBe(true);
    return message?.content;
  };
  const card = (messageId: string) => {
    const message = bot.fake.message(messageId);
    if (!message) throw new Error(`no message ${messageId}`);
    return message;
  };
  const cardEdits = (messageId: string) => bot.fake.requestsTo('PATCH', `/channels/:c/messages/${messageId}`).length;

  beforeAll(async () => {
    clock = createManualClock(t0);
    bot = await startBotHarness({
      kind,
      clock: () => clock.now(),
      timers: clock,
      scheduler: () => createCronScheduler({ ticker, clock, logger: createLogger({ level: 'silent' }) }),
      // TMDB is not mocked: its lists fail at once and the stored films stand in (short budgets all the same).
      services: { recommendations: { interactiveListBudgetMs: 100, popularBudgetMs: 100 } },
      guilds: [
        {
          id: GUILD,
          channels: [
            { id: TEXT, name: 'movie-night' },
            { id: CALL_TEXT, name: 'lobby' },
            { id: PRIVACY_TEXT, name: 'films' },
            { id: VOICE, name: 'Cinema', type: ChannelType.GuildVoice },
            { id: HIDDEN_VOICE, name: 'Private', type: ChannelType.GuildVoice, deniedBotPermissions: ['ViewChannel'] },
          ],
          members: [
            { id: ANA, username: 'ana' },
            { id: BEN, username: 'ben' },
            { id: CHRIS, username: 'chris' },
            { id: DANA, username: 'dana' },
            { id: EVE, username: 'eve' },
            { id: OTHER_BOT, username: 'otherbot', bot: true },
          ],
          voiceStates: [ANA, BEN, CHRIS, OTHER_BOT].map((userId) => ({ userId, channelId: VOICE })),
        },
      ],
    });
    const { repos, database } = bot.app;
    const { User, Guild, GuildMember, Rating } = database.models;
    for (let id = 1; id <= 24; id++) {
      await repos.movies.upsertDetails(movieDetails(id, { posterPath: `/poster-${id}.jpg`, popularity: 50 - id }), t0);
    }
    // The group allows its names (GUIDE §9), so each fit is named; Dana does not. Ben does not share his taste: he
    // still takes part with his own ratings.
    await User.bulkCreate([
      ...[ANA, BEN, CHRIS].map((id) => ({ id, showName: true, shareTaste: id !== BEN })),
      ...NEIGHBOURS.map((id) => ({ id })),
    ]);
    await Guild.create({ id: GUILD, region: null });
    await GuildMember.bulkCreate(
      NEIGHBOURS.map((userId) => ({ guildId: GUILD, userId, firstSeenAt: t0, lastSeenAt: t0 })),
    );
    const rows: { userId: string; movieId: number; score: number; ratedAt: Date }[] = [];
    for (const [userId, films] of Object.entries(RATED)) {
      films.forEach((movieId, k) => rows.push({ userId, movieId, score: k % 2 === 0 ? 4 : 5, ratedAt: t0 }));
    }
    NEIGHBOURS.forEach((userId, n) => {
      for (let movieId = 1; movieId <= 8; movieId++) rows.push({ userId, movieId, score: 4.5, ratedAt: t0 });
      // Films 11-24: loved by most neighbours, each a little less than the one before.
      for (let movieId = 11; movieId <= 24; movieId++) {
        if ((n + movieId) % 4 !== 0) rows.push({ userId, movieId, score: movieId <= 17 ? 5 : 4, ratedAt: t0 });
      }
    });
    await Rating.bulkCreate(rows);
    for (const [userId, films] of Object.entries(WATCHED)) {
      for (const movieId of films)
        await repos.watchLog.add({ userId, movieId, watchedOn: '2026-02-01', note: null }, t0);
    }
  });
  afterAll(() => bot.close());
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });

  it('runs a poll for the three members in voice: votes by button and reaction, a restart, a changed vote, the close on time', async () => {
    const started = suggest(TEXT, ANA);
    expect(await answer(started)).toMatch(/^Posted the movie night for 3 members: https:\/\/discord\.com\/channels\//);
    const night = await nightIn(TEXT);
    const cardId = night?.messageId ?? '';
    const nightId = night?.id ?? 0;
    const posted = card(cardId);

    // Five picks, none of which anyone in the group watched or rated; each with every member's fit, named.
    expect(isEphemeral(posted)).toBe(false);
    expect(posted.content).toContain('**Movie night** for 3 members, started by <@' + ANA + '>');
    expect(posted.embeds).toHaveLength(5);
    const picks = posted.embeds.map((embed) => filmOf(embed.url));
    expect(picks.filter((id) => SEEN.has(id))).toEqual([]);
    for (const [index, embed] of posted.embeds.entries()) {
      expect(embed.title).toMatch(new RegExp(`^${index + 1}\\. Film \\d+ \\(2001\\)$`));
      expect(embed.description).toMatch(/\d h \d\d min · Drama · TMDB 7\.0\/10/);
      expect(embed.description).toMatch(
        new RegExp(`Fit: <@${ANA}> \\d\\.\\d · <@${BEN}> \\d\\.\\d · <@${CHRIS}> \\d\\.\\d`),
      );
      expect(embed.description).toContain('**0 votes**');
    }
    // The leading pick's poster is the image; the others are thumbnails.
    expect(posted.embeds[0]?.image?.url).toContain(`/poster-${picks[0]}.jpg`);
    expect(posted.embeds[1]?.thumbnail?.url).toContain(`/poster-${picks[1]}.jpg`);
    expect(customIdsOf(posted)).toEqual([1, 2, 3, 4, 5].map((n) => `movienight:vote:${nightId}:${n}`));
    // The bot in voice is no participant; the forecasts are stored with the night.
    expect(await count('movie_night_participants WHERE night_id = :nightId', { nightId })).toBe(3);
    expect(await count('movie_night_forecasts WHERE night_id = :nightId', { nightId })).toBe(15);
    await bot.fake.waitUntil(
      () =>
        ['1️⃣', '2️⃣', '3️⃣', '4️⃣', '5️⃣'].every((emoji) =>
          bot.fake.reactionsOn(cardId)[emoji]?.includes(bot.fake.botUserId),
        ),
      { description: 'the number reactions seeded' },
    );

    // Two vote by button, one by reaction.
    const anaVote = bot.fake.button({ userId: ANA, messageId: cardId, customId: `movienight:vote:${nightId}:1` });
    expect(await answer(anaVote)).toBe(`You voted for **Film ${picks[0]} (2001)**; click again to withdraw.`);
    // The first change is on the card at once, through the channel message API.
    await bot.fake.waitUntil(() => card(cardId).embeds[0]?.description?.includes('**1 vote**'), {
      description: 'the first count on the card',
    });
    const editsAfterFirst = cardEdits(cardId);
    const benVote = bot.fake.button({ userId: BEN, messageId: cardId, customId: `movienight:vote:${nightId}:2` });
    await answer(benVote);
    bot.fake.reactionAdd({ userId: CHRIS, messageId: cardId, emoji: '3️⃣' });
    await eventually(async () => (await votesOf(nightId)).length === 3, 'three votes');
    // Within the second, further changes wait (on the injected clock, beside the poll's deadline) for the one edit
    // that covers them all. (The third sleeper is the jobs module re-reading the scheduled nights each minute.)
    await bot.fake.waitUntil(() => clock.sleepers === 3, { description: 'the edit waiting for its second' });
    expect(cardEdits(cardId)).toBe(editsAfterFirst);
    await clock.advance(1_000);
    await bot.fake.waitUntil(() => card(cardId).embeds[2]?.description?.includes('**1 vote**'), {
      description: 'the counts after the interval',
    });
    expect(cardEdits(cardId)).toBe(editsAfterFirst + 1);
    expect(card(cardId).embeds.map((embed) => embed.description?.match(/\*\*(\d+) votes?\*\*/)?.[1])).toEqual([
      '1',
      '1',
      '1',
      '0',
      '0',
    ]);

    // The bot restarts; a fourth member votes on the old card (nothing cached: partial reaction), one changes.
    await bot.restart();
    bot.fake.reactionAdd({ userId: DANA, messageId: cardId, emoji: '2️⃣' });
    await eventually(async () => (await votesOf(nightId)).length === 4, 'the fourth vote');
    const change = bot.fake.button({ userId: ANA, messageId: cardId, customId: `movienight:vote:${nightId}:2` });
    expect(await answer(change)).toBe(
      `You voted for **Film ${picks[1]} (2001)** instead of Film ${picks[0]} (2001); click again to withdraw.`,
    );

    // Not a moment early: a second before its deadline the poll is still open and no result is posted.
    await tickThrough(clock, ticker, new Date(minutes(10).getTime() - 1_000), () =>
      bot.app.services.movieNights.whenIdle(),
    );
    expect((await nightIn(TEXT))?.status).toBe('open');
    expect(bot.fake.messagesIn(TEXT).filter((message) => message.content.startsWith('🍿 **Tonight’s film'))).toEqual(
      [],
    );

    // The poll closes on time, through the deadline timer and the job at once, and only once.
    await tickThrough(clock, ticker, minutes(10).toISOString(), () => bot.app.services.movieNights.whenIdle());
    const result = await bot.fake.waitUntil(
      () => bot.fake.messagesIn(TEXT).find((message) => message.content.startsWith('🍿 **Tonight’s film')),
      { timeoutMs: 15_000, description: 'the result card' },
    );
    await bot.app.services.movieNights.whenIdle();
    expect(result.content).toContain(`**Tonight’s film: Film ${picks[1]} (2001)**`);
    expect(result.content).toContain('It won with 3 of 4 votes.');
    expect(result.embeds[0]?.title).toBe(`Film ${picks[1]} (2001)`);
    expect(customIdsOf(result)).toEqual([`movienight:watchlist:${nightId}`, `movienight:rate:${nightId}`]);
    expect(
      bot.fake.messagesIn(TEXT).filter((message) => message.content.startsWith('🍿 **Tonight’s film')),
    ).toHaveLength(1);
    // Every vote counted exactly once: one row per member, as the card and the result say.
    expect(await votesOf(nightId)).toEqual([
      { userId: ANA, movieId: picks[1], via: 'button' },
      { userId: BEN, movieId: picks[1], via: 'button' },
      { userId: CHRIS, movieId: picks[2], via: 'reaction' },
      { userId: DANA, movieId: picks[1], via: 'reaction' },
    ]);
    const [stored] = await query<{ status: string; winner_movie_id: number | string; result_message_id: string }>(
      'SELECT status, winner_movie_id, result_message_id FROM movie_nights WHERE id = :nightId',
      { nightId },
    );
    expect(stored).toEqual({ status: 'closed', winner_movie_id: expect.anything(), result_message_id: result.id });
    expect(Number(stored?.winner_movie_id)).toBe(picks[1]);
    const closed = card(cardId);
    expect(closed.content).toContain(`🏆 **Film ${picks[1]} (2001)** won (4 votes in all)`);
    expect(closed.embeds[1]?.title).toBe(`🏆 2. Film ${picks[1]} (2001)`);
    expect(closed.components ?? []).toEqual([]);

    // A vote on the closed poll is refused and writes nothing.
    const late = bot.fake.button({ userId: EVE, messageId: cardId, customId: `movienight:vote:${nightId}:1` });
    expect(await answer(late)).toBe(`This poll is closed: Film ${picks[1]} (2001) won.`);
    expect(await votesOf(nightId)).toHaveLength(4);

    // The result's buttons: the watchlist (for the night's members), the rating flow.
    const pin = bot.fake.button({ userId: BEN, messageId: result.id, customId: `movienight:watchlist:${nightId}` });
    expect(await answer(pin)).toBe(`Added **Film ${picks[1]} (2001)** to your watchlist.`);
    expect((await bot.app.repos.watchlist.list(BEN)).map(({ movieId }) => movieId)).toEqual([picks[1]]);
    const outsider = bot.fake.button({
      userId: EVE,
      messageId: result.id,
      customId: `movienight:watchlist:${nightId}`,
    });
    expect(await answer(outsider)).toContain('This button is for the members of this movie night');
    const rate = bot.fake.button({ userId: CHRIS, messageId: result.id, customId: `movienight:rate:${nightId}` });
    const menu = await rate.waitFor('edit');
    expect(menu.message.content).toBe(
      `How many stars for **Film ${picks[1]} (2001)**? (Rating it also logs it as watched.)`,
    );
    const chosen = bot.fake.selectMenu({
      userId: CHRIS,
      messageId: menu.message.id,
      customId: `movienight:stars:${nightId}`,
      values: ['4.5'],
    });
    expect((await chosen.waitFor('edit')).message.content).toContain(`You rated **Film ${picks[1]} (2001)** ★★★★½`);
    const ratings = await bot.app.repos.ratings.listByUser(CHRIS);
    expect(ratings.find(({ movieId }) => movieId === picks[1])?.score).toBe(4.5);
  });

  it('gathers the group with a 🍿 call when nobody is in voice: a reaction from while the bot was down counts', async () => {
    const started = suggest(CALL_TEXT, EVE, { call_minutes: 3, closes_in: 5 });
    expect(await answer(started)).toMatch(/^Nobody is in voice and nobody was named, so I posted a 🍿 call: /);
    const callId = (
      await query<{ call_message_id: string }>('SELECT call_message_id FROM movie_nights WHERE channel_id = :c', {
        c: CALL_TEXT,
      })
    )[0]?.call_message_id;
    const call = card(callId ?? '');
    expect(call.content).toContain('react with 🍿 to join');
    await bot.fake.waitUntil(() => bot.fake.reactionsOn(call.id)['🍿']?.includes(bot.fake.botUserId), {
      description: 'the 🍿 seeded',
    });

    bot.fake.reactionAdd({ userId: ANA, messageId: call.id, emoji: '🍿' });
    bot.fake.reactionAdd({ userId: OTHER_BOT, messageId: call.id, emoji: '🍿' });
    // Ben reacts while no bot runs, and the call's time passes meanwhile.
    await bot.restart(async () => {
      bot.fake.reactionAdd({ userId: BEN, messageId: call.id, emoji: '🍿' });
      await clock.set(new Date(clock.now().getTime() + 4 * 60_000));
    });

    const night = await eventually(async () => {
      const found = await nightIn(CALL_TEXT);
      return found?.messageId ? found : null;
    }, 'the poll after the call');
    const participants = await query<{ user_id: string }>(
      'SELECT user_id FROM movie_night_participants WHERE night_id = :nightId ORDER BY user_id',
      { nightId: night?.id },
    );
    expect(participants.map(({ user_id }) => user_id)).toEqual([ANA, BEN]);
    const poll = card(night?.messageId ?? '');
    expect(poll.content).toContain('**Movie night** for 2 members');
    expect(poll.embeds).toHaveLength(5);
    for (const embed of poll.embeds) {
      expect(embed.description).toMatch(new RegExp(`Fit: <@${ANA}> \\d\\.\\d · <@${BEN}> \\d\\.\\d$`, 'm'));
    }
    await bot.fake.waitUntil(() => card(call.id).content.includes('the call closed with 2 members'), {
      description: 'the call edited',
    });
    // Closed by the sweep at start; cancelled here to free nothing else.
    await bot.app.services.movieNights.whenIdle();
  });

  it('during an open poll, /privacy export shows the member’s night and vote, and /privacy delete takes both away', async () => {
    const started = suggest(PRIVACY_TEXT, CHRIS);
    await answer(started);
    const night = await nightIn(PRIVACY_TEXT);
    const nightId = night?.id ?? 0;
    const cardId = night?.messageId ?? '';
    await answer(bot.fake.button({ userId: BEN, messageId: cardId, customId: `movienight:vote:${nightId}:1` }));

    const exported = bot.fake.slash({
      guildId: GUILD,
      channelId: PRIVACY_TEXT,
      userId: BEN,
      name: 'privacy',
      subcommand: 'export',
    });
    const [file] = (await exported.waitFor('edit')).files;
    const data = JSON.parse(file?.data.toString('utf8') ?? '{}') as {
      movieNights: {
        participations: { nightId: number; status: string }[];
        votes: { nightId: number }[];
        forecasts: { nightId: number; stars: number }[];
      };
    };
    expect(data.movieNights.participations).toContainEqual(expect.objectContaining({ nightId, status: 'open' }));
    expect(data.movieNights.votes).toContainEqual(expect.objectContaining({ nightId, guildId: GUILD }));
    // The fit Marquee predicted for him, for each of the five picks.
    expect(data.movieNights.forecasts.filter((forecast) => forecast.nightId === nightId)).toHaveLength(5);

    const { message } = await bot.fake
      .slash({ guildId: GUILD, channelId: PRIVACY_TEXT, userId: BEN, name: 'privacy', subcommand: 'delete' })
      .waitFor('reply');
    const confirm = bot.fake.button({ userId: BEN, messageId: message.id, customId: `privacy:delete-confirm:${BEN}` });
    await confirm.waitFor('edit');
    await handled(confirm.id);
    expect(await votesOf(nightId)).toEqual([]);
    const participants = await query<{ user_id: string }>(
      'SELECT user_id FROM movie_night_participants WHERE night_id = :nightId ORDER BY user_id',
      { nightId },
    );
    expect(participants.map(({ user_id }) => user_id)).toEqual([ANA, CHRIS]);
    expect(await count('movie_night_forecasts WHERE user_id = :userId', { userId: BEN })).toBe(0);
    // The card no longer counts Ben's vote nor shows his fit.
    await clock.advance(1_000);
    await bot.fake.waitUntil(() => card(cardId).content.includes('for 2 members'), { description: 'the card edited' });
    expect(
      card(cardId)
        .embeds.map((embed) => embed.description ?? '')
        .join('\n'),
    ).not.toContain(BEN);
    expect(card(cardId).embeds[0]?.description).toContain('**0 votes**');
  });

  describe('bad input gets a clear ephemeral message and writes nothing', () => {
    const nights = () => count('movie_nights');

    it('a voice channel the bot cannot see', async () => {
      const before = await nights();
      const refused = suggest(TEXT, ANA, { voice_channel: HIDDEN_VOICE });
      expect(await answer(refused)).toBe(
        `I cannot see <#${HIDDEN_VOICE}>, so I cannot tell who is in it: give Marquee the View Channel permission there, or name the members with \`with\`.`,
      );
      expect(await nights()).toBe(before);
    });

    it('a second open poll in the same channel: refused, with a link to the open one', async () => {
      const open = await nightIn(PRIVACY_TEXT);
      const before = await nights();
      const refused = suggest(PRIVACY_TEXT, ANA);
      const text = await answer(refused);
      expect(text).toMatch(/^A movie night is already open in this channel \(it closes in \d+ minutes?\): /);
      expect(text).toContain(`https://discord.com/channels/${GUILD}/${PRIVACY_TEXT}/${open?.messageId}`);
      expect(await nights()).toBe(before);
    });

    it('`close` by someone who may not', async () => {
      const refused = bot.fake.slash({
        guildId: GUILD,
        channelId: PRIVACY_TEXT,
        userId: DANA,
        name: 'movienight',
        subcommand: 'close',
      });
      expect(await answer(refused)).toBe(
        'Only the member who started this movie night, or someone with the Manage Server permission, can end it.',
      );
      expect((await nightIn(PRIVACY_TEXT))?.status).toBe('open');
    });

    it('a member named in `with` who is not in the server, or a bot', async () => {
      const before = await nights();
      expect(await answer(suggest(TEXT, DANA, { with: `<@${OTHER_BOT}>` }))).toBe(
        `<@${OTHER_BOT}> is a bot, and bots do not watch films: name members only.`,
      );
      expect(await answer(suggest(TEXT, DANA, { with: '<@830000000000000398>' }))).toBe(
        '<@830000000000000398> is not a member of this server: name members of it only.',
      );
      expect(await answer(suggest(TEXT, DANA, { with: 'everyone' }))).toContain('`with` takes members');
      expect(await nights()).toBe(before);
    });

    it('a button whose night was deleted', async () => {
      // The creator cancels the open poll, then its data goes (as when the server's data is deleted).
      const open = await nightIn(PRIVACY_TEXT);
      const cancelled = bot.fake.slash({
        guildId: GUILD,
        channelId: PRIVACY_TEXT,
        userId: CHRIS,
        name: 'movienight',
        subcommand: 'cancel',
      });
      expect(await answer(cancelled)).toBe('Cancelled the poll: no film was chosen.');
      await clock.advance(1_000);
      await bot.fake.waitUntil(() => card(open?.messageId ?? '').content.includes('cancelled'), {
        description: 'the card cancelled',
      });
      expect(card(open?.messageId ?? '').components ?? []).toEqual([]);
      await bot.app.repos.movieNights.delete(open?.id ?? 0);
      const click = bot.fake.button({
        userId: ANA,
        messageId: open?.messageId ?? '',
        customId: `movienight:vote:${open?.id}:1`,
      });
      expect(await answer(click)).toBe(
        'That movie night no longer exists (its data was deleted): start a new one with `/movienight suggest`.',
      );
      expect(await count('movie_night_votes WHERE night_id = :nightId', { nightId: open?.id })).toBe(0);
    });
  });
});
