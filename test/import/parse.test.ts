import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { IMPORT_LIMITS } from '../../src/import/limits.js';
import { guessFormat, parseImport, type ImportFile } from '../../src/import/parse.js';
import { importFixture, letterboxdZip } from '../support/import-support.js';
import { makeZip } from '../support/zip.js';

const TODAY = '2026-03-11';
const csv = (name: string, text: string): ImportFile => ({ name, bytes: Buffer.from(text, 'utf8') });

/** The refusal a parse ends in. */
async function refusal(promise: Promise<unknown>): Promise<UserFacingError> {
  const error = await promise.then(
    () => null,
    (caught: unknown) => caught,
  );
  if (!(error instanceof UserFacingError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe('Letterboxd files', () => {
  it('reads ratings.csv with a byte order mark, CRLF line endings, quoted commas and doubled quotes', async () => {
    const parsed = await parseImport('letterboxd', importFixture('letterboxd/ratings.csv'), TODAY);

    expect(parsed.files).toEqual([{ name: 'ratings.csv', kind: 'ratings', rows: 5 }]);
    expect(parsed.rows.map(({ film, stars, date, kind }) => ({ film, stars, date, kind }))).toEqual([
      { film: { by: 'title', title: 'Dune', year: 2021 }, stars: 4.5, date: '2021-10-24', kind: 'rating' },
      { film: { by: 'title', title: 'Dune', year: 1984 }, stars: 2, date: '2019-03-02', kind: 'rating' },
      {
        film: { by: 'title', title: 'Crouching Tiger, Hidden Dragon', year: 2000 },
        stars: 5,
        date: '2020-06-15',
        kind: 'rating',
      },
      {
        film: { by: 'title', title: 'The "Wrong" Trousers', year: 1993 },
        stars: 4,
        date: '2018-01-09',
        kind: 'rating',
      },
      { film: { by: 'title', title: 'Amélie', year: 2001 }, stars: 3.5, date: '2022-02-02', kind: 'rating' },
    ]);
    // The header's first column is "Date", not "\uFEFFDate", and line numbers count the header as line 1.
    expect(parsed.rows[0]?.source['Date']).toBe('2021-10-24');
    expect(parsed.rows.map((row) => row.line)).toEqual([2, 3, 4, 5, 6]);
  });

  it('reads diary rows as viewings on their watched date, with or without a rating, rewatches included', async () => {
    const parsed = await parseImport('letterboxd', importFixture('letterboxd/diary.csv'), TODAY);

    expect(parsed.files).toEqual([{ name: 'diary.csv', kind: 'diary', rows: 3 }]);
    expect(parsed.rows.map(({ kind, watchedOn, stars }) => ({ kind, watchedOn, stars }))).toEqual([
      { kind: 'diary', watchedOn: '2021-10-22', stars: 4.5 },
      { kind: 'diary', watchedOn: '2023-02-28', stars: 4.5 },
      { kind: 'diary', watchedOn: '2022-02-01', stars: 3.5 },
    ]);
  });

  it('tells watched.csv from watchlist.csv by name, and keeps a row without a year', async () => {
    const watched = await parseImport('letterboxd', importFixture('letterboxd/watched.csv'), TODAY);
    const watchlist = await parseImport('letterboxd', importFixture('letterboxd/watchlist.csv'), TODAY);

    expect(watched.rows.map((row) => row.kind)).toEqual(['watched', 'watched', 'watched']);
    expect(watched.rows[2]?.film).toEqual({ by: 'title', title: 'Koyaanisqatsi', year: null });
    expect(watchlist.rows.map((row) => row.kind)).toEqual(['watchlist', 'watchlist']);
    const other = await refusal(
      parseImport('letterboxd', csv('list.csv', 'Date,Name,Year,Letterboxd URI\n2020-01-01,Heat,1995,\n'), TODAY),
    );
    expect(other.code).toBe('import-bad-columns');
    expect(other.message).toContain('name the file watched.csv or watchlist.csv');
  });

  it('matches by tmdbID when a file has one, as Marquee’s own export writes', async () => {
    const parsed = await parseImport(
      'letterboxd',
      csv('ratings.csv', 'Date,Name,Year,Letterboxd URI,Rating,tmdbID\n2024-05-01,Heat,1995,,4,949\n'),
      TODAY,
    );
    expect(parsed.rows[0]?.film).toEqual({ by: 'tmdb', tmdbId: 949, title: 'Heat', year: 1995 });
  });

  it('reads the export zip’s four files and nothing else (no deleted/ or orphaned/ diary, no lists or likes)', async () => {
    const parsed = await parseImport('letterboxd', { name: 'letterboxd-export.zip', bytes: letterboxdZip() }, TODAY);

    expect(parsed.files).toEqual([
      { name: 'ratings.csv', kind: 'ratings', rows: 5 },
      { name: 'diary.csv', kind: 'diary', rows: 3 },
      { name: 'watched.csv', kind: 'watched', rows: 3 },
      { name: 'watchlist.csv', kind: 'watchlist', rows: 2 },
    ]);
    expect(parsed.rows.some((row) => row.film.title === 'Cats')).toBe(false);
  });

  it('reads the unmatched list it gives back, each row as what its Source says', async () => {
    const parsed = await parseImport(
      'letterboxd',
      csv(
        'unmatched-letterboxd.csv',
        [
          'Name,Year,tmdbID,Why,Source,Date,Rating,Rewatch,Tags,Watched Date,Letterboxd URI',
          'Heat,1995,949,several films,ratings,2024-05-01,4,,,,',
          'Heat,1995,,x,diary,2024-05-01,,Yes,,2024-04-30,',
          'Heat,1995,,x,watchlist,2024-05-01,,,,,',
        ].join('\n'),
      ),
      TODAY,
    );
    expect(parsed.rows.map(({ kind, stars, watchedOn }) => ({ kind, stars, watchedOn }))).toEqual([
      { kind: 'rating', stars: 4, watchedOn: null },
      { kind: 'diary', stars: null, watchedOn: '2024-04-30' },
      { kind: 'watchlist', stars: null, watchedOn: null },
    ]);
  });
});

describe('IMDb files', () => {
  it('converts 1-10 to half stars (7 → 3½★), matches by IMDb id, and skips a TV series as no film', async () => {
    const parsed = await parseImport('imdb', importFixture('imdb/ratings.csv'), TODAY);

    expect(parsed.rows.map(({ film, stars }) => ({ film, stars }))).toEqual([
      { film: { by: 'imdb', imdbId: 'tt0113277', title: 'Heat', year: 1995 }, stars: 3.5 },
      { film: { by: 'imdb', imdbId: 'tt0133093', title: 'The Matrix', year: 1999 }, stars: 4.5 },
      { film: { by: 'imdb', imdbId: 'tt9999991', title: 'A "Lost" Film, Part 2', year: 1990 }, stars: 3 },
    ]);
    expect(parsed.notFilms).toEqual([{ file: 'ratings.csv', line: 3, title: 'Breaking Bad', titleType: 'TV Series' }]);
    expect(parsed.files).toEqual([{ name: 'ratings.csv', kind: 'ratings', rows: 4 }]);
  });

  it('refuses a Letterboxd file with the right command named', async () => {
    const error = await refusal(parseImport('imdb', importFixture('letterboxd/ratings.csv'), TODAY));
    expect(error.code).toBe('import-bad-columns');
    expect(error.message).toContain('Const');
    expect(error.message).toContain('use /import letterboxd');
  });

  it('guesses the format for the operator script', () => {
    expect(guessFormat(importFixture('imdb/ratings.csv'))).toBe('imdb');
    expect(guessFormat(importFixture('letterboxd/ratings.csv'))).toBe('letterboxd');
    expect(guessFormat({ name: 'x.zip', bytes: letterboxdZip() })).toBe('letterboxd');
  });
});

describe('refusals (nothing is imported from a refused file)', () => {
  it('refuses a quote that is never closed, naming the line', async () => {
    const error = await refusal(parseImport('letterboxd', importFixture('letterboxd/broken-quote.csv'), TODAY));
    expect(error.code).toBe('import-bad-row');
    expect(error.message).toMatch(/^broken-quote\.csv is not a well-formed CSV file \(line 3\)/);
  });

  it('refuses a rating Letterboxd never writes, naming the file, line, column and value', async () => {
    const error = await refusal(parseImport('letterboxd', importFixture('letterboxd/bad-rating.csv'), TODAY));
    expect(error.code).toBe('import-bad-row');
    expect(error.message).toBe(
      'bad-rating.csv, line 3: Rating must be from 0.5 to 5 in half stars (it says “7”). Fix that line or upload the file as the site exported it; nothing was imported.',
    );
  });

  it('refuses dates that do not exist or lie in the future', async () => {
    const header = 'Date,Name,Year,Letterboxd URI,Rating\n';
    const february = await refusal(
      parseImport('letterboxd', csv('r.csv', `${header}2021-02-30,Heat,1995,,4\n`), TODAY),
    );
    expect(february.message).toContain('Date is not a date like 2024-01-31');
    const future = await refusal(parseImport('letterboxd', csv('r.csv', `${header}2030-01-01,Heat,1995,,4\n`), TODAY));
    expect(future.message).toContain('Date is not between 1900-01-01 and today');
  });

  it('refuses a file that is neither CSV nor zip', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d, 0xff, 0xfe]);
    const error = await refusal(parseImport('letterboxd', { name: 'poster.png', bytes: png }, TODAY));
    expect(error.code).toBe('import-not-csv-or-zip');
    expect(error.message).toContain('poster.png is neither a CSV file nor a zip');
  });

  it('refuses a file over the size limit and more rows than the cap, every file of a zip together', async () => {
    const big = await refusal(
      parseImport('letterboxd', { name: 'big.csv', bytes: Buffer.alloc(IMPORT_LIMITS.maxFileBytes + 1, 'a') }, TODAY),
    );
    expect(big.code).toBe('import-file-too-large');
    expect(big.message).toContain('up to 8 MB');

    // 13 rows across the zip's four files: over a cap of 12, though no file alone is.
    const capped = await refusal(
      parseImport('letterboxd', { name: 'x.zip', bytes: letterboxdZip() }, TODAY, { ...IMPORT_LIMITS, maxRows: 12 }),
    );
    expect(capped.code).toBe('import-too-many-rows');
    expect(capped.message).toContain('more than 12 rows');
  });

  it('refuses wrong columns, naming what is missing and what the file has', async () => {
    const error = await refusal(parseImport('letterboxd', csv('films.csv', 'Title,Stars\nHeat,4\n'), TODAY));
    expect(error.code).toBe('import-bad-columns');
    expect(error.message).toContain('films.csv lacks the columns Date, Name, Year (it has: Title, Stars)');
  });

  it('refuses a zip with a path outside its root', async () => {
    for (const name of ['../ratings.csv', '/etc/ratings.csv', 'a/../../ratings.csv']) {
      const zip = makeZip([{ name, data: 'Date,Name,Year,Letterboxd URI,Rating\n' }]);
      const error = await refusal(parseImport('letterboxd', { name: 'evil.zip', bytes: zip }, TODAY));
      expect(error.code, name).toBe('import-unsafe-zip');
      expect(error.message, name).toContain('a path outside its own folder');
    }
  });

  it('refuses a zip that unpacks past the limit before unpacking anything, and one whose sizes lie', async () => {
    // 2 MB of one letter deflates to a few kB: the stated size is what counts.
    const bomb = makeZip([{ name: 'ratings.csv', data: Buffer.alloc(2_000_000, 'a') }]);
    const limits = { ...IMPORT_LIMITS, maxUnpackedBytes: 1_000_000 };
    expect(bomb.length).toBeLessThan(10_000);
    const error = await refusal(parseImport('letterboxd', { name: 'bomb.zip', bytes: bomb }, TODAY, limits));
    expect(error.code).toBe('import-unsafe-zip');
    expect(error.message).toContain('unpacks to 1.9 MB, more than the 1 MB');

    const lying = makeZip([{ name: 'ratings.csv', data: Buffer.alloc(2_000_000, 'a'), statedSize: 100 }]);
    const lie = await refusal(parseImport('letterboxd', { name: 'lie.zip', bytes: lying }, TODAY, limits));
    expect(lie.code).toBe('import-not-csv-or-zip');
  });

  it('refuses a zip with none of the export’s files, and an empty file', async () => {
    const zip = makeZip([{ name: 'profile.csv', data: 'Username\nme\n' }]);
    const none = await refusal(parseImport('letterboxd', { name: 'other.zip', bytes: zip }, TODAY));
    expect(none.message).toContain('holds none of ratings.csv, diary.csv, watched.csv or watchlist.csv');
    const empty = await refusal(
      parseImport('letterboxd', csv('ratings.csv', 'Date,Name,Year,Letterboxd URI,Rating\n'), TODAY),
    );
    expect(empty.code).toBe('import-empty');
  });
});
