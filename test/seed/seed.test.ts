import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeFilms, startFakeTmdb, type FakeTmdb } from '../../local-discord/index.js';
import { DEMO_GUILD_ID, parseSeedArgs, runSeedCli, type SeedCliIo } from '../../scripts/lib/seed/cli.js';
import { createRepositories, type Repositories } from '../../src/db/repositories/index.js';
import { loadCatalogue } from '../../src/seed/catalogue.js';
import { seedGuild, type SeedOptions } from '../../src/seed/seed.js';
import { createTestDatabase, databaseKinds, emptyAllTables, type TestDatabase } from '../support/databases.js';
import { syntheticSeedFilms } from '../support/seed-support.js';

const AS_OF = '2026-11-30';
const GUILD = '810000000000009001';

/** Every table the seeder writes and its key, then the same with the natural keys of rows that have a serial id. */
const SEEDED_TABLES = {
  users: 'id',
  guilds: 'id',
  guild_members: 'guild_id, user_id',
  movies: 'tmdb_id',
  ratings: 'id',
  watch_log: 'id',
} as const;
const NATURAL_KEYS = { ...SEEDED_TABLES, ratings: 'user_id, movie_id', watch_log: 'user_id, movie_id, watched_on' };

type Dump = Record<string, string[]>;

/**
 * Every seeded table's rows as JSON, ordered by key, dates as ISO text: equal dumps mean equal content. Without serial
 * ids, for comparisons across a rolled-back batch: PostgreSQL's sequences do not roll back, so ids leave a gap.
 */
async function dump(test: TestDatabase, { serialIds = true } = {}): Promise<Dump> {
  const tables: Dump = {};
  for (const [table, key] of Object.entries(serialIds ? SEEDED_TABLES : NATURAL_KEYS)) {
    const rows = await test.db.sequelize.query<Record<string, unknown>>(`SELECT * FROM ${table} ORDER BY ${key}`, {
      type: QueryTypes.SELECT,
    });
    tables[table] = rows.map(({ id, ...row }) =>
      JSON.stringify(
        serialIds || !['ratings', 'watch_log'].includes(table) ? { id, ...row } : row,
        (_, value: unknown) => (value instanceof Date ? value.toISOString() : value),
      ),
    );
  }
  return tables;
}

/** The first row where two dumps differ (null when they are equal), so a failure shows one row, not the tables. */
function firstDifference(expected: Dump, received: Dump) {
  for (const table of Object.keys(expected)) {
    const [a = [], b = []] = [expected[table], received[table]];
    if (a.length !== b.length) return { table, rows: { expected: a.length, received: b.length } };
    const at = a.findIndex((row, index) => row !== b[index]);
    if (at >= 0) return { table, at, expected: a[at], received: b[at] };
  }
  return null;
}

async function count(test: TestDatabase, sql: string): Promise<number> {
  const [row] = await test.db.sequelize.query<{ n: number | string }>(sql, { type: QueryTypes.SELECT });
  return Number(row?.n);
}

describe('npm run seed: arguments', () => {
  it('defaults to 50 members with 40 ratings each in the demo guild, seed 1, films from wherever is configured', () => {
    expect(parseSeedArgs([])).toEqual({
      guildId: DEMO_GUILD_ID,
      users: 50,
      ratingsPerUser: 40,
      source: null,
      seed: 1,
      asOf: null,
      databaseUrl: null,
    });
    expect(
      parseSeedArgs([
        '--guild',
        GUILD,
        '--users',
        '1000',
        '--ratings-per-user',
        '100',
        '--source',
        'catalogue',
        '--seed',
        '7',
        '--as-of',
        AS_OF,
        '--database-url',
        'sqlite::memory:',
      ]),
    ).toEqual({
      guildId: GUILD,
      users: 1_000,
      ratingsPerUser: 100,
      source: 'catalogue',
      seed: 7,
      asOf: new Date(`${AS_OF}T00:00:00Z`),
      databaseUrl: 'sqlite::memory:',
    });
  });

  it.each([
    [
      ['--users', 'many'],
      /^--users must be a whole number from 1 to 1,000,000\.\nUsage: npm run seed -- \[--guild ID\]/,
    ],
    [['--users', '0'], /--users must be a whole number from 1/],
    [['--users', '2.5'], /--users must be a whole number/],
    [['--ratings-per-user=-3'], /--ratings-per-user must be a whole number from 0 to 10,000/],
    [['--seed', '1e3'], /--seed must be a whole number/],
    [['--guild', 'general'], /--guild must be a server’s Discord id/],
    [['--source', 'imdb'], /--source must be catalogue or tmdb\./],
    [['--as-of', '2026-02-30'], /--as-of must be a day such as 2026-06-01\./],
    [['--database-url', ' '], /--database-url is empty\./],
    [['--user', '5'], /^Unknown option '--user'\.\nUsage: /],
    [['--users'], /^Option '--users <value>' argument missing\.\nUsage: /],
    [['extra'], /^Unexpected argument 'extra'\.\nUsage: /],
  ])('refuses %j with a sentence and the usage', (argv, message) => {
    expect(() => parseSeedArgs(argv)).toThrow(message);
  });
});

