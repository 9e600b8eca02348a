import nock from 'nock';
import { QueryTypes } from 'sequelize';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ComponentType,
  MessageFlags,
  type APIActionRowComponent,
  type APIButtonComponentWithCustomId,
  type APIEmbed,
  type APIMessage,
  type APIStringSelectComponent,
} from 'discord-api-types/v10';
import { startBotHarness, TMDB_BASE, type BotHarness } from '../support/bot-harness.js';
import { movieSummary } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { detailsBody, duneSearch, searchBody, tmdbFixture } from '../support/film-support.js';

const GUILD = '810000000000000201';
const CHANNEL = '820000000000000201';
const ALICE = '830000000000000201';
const BOB = '830000000000000202';
const STRANGER = '830000000000000299';
const NOW = new Date('2026-03-10T12:00:00.000Z');
const t0 = new Date('2026-01-01T00:00:00.000Z');

const TMDB_ORIGIN = new URL(TMDB_BASE).origin;
const tmdb = () => nock(TMDB_ORIGIN);
/** `movie/{id}` and its watch providers, as a card needs them. */
function tmdbKnows(id: number, title: string, releaseDate: string) {
  tmdb()
    .get(`/3/movie/${id}`)
    .query(true)
    .reply(200, detailsBody(id, title, releaseDate));
  tmdb().get(`/3/movie/${id}/watch/providers`).query(true).reply(200, tmdbFixture('movie-watch-providers'));
}

const isEphemeral = (message: APIMessage) => ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
const firstEmbed = (message: APIMessage): APIEmbed => message.embeds[0] ?? {};
const select = (message: APIMessage) =>
  (message.components?.[0] as APIActionRowComponent<APIStringSelectComponent> | undefined)?.components[0];
const buttons = (message: APIMessage) =>
  (message.components?.[0] as APIActionRowComponent<APIButtonComponentWithCustomId> | undefined)?.components ?? [];

