import { MessageFlags, type APIMessage } from 'discord-api-types/v10';
import { QueryTypes } from 'sequelize';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InteractionEvent, InteractionHandle } from '../../local-discord/index.js';
import { DAY_MS, MINUTE_MS } from '../../src/time.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { databaseKinds } from '../support/databases.js';
import { importFixture, nockTmdbCatalogue, type CatalogueFilm, type TmdbCatalogue } from '../support/import-support.js';
import { makeZip } from '../support/zip.js';

const GUILD = '810000000000001701';
const CHANNEL = '820000000000001701';
const ALICE = '830000000000001701';
const BOB = '830000000000001702';
const CAROL = '830000000000001703';
/** Takes no direct messages from server members. */
const DORA = '830000000000001704';
const START = new Date('2026-03-10T12:00:00.000Z').getTime();

const ADJECTIVES = ['Silent', 'Last', 'Crimson', 'Hidden', 'Endless', 'Broken', 'Golden', 'Midnight', 'Lost', 'Wild'];
const NOUNS = ['Harbor', 'Garden', 'Frontier', 'Signal', 'Orchard', 'Machine', 'River'];
/** 70 films TMDB knows, each title once. */
const FILMS: CatalogueFilm[] = Array.from({ length: 70 }, (_, i) => ({
  id: 20_000 + i,
  title: `The ${ADJECTIVES[i % 10]} ${NOUNS[Math.floor(i / 10)]}`,
  releaseDate: `${1950 + i}-05-01`,
}));
/** A film TMDB knows that the import does not name (Bob rates it meanwhile). */
const OTHER: CatalogueFilm = { id: 30_001, title: 'Paris, Texas', releaseDate: '1984-05-19' };

const day = (offset: number) => new Date(START - (400 - offset) * DAY_MS).toISOString().slice(0, 10);
const year = (film: CatalogueFilm) => film.releaseDate.slice(0, 4);
const csv = (header: string, lines: string[]) => [header, ...lines].join('\n') + '\n';

/**
 * A Letterboxd export of the first `n` films: every film rated and marked watched, in the diary with rewatches of
 * 3 in 7, 3 in 7 on the watchlist, and one watchlist film TMDB does not have. For all 70 films, 271 rows.
 */
function bigExport(n = FILMS.length): Buffer {
  const films = FILMS.slice(0, n);
  const ratings = films.map(
    (film, i) => `${day(i)},${film.title},${year(film)},https://boxd.it/r${i},${((i % 10) + 1) / 2}`,
  );
  const diary = [...films, ...films.slice(0, Math.floor((n * 3) / 7))].map(
    (film, i) =>
      `${day(i)},${film.title},${year(film)},https://boxd.it/d${i},${i < n ? ((i % 10) + 1) / 2 : ''},${i < n ? '' : 'Yes'},,${day(i - 1)}`,
  );
  const watched = films.map((film, i) => `${day(i)},${film.title},${year(film)},https://boxd.it/r${i}`);
  const watchlist = [
    ...films
      .slice(Math.floor((n * 4) / 7))
      .map((film, i) => `${day(i)},${film.title},${year(film)},https://boxd.it/w${i}`),
    `${day(1)},A Film Nobody Made,2011,https://boxd.it/zzzz`,
  ];
  return makeZip([
    { name: 'ratings.csv', data: csv('Date,Name,Year,Letterboxd URI,Rating', ratings) },
    {
      name: 'diary.csv',
      data: csv('Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date', diary),
    },
    { name: 'watched.csv', data: csv('Date,Name,Year,Letterboxd URI', watched) },
    { name: 'watchlist.csv', data: csv('Date,Name,Year,Letterboxd URI', watchlist) },
    { name: 'profile.csv', data: 'Username\nalice\n' },
  ]);
}

