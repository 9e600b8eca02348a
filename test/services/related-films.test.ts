import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createFilmFacts } from '../../src/services/recommendations/film-facts.js';
import {
  createRelatedFilms,
  RELATED_FILMS_DEFAULTS,
  type RelatedFilmsOptions,
} from '../../src/services/recommendations/related-films.js';
import { DAY_MS } from '../../src/time.js';
import { snowflake } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { createFilmTestCore, searchBody, TMDB_ORIGIN, type FilmTestCore } from '../support/film-support.js';
import { createManualBackground, type ManualBackground } from '../support/manual-background.js';

const MATRIX = 603;
const t0 = new Date('2026-03-10T12:00:00Z');
const page = (ids: number[]) => searchBody(ids.map((id) => ({ id, title: `Film ${id}`, release_date: '2001-01-01' })));
const tmdb = () => nock(TMDB_ORIGIN);

describe.each(databaseKinds())('TMDB lists of loved films on %s', (kind) => {
  let film: FilmTestCore;
  let background: ManualBackground;
  const silent = createLogger({ level: 'silent' });

  function service(options: RelatedFilmsOptions = {}) {
    const { repos, catalog, clock } = film.core;
    return createRelatedFilms(
      {
        repo: repos.relatedFilms,
        catalog,
        facts: createFilmFacts({ movies: repos.movies }),
        background,
        clock,
        log: silent,
      },
      { ...RELATED_FILMS_DEFAULTS, ...options },
    );
  }
  const stored = async () => film.core.repos.relatedFilms.listsFor([MATRIX]);
  /** A list stored `daysAgo` days before t0. */
  const storeList = (relatedIds: number[], daysAgo: number) =>
    film.core.repos.relatedFilms.save({
      movieId: MATRIX,
      kind: 'recommendations',
      fetchedAt: new Date(t0.getTime() - daysAgo * DAY_MS),
      relatedIds,
    });

  beforeAll(async () => {
    film = await createFilmTestCore(kind, t0);
  });
  afterAll(() => film.destroy());
  beforeEach(async () => {
    await film.reset();
    background = createManualBackground();
  });
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });

  it('fetches a loved film’s list in the background, best first, and stores its films as rows the picks can show', async () => {
    tmdb()
      .get(`/3/movie/${MATRIX}/recommendations`)
      .query(true)
      .reply(200, page([604, 605]));

    service().loved(MATRIX);
    expect(await stored()).toEqual([]);
    await background.runAll();

    expect(await stored()).toEqual([
      { movieId: MATRIX, kind: 'recommendations', fetchedAt: t0, relatedIds: [604, 605] },
    ]);
    expect((await film.core.repos.movies.findByIds([604, 605])).map(({ title }) => title).sort()).toEqual([
      'Film 604',
      'Film 605',
    ]);
  });

  it('falls back to TMDB’s similar films when its recommendations are empty, and remembers when both are', async () => {
    tmdb().get(`/3/movie/${MATRIX}/recommendations`).query(true).reply(200, page([]));
    tmdb()
      .get(`/3/movie/${MATRIX}/similar`)
      .query(true)
      .reply(200, page([606]));
    tmdb().get('/3/movie/700/recommendations').query(true).reply(200, page([]));
    tmdb().get('/3/movie/700/similar').query(true).reply(200, page([]));

    const related = service();
    related.loved(MATRIX);
    related.loved(700);
    await background.runAll();

    expect(await film.core.repos.relatedFilms.listsFor([MATRIX, 700])).toEqual(
      expect.arrayContaining([
        { movieId: MATRIX, kind: 'similar', fetchedAt: t0, relatedIds: [606] },
        { movieId: 700, kind: 'none', fetchedAt: t0, relatedIds: [] },
      ]),
    );
  });

  it.each([
    ['a 500', () => tmdb().get(`/3/movie/${MATRIX}/recommendations`).query(true).reply(500, { status_code: 11 })],
    [
      'a 429 with a long Retry-After',
      () =>
        tmdb()
          .get(`/3/movie/${MATRIX}/recommendations`)
          .query(true)
          .reply(429, { status_code: 25 }, { 'Retry-After': '3600' }),
    ],
    [
      'a timeout',
      () =>
        tmdb()
          .get(`/3/movie/${MATRIX}/recommendations`)
          .query(true)
          .delay(60_000)
          .reply(200, page([999])),
    ],
  ])('keeps the stored list when TMDB answers a refresh with %s', async (_, fault) => {
    await storeList([604, 605], 40);
    fault();

    service().loved(MATRIX);
    await background.runAll();

    expect(await stored()).toMatchObject([{ movieId: MATRIX, relatedIds: [604, 605] }]);
  });

  it('answers a member’s first picks within its budget while TMDB hangs, and fetches again only later', async () => {
    const hanging = tmdb()
      .get(`/3/movie/${MATRIX}/recommendations`)
      .query(true)
      .times(2)
      .delay(60_000)
      .reply(200, page([604]));
    const related = service({ interactiveListBudgetMs: 50 });

    const lists = await related.forMember([MATRIX], [MATRIX]);
    expect(lists(MATRIX)).toBeUndefined();
    // A second request right after does not wait on the same film again (it is left to the background).
    const again = await related.forMember([MATRIX], [MATRIX]);
    expect(again(MATRIX)).toBeUndefined();
    expect(hanging.pendingMocks()).toHaveLength(1);
    expect(background.pending).toEqual([`related-films:${MATRIX}`]);
  });

  it('uses a stored list on the interactive path without asking TMDB', async () => {
    await storeList([604, 605], 1);

    const lists = await service().forMember([MATRIX, 42], [MATRIX]);

    expect(Array.from(lists(MATRIX) ?? [])).toEqual([604, 605]);
    expect(lists(42)).toBeUndefined();
    expect(background.pending).toEqual([]);
  });

  describe('the nightly pass', () => {
    const member = snowflake(10);

    beforeEach(async () => {
      const { repos } = film.core;
      await repos.movies.upsertSummaries(
        [MATRIX, 700, 701, 702].map((tmdbId) => ({
          tmdbId,
          title: `Film ${tmdbId}`,
          originalTitle: null,
          releaseDate: '2001-01-01',
          genreIds: [18],
          overview: null,
          posterPath: null,
          popularity: 1,
          voteAverage: 7,
          voteCount: 1,
        })),
        t0,
      );
      await repos.users.ensure(member);
      // Loved: 603 (stale list) and 700 (no list); 701 rated 3★ (not loved); 702 loved, list fresh.
      for (const [movieId, score] of [
        [MATRIX, 5],
        [700, 4],
        [701, 3],
        [702, 4.5],
      ] as const) {
        await repos.ratings.upsert({ userId: member, movieId, score, ratedAt: t0 });
      }
      await storeList([604], 31);
      await repos.relatedFilms.save({ movieId: 702, kind: 'recommendations', fetchedAt: t0, relatedIds: [703] });
      await repos.relatedFilms.save({
        movieId: 800,
        kind: 'recommendations',
        fetchedAt: new Date(t0.getTime() - 181 * DAY_MS),
        relatedIds: [801],
      });
    });

    it('deletes lists past 180 days and fetches the missing and stale lists of loved films', async () => {
      tmdb()
        .get('/3/movie/700/recommendations')
        .query(true)
        .reply(200, page([710]));
      tmdb()
        .get(`/3/movie/${MATRIX}/recommendations`)
        .query(true)
        .reply(200, page([620]));

      const report = await service().refreshDue({ lovedRating: 3.5 });

      expect(report).toEqual({ deleted: 1, fetched: 2, failed: 0 });
      const lists = await film.core.repos.relatedFilms.listsFor([MATRIX, 700, 702, 800]);
      expect(Object.fromEntries(lists.map(({ movieId, relatedIds }) => [movieId, relatedIds]))).toEqual({
        [MATRIX]: [620],
        700: [710],
        702: [703],
      });
    });

    it('stops after failures in a row, keeping every stored list', async () => {
      tmdb()
        .get(/\/recommendations$/)
        .query(true)
        .times(2)
        .reply(500, { status_code: 11 });

      const report = await service({ relatedMaxFailures: 2 }).refreshDue({ lovedRating: 3.5 });

      expect(report).toEqual({ deleted: 1, fetched: 0, failed: 2 });
      expect(await stored()).toMatchObject([{ relatedIds: [604] }]);
    });
  });
});