describe.each(databaseKinds())('film commands end to end on %s', (kind) => {
  let bot: BotHarness;

  const slash = (spec: {
    name: string;
    subcommand?: string;
    options: Record<string, string | number>;
    userId?: string;
  }) => bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, ...spec });
  const count = async (sql: string, replacements: Record<string, unknown> = {}) => {
    const [row] = await bot.app.database.sequelize.query<{ n: string | number }>(sql, {
      type: QueryTypes.SELECT,
      replacements,
    });
    return Number(row?.n);
  };
  /** Everything the film commands write. */
  const writes = async () => ({
    ratings: await count('SELECT COUNT(*) AS n FROM ratings'),
    diary: await count('SELECT COUNT(*) AS n FROM watch_log'),
    watchlist: await count('SELECT COUNT(*) AS n FROM watchlist'),
  });
  const score = async (userId: string, movieId: number) =>
    (await bot.app.repos.ratings.get(userId, movieId))?.score ?? null;

  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      clock: () => NOW,
      // Shorter than the real 2 s and 250 ms, so the hanging-TMDB test waits on nothing long.
      services: { movies: { autocompleteBudgetMs: 400, typingPauseMs: 20 } },
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
      users: [{ id: STRANGER, username: 'stranger' }],
    });
    await bot.app.repos.movies.upsertSummaries(
      [
        movieSummary(550, { title: 'Fight Club', releaseDate: '1999-10-15', popularity: 73 }),
        movieSummary(238, { title: 'The Godfather', releaseDate: '1972-03-14', popularity: 60 }),
        ...Array.from({ length: 12 }, (_, i) =>
          movieSummary(1_000 + i, { title: `Diary film ${i}`, releaseDate: '2001-01-01' }),
        ),
      ],
      t0,
    );
  });
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });
  afterAll(() => bot.close());

  describe('autocomplete', () => {
    it('answers with TMDB results merged with the cache, "Title (Year)" and the TMDB id', async () => {
      tmdb()
        .get('/3/search/movie')
        .query((q) => q.query === 'fight club')
        .reply(200, tmdbFixture('search-movie'));

      const answer = await bot.fake
        .autocomplete({
          guildId: GUILD,
          channelId: CHANNEL,
          userId: ALICE,
          name: 'rate',
          options: { movie: 'fight club' },
          focused: 'movie',
        })
        .waitFor('autocomplete');

      // Fight Club is both cached and on TMDB: once, first (exact title); the other three are TMDB's.
      expect(answer.choices).toEqual([
        { name: 'Fight Club (1999)', value: '550' },
        { name: 'Fight Club (Russian version)', value: '973534' },
        { name: 'Insane Fight Club (2014)', value: '259016' },
        { name: 'Leopard Fight Club', value: '944789' },
      ]);
    });

    it('answers from the cache alone, within Discord’s deadline, when TMDB never answers', async () => {
      tmdb().get('/3/search/movie').query(true).times(4).delay(60_000).reply(200, searchBody([]));

      const handle = bot.fake.autocomplete({
        guildId: GUILD,
        channelId: CHANNEL,
        userId: ALICE,
        name: 'watchlist',
        subcommand: 'add',
        options: { movie: 'the godf' },
        focused: 'movie',
      });
      const answer = await handle.waitFor('autocomplete');

      // The fake refuses callbacks after 3 s (10062), so an accepted answer was in time.
      expect(answer.choices).toEqual([{ name: 'The Godfather (1972)', value: '238' }]);
      expect(handle.events.filter((event) => event.kind === 'rejected')).toEqual([]);
    });
  });

  describe('/rate', () => {
    it('rates a film picked from autocomplete, logs it as watched once, and replies with its card', async () => {
      tmdbKnows(550, 'Fight Club', '1999-10-15');

      const first = await slash({ name: 'rate', options: { movie: '550', stars: 4.5 } }).waitFor('edit');

      expect(isEphemeral(first.message)).toBe(true);
      expect(first.message.content).toBe(
        'You rated **Fight Club (1999)** ★★★★½ (4.5). Logged as watched on 2026-03-10.',
      );
      const card = firstEmbed(first.message);
      expect(card.title).toBe('Fight Club (1999)');
      expect(card.fields?.find((field) => field.name === 'You')?.value).toBe('★★★★½ (4.5) · watched once');
      expect(card.fields?.find((field) => field.name === 'Where to watch (US)')?.value).toContain(
        'Stream: fuboTV, Hulu, Paramount Plus',
      );
      expect(card.footer?.text).toBe('Data: TMDB · Streaming data: JustWatch');
      expect(await score(ALICE, 550)).toBe(4.5);

      // Rating again replaces the score; the diary already has the film.
      const second = await slash({ name: 'rate', options: { movie: '550', stars: 3 } }).waitFor('edit');
      expect(second.message.content).toBe('You rated **Fight Club (1999)** ★★★ (3). It was ★★★★½ (4.5) before.');
      expect(await score(ALICE, 550)).toBe(3);
      expect(
        await count('SELECT COUNT(*) AS n FROM watch_log WHERE user_id = :user AND movie_id = 550', { user: ALICE }),
      ).toBe(1);
    });

    it('rates the one film whose title matches typed text', async () => {
      tmdb()
        .get('/3/search/movie')
        .query((q) => q.query === 'heat')
        .reply(
          200,
          searchBody([
            { id: 949, title: 'Heat', release_date: '1995-12-15', popularity: 30 },
            { id: 5_001, title: 'Heat Wave', release_date: '2022-01-01', popularity: 50 },
          ]),
        );
      tmdbKnows(949, 'Heat', '1995-12-15');

      const edit = await slash({ name: 'rate', options: { movie: 'Heat', stars: 4 } }).waitFor('edit');

      expect(edit.message.content).toBe('You rated **Heat (1995)** ★★★★ (4). Logged as watched on 2026-03-10.');
      expect(await score(ALICE, 949)).toBe(4);
    });

    it('offers a select menu when typed text matches several films, and rates the one picked', async () => {
      tmdb()
        .get('/3/search/movie')
        .query((q) => q.query === 'dune')
        .reply(200, duneSearch());

      const menu = await slash({ name: 'rate', options: { movie: 'dune', stars: 3.5 } }).waitFor('edit');

      expect(isEphemeral(menu.message)).toBe(true);
      expect(menu.message.content).toBe('Several films match “dune”. Which one do you mean?');
      const component = select(menu.message);
      expect(component?.type).toBe(ComponentType.StringSelect);
      expect(component?.custom_id).toBe('rate:pick:3.5');
      expect(component?.options.map((option) => [option.label, option.value])).toEqual([
        ['Dune (2021)', '438631'],
        ['Dune (1984)', '841'],
        ['Dune: Part Two (2024)', '693134'],
      ]);
      expect(await score(ALICE, 841)).toBeNull();

      tmdbKnows(841, 'Dune', '1984-12-14');
      const picked = bot.fake.selectMenu({
        userId: ALICE,
        messageId: menu.message.id,
        customId: 'rate:pick:3.5',
        values: ['841'],
      });
      const done = await picked.waitFor('edit');

      expect(done.message.content).toBe('You rated **Dune (1984)** ★★★½ (3.5). Logged as watched on 2026-03-10.');
      expect(done.message.components ?? []).toEqual([]);
      expect(await score(ALICE, 841)).toBe(3.5);
    });
  });

  describe('bad input gets an ephemeral message and writes nothing', () => {
    it('an unknown film id', async () => {
      tmdb()
        .get('/3/search/movie')
        .query((q) => q.query === '99999999')
        .reply(200, searchBody([]));
      tmdb().get('/3/movie/99999999').query(true).reply(404, tmdbFixture('error-404'));
      const before = await writes();

      const edit = await slash({ name: 'rate', options: { movie: '99999999', stars: 4 } }).waitFor('edit');

      expect(edit.message.content).toBe("I couldn't find that film on TMDB.");
      expect(isEphemeral(edit.message)).toBe(true);
      expect(await writes()).toEqual(before);
    });

    it('a 200-character free-text title', async () => {
      const before = await writes();

      const edit = await slash({ name: 'watchlist', subcommand: 'add', options: { movie: 'x'.repeat(200) } }).waitFor(
        'edit',
      );

      expect(edit.message.content).toMatch(/^That title is too long \(at most 100 characters\)/);
      expect(isEphemeral(edit.message)).toBe(true);
      expect(await writes()).toEqual(before);
    });

    it('stars outside the choices, sent by a crafted payload', async () => {
      const before = await writes();

      const reply = await slash({ name: 'rate', options: { movie: '550', stars: 3.7 } }).waitFor('reply');

      expect(reply.message.content).toMatch(/^Ratings go from ½ to 5 stars/);
      expect(isEphemeral(reply.message)).toBe(true);
      expect(await writes()).toEqual(before);
    });

    it('a date in the future', async () => {
      const before = await writes();

      const reply = await slash({
        name: 'watched',
        subcommand: 'add',
        options: { movie: '550', date: '2026-03-11' },
      }).waitFor('reply');

      expect(reply.message.content).toBe('2026-03-11 is in the future: log a film once you have seen it.');
      expect(isEphemeral(reply.message)).toBe(true);
      expect(await writes()).toEqual(before);
    });

    it('a member id that is not in the guild', async () => {
      const reply = await slash({ name: 'watched', subcommand: 'list', options: { member: STRANGER } }).waitFor(
        'reply',
      );

      expect(reply.message.content).toBe('That person is not a member of this server.');
      expect(isEphemeral(reply.message)).toBe(true);
    });
  });

  describe('/watched', () => {
    it('logs a rewatch with stars and a relative date in the member’s time zone', async () => {
      await bot.app.repos.users.updateSettings(ALICE, { timezone: 'Pacific/Kiritimati' });
      tmdb()
        .get('/3/movie/238')
        .query(true)
        .reply(200, detailsBody(238, 'The Godfather', '1972-03-14'));

      // 12:00 UTC on 10 March is 02:00 on 11 March in Kiritimati (UTC+14), so yesterday is 10 March.
      const edit = await slash({
        name: 'watched',
        subcommand: 'add',
        options: { movie: '238', date: 'yesterday', stars: 5 },
      }).waitFor('edit');

      expect(edit.message.content).toBe(
        'Logged **The Godfather (1972)** as watched on 2026-03-10 and rated it ★★★★★ (5).',
      );
      expect(await score(ALICE, 238)).toBe(5);
      await bot.app.repos.users.updateSettings(ALICE, { timezone: 'UTC' });
    });

    it("pages another member's public diary with Previous/Next buttons", async () => {
      await bot.app.repos.guilds.touchMember(GUILD, BOB, t0);
      // Diary film i watched on 2026-01-(i+1), so the newest is Diary film 11.
      for (let i = 0; i < 12; i += 1) {
        const watchedOn = `2026-01-${String(i + 1).padStart(2, '0')}`;
        await bot.app.repos.watchLog.add({ userId: BOB, movieId: 1_000 + i, watchedOn, note: null }, t0);
      }
      await bot.app.repos.ratings.upsert({ userId: BOB, movieId: 1_011, score: 4, ratedAt: t0 });

      const reply = await slash({ name: 'watched', subcommand: 'list', options: { member: BOB } }).waitFor('reply');

      expect(isEphemeral(reply.message)).toBe(true);
      const page1 = firstEmbed(reply.message);
      const lines1 = (page1.description ?? '').split('\n').slice(2);
      // 12 entries at 10 per page: 10 now, 2 on page 2.
      expect(lines1).toHaveLength(10);
      expect(lines1[0]).toBe('Diary film 11 (2001) — 2026-01-12 — ★★★★');
      expect(lines1[1]).toBe('Diary film 10 (2001) — 2026-01-11');
      expect(page1.footer?.text).toBe('Page 1 of 2 · Data: TMDB');
      expect(buttons(reply.message).map((button) => [button.custom_id, button.disabled ?? false])).toEqual([
        [`watched:page:${BOB}:0`, true],
        [`watched:page:${BOB}:2`, false],
      ]);

      const next = await bot.fake
        .button({ userId: ALICE, messageId: reply.message.id, customId: `watched:page:${BOB}:2` })
        .waitFor('update');

      const page2 = firstEmbed(next.message);
      expect((page2.description ?? '').split('\n').slice(2)).toEqual([
        'Diary film 1 (2001) — 2026-01-02',
        'Diary film 0 (2001) — 2026-01-01',
      ]);
      expect(page2.footer?.text).toBe('Page 2 of 2 · Data: TMDB');
    });

    it('shows the first page for a crafted page button or option that is no page number, such as 1e400', async () => {
      const reply = await slash({ name: 'watched', subcommand: 'list', options: { member: BOB } }).waitFor('reply');

      // Number('1e400') is Infinity: it once reached SQL as OFFSET Infinity.
      for (const page of ['1e400', 'abc', '-7']) {
        const clicked = await bot.fake
          .button({ userId: ALICE, messageId: reply.message.id, customId: `watched:page:${BOB}:${page}` })
          .waitFor('update');
        expect(firstEmbed(clicked.message).footer?.text).toBe('Page 1 of 2 · Data: TMDB');
      }
      const own = await slash({ name: 'watchlist', subcommand: 'list', options: {} }).waitFor('reply');
      const clicked = await bot.fake
        .button({ userId: ALICE, messageId: own.message.id, customId: `watchlist:page:${ALICE}:1e400` })
        .waitFor('update');
      expect(firstEmbed(clicked.message).footer?.text).toMatch(/^Page 1 of 1 · /);
      // An integer option far past the end shows the last page.
      const far = await slash({
        name: 'watched',
        subcommand: 'list',
        options: { member: BOB, page: Number.MAX_SAFE_INTEGER },
      }).waitFor('reply');
      expect(firstEmbed(far.message).footer?.text).toBe('Page 2 of 2 · Data: TMDB');
    });

    it("refuses another member's diary once their profile is private", async () => {
      await bot.app.repos.users.updateSettings(BOB, { publicProfile: false });

      const reply = await slash({ name: 'watched', subcommand: 'list', options: { member: BOB } }).waitFor('reply');

      expect(reply.message.content).toBe('That member keeps their profile private.');
      await bot.app.repos.users.updateSettings(BOB, { publicProfile: true });
    });
  });

  describe('/movie and /watchlist', () => {
    it('shows a public card for a picked film, with the server’s ratings', async () => {
      tmdbKnows(238, 'The Godfather', '1972-03-14');

      const edit = await slash({ name: 'movie', options: { movie: '238' } }).waitFor('edit');

      expect(isEphemeral(edit.message)).toBe(false);
      const card = firstEmbed(edit.message);
      expect(card.title).toBe('The Godfather (1972)');
      // Only Alice rated it here: fewer than 3 members, so no average.
      expect(card.fields?.find((field) => field.name === 'This server')?.value).toBe('Rated by 1 member');
    });

    it('shows the card without watch providers when TMDB fails them, and logs that with the interaction’s ids', async () => {
      tmdb()
        .get('/3/movie/1007')
        .query(true)
        .reply(200, detailsBody(1_007, 'Diary film 7', '2001-01-01'));
      tmdb().get('/3/movie/1007/watch/providers').query(true).reply(404, tmdbFixture('error-404'));

      const handle = slash({ name: 'movie', options: { movie: '1007' } });
      const edit = await handle.waitFor('edit');

      expect(firstEmbed(edit.message).title).toBe('Diary film 7 (2001)');
      // Logged by the movie service inside the request, through the router's child logger.
      expect(
        bot.logs.find((line) => line.msg === 'watch providers unavailable; card shown without them'),
      ).toMatchObject({
        command: 'movie',
        interactionId: handle.id,
        userId: ALICE,
        tmdbId: 1_007,
      });
    });

    it('adds a film to the watchlist once and lists it', async () => {
      tmdb()
        .get('/3/movie/1005')
        .query(true)
        .reply(200, detailsBody(1_005, 'Diary film 5', '2001-01-01'));
      const added = await slash({ name: 'watchlist', subcommand: 'add', options: { movie: '1005' } }).waitFor('edit');
      expect(added.message.content).toBe('Added **Diary film 5 (2001)** to your watchlist.');
      const again = await slash({ name: 'watchlist', subcommand: 'add', options: { movie: '1005' } }).waitFor('edit');
      expect(again.message.content).toBe('**Diary film 5 (2001)** is already on your watchlist.');

      const list = await slash({ name: 'watchlist', subcommand: 'list', options: {} }).waitFor('reply');
      expect(firstEmbed(list.message).description).toBe('1 film to watch, latest first\n\nDiary film 5 (2001)');
    });
  });

  it('answered every interaction without an unexpected error or a call the fake does not serve', () => {
    expect(bot.logs.filter((line) => line.msg === 'interaction failed')).toEqual([]);
    expect(bot.fake.unhandledRequests).toEqual([]);
  });
});