const isEphemeral = (message: APIMessage | undefined) => ((message?.flags ?? 0) & MessageFlags.Ephemeral) !== 0;
const contentOf = (event: InteractionEvent) => event.message?.content ?? '';
const lookedUp = (event: InteractionEvent) => Number(/looked up (\d+) of/.exec(contentOf(event))?.[1] ?? -1);

describe.each(databaseKinds())('/import end to end on %s', (kind) => {
  let bot: BotHarness;
  let tmdb: TmdbCatalogue;
  /** The bot's clock: it moves 700 ms with every TMDB request, as if TMDB took that long. */
  let now: number;

  beforeEach(async () => {
    now = START;
    tmdb = nockTmdbCatalogue([...FILMS, OTHER]);
    bot = await startBotHarness({
      kind,
      clock: () => new Date(now),
      services: { imports: { chunkFilms: 10, batchRows: 25 } },
      guilds: [
        {
          id: GUILD,
          channels: [{ id: CHANNEL, name: 'films' }],
          members: [
            { id: ALICE, username: 'alice' },
            { id: BOB, username: 'bob' },
            { id: CAROL, username: 'carol' },
            { id: DORA, username: 'dora', acceptsDms: false },
          ],
        },
      ],
    });
  });
  afterEach(async () => {
    await bot.close();
    tmdb.done();
  });

  const importFile = (userId: string, subcommand: 'letterboxd' | 'imdb', name: string, data: Buffer, size?: number) =>
    bot.fake.slash({
      guildId: GUILD,
      channelId: CHANNEL,
      userId,
      name: 'import',
      subcommand,
      attachments: { file: { name, data, contentType: 'text/csv', ...(size === undefined ? {} : { size }) } },
    });
  const summaryOf = (handle: InteractionHandle) =>
    handle.waitFor(
      (event) => event.kind === 'edit' && /^\*\*Import (finished|stopped)\*\*/.test(contentOf(event)),
      15_000,
    );
  const count = async (sql: string, replacements: Record<string, unknown> = {}) => {
    const [row] = await bot.app.database.sequelize.query<{ n: string | number }>(sql, {
      type: QueryTypes.SELECT,
      replacements,
    });
    return Number(row?.n);
  };

  it('imports a zip of 271 rows with progress edits and a summary, while another member’s /rate answers in time', async () => {
    let bobAnswered = false;
    let releaseLast!: () => void;
    const last = new Promise<void>((resolve) => (releaseLast = resolve));
    tmdb.gate = (uri) => {
      if (/search\/movie/.test(uri)) now += 700;
      // The import's last film waits until Bob's /rate was answered: it runs during the import, by construction.
      return uri.includes('wild%20river') || uri.includes('wild+river') ? (bobAnswered ? null : last) : null;
    };

    const handle = importFile(ALICE, 'letterboxd', 'letterboxd-alice-2026-03-10-utc.zip', bigExport());
    await bot.fake.waitUntil(() => tmdb.requests.some((uri) => /wild(%20|\+)river/.test(uri)), { timeoutMs: 15_000 });
    const writtenBefore = await count('SELECT COUNT(*) AS n FROM ratings WHERE user_id = :ALICE', { ALICE });
    const bob = bot.fake.slash({
      guildId: GUILD,
      channelId: CHANNEL,
      userId: BOB,
      name: 'rate',
      options: { movie: String(OTHER.id), stars: 4.5 },
    });
    const bobEdit = await bob.waitFor('edit', 10_000);
    bobAnswered = true;
    releaseLast();
    const summary = await summaryOf(handle);

    // Bob: acknowledged within Discord's 3 s (the fake refuses a later callback) and answered, mid-import.
    expect(bob.callbacks).toHaveLength(1);
    expect(bob.events.filter((event) => event.kind === 'rejected')).toEqual([]);
    expect(bobEdit.message.content).toMatch(/^You rated \*\*Paris, Texas \(1984\)\*\*/);
    expect(writtenBefore).toBeGreaterThan(0);
    expect(handle.events.indexOf(summary)).toBeGreaterThan(0);

    // Alice: an ephemeral reply, edited with progress at least every 2 s of the bot's clock, then the summary.
    expect(handle.callbacks).toHaveLength(1);
    expect(isEphemeral(summary.message)).toBe(true);
    const progress = handle.edits.filter((event) => /^Importing /.test(contentOf(event)));
    expect(progress.length).toBeGreaterThanOrEqual(3);
    expect(contentOf(progress[0]!)).toContain(
      'Importing ratings.csv, diary.csv, watched.csv and watchlist.csv: looked up',
    );
    const counted = progress.map(lookedUp);
    expect(counted).toEqual([...counted].sort((a, b) => a - b));
    expect(handle.edits.at(-1)).toBe(summary);
    expect(contentOf(summary)).toBe(
      [
        '**Import finished**',
        'Imported 200 of 271 rows from ratings.csv, diary.csv, watched.csv and watchlist.csv.',
        'Skipped 70: 70 already in Marquee (the same, or a newer rating).',
        '1 row matched no film for sure, listed in unmatched-letterboxd.csv: fix the title or year, or fill in tmdbID (the number in the film’s themoviedb.org address), then import that file: /import letterboxd.',
      ].join('\n'),
    );
    expect(summary.files.map((file) => file.name)).toEqual(['unmatched-letterboxd.csv']);
    expect(summary.files[0]?.data.toString('utf8')).toContain('A Film Nobody Made,2011,,TMDB has no film');
    expect(await count('SELECT COUNT(*) AS n FROM ratings WHERE user_id = :ALICE', { ALICE })).toBe(70);
    expect(await count('SELECT COUNT(*) AS n FROM watch_log WHERE user_id = :ALICE', { ALICE })).toBe(100);
    expect(await count('SELECT COUNT(*) AS n FROM watchlist WHERE user_id = :ALICE', { ALICE })).toBe(30);
    expect(await count('SELECT COUNT(*) AS n FROM import_runs')).toBe(0);
  }, 40_000);

  it('refuses a malformed file, one of another site, or one too large, at once and writing nothing', async () => {
    const broken = importFixture('letterboxd/broken-quote.csv');
    const refusals = [
      importFile(ALICE, 'letterboxd', broken.name, broken.bytes),
      importFile(BOB, 'imdb', 'ratings.csv', importFixture('letterboxd/ratings.csv').bytes),
      // Discord says 9 MB: refused before a byte is downloaded (the data itself is tiny).
      importFile(CAROL, 'letterboxd', 'ratings.csv', importFixture('letterboxd/ratings.csv').bytes, 9_000_000),
    ];
    const answers = await Promise.all(refusals.map((handle) => handle.waitFor('edit', 10_000)));

    expect(answers.map((answer) => isEphemeral(answer.message))).toEqual([true, true, true]);
    expect(contentOf(answers[0]!)).toMatch(/^broken-quote\.csv is not a well-formed CSV file \(line 3\)/);
    expect(contentOf(answers[1]!)).toContain('use /import letterboxd');
    expect(contentOf(answers[2]!)).toContain('An import takes files up to 8 MB, and that one is 8.6 MB');
    for (const table of ['ratings', 'watch_log', 'watchlist', 'import_runs', 'movies']) {
      expect(await count(`SELECT COUNT(*) AS n FROM ${table}`), table).toBe(0);
    }
    expect(tmdb.requests).toEqual([]);
  });

  it('sends the summary as a direct message once the reply’s token is too old, never editing through it', async () => {
    tmdb.gate = (uri) => {
      // Half way through, the import has taken longer than the token lives.
      if (/wild(%20|\+)harbor/.test(uri)) now += 15 * MINUTE_MS;
      else if (/search\/movie/.test(uri)) now += 700;
      return null;
    };
    const handle = importFile(ALICE, 'letterboxd', 'letterboxd.zip', bigExport());
    await bot.fake.waitUntil(() => bot.fake.directMessagesTo(ALICE).length > 0, { timeoutMs: 15_000 });

    const [dm] = bot.fake.directMessagesTo(ALICE);
    expect(dm?.content).toMatch(/^\*\*Import finished\*\*\nImported 200 of 271 rows/);
    expect(dm?.attachments.map((file) => file.filename)).toEqual(['unmatched-letterboxd.csv']);
    const lastEdit = handle.edits.at(-1);
    expect(contentOf(lastEdit!)).toContain('This reply can only change for 15 minutes');
    expect(handle.edits.some((event) => /Import finished/.test(contentOf(event)))).toBe(false);
  }, 40_000);

  it('tells a member whose direct messages are closed in the channel, with counts only', async () => {
    tmdb.gate = (uri) => {
      if (/search\/movie/.test(uri)) now += 15 * MINUTE_MS;
      return null;
    };
    const watchlist = csv('Date,Name,Year,Letterboxd URI', [
      `${day(1)},${FILMS[0]!.title},${year(FILMS[0]!)},`,
      `${day(2)},A Film Nobody Made,2011,`,
    ]);
    importFile(DORA, 'letterboxd', 'watchlist.csv', Buffer.from(watchlist));
    const message = await bot.fake.waitUntil(
      () => bot.fake.messagesIn(CHANNEL).find((candidate) => candidate.content.includes(`<@${DORA}>`)),
      { timeoutMs: 10_000 },
    );
    expect(message.content).toBe(
      `<@${DORA}> your import of watchlist.csv finished: 1 imported, 0 skipped, 1 unmatched. I could not send you the details privately: allow direct messages from this server’s members and import the same file again to get them (what was imported is skipped).`,
    );
    expect(message.attachments).toEqual([]);
    const sent = bot.fake.requestsTo('POST', `/channels/${CHANNEL}/messages`).at(-1);
    expect(sent?.body).toMatchObject({ allowed_mentions: { parse: [], users: [DORA] } });
  });

  it('exports Letterboxd CSVs with /privacy export that a fresh member imports to the same ratings', async () => {
    const first = importFile(ALICE, 'letterboxd', 'letterboxd.zip', bigExport(21));
    await summaryOf(first);
    const exported = await bot.fake
      .slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'privacy', subcommand: 'export' })
      .waitFor('edit', 10_000);
    const files = new Map(exported.files.map((file) => [file.name, file.data]));
    expect([...files.keys()]).toEqual([`marquee-data-${ALICE}.json`, 'ratings.csv', 'diary.csv']);
    tmdb.requests.length = 0;

    for (const name of ['ratings.csv', 'diary.csv']) {
      const summary = await summaryOf(importFile(CAROL, 'letterboxd', name, files.get(name)!));
      expect(contentOf(summary)).not.toContain('matched no film');
    }

    const ratings = (userId: string) =>
      bot.app.database.sequelize.query<{ movie_id: number; score: number }>(
        'SELECT movie_id, score FROM ratings WHERE user_id = :userId ORDER BY movie_id',
        { type: QueryTypes.SELECT, replacements: { userId } },
      );
    const normalise = (rows: { movie_id: number; score: number }[]) =>
      rows.map((row) => `${Number(row.movie_id)}:${Number(row.score)}`);
    expect(normalise(await ratings(CAROL))).toEqual(normalise(await ratings(ALICE)));
    const diary = (userId: string) => count('SELECT COUNT(*) AS n FROM watch_log WHERE user_id = :userId', { userId });
    expect(await diary(CAROL)).toBe(30);
    expect(await diary(ALICE)).toBe(30);
    // By tmdbID, from the stored films: no film was looked up again (only lists of loved films, in the background).
    expect(tmdb.requests.filter((uri) => !/\/(recommendations|similar)\?/.test(uri))).toEqual([]);
  });
});