describe.each(databaseKinds())('seeding on %s', (kind) => {
  let test: TestDatabase;
  let repos: Repositories;
  const printed: string[] = [];
  const io = (env: Record<string, string> = {}): SeedCliIo => ({
    env: { DATABASE_URL: test.target.url, ...env },
    print: (text) => void printed.push(text),
    terminal: null,
    now: () => 0,
  });

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    repos = createRepositories(test.db);
  });
  afterAll(() => test.destroy());
  beforeEach(async () => {
    printed.length = 0;
    await emptyAllTables(test.db);
  });

  it('stores the same content when `npm run seed -- --users 1000 --seed 7` runs twice as once, and other content with --seed 8', async () => {
    const argv = ['--users', '1000', '--seed', '7', '--as-of', AS_OF];
    const once = await runSeedCli(argv, io());
    const afterOnce = await dump(test);
    const twice = await runSeedCli(argv, io());
    expect(firstDifference(afterOnce, await dump(test))).toBeNull();
    expect(twice.report).toEqual(once.report);

    const films = loadCatalogue().length;
    expect(once.source).toBe('catalogue');
    expect(once.films).toBe(films);
    expect(await count(test, `SELECT COUNT(*) AS n FROM guild_members WHERE guild_id = '${DEMO_GUILD_ID}'`)).toBe(
      1_000,
    );
    expect(await count(test, 'SELECT COUNT(*) AS n FROM ratings')).toBe(once.report.ratings);
    expect(once.report.ratings).toBe(1_000 * Math.min(40, films));
    expect(await count(test, 'SELECT COUNT(*) AS n FROM watch_log')).toBe(once.report.diaryEntries);
    expect(printed.filter((line) => line.startsWith('Seeded 1,000 of 1,000 members'))).toHaveLength(2);
    expect(printed.at(-1)).toBe(
      `Seeded guild ${DEMO_GUILD_ID}: 1,000 members in 4 taste clusters, ${once.report.ratings.toLocaleString('en')} ratings and ` +
        `${once.report.diaryEntries.toLocaleString('en')} diary entries of ${films} catalogue films, in 0.0 s.`,
    );

    await emptyAllTables(test.db);
    await runSeedCli(['--users', '1000', '--seed', '8', '--as-of', AS_OF], io());
    const other = await dump(test);
    for (const table of ['users', 'guild_members', 'ratings', 'watch_log']) {
      expect(firstDifference({ [table]: afterOnce[table]! }, { [table]: other[table]! }), table).not.toBeNull();
    }
  });

  const options = (overrides: Partial<SeedOptions> = {}): SeedOptions => ({
    guildId: GUILD,
    users: 350,
    ratingsPerUser: 30,
    seed: 3,
    films: syntheticSeedFilms(200),
    asOf: new Date(`${AS_OF}T00:00:00Z`),
    membersPerBatch: 100,
    ...overrides,
  });

  it('keeps the batches before a failure whole and stores nothing of the failing batch; seeding again completes it', async () => {
    let batches = 0;
    const failing: Repositories = {
      ...repos,
      seed: {
        ...repos.seed,
        async writeBatch(batch, writeOptions) {
          await repos.seed.writeBatch(batch, writeOptions);
          if (++batches === 3) throw new Error('injected failure after the third batch wrote its rows');
        },
      },
    };
    const progress: number[] = [];
    await expect(seedGuild(failing, options({ onProgress: (done) => void progress.push(done) }))).rejects.toThrow(
      /injected failure/,
    );
    expect(progress).toEqual([100, 200]);
    expect(await count(test, 'SELECT COUNT(*) AS n FROM users')).toBe(200);
    expect(await count(test, 'SELECT COUNT(*) AS n FROM guild_members')).toBe(200);
    expect(await count(test, 'SELECT COUNT(*) AS n FROM ratings')).toBe(200 * 30);
    expect(
      await count(test, 'SELECT COUNT(*) AS n FROM ratings r LEFT JOIN users u ON u.id = r.user_id WHERE u.id IS NULL'),
    ).toBe(0);

    const report = await seedGuild(repos, options());
    const resumed = await dump(test, { serialIds: false });
    await emptyAllTables(test.db);
    const clean = await seedGuild(repos, options());
    expect(report).toEqual(clean);
    expect(firstDifference(await dump(test, { serialIds: false }), resumed)).toBeNull();
  });

  it("leaves a member's own later rating and diary alone, and only moves when they were last seen forward", async () => {
    const report = await seedGuild(repos, options({ users: 20, membersPerBatch: 500 }));
    const [member] = report.members;
    const [rating] = await repos.ratings.listByUser(member!.userId);
    await repos.ratings.upsert({
      ...rating!,
      score: rating!.score === 5 ? 0.5 : 5,
      ratedAt: new Date('2026-11-29T10:00:00Z'),
    });
    const mine = await repos.ratings.get(member!.userId, rating!.movieId);
    const later = new Date('2026-11-29T20:00:00Z');
    await test.db.sequelize.query('UPDATE guild_members SET last_seen_at = :later WHERE user_id = :userId', {
      replacements: { later, userId: member!.userId },
    });
    const before = await dump(test);

    await seedGuild(repos, options({ users: 20 }));
    expect(firstDifference(before, await dump(test))).toBeNull();
    expect(await repos.ratings.get(member!.userId, rating!.movieId)).toEqual(mine);
    expect(await repos.guilds.activeMemberIds(GUILD, later)).toEqual([member!.userId]);
  });

  it('seeds from TMDB’s popular and top-rated lists when a token is set, storing the films as the bot caches them', async () => {
    const tmdb: FakeTmdb = await startFakeTmdb({ films: fakeFilms(60) });
    try {
      const result = await runSeedCli(
        ['--users', '30', '--ratings-per-user', '10', '--guild', GUILD, '--as-of', AS_OF],
        io({ TMDB_TOKEN: tmdb.token, TMDB_API_BASE: tmdb.baseUrl }),
      );
      expect(result.source).toBe('tmdb');
      expect(result.films).toBe(60);
      expect(result.report.ratings).toBe(300);
      // Three pages of 20 films in each list: it stops at TMDB's last page.
      expect(tmdb.requests.map((request) => request.path.replace(/&.*$/, ''))).toEqual([
        '/3/movie/popular?page=1',
        '/3/movie/popular?page=2',
        '/3/movie/popular?page=3',
        '/3/movie/top_rated?page=1',
        '/3/movie/top_rated?page=2',
        '/3/movie/top_rated?page=3',
      ]);
      expect(await count(test, 'SELECT COUNT(*) AS n FROM movies WHERE vote_average = 6.5')).toBe(60);
      expect(printed.at(-1)).toMatch(/ratings and \d+ diary entries of 60 TMDB films/);

      tmdb.setMode('key-rejected');
      await expect(
        runSeedCli(['--users', '3'], io({ TMDB_TOKEN: tmdb.token, TMDB_API_BASE: tmdb.baseUrl })),
      ).rejects.toThrow(
        /^TMDB did not give its film lists \(.+\); run with --source catalogue to seed from the built-in catalogue\.$/,
      );
    } finally {
      await tmdb.close();
    }
  });

  it('refuses --source tmdb without a TMDB token or key', async () => {
    await expect(runSeedCli(['--source', 'tmdb'], io())).rejects.toThrow(
      /^--source tmdb needs TMDB_TOKEN or TMDB_API_KEY/,
    );
  });
});
