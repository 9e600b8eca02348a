import { QueryTypes } from 'sequelize';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { startOfDay } from '../../src/import/plan.js';
import { createImportService, type ImportListener, type ImportService } from '../../src/services/imports.js';
import { createPrivacyService } from '../../src/services/privacy.js';
import { createRatingService } from '../../src/services/ratings.js';
import type { ImportProgress, ImportSummary } from '../../src/import/summary.js';
import type { MovieCatalog } from '../../src/tmdb/catalog.js';
import type { RequestOptions } from '../../src/tmdb/client.js';
import { snowflake } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { createFilmTestCore, recordingTaste, type FilmTestCore } from '../support/film-support.js';
import {
  FIXTURE_FILMS,
  importFixture,
  letterboxdZip,
  nockTmdbCatalogue,
  type TmdbCatalogue,
} from '../support/import-support.js';
import { makeZip } from '../support/zip.js';

const ALICE = snowflake(1);
const BOB = snowflake(2);

/** A listener that keeps what it heard; `finished` resolves `summary`. */
function listening(): ImportListener & { progress: ImportListener['progress']; updates: ImportProgress[] } {
  const updates: ImportProgress[] = [];
  return {
    updates,
    progress: (progress) => void updates.push(progress),
    finished: () => Promise.resolve(),
  };
}

/** A gate a test opens by hand: TMDB's answers to matching requests wait for it. */
function gate() {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { opened, open };
}

