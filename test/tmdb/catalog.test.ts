import nock from 'nock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createMovieCatalog, type MovieCatalogOptions } from '../../src/tmdb/catalog.js';
import { createTmdbClient } from '../../src/tmdb/client.js';
import { TmdbError } from '../../src/tmdb/errors.js';
import type { MovieDetailsWithExtras } from '../../src/tmdb/schemas.js';
import type { CachedMovie } from '../../src/tmdb/types.js';
import error404 from '../fixtures/tmdb/error-404.json' with { type: 'json' };
import detailsFixture from '../fixtures/tmdb/movie-details.json' with { type: 'json' };
import popularFixture from '../fixtures/tmdb/movie-popular-list.json' with { type: 'json' };
import watchProvidersFixture from '../fixtures/tmdb/movie-watch-providers.json' with { type: 'json' };
import searchFixture from '../fixtures/tmdb/search-movie.json' with { type: 'json' };
import trendingFixture from '../fixtures/tmdb/trending-movies.json' with { type: 'json' };
import { settle } from '../support/fake-fetch.js';
import { createMemoryMovieStore, type MemoryMovieStore } from '../support/memory-movie-store.js';

const API = 'https://api.themoviedb.org';
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;
const START = new Date('2025-06-01T12:00:00Z');

/** A clock the test moves by hand. */
function createClock(start = START) {
  let now = start.getTime();
  return {
    clock: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

/** Star Wars (id 11) as the movies table holds it after a details fetch at `at`. */
function storedStarWars(at: Date, overrides: Partial<CachedMovie> = {}): CachedMovie {
  return {
    tmdbId: 11,
    title: 'Star Wars',
    originalTitle: 'Star Wars',
    releaseDate: '1977-05-25',
    genreIds: [12, 28, 878],
    overview: 'Princess Leia is captured…',
    posterPath: '/6FfCtAuVAW8XJjZ7eWeLibRLWTw.jpg',
    popularity: 20.6912,
    voteAverage: 8.2,
    voteCount: 22_061,
    runtime: 121,
    imdbId: 'tt0076759',
    fetchedAt: at,
    detailsFetchedAt: at,
    ...overrides,
  };
}

let unmatched: string[];
const onNoMatch = (request: { method?: string; path?: string }) => unmatched.push(`${request.method} ${request.path}`);

beforeEach(() => {
  // Any request without an interceptor is recorded, so "no HTTP request" is checked, not assumed.
  unmatched = [];
  nock.emitter.on('no match', onNoMatch);
});

afterEach(() => {
  nock.emitter.removeListener('no match', onNoMatch);
  nock.cleanAll();
});

function setup(options: Partial<MovieCatalogOptions> & { rows?: CachedMovie[] } = {}) {
  const store: MemoryMovieStore = createMemoryMovieStore(options.rows);
  const time = createClock();
  const client = createTmdbClient({ token: 'token', maxRetries: 0 });
  const catalog = createMovieCatalog({ client, store, clock: time.clock, ...options });
  return { catalog, store, time };
}

describe('details', () => {
  it('makes no HTTP request for a second identical lookup inside the freshness window', async () => {
    const scope = nock(API).get('/3/movie/11').reply(200, detailsFixture);
    const { catalog, store, time } = setup();

    const first = await catalog.getMovie(11);
    time.advance(29 * DAY_MS);
    const second = await catalog.getMovie(11);

    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(second).toEqual(first);
    expect(first).toMatchObject({
      tmdbId: 11,
      runtime: 121,
      imdbId: 'tt0076759',
      fetchedAt: START,
      detailsFetchedAt: START,
    });
    expect(store.calls.upsertDetails).toBe(1);
  });

  it('uses a fresh row the caller already read, reading the store no second time and asking TMDB nothing', async () => {
    nock(API).get('/3/movie/11').reply(200, detailsFixture);
    const { catalog, store } = setup();
    const stored = await catalog.getMovie(11);
    const reads = store.calls.findByIds;

    expect(await catalog.getMovie(11, { stored })).toEqual(stored);
    expect(store.calls.findByIds).toBe(reads);
    expect(unmatched).toEqual([]);
  });

  it('stores exactly the MovieDetails fields', async () => {
    nock(API).get('/3/movie/11').reply(200, detailsFixture);
    const { catalog, store } = setup();

    await catalog.getMovie(11);

    expect(store.rows.get(11)).toEqual(storedStarWars(START, { overview: detailsFixture.overview }));
  });

  it('fetches details again once they are detailsMaxAgeMs old', async () => {
    const scope = nock(API)
      .get('/3/movie/11')
      .reply(200, { ...detailsFixture, runtime: 125 });
    const { catalog, time } = setup({ rows: [storedStarWars(START)], detailsMaxAgeMs: 30 * DAY_MS });

    time.advance(30 * DAY_MS - 1);
    expect((await catalog.getMovie(11)).runtime).toBe(121);
    expect(unmatched).toEqual([]);

    time.advance(1);
    const refreshed = await catalog.getMovie(11);

    expect(scope.isDone()).toBe(true);
    expect(refreshed.runtime).toBe(125);
    expect(refreshed.detailsFetchedAt).toEqual(new Date(START.getTime() + 30 * DAY_MS));
  });

  it('completes a film seen only in search results from movie/{id}', async () => {
    nock(API).get('/3/search/movie').query(true).reply(200, searchFixture);
    nock(API)
      .get('/3/movie/550')
      .reply(200, { ...detailsFixture, id: 550, title: 'Fight Club', runtime: 139, imdb_id: 'tt0137523' });
    const { catalog, store } = setup();

    await catalog.search('fight club');
    expect(store.rows.get(550)).toMatchObject({ tmdbId: 550, runtime: null, detailsFetchedAt: null });

    const movie = await catalog.getMovie(550);

    expect(movie).toMatchObject({ tmdbId: 550, runtime: 139, imdbId: 'tt0137523', detailsFetchedAt: START });
    expect(store.rows.get(550)?.detailsFetchedAt).toEqual(START);
  });

  it('shares one request between concurrent lookups of the same film', async () => {
    const scope = nock(API).get('/3/movie/11').reply(200, detailsFixture);
    const { catalog } = setup();

    const [a, b] = await Promise.all([catalog.getMovie(11), catalog.getMovie(11)]);

    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(a).toEqual(b);
  });

  it('rejects with not-found for a film TMDB does not know', async () => {
    nock(API).get('/3/movie/999999999').reply(404, error404);
    const { catalog } = setup();

    await expect(catalog.getMovie(999_999_999)).rejects.toMatchObject({ kind: 'not-found', statusCode: 34 });
  });

  it('serves the stale row when TMDB fails', async () => {
    nock(API).get('/3/movie/11').reply(500, 'oops');
    const { catalog, time } = setup({ rows: [storedStarWars(START)] });
    time.advance(40 * DAY_MS);

    await expect(catalog.getMovie(11)).resolves.toEqual(storedStarWars(START));
  });

  it('still answers when the movies table cannot be written', async () => {
    nock(API).get('/3/movie/11').reply(200, detailsFixture);
    const { catalog, store } = setup();
    store.upsertDetails = () => Promise.reject(new Error('SQLITE_BUSY'));

    await expect(catalog.getMovie(11)).resolves.toMatchObject({ tmdbId: 11, runtime: 121 });
  });
});

describe('caller deadlines', () => {
  type CatalogClient = MovieCatalogOptions['client'];

  /** A client whose details request never answers, standing in for a slow TMDB; anything else is a test bug. */
  function stalledClient(): CatalogClient & { detailsCalls: number } {
    const unexpected = () => Promise.reject(new Error('unexpected TMDB call'));
    const fake = {
      detailsCalls: 0,
      movieDetails: () => {
        fake.detailsCalls += 1;
        return new Promise<MovieDetailsWithExtras>(() => {});
      },
      searchMovies: unexpected,
      popular: unexpected,
      topRated: unexpected,
      trending: unexpected,
      watchProviders: unexpected,
      findByImdbId: unexpected,
      recommendations: unexpected,
      similar: unexpected,
    } satisfies CatalogClient & { detailsCalls: number };
    return fake;
  }

  it('answers with the stored (partial) row when the deadline passes first', async () => {
    const client = stalledClient();
    const partial = storedStarWars(START, { runtime: null, imdbId: null, detailsFetchedAt: null });
    const store = createMemoryMovieStore([partial]);
    const catalog = createMovieCatalog({ client, store, clock: () => START });
    const deadline = new AbortController();

    const movie = catalog.getMovie(11, { signal: deadline.signal });
    await settle();
    deadline.abort(new DOMException('The operation timed out.', 'TimeoutError'));

    await expect(movie).resolves.toEqual(partial);
    expect(client.detailsCalls).toBe(1);
  });

  it('rejects with a timeout when nothing is stored and the deadline passes', async () => {
    const client = stalledClient();
    const catalog = createMovieCatalog({ client, store: createMemoryMovieStore(), clock: () => START });
    const deadline = new AbortController();

    const movie = catalog.getMovie(11, { signal: deadline.signal });
    await settle();
    deadline.abort(new DOMException('The operation timed out.', 'TimeoutError'));

    const error: unknown = await movie.catch((reason: unknown) => reason);
    expect(error).toBeInstanceOf(TmdbError);
    expect(error).toMatchObject({ kind: 'timeout', path: 'movie/11' });
  });

  it('rejects at once, starting no request, with a signal that already fired', async () => {
    const scope = nock(API).get('/3/search/movie').query(true).reply(200, searchFixture);
    const { catalog } = setup();

    await expect(catalog.search('fight club', { signal: AbortSignal.abort() })).rejects.toMatchObject({
      kind: 'aborted',
    });
    await expect(catalog.getMovie(11, { signal: AbortSignal.abort() })).rejects.toMatchObject({ kind: 'aborted' });
    await settle();
    expect(scope.isDone()).toBe(false);
    expect(unmatched).toEqual([]);
  });
});

describe('lists', () => {
  it('serves an identical search (case and spacing aside) from memory and stores the results as partial rows', async () => {
    const scope = nock(API)
      .get('/3/search/movie')
      .query({ query: 'fight club', page: '1', include_adult: 'false' })
      .reply(200, searchFixture);
    const { catalog, store, time } = setup({ listMaxAgeMs: 3 * HOUR_MS });

    const first = await catalog.search('Fight Club');
    time.advance(3 * HOUR_MS - 1);
    const second = await catalog.search('  fight   CLUB ');

    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(second).toEqual(first);
    expect([...store.rows.keys()]).toEqual([550, 973534, 259016, 944789]);
    expect(store.rows.get(973534)).toMatchObject({
      releaseDate: null,
      posterPath: null,
      detailsFetchedAt: null,
      fetchedAt: START,
    });
    expect(store.calls.upsertSummaries).toBe(1);
  });

  it('searches again once the list TTL has passed', async () => {
    const scope = nock(API).get('/3/search/movie').query(true).times(2).reply(200, searchFixture);
    const { catalog, time } = setup({ listMaxAgeMs: 3 * HOUR_MS });

    await catalog.search('fight club');
    time.advance(3 * HOUR_MS);
    await catalog.search('fight club');

    expect(scope.isDone()).toBe(true);
  });

  it('keeps different pages and filters apart', async () => {
    const scope = nock(API)
      .get('/3/search/movie')
      .query({ query: 'alien', page: '1', include_adult: 'false' })
      .reply(200, searchFixture)
      .get('/3/search/movie')
      .query({ query: 'alien', page: '2', include_adult: 'false' })
      .reply(200, { ...searchFixture, page: 2 })
      .get('/3/search/movie')
      .query({ query: 'alien', page: '1', year: '1979', include_adult: 'false' })
      .reply(200, searchFixture);
    const { catalog } = setup();

    await catalog.search('alien');
    await catalog.search('alien', { page: 2 });
    await catalog.search('alien', { year: 1979 });

    expect(scope.isDone()).toBe(true);
  });

  it('answers a blank search without a request', async () => {
    const { catalog } = setup();

    await expect(catalog.search(' ')).resolves.toMatchObject({ results: [] });
    expect(unmatched).toEqual([]);
  });

  it('caches popular and each trending window for listMaxAgeMs, storing their films', async () => {
    const scope = nock(API)
      .get('/3/movie/popular')
      .query(true)
      .reply(200, popularFixture)
      .get('/3/trending/movie/week')
      .query(true)
      .reply(200, trendingFixture)
      .get('/3/trending/movie/day')
      .query(true)
      .reply(200, trendingFixture);
    const { catalog, store } = setup();

    await catalog.popular();
    await catalog.popular();
    await catalog.trending('week');
    await catalog.trending();
    await catalog.trending('day');

    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(store.rows.has(popularFixture.results[0]?.id ?? 0)).toBe(true);
  });

  it('forgets a failed list fetch so the next call asks again', async () => {
    const scope = nock(API)
      .get('/3/movie/top_rated')
      .query(true)
      .reply(500, 'oops')
      .get('/3/movie/top_rated')
      .query(true)
      .reply(200, popularFixture);
    const { catalog } = setup();

    await expect(catalog.topRated()).rejects.toMatchObject({ kind: 'server' });
    await expect(catalog.topRated()).resolves.toMatchObject({ page: 1 });
    expect(scope.isDone()).toBe(true);
  });
});

describe('watch providers', () => {
  it('caches providers per film and region for providersMaxAgeMs', async () => {
    const scope = nock(API).get('/3/movie/550/watch/providers').times(3).reply(200, watchProvidersFixture);
    const { catalog, time } = setup({ providersMaxAgeMs: 6 * HOUR_MS });

    const gb = await catalog.watchProviders(550, 'GB');
    await catalog.watchProviders(550, 'gb');
    await catalog.watchProviders(550, 'US');
    time.advance(6 * HOUR_MS);
    await catalog.watchProviders(550, 'GB');

    // GB, US, then GB again after expiry: three requests.
    expect(scope.isDone()).toBe(true);
    expect(unmatched).toEqual([]);
    expect(gb.flatrate.map((provider) => provider.name)).toEqual(['Disney Plus', 'Amazon Prime Video']);
  });
});

describe('find by IMDb id', () => {
  it('stores the film it finds as a partial row', async () => {
    nock(API)
      .get('/3/find/tt0137523')
      .query({ external_source: 'imdb_id' })
      .reply(200, { movie_results: [searchFixture.results[0]], person_results: [], tv_results: [] });
    const { catalog, store } = setup();

    await expect(catalog.findByImdbId('tt0137523')).resolves.toMatchObject({ tmdbId: 550 });
    expect(store.rows.get(550)).toMatchObject({ title: 'Fight Club', detailsFetchedAt: null });
  });
});
