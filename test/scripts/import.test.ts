import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { QueryTypes } from 'sequelize';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fakeFilms, startFakeTmdb } from '../../local-discord/index.js';
import { parseImportArgs, runImportCli } from '../../scripts/lib/import/cli.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';
import { FIXTURE_FILMS, letterboxdZip, nockTmdbCatalogue, type TmdbCatalogue } from '../support/import-support.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const MEMBER = '830000000000009001';
const GUILD = '810000000000009001';
const run = promisify(execFile);

describe('npm run import: arguments', () => {
  it('names what is missing or malformed, with the usage', () => {
    expect(() => parseImportArgs(['--file', 'x.zip'])).toThrow(
      /--user must be the member’s Discord id[\s\S]*Usage: npm run import/,
    );
    expect(() => parseImportArgs(['--user', MEMBER])).toThrow(/--file is missing/);
    expect(() => parseImportArgs(['--user', MEMBER, '--file', 'x', '--guild', 'general'])).toThrow(/--guild must be/);
    expect(() => parseImportArgs(['--user', MEMBER, '--file', 'x', '--format', 'trakt'])).toThrow(
      /--format must be letterboxd or imdb/,
    );
    expect(parseImportArgs(['--user', MEMBER, '--file', 'x.csv'])).toEqual({
      userId: MEMBER,
      file: 'x.csv',
      guildId: null,
      format: null,
    });
  });
});

describe.each(databaseKinds())('npm run import on %s', (kind) => {
  let test: TestDatabase;
  let directory: string;
  let tmdb: TmdbCatalogue;

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    directory = await mkdtemp(path.join(tmpdir(), 'marquee-import-'));
  });
  afterAll(async () => {
    await test.destroy();
    await rm(directory, { recursive: true, force: true });
  });
  beforeEach(() => {
    tmdb = nockTmdbCatalogue(FIXTURE_FILMS);
  });
  afterEach(() => tmdb.done());

  const env = () => ({ DATABASE_URL: test.target.url, TMDB_TOKEN: 'test-tmdb-token' });
  const rows = async (sql: string) =>
    Number(
      (
        await test.db.sequelize.query<{ n: string | number }>(sql, {
          type: QueryTypes.SELECT,
          replacements: { MEMBER },
        })
      )[0]?.n,
    );

  it('imports a member’s export with progress lines, records them in the server, and writes the unmatched rows', async () => {
    const file = path.join(directory, 'letterboxd-member.zip');
    await writeFile(file, letterboxdZip());
    const printed: string[] = [];

    const summary = await runImportCli(['--user', MEMBER, '--file', file, '--guild', GUILD], {
      env: env(),
      print: (text) => void printed.push(text),
      terminal: null,
    });

    expect(summary.end).toEqual({ kind: 'done' });
    expect(printed[0]).toMatch(
      /^Importing ratings\.csv, diary\.csv, watched\.csv and watchlist\.csv: looked up 0 of 8 films/,
    );
    expect(printed.at(-3)).toBe('Imported 11 of 13 rows from ratings.csv, diary.csv, watched.csv and watchlist.csv.');
    const unmatched = path.join(directory, 'unmatched-letterboxd.csv');
    expect(printed.at(-1)).toContain(`then import that file: npm run import -- --user ${MEMBER} --file ${unmatched}`);
    expect(await readFile(unmatched, 'utf8')).toContain('A Film Nobody Made,2011,');
    expect(await rows('SELECT COUNT(*) AS n FROM ratings WHERE user_id = :MEMBER')).toBe(5);
    expect(
      await rows(`SELECT COUNT(*) AS n FROM guild_members WHERE user_id = :MEMBER AND guild_id = '${GUILD}'`),
    ).toBe(1);
  });

  it('draws a progress bar on a terminal', async () => {
    const file = path.join(directory, 'ratings.csv');
    await writeFile(
      file,
      'Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,Heat,1986,,3\n2024-01-02,The Matrix,1999,,5\n',
    );
    const terminal = Object.assign(new PassThrough(), { isTTY: true, columns: 120 });
    let drawn = '';
    terminal.on('data', (chunk: Buffer) => (drawn += chunk.toString('utf8')));

    await runImportCli(['--user', MEMBER, '--file', file], {
      env: env(),
      print: () => undefined,
      terminal: terminal as unknown as NodeJS.WriteStream,
    });

    expect(drawn).toContain('2/2 films looked up | 2/2 rows done | 2 imported');
  });

  it('runs as a script against a TMDB over HTTP, exiting 0 with the summary', async () => {
    const [first, second] = fakeFilms(2);
    const fake = await startFakeTmdb({ films: fakeFilms(12) });
    try {
      const file = path.join(directory, 'imdb-free.csv');
      await writeFile(
        file,
        `Date,Name,Year,Letterboxd URI,Rating\n2024-01-01,${first!.title},${first!.releaseDate.slice(0, 4)},,4\n2024-01-02,${second!.title},${second!.releaseDate.slice(0, 4)},,2.5\n`,
      );
      const { stdout } = await run(
        path.join(ROOT, 'node_modules/.bin/tsx'),
        ['scripts/import.ts', '--user', '830000000000009002', '--file', file],
        {
          cwd: ROOT,
          env: {
            PATH: process.env.PATH ?? '',
            DATABASE_URL: test.target.url,
            TMDB_API_BASE: fake.baseUrl,
            TMDB_TOKEN: fake.token,
          },
        },
      );
      expect(stdout).toContain('Imported 2 of 2 rows from imdb-free.csv.');
    } finally {
      await fake.close();
    }
  }, 30_000);
});