describe.each(databaseKinds())('imports on %s', (kind) => {
  let film: FilmTestCore;
  let tmdb: TmdbCatalogue;
  let taste: ReturnType<typeof recordingTaste>;
  /** Priorities of the catalog calls the import made, and how many were in flight at most. */
  let lanes: string[];
  let peakInFlight: number;
  let imports: ImportService;

  beforeAll(async () => {
    film = await createFilmTestCore(kind);
  });
  afterAll(() => film.destroy());
  beforeEach(async () => {
    await film.reset();
    tmdb = nockTmdbCatalogue(FIXTURE_FILMS);
    taste = recordingTaste();
    lanes = [];
    peakInFlight = 0;
    let inFlight = 0;
    const real = film.core.catalog;
    const watched =
      <Args extends unknown[], Result>(call: (...args: Args) => Promise<Result>, options: (args: Args) => unknown) =>
      async (...args: Args): Promise<Result> => {
        lanes.push(String((options(args) as RequestOptions | undefined)?.priority));
        peakInFlight = Math.max(peakInFlight, ++inFlight);
        try {
          return await call(...args);
        } finally {
          inFlight--;
        }
      };
    const catalog: MovieCatalog = {
      ...real,
      search: watched(real.search, ([, options]) => options),
      findByImdbId: watched(real.findByImdbId, ([, options]) => options),
      getMovie: watched(real.getMovie, ([, options]) => options),
    };
    imports = createImportService({ ...film.core, catalog }, { taste: taste.taste }, { lookupConcurrency: 2 });
  });
  afterEach(() => tmdb.done());

  const run = async (
    userId: string,
    file: Parameters<ImportService['parse']>[1],
    format: 'letterboxd' | 'imdb' = 'letterboxd',
    service = imports,
  ): Promise<ImportSummary> => {
    const parsed = await service.parse(format, file);
    return (await service.start({ userId, parsed }, listening())).done;
  };
  const ratingsOf = async (userId: string) =>
    (await film.core.repos.ratings.listByUser(userId))
      .map(({ movieId, score }) => ({ movieId, score }))
      .sort((a, b) => a.movieId - b.movieId);
  const diaryOf = async (userId: string) => {
    const rows = await film.test.db.sequelize.query<{ movie_id: number; watched_on: string }>(
      'SELECT movie_id, watched_on FROM watch_log WHERE user_id = :userId ORDER BY movie_id, watched_on',
      { type: QueryTypes.SELECT, replacements: { userId } },
    );
    return rows.map((row) => `${Number(row.movie_id)}@${row.watched_on}`);
  };
  const claims = () => film.count('import_runs');

  it('imports a Letterboxd export: ratings, diary with rewatches, watched films and the watchlist', async () => {
    const summary = await run(ALICE, { name: 'letterboxd-alice.zip', bytes: letterboxdZip() });

    expect(summary.end).toEqual({ kind: 'done' });
    // Two Dunes told apart by year; a title with a comma and one with quotes; accents; a row without a year.
    expect(await ratingsOf(ALICE)).toEqual([
      { movieId: 146, score: 5 },
      { movieId: 194, score: 3.5 },
      { movieId: 531, score: 4 },
      { movieId: 841, score: 2 },
      { movieId: 438_631, score: 4.5 },
    ]);
    expect(await diaryOf(ALICE)).toEqual([
      '194@2022-02-01',
      '841@2019-03-02', // watched, never in the diary: logged the day it was marked
      '11314@2017-05-05', // Koyaanisqatsi, which has no year in watched.csv
      '438631@2021-10-22',
      '438631@2023-02-28', // the rewatch
    ]);
    expect((await film.core.repos.watchlist.list(ALICE)).map((entry) => entry.movieId)).toEqual([976_893]);
    // 13 rows: Dune (2021) marked watched is already in the diary; "A Film Nobody Made" matches nothing.
    expect(summary.counts).toEqual({ rows: 13, imported: 11, already: 1, notFilms: 0, unmatched: 1, notReached: 0 });
    expect(summary.unmatchedFile?.name).toBe('unmatched-letterboxd.csv');
    expect(summary.unmatchedFile?.text).toBe(
      'Name,Year,tmdbID,Why,Source,Date,Rating,Rewatch,Tags,Watched Date,Letterboxd URI\n' +
        'A Film Nobody Made,2011,,TMDB has no film with this title in this year (±1),watchlist,2024-01-06,,,,,https://boxd.it/zzzz\n',
    );
    // The recommender heard each saved rating once, after its commit.
    expect(taste.calls.filter((call) => call.startsWith('rating:')).sort()).toEqual(
      ['146:5', '194:3.5', '531:4', '841:2', '438631:4.5'].map((call) => `rating:${ALICE}:${call}`).sort(),
    );
    expect(await claims()).toBe(0);
  });

  it('takes back its unmatched list once the member filled in a tmdbID, each row as what it was', async () => {
    const first = await run(ALICE, { name: 'export.zip', bytes: letterboxdZip() });
    const fixed = first.unmatchedFile!.text.replace('A Film Nobody Made,2011,,', 'A Film Nobody Made,2011,11314,');

    const again = await run(ALICE, { name: first.unmatchedFile!.name, bytes: Buffer.from(fixed) });

    expect(again.counts).toEqual({ rows: 1, imported: 1, already: 0, notFilms: 0, unmatched: 0, notReached: 0 });
    expect((await film.core.repos.watchlist.list(ALICE)).map((entry) => entry.movieId).sort()).toEqual([
      11_314, 976_893,
    ]);
  });

  it('looks films up behind members’ own requests and ahead of background work, a few at a time, each film once', async () => {
    await run(ALICE, { name: 'export.zip', bytes: letterboxdZip() });

    expect(new Set(lanes)).toEqual(new Set(['normal']));
    expect(peakInFlight).toBeLessThanOrEqual(2);
    // 8 films; Koyaanisqatsi (no year) is searched once in any year, the others first in their year.
    const searches = tmdb.requests.filter((uri) => uri.startsWith('/3/search/movie'));
    expect(searches.filter((uri) => /query=dune&/.test(uri))).toHaveLength(2);
    expect(searches.filter((uri) => /koyaanisqatsi/.test(uri))).toEqual([
      expect.not.stringContaining('primary_release_year'),
    ]);
  });

  it('imports IMDb ratings: 7 becomes 3½★, a TV series is skipped and counted, ids are kept for next time', async () => {
    const summary = await run(BOB, importFixture('imdb/ratings.csv'), 'imdb');

    expect(await ratingsOf(BOB)).toEqual([
      { movieId: 603, score: 4.5 },
      { movieId: 949, score: 3.5 },
    ]);
    expect(summary.counts).toEqual({ rows: 4, imported: 2, already: 0, notFilms: 1, unmatched: 1, notReached: 0 });
    expect(summary.unmatchedReasons).toEqual({ 'unknown-id': 1 });
    // The IMDb id TMDB does not know was tried by title and year too, then listed to fix.
    expect(tmdb.requests.some((uri) => uri.startsWith('/3/find/tt9999991'))).toBe(true);
    expect(summary.unmatchedFile?.text.split('\n')[1]).toBe(
      'tt9999991,"A ""Lost"" Film, Part 2",1990,,TMDB knows no film with this id,6,2021-02-02,Movie',
    );

    // The next member's import of the same films is matched from the database, by the IMDb ids `find` confirmed.
    tmdb.requests.length = 0;
    const again = await run(ALICE, importFixture('imdb/ratings.csv'), 'imdb');
    expect(again.counts.imported).toBe(2);
    expect(tmdb.requests.filter((uri) => /tt0113277|tt0133093/.test(uri))).toEqual([]);
  });

  it('never overwrites a rating with an older one from the file', async () => {
    const ratings = createRatingService(film.core, { taste: taste.taste });
    await film.core.catalog.getMovie(949);
    await ratings.rate({ userId: BOB, movieId: 949, stars: 4 });

    const summary = await run(BOB, importFixture('imdb/ratings.csv'), 'imdb');

    expect(await ratingsOf(BOB)).toContainEqual({ movieId: 949, score: 4 });
    expect(summary.counts.already).toBe(1);
    expect(summary.counts.imported).toBe(1);

    // A rating dated after the member's own (tomorrow, in a time zone ahead) does replace it.
    const newer = 'Const,Your Rating,Date Rated,Title,Title Type,Year\ntt0113277,5,2026-03-11,Heat,Movie,1995\n';
    await run(BOB, { name: 'ratings.csv', bytes: Buffer.from(newer) }, 'imdb');
    expect(await ratingsOf(BOB)).toContainEqual({ movieId: 949, score: 2.5 });
  });

  it('imports nothing twice: the same file again adds nothing and matches stored films without TMDB', async () => {
    await run(ALICE, { name: 'export.zip', bytes: letterboxdZip() });
    const before = { ratings: await ratingsOf(ALICE), diary: await diaryOf(ALICE) };
    tmdb.requests.length = 0;

    const again = await run(ALICE, { name: 'export.zip', bytes: letterboxdZip() });

    expect(again.counts).toEqual({ rows: 13, imported: 0, already: 12, notFilms: 0, unmatched: 1, notReached: 0 });
    expect({ ratings: await ratingsOf(ALICE), diary: await diaryOf(ALICE) }).toEqual(before);
    // Only what has no exact year in the store goes to TMDB again: Koyaanisqatsi and the film nobody made.
    expect(tmdb.requests.every((uri) => /koyaanisqatsi|nobody/i.test(uri))).toBe(true);
  });

  it('writes nothing for a refused file', async () => {
    await expect(run(ALICE, importFixture('letterboxd/broken-quote.csv'))).rejects.toMatchObject({
      code: 'import-bad-row',
    });
    const bomb = makeZip([{ name: '../ratings.csv', data: 'x' }]);
    await expect(run(ALICE, { name: 'evil.zip', bytes: bomb })).rejects.toMatchObject({ code: 'import-unsafe-zip' });
    for (const table of ['users', 'ratings', 'watch_log', 'watchlist', 'import_runs']) {
      expect(await film.count(table), table).toBe(0);
    }
    expect(tmdb.requests).toEqual([]);
  });

  it('keeps no transaction open while it waits on TMDB: another member’s rating is saved meanwhile', async () => {
    const held = gate();
    tmdb.gate = (uri) => (/koyaanisqatsi/i.test(uri) ? held.opened : null);
    const parsed = await imports.parse('letterboxd', { name: 'export.zip', bytes: letterboxdZip() });
    const started = await imports.start({ userId: ALICE, parsed }, listening());
    await vi.waitFor(() => expect(tmdb.requests.some((uri) => /koyaanisqatsi/i.test(uri))).toBe(true));

    const ratings = createRatingService(film.core, { taste: taste.taste });
    await film.core.catalog.getMovie(603);
    const saved = await ratings.rate({ userId: BOB, movieId: 603, stars: 5 });

    expect(saved.stars).toBe(5);
    held.open();
    expect((await started.done).end).toEqual({ kind: 'done' });
  });

  it('runs one import at a time per member, in any process; a claim left by a dead process is taken', async () => {
    const held = gate();
    tmdb.gate = (uri) => (/koyaanisqatsi/i.test(uri) ? held.opened : null);
    const parsed = await imports.parse('letterboxd', importFixture('letterboxd/watched.csv'));
    const first = await imports.start({ userId: ALICE, parsed }, listening());
    // Another process's service (same database) is refused as well, while another member is not.
    const elsewhere = createImportService(film.core, { taste: taste.taste });

    await expect(elsewhere.start({ userId: ALICE, parsed }, listening())).rejects.toMatchObject({
      code: 'import-running',
      message: expect.stringMatching(/^You already have an import running: wait for its summary/),
    });
    const bob = await elsewhere.start({ userId: BOB, parsed }, listening());
    held.open();
    await Promise.all([first.done, bob.done]);
    expect(await claims()).toBe(0);
    await expect(imports.start({ userId: ALICE, parsed }, listening()).then((s) => s.done)).resolves.toMatchObject({
      end: { kind: 'done' },
    });

    // A claim whose heartbeat stopped 6 minutes ago (its process died) no longer holds the member.
    await film.test.db.sequelize.query(
      `INSERT INTO import_runs (user_id, run_id, started_at, heartbeat_at) VALUES (:userId, 'dead', :at, :at)`,
      { replacements: { userId: ALICE, at: new Date('2026-03-10T11:54:00Z') } },
    );
    await expect(imports.start({ userId: ALICE, parsed }, listening()).then((s) => s.done)).resolves.toMatchObject({
      end: { kind: 'done' },
    });
  });

  it('stops when TMDB stops answering, keeping the chunks already written', async () => {
    const chunked = createImportService(film.core, { taste: taste.taste }, { chunkFilms: 2, lookupConcurrency: 1 });
    tmdb.gate = (uri) => {
      if (/perfect/i.test(uri)) tmdb.done(); // TMDB goes away: nock now refuses every request
      return null;
    };
    const summary = await run(ALICE, { name: 'export.zip', bytes: letterboxdZip() }, 'letterboxd', chunked);

    expect(summary.end).toEqual({ kind: 'stopped', reason: 'tmdb-unavailable' });
    expect(summary.counts.notReached).toBeGreaterThan(0);
    expect(summary.counts.imported).toBeGreaterThan(0);
    expect(await film.count('ratings')).toBeGreaterThan(0);
    expect(await claims()).toBe(0);
  });

  it('stops writing when the member deletes their data meanwhile, and does not bring them back', async () => {
    const held = gate();
    tmdb.gate = (uri) => (/koyaanisqatsi/i.test(uri) ? held.opened : null);
    const chunked = createImportService(film.core, { taste: taste.taste }, { chunkFilms: 100 });
    const parsed = await chunked.parse('letterboxd', { name: 'export.zip', bytes: letterboxdZip() });
    const started = await chunked.start({ userId: ALICE, parsed }, listening());
    await vi.waitFor(() => expect(tmdb.requests.some((uri) => /koyaanisqatsi/i.test(uri))).toBe(true));

    film.setNow(new Date('2026-03-10T12:01:00Z'));
    await createPrivacyService(film.core, { taste: taste.taste }).deleteEverything(ALICE);
    held.open();
    const summary = await started.done;

    expect(summary.end).toEqual({ kind: 'stopped', reason: 'forgotten' });
    expect(await film.count('users')).toBe(0);
    expect(await film.count('ratings')).toBe(0);
  });

  it('stops after the current step when the bot stops, and tells the listener', async () => {
    const held = gate();
    tmdb.gate = (uri) => (/koyaanisqatsi/i.test(uri) ? held.opened : null);
    const parsed = await imports.parse('letterboxd', { name: 'export.zip', bytes: letterboxdZip() });
    let told: ImportSummary | null = null;
    const started = await imports.start(
      { userId: ALICE, parsed },
      { progress: () => undefined, finished: async (summary) => void (told = summary) },
    );
    await vi.waitFor(() => expect(tmdb.requests.some((uri) => /koyaanisqatsi/i.test(uri))).toBe(true));

    await imports.stop(5_000);

    expect(told).toMatchObject({ end: { kind: 'stopped', reason: 'shutdown' } });
    expect((await started.done).counts.notReached).toBeGreaterThan(0);
    expect(await claims()).toBe(0);
    held.open();
  });

  it('gives back Letterboxd CSVs that re-import into a fresh member with the same ratings and diary', async () => {
    await run(ALICE, { name: 'export.zip', bytes: letterboxdZip() });
    const privacy = createPrivacyService(film.core, { taste: taste.taste });
    const exported = await privacy.letterboxd(ALICE);
    expect(exported.ratings.split('\n')[0]).toBe('Date,Name,Year,Letterboxd URI,Rating,tmdbID');
    expect(exported.diary.split('\n')[0]).toBe('Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date,tmdbID');
    tmdb.requests.length = 0;

    const zip = makeZip([
      { name: 'ratings.csv', data: exported.ratings },
      { name: 'diary.csv', data: exported.diary },
    ]);
    const summary = await run(BOB, { name: 'from-marquee.zip', bytes: zip });

    expect(summary.counts.unmatched).toBe(0);
    expect(await ratingsOf(BOB)).toEqual(await ratingsOf(ALICE));
    expect(await diaryOf(BOB)).toEqual(await diaryOf(ALICE));
    // Matched by tmdbID from the stored films: no title search at all.
    expect(tmdb.requests).toEqual([]);
    // Rating dates survive the trip.
    const dune = (await film.core.repos.ratings.listByUser(BOB)).find((rating) => rating.movieId === 438_631);
    expect(dune?.ratedAt).toEqual(startOfDay('2023-03-01'));
  });

  it('refuses to start while another import holds the member, with the reason as a UserFacingError', async () => {
    const held = gate();
    tmdb.gate = () => held.opened;
    const parsed = await imports.parse('letterboxd', importFixture('letterboxd/watchlist.csv'));
    const first = await imports.start({ userId: ALICE, parsed }, listening());
    const second = await imports.start({ userId: ALICE, parsed }, listening()).catch((error: unknown) => error);
    expect(second).toBeInstanceOf(UserFacingError);
    held.open();
    await first.done;
  });
});
