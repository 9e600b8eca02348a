import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { createMovieService, parseTitleQuery, rankMovies, type MovieService } from '../../src/services/movies.js';
import { movieSummary, snowflake } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import {
  createFilmTestCore,
  detailsBody,
  duneSearch,
  searchBody,
  tmdbFixture,
  TMDB_ORIGIN,
  type FilmTestCore,
} from '../support/film-support.js';

const tmdb = () => nock(TMDB_ORIGIN);
const t0 = new Date('2026-03-01T00:00:00Z');

async function refusal(promise: Promise<unknown>): Promise<string> {
  const error: unknown = await promise.then(
    () => null,
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(UserFacingError);
  return (error as UserFacingError).code;
}

describe('rankMovies', () => {
  it('puts the exact title first, then title prefixes, then word prefixes, each by popularity, each film once', () => {
    const ranked = rankMovies(
      [
        [movieSummary(1, { title: 'The Dune Sea', popularity: 50 }), movieSummary(2, { title: 'Dune', popularity: 1 })],
        [
          movieSummary(2, { title: 'Dune', popularity: 1 }),
          movieSummary(3, { title: 'Dune: Part Two', popularity: 9 }),
          movieSummary(4, { title: 'Dunes', popularity: 99 }),
          movieSummary(5, { title: 'Something else', popularity: 1_000 }),
        ],
      ],
      'dune',
    );
    // 2 exact; 4 (99) and 3 (9) start with "dune"; 1 has a word starting with it; 5 matched only on TMDB's side.
    expect(ranked.map((movie) => movie.tmdbId)).toEqual([2, 4, 3, 1, 5]);
  });
});

describe('parseTitleQuery', () => {
  const now = new Date('2026-03-01T00:00:00Z');

  it.each([
    ['Alien (1979)', { title: 'Alien', year: '1979', bare: false }],
    ['Alien [1979]', { title: 'Alien', year: '1979', bare: false }],
    ['alien 1979', { title: 'alien', year: '1979', bare: true }],
    ['alien 79', { title: 'alien', year: '1979', bare: true }],
    ['dune 21', { title: 'dune', year: '2021', bare: true }],
    // 31 is the last two-digit year read as 20xx: films are announced up to 5 years ahead.
    ['film 31', { title: 'film', year: '2031', bare: true }],
    ['film 32', { title: 'film', year: '1932', bare: true }],
    ['Apollo 13', { title: 'Apollo', year: '2013', bare: true }],
    // No year TMDB could have: a title.
    ['Blade Runner 2049', { title: 'Blade Runner 2049', year: null, bare: false }],
    ['1917', { title: '1917', year: null, bare: false }],
    ['Ocean’s 8', { title: 'Ocean’s 8', year: null, bare: false }],
    ['Heat', { title: 'Heat', year: null, bare: false }],
  ])('reads “%s”', (text, expected) => {
    expect(parseTitleQuery(text, now)).toEqual(expected);
  });
});

describe.each(databaseKinds())('movie service on %s', (kind) => {
  let film: FilmTestCore;
  let movies: MovieService;
  const guild = snowflake(1);
  const alice = snowflake(10);
  const bob = snowflake(11);

  beforeAll(async () => {
    film = await createFilmTestCore(kind);
  });
  afterAll(() => film.destroy());
  beforeEach(async () => {
    await film.reset();
    movies = createMovieService(film.core, { autocompleteBudgetMs: 300, typingPauseMs: 20 });
  });
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });

  const cache = (...films: Parameters<typeof movieSummary>[]) =>
    film.core.repos.movies.upsertSummaries(
      films.map((args) => movieSummary(...args)),
      t0,
    );

  describe('autocomplete', () => {
    it('merges the cache with TMDB search: each film once, exact title first, named "Title (Year)", value the id', async () => {
      await cache(
        [550, { title: 'Fight Club', releaseDate: '1999-10-15', popularity: 73 }],
        [777, { title: 'The Fight Club Story', popularity: 5 }],
      );
      const search = tmdb()
        .get('/3/search/movie')
        .query((q) => q.query === 'fight club')
        .reply(200, tmdbFixture('search-movie'));

      const choices = await movies.autocomplete(alice, 'Fight Club');

      expect(search.isDone()).toBe(true);
      // 550 exact (in both lists, once); 973534 starts with "fight club"; then the word matches by popularity:
      // 777 (5, cache only), 259016 (1.614), 944789 (0.6). Empty release dates get no year.
      expect(choices).toEqual([
        { name: 'Fight Club (1999)', value: '550' },
        { name: 'Fight Club (Russian version)', value: '973534' },
        { name: 'The Fight Club Story (2001)', value: '777' },
        { name: 'Insane Fight Club (2014)', value: '259016' },
        { name: 'Leopard Fight Club', value: '944789' },
      ]);
    });

    it('answers from the cache alone when TMDB does not answer within the budget', async () => {
      await cache([550, { title: 'Fight Club', releaseDate: '1999-10-15', popularity: 73 }]);
      // TMDB answers long after the 300 ms budget; the abort in afterEach ends the request.
      tmdb().get('/3/search/movie').query(true).delay(10_000).reply(200, tmdbFixture('search-movie'));

      expect(await movies.autocomplete(alice, 'fight')).toEqual([{ name: 'Fight Club (1999)', value: '550' }]);
    });

    it('answers within the budget when the cache query hangs: with TMDB’s films, or none when TMDB hangs too', async () => {
      const stuckCache = { ...film.core.repos.movies, searchByTitle: () => new Promise<never>(() => {}) };
      const stuck = createMovieService(
        { ...film.core, repos: { ...film.core.repos, movies: stuckCache } },
        { autocompleteBudgetMs: 300, typingPauseMs: 20 },
      );
      tmdb()
        .get('/3/search/movie')
        .query((q) => q.query === 'heat')
        .reply(200, searchBody([{ id: 1_234, title: 'Heat', release_date: '1995-12-15' }]));
      // Answers long after the 300 ms budget; the abort in afterEach ends the request.
      tmdb()
        .get('/3/search/movie')
        .query((q) => q.query === 'heist')
        .delay(10_000)
        .reply(200, searchBody([]));

      expect(await stuck.autocomplete(alice, 'heat')).toEqual([{ name: 'Heat (1995)', value: '1234' }]);
      expect(await stuck.autocomplete(bob, 'heist')).toEqual([]);
    });

    it('answers from the cache alone when TMDB fails', async () => {
      await cache([550, { title: 'Fight Club', releaseDate: '1999-10-15' }]);
      tmdb().get('/3/search/movie').query(true).reply(500, { status_code: 11, status_message: 'Internal error' });

      expect(await movies.autocomplete(alice, 'fight')).toEqual([{ name: 'Fight Club (1999)', value: '550' }]);
    });

    it('offers at most 25 choices, each name at most 100 characters', async () => {
      const long = 'A very long title '.repeat(10);
      await cache(
        ...Array.from({ length: 30 }, (_, i): Parameters<typeof movieSummary> => [1_000 + i, { title: `${long}${i}` }]),
      );
      tmdb().get('/3/search/movie').query(true).reply(200, searchBody([]));

      const choices = await movies.autocomplete(alice, 'a very long');

      expect(choices).toHaveLength(25);
      for (const choice of choices) {
        expect(choice.name.length).toBeLessThanOrEqual(100);
        expect(choice.name).toMatch(/… \(2001\)$/);
      }
    });

    it('sends only the query a member paused on to TMDB, while each member gets their own', async () => {
      const queries: string[] = [];
      tmdb()
        .get('/3/search/movie')
        .query(true)
        .times(3)
        .reply(200, (uri) => {
          queries.push(new URL(uri, TMDB_ORIGIN).searchParams.get('query') ?? '');
          return searchBody([{ id: 1_234, title: 'Heat', release_date: '1995-12-15' }]);
        });

      // Alice types three keystrokes without pausing; Bob types one query at the same time.
      const [first, second, last, bobs] = await Promise.all([
        movies.autocomplete(alice, 'h'),
        movies.autocomplete(alice, 'he'),
        movies.autocomplete(alice, 'hea'),
        movies.autocomplete(bob, 'heat'),
      ]);

      expect(queries.sort()).toEqual(['hea', 'heat']);
      // The superseded keystrokes were answered from the (empty) cache.
      expect(first).toEqual([]);
      expect(second).toEqual([]);
      expect(last).toEqual([{ name: 'Heat (1995)', value: '1234' }]);
      expect(bobs).toEqual([{ name: 'Heat (1995)', value: '1234' }]);
    });

    it('offers popular films for a blank query', async () => {
      tmdb().get('/3/movie/popular').query(true).reply(200, tmdbFixture('movie-popular-list'));

      const choices = await movies.autocomplete(alice, '  ');

      expect(choices.map((choice) => choice.value)).toEqual(['640146', '502356', '594767']);
      expect(choices[0]?.name).toBe('Ant-Man and the Wasp: Quantumania (2023)');
    });
  });

  describe('resolve', () => {
    it('resolves a stored id (an autocomplete pick) to the film with its details', async () => {
      await cache([11, { title: 'Star Wars', releaseDate: '1977-05-25' }]);
      tmdb().get('/3/movie/11').query(true).reply(200, tmdbFixture('movie-details'));

      const resolution = await movies.resolve('11');

      expect(resolution.kind).toBe('movie');
      if (resolution.kind === 'movie')
        expect(resolution.movie).toMatchObject({ tmdbId: 11, title: 'Star Wars', runtime: 121 });
    });

    it('refuses an id TMDB does not know, and stores nothing', async () => {
      tmdb()
        .get('/3/search/movie')
        .query((q) => q.query === '99999999')
        .reply(200, searchBody([]));
      tmdb().get('/3/movie/99999999').query(true).reply(404, tmdbFixture('error-404'));

      expect(await refusal(movies.resolve('99999999'))).toBe('movie-not-found');
      expect(await film.count('movies')).toBe(0);
    });

    it('uses the one film whose title matches typed text exactly', async () => {
      tmdb()
        .get('/3/search/movie')
        .query((q) => q.query === 'fight club')
        .reply(200, tmdbFixture('search-movie'));
      tmdb()
        .get('/3/movie/550')
        .query(true)
        .reply(200, detailsBody(550, 'Fight Club', '1999-10-15', { runtime: 139 }));

      const resolution = await movies.resolve('  Fight   Club ');

      expect(resolution).toMatchObject({ kind: 'movie', movie: { tmdbId: 550, title: 'Fight Club', runtime: 139 } });
    });

    it('uses the only result when the typed text is not an exact title', async () => {
      tmdb()
        .get('/3/search/movie')
        .query((q) => q.query === 'godfathr')
        .reply(200, searchBody([{ id: 238, title: 'The Godfather', release_date: '1972-03-14' }]));
      tmdb()
        .get('/3/movie/238')
        .query(true)
        .reply(200, detailsBody(238, 'The Godfather', '1972-03-14'));

      expect(await movies.resolve('godfathr')).toMatchObject({ kind: 'movie', movie: { tmdbId: 238 } });
    });

    it('returns the candidates, exact titles first, when several films match', async () => {
      tmdb()
        .get('/3/search/movie')
        .query((q) => q.query === 'dune')
        .reply(200, duneSearch());

      const resolution = await movies.resolve('Dune');

      expect(resolution.kind).toBe('choices');
      if (resolution.kind === 'choices') {
        expect(resolution.query).toBe('Dune');
        expect(resolution.candidates.map((movie) => movie.tmdbId)).toEqual([438_631, 841, 693_134]);
      }
    });

    it('tells same-named films apart by a year typed as "Title (Year)"', async () => {
      tmdb()
        .get('/3/search/movie')
        .query((q) => q.query === 'dune')
        .reply(
          200,
          searchBody([
            { id: 438_631, title: 'Dune', release_date: '2021-09-15' },
            { id: 841, title: 'Dune', release_date: '1984-12-14' },
          ]),
        );
      tmdb()
        .get('/3/movie/841')
        .query(true)
        .reply(200, detailsBody(841, 'Dune', '1984-12-14'));

      expect(await movies.resolve('Dune (1984)')).toMatchObject({ kind: 'movie', movie: { tmdbId: 841 } });
    });

    describe('a year after the title, with or without brackets', () => {
      /** TMDB's search for "alien": two films titled exactly "Alien", and a sequel. */
      function alienSearch() {
        tmdb()
          .get('/3/search/movie')
          .query((q) => q.query === 'alien')
          .reply(
            200,
            searchBody([
              { id: 348, title: 'Alien', release_date: '1979-05-25', popularity: 40 },
              { id: 9_999_001, title: 'Alien', release_date: '2024-01-01', popularity: 50 },
              { id: 679, title: 'Aliens', release_date: '1986-07-18', popularity: 30 },
            ]),
          );
        tmdb()
          .get('/3/movie/348')
          .query(true)
          .reply(200, detailsBody(348, 'Alien', '1979-05-25'));
      }

      it.each(['alien 1979', 'alien 79', 'Alien [1979]', 'Alien (1979)'])(
        'resolves “%s” to Alien (1979)',
        async (typed) => {
          alienSearch();
          // The whole text is searched too when the year has no brackets: no film has that title.
          tmdb()
            .get('/3/search/movie')
            .query((q) => q.query === typed.toLowerCase())
            .reply(200, searchBody([]));

          expect(await movies.resolve(typed)).toMatchObject({ kind: 'movie', movie: { tmdbId: 348 } });
        },
      );

      it('takes “Apollo 13” as the title it is, though a film called Apollo came out in 2013', async () => {
        tmdb()
          .get('/3/search/movie')
          .query((q) => q.query === 'apollo')
          .reply(200, searchBody([{ id: 5_001, title: 'Apollo', release_date: '2013-06-01' }]));
        tmdb()
          .get('/3/search/movie')
          .query((q) => q.query === 'apollo 13')
          .reply(200, searchBody([{ id: 568, title: 'Apollo 13', release_date: '1995-06-30' }]));
        tmdb()
          .get('/3/movie/568')
          .query(true)
          .reply(200, detailsBody(568, 'Apollo 13', '1995-06-30'));

        expect(await movies.resolve('Apollo 13')).toMatchObject({ kind: 'movie', movie: { tmdbId: 568 } });
      });

      it('offers the films of that title when none is from the year typed', async () => {
        alienSearch();
        tmdb()
          .get('/3/search/movie')
          .query((q) => q.query === 'alien 1990')
          .reply(200, searchBody([]));

        const resolution = await movies.resolve('alien 1990');

        expect(resolution.kind).toBe('choices');
        if (resolution.kind === 'choices') {
          expect(resolution.candidates.map((movie) => movie.tmdbId)).toEqual([9_999_001, 348, 679]);
        }
      });
    });

    it('says so clearly when nothing matches', async () => {
      tmdb().get('/3/search/movie').query(true).reply(200, searchBody([]));

      expect(await refusal(movies.resolve('zzqx no such film'))).toBe('movie-no-match');
    });

    it('refuses a 200-character title before any lookup', async () => {
      // No TMDB interceptor: a request would fail the lookup differently ('tmdb-unavailable').
      expect(await refusal(movies.resolve('x'.repeat(200)))).toBe('movie-query-too-long');
      expect(await film.count('movies')).toBe(0);
    });

    it('resolves from the cache when TMDB is down', async () => {
      await cache([62, { title: '2001: A Space Odyssey', releaseDate: '1968-04-02' }]);
      tmdb().get('/3/search/movie').query(true).reply(503, { status_code: 9, status_message: 'Service offline' });
      tmdb().get('/3/movie/62').query(true).reply(503, { status_code: 9, status_message: 'Service offline' });

      // The stored partial row stands in for the details TMDB could not send.
      expect(await movies.resolve('2001: A Space Odyssey')).toMatchObject({
        kind: 'movie',
        movie: { tmdbId: 62, runtime: null },
      });
    });
  });

  describe('card', () => {
    const raters = [snowflake(20), snowflake(21), snowflake(22)];

    async function rateAs(userId: string, movieId: number, score: number) {
      await film.core.repos.guilds.touchMember(guild, userId, film.core.clock());
      await film.core.repos.ratings.upsert({ userId, movieId, score, ratedAt: t0 });
    }

    it("shows the server's ratings, the member's own state and where to stream in the guild's region", async () => {
      await cache([550, { title: 'Fight Club', releaseDate: '1999-10-15' }]);
      for (const [i, userId] of raters.entries()) await rateAs(userId, 550, [3, 4, 5][i] ?? 0);
      await film.core.repos.guilds.touchMember(guild, alice, film.core.clock());
      await film.core.repos.watchlist.add(alice, 550, t0);
      await film.core.repos.watchLog.add({ userId: alice, movieId: 550, watchedOn: '2026-01-01', note: null }, t0);
      await film.core.repos.watchLog.add({ userId: alice, movieId: 550, watchedOn: '2026-02-01', note: null }, t0);
      tmdb().get('/3/movie/550/watch/providers').query(true).reply(200, tmdbFixture('movie-watch-providers'));
      const [movie] = await film.core.repos.movies.findByIds([550]);

      const view = await movies.card({ guildId: guild, userId: alice, movie: movie! });

      // (3 + 4 + 5) / 3 = 4 from the three raters.
      expect(view.guildStats).toEqual({ count: 3, average: 4 });
      expect(view.own).toEqual({ rating: null, watchlisted: true, timesWatched: 2 });
      // The guild has no region of its own, so the configured default (US) applies.
      expect(view.providers?.region).toBe('US');
      expect(view.providers?.flatrate.map((p) => p.name)).toEqual(['fuboTV', 'Hulu', 'Paramount Plus']);
    });

    it('shows the card without providers when TMDB fails', async () => {
      await cache([550, { title: 'Fight Club' }]);
      tmdb().get('/3/movie/550/watch/providers').query(true).reply(500, {});
      const [movie] = await film.core.repos.movies.findByIds([550]);

      const view = await movies.card({ guildId: guild, userId: alice, movie: movie! });

      expect(view.providers).toBeNull();
      expect(view.guildStats).toEqual({ count: 0, average: null });
    });
  });
});
