import nock from 'nock';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createTmdbClient, type TmdbClientOptions } from '../../src/tmdb/client.js';
import { TmdbError } from '../../src/tmdb/errors.js';
import discoverFixture from '../fixtures/tmdb/discover-movie.json' with { type: 'json' };
import error401 from '../fixtures/tmdb/error-401.json' with { type: 'json' };
import error404 from '../fixtures/tmdb/error-404.json' with { type: 'json' };
import error429 from '../fixtures/tmdb/error-429.json' with { type: 'json' };
import findFixture from '../fixtures/tmdb/find-by-id.json' with { type: 'json' };
import genresFixture from '../fixtures/tmdb/genre-movie-list.json' with { type: 'json' };
import creditsFixture from '../fixtures/tmdb/movie-credits.json' with { type: 'json' };
import detailsFixture from '../fixtures/tmdb/movie-details.json' with { type: 'json' };
import externalIdsFixture from '../fixtures/tmdb/movie-external-ids.json' with { type: 'json' };
import keywordsFixture from '../fixtures/tmdb/movie-keywords.json' with { type: 'json' };
import popularFixture from '../fixtures/tmdb/movie-popular-list.json' with { type: 'json' };
import recommendationsFixture from '../fixtures/tmdb/movie-recommendations.json' with { type: 'json' };
import similarFixture from '../fixtures/tmdb/movie-similar.json' with { type: 'json' };
import topRatedFixture from '../fixtures/tmdb/movie-top-rated-list.json' with { type: 'json' };
import watchProvidersFixture from '../fixtures/tmdb/movie-watch-providers.json' with { type: 'json' };
import searchFixture from '../fixtures/tmdb/search-movie.json' with { type: 'json' };
import trendingFixture from '../fixtures/tmdb/trending-movies.json' with { type: 'json' };
import { createControlledFetch, settle } from '../support/fake-fetch.js';
import { createLogCapture } from '../support/log-capture.js';

const API = 'https://api.themoviedb.org';
const TOKEN = 'read-access-token-SECRET-1';
const API_KEY = 'api-key-SECRET-2';
const RETRYING = 'TMDB request failed; retrying';
const EMPTY_PAGE = { page: 1, results: [], total_pages: 0, total_results: 0 };

/** A client with quick, deterministic defaults; each test states what it relies on. */
function client(options: TmdbClientOptions = {}) {
  return createTmdbClient({ token: TOKEN, backoffBaseMs: 0, random: () => 0, ...options });
}

/** How many requests reached the scope's interceptors so far. */
function requestCounter(scope: nock.Scope): () => number {
  let count = 0;
  scope.on('request', () => {
    count += 1;
  });
  return () => count;
}

async function rejection(promise: Promise<unknown>): Promise<TmdbError> {
  const error = await promise.then(
    () => expect.fail('expected the call to reject'),
    (reason: unknown) => reason,
  );
  expect(error).toBeInstanceOf(TmdbError);
  return error as TmdbError;
}

afterEach(() => {
  vi.useRealTimers();
  nock.abortPendingRequests();
  nock.cleanAll();
});

describe('authentication', () => {
  it('sends the read access token as a Bearer header and keeps it out of the URL', async () => {
    const scope = nock(API, { reqheaders: { authorization: `Bearer ${TOKEN}` } })
      .get('/3/movie/11')
      .query((query) => !('api_key' in query))
      .reply(200, detailsFixture);

    await client().movieDetails(11);

    expect(scope.isDone()).toBe(true);
  });

  it('sends the api_key query parameter when only a key is configured', async () => {
    const scope = nock(API, { badheaders: ['authorization'] })
      .get('/3/movie/11')
      .query({ api_key: API_KEY })
      .reply(200, detailsFixture);

    await createTmdbClient({ apiKey: API_KEY }).movieDetails(11);

    expect(scope.isDone()).toBe(true);
  });

  it('refuses to start without a token or a key', () => {
    expect(() => createTmdbClient({})).toThrow(/token .* or an apiKey/);
  });
});

describe('search', () => {
  it('searches without adult titles, in the configured language, and maps "" release dates and null posters to null', async () => {
    nock(API)
      .get('/3/search/movie')
      .query({ query: 'fight club', page: '1', include_adult: 'false', language: 'en-US' })
      .reply(200, searchFixture);

    const list = await client({ language: 'en-US' }).searchMovies('  fight club ');

    expect(list).toMatchObject({
      page: 1,
      totalPages: searchFixture.total_pages,
      totalResults: searchFixture.total_results,
    });
    expect(list.results.map((movie) => movie.tmdbId)).toEqual([550, 973534, 259016, 944789]);
    expect(list.results[0]).toEqual({
      tmdbId: 550,
      title: 'Fight Club',
      originalTitle: 'Fight Club',
      releaseDate: '1999-10-15',
      genreIds: [18, 53, 35],
      overview: searchFixture.results[0]?.overview,
      posterPath: '/pB8BM7pdSp6B6Ih7QZ4DrQ3PmJK.jpg',
      popularity: 73.433,
      voteAverage: 8.433,
      voteCount: 26279,
    });
    // TMDB sends release_date "" and poster_path null for these two.
    expect(list.results[1]).toMatchObject({ tmdbId: 973534, releaseDate: null, posterPath: null });
    expect(list.results[3]).toMatchObject({
      tmdbId: 944789,
      releaseDate: null,
      posterPath: '/pNhu0kvxvBJhpzDEwKf9Zdphbfg.jpg',
    });
  });

  it('passes year filters and the page', async () => {
    const scope = nock(API)
      .get('/3/search/movie')
      .query({ query: 'alien', page: '2', year: '1979', primary_release_year: '1979', include_adult: 'false' })
      .reply(200, { ...EMPTY_PAGE, page: 2 });

    await client().searchMovies('alien', { page: 2, year: 1979, primaryReleaseYear: 1979 });

    expect(scope.isDone()).toBe(true);
  });

  it('returns an empty page when TMDB finds nothing', async () => {
    nock(API).get('/3/search/movie').query(true).reply(200, EMPTY_PAGE);

    await expect(client().searchMovies('zzzzqqqq')).resolves.toEqual({
      page: 1,
      totalPages: 0,
      totalResults: 0,
      results: [],
    });
  });

  it('answers a blank query with an empty page and no request', async () => {
    // No interceptor: a request would fail with nock's "no match".
    await expect(client().searchMovies('   ')).resolves.toEqual({
      page: 1,
      totalPages: 0,
      totalResults: 0,
      results: [],
    });
  });
});

describe('movie details', () => {
  it('maps details, turning genre objects into ids', async () => {
    nock(API).get('/3/movie/11').query(true).reply(200, detailsFixture);

    const movie = await client().movieDetails(11);

    expect(movie).toMatchObject({
      tmdbId: 11,
      title: 'Star Wars',
      releaseDate: '1977-05-25',
      genreIds: [12, 28, 878],
      runtime: 121,
      imdbId: 'tt0076759',
      tagline: 'A long time ago in a galaxy far, far away...',
      credits: null,
      keywords: null,
      externalIds: null,
      watchProviders: null,
    });
  });

  it('asks for appended parts once each and maps them', async () => {
    const { id: _credits, ...credits } = creditsFixture;
    const { id: _keywords, ...keywords } = keywordsFixture;
    const { id: _ids, ...externalIds } = externalIdsFixture;
    const { id: _providers, ...providers } = watchProvidersFixture;
    nock(API)
      .get('/3/movie/550')
      .query({ append_to_response: 'credits,keywords,external_ids,watch/providers' })
      .reply(200, {
        ...detailsFixture,
        id: 550,
        credits,
        keywords,
        external_ids: externalIds,
        'watch/providers': providers,
      });

    const movie = await client().movieDetails(550, {
      append: ['credits', 'keywords', 'external_ids', 'watch/providers', 'credits'],
    });

    expect(movie.credits?.cast[0]).toEqual({
      personId: 819,
      name: 'Edward Norton',
      character: 'The Narrator',
      order: 0,
      profilePath: '/8nytsqL59SFJTVYVrN72k6qkGgJ.jpg',
    });
    expect(movie.credits?.crew.find((person) => person.job === 'Director')?.name).toBe('David Fincher');
    expect(movie.keywords?.[0]).toEqual({ id: 818, name: 'based on novel or book' });
    expect(movie.externalIds).toEqual({
      imdbId: 'tt0137523',
      wikidataId: null,
      facebookId: 'FightClub',
      instagramId: null,
      twitterId: null,
    });
    expect(Object.keys(movie.watchProviders ?? {})).toEqual(['AE', 'GB', 'US']);
  });

  it('maps a runtime of 0 and an empty imdb_id to null', async () => {
    nock(API)
      .get('/3/movie/11')
      .query(true)
      .reply(200, { ...detailsFixture, runtime: 0, imdb_id: '', poster_path: null });

    await expect(client().movieDetails(11)).resolves.toMatchObject({ runtime: null, imdbId: null, posterPath: null });
  });

  it('rejects an id that cannot be a film without a request', async () => {
    await expect(client().movieDetails(Number.NaN)).rejects.toThrow(RangeError);
  });
});

describe('lists', () => {
  it.each([
    [
      'popular',
      '/3/movie/popular',
      { page: '2', language: 'de-DE', region: 'DE' },
      popularFixture,
      (c: ReturnType<typeof client>) => c.popular({ page: 2 }),
    ],
    [
      'top rated',
      '/3/movie/top_rated',
      { page: '2', language: 'de-DE', region: 'DE' },
      topRatedFixture,
      (c: ReturnType<typeof client>) => c.topRated({ page: 2 }),
    ],
    [
      'trending this week',
      '/3/trending/movie/week',
      { page: '1', language: 'de-DE' },
      trendingFixture,
      (c: ReturnType<typeof client>) => c.trending(),
    ],
    [
      'trending today',
      '/3/trending/movie/day',
      { page: '1', language: 'de-DE' },
      trendingFixture,
      (c: ReturnType<typeof client>) => c.trending('day'),
    ],
    [
      'similar',
      '/3/movie/550/similar',
      { page: '1', language: 'de-DE' },
      similarFixture,
      (c: ReturnType<typeof client>) => c.similar(550),
    ],
    [
      'recommendations',
      '/3/movie/550/recommendations',
      { page: '1', language: 'de-DE' },
      recommendationsFixture,
      (c: ReturnType<typeof client>) => c.recommendations(550),
    ],
  ])('%s asks %s and maps the page', async (_name, path, query, fixture, call) => {
    nock(API).get(path).query(query).reply(200, fixture);

    const list = await call(client({ language: 'de-DE', region: 'DE' }));

    expect(list.totalResults).toBe(fixture.total_results);
    expect(list.results.map((movie) => movie.tmdbId)).toEqual(fixture.results.map((movie) => movie.id));
  });

  it('discover translates our filters into TMDB parameters', async () => {
    const scope = nock(API)
      .get('/3/discover/movie')
      .query({
        page: '1',
        sort_by: 'vote_average.desc',
        include_adult: 'false',
        include_video: 'false',
        with_genres: '28,878',
        without_genres: '27|53',
        'vote_count.gte': '500',
        'with_runtime.lte': '120',
        with_watch_providers: '8|337',
        watch_region: 'GB',
        with_watch_monetization_types: 'flatrate',
      })
      .reply(200, discoverFixture);

    const list = await client().discover({
      sortBy: 'vote_average.desc',
      withGenres: [28, 878],
      withoutGenres: [27, 53],
      voteCountGte: 500,
      runtimeLte: 120,
      withWatchProviders: [8, 337],
      watchRegion: 'GB',
      withWatchMonetizationTypes: ['flatrate'],
    });

    expect(scope.isDone()).toBe(true);
    expect(list.results[0]?.tmdbId).toBe(discoverFixture.results[0]?.id);
  });

  it('lists genres in the client language', async () => {
    nock(API).get('/3/genre/movie/list').query({ language: 'de' }).reply(200, genresFixture);

    const genres = await client({ language: 'de' }).genres();

    expect(genres).toHaveLength(19);
    expect(genres).toContainEqual({ id: 35, name: 'Komödie' });
  });
});

describe('find and watch providers', () => {
  it('finds a film by IMDb id', async () => {
    nock(API).get('/3/find/tt4779682').query({ external_source: 'imdb_id' }).reply(200, findFixture);

    await expect(client().findByImdbId('tt4779682')).resolves.toMatchObject({ tmdbId: 934433, title: 'Scream VI' });
  });

  it('answers null when no film has that IMDb id', async () => {
    nock(API).get('/3/find/tt0000000').query(true).reply(200, {
      movie_results: [],
      person_results: [],
      tv_results: [],
      tv_episode_results: [],
      tv_season_results: [],
    });

    await expect(client().findByImdbId('tt0000000')).resolves.toBeNull();
  });

  it('groups one region’s providers into flatrate, rent and buy, by display priority, with the JustWatch-backed link', async () => {
    nock(API).get('/3/movie/550/watch/providers').query(true).reply(200, watchProvidersFixture);

    const providers = await client().watchProviders(550, 'gb');

    expect(providers.region).toBe('GB');
    expect(providers.link).toBe('https://www.themoviedb.org/movie/550-fight-club/watch?locale=GB');
    expect(providers.flatrate.map((provider) => provider.name)).toEqual(['Disney Plus', 'Amazon Prime Video']);
    // Fixture priorities 4, 5, 12: already ascending.
    expect(providers.rent.map((provider) => provider.displayPriority)).toEqual([4, 5, 12]);
    expect(providers.buy[0]).toEqual({
      providerId: 10,
      name: 'Amazon Video',
      logoPath: '/5NyLm42TmCqCMOZFvH4fcoSNKEW.jpg',
      displayPriority: 4,
    });
    expect(providers.free).toEqual([]);
  });

  it('sorts providers by display priority whatever order TMDB sends', async () => {
    const us = watchProvidersFixture.results.US;
    nock(API)
      .get('/3/movie/550/watch/providers')
      .query(true)
      .reply(200, { id: 550, results: { US: { ...us, flatrate: [...us.flatrate].reverse() } } });

    const providers = await client().watchProviders(550, 'US');

    expect(providers.flatrate.map((provider) => provider.displayPriority)).toEqual([5, 6, 16]);
  });

  it('answers empty groups and no link for a region TMDB has nothing for', async () => {
    nock(API).get('/3/movie/550/watch/providers').query(true).reply(200, watchProvidersFixture);

    await expect(client().watchProviders(550, 'NZ')).resolves.toEqual({
      tmdbId: 550,
      region: 'NZ',
      link: null,
      flatrate: [],
      rent: [],
      buy: [],
      free: [],
      ads: [],
    });
  });
});

describe('errors', () => {
  it('reports a 404 as not-found with TMDB’s status_code and the path, without retrying', async () => {
    let requests = 0;
    nock(API)
      .get('/3/movie/999999999')
      .query(true)
      .times(3)
      .reply(() => {
        requests += 1;
        return [404, error404];
      });

    const error = await rejection(client({ language: 'en-US' }).movieDetails(999_999_999));

    expect(error).toMatchObject({
      kind: 'not-found',
      status: 404,
      statusCode: 34,
      path: '/3/movie/999999999?language=en-US',
    });
    expect(error.message).toContain('The resource you requested could not be found.');
    expect(requests).toBe(1);
  });

  it('reports a 401 as unauthorized, without retrying, and never shows the api_key', async () => {
    let requests = 0;
    nock(API)
      .get('/3/movie/11')
      .query(true)
      .times(3)
      .reply(() => {
        requests += 1;
        return [401, error401];
      });
    const log = createLogCapture();

    const error = await rejection(createTmdbClient({ apiKey: API_KEY, logger: log.logger }).movieDetails(11));

    expect(error).toMatchObject({ kind: 'unauthorized', status: 401, statusCode: 7, path: '/3/movie/11' });
    expect(requests).toBe(1);
    expect(`${error.message} ${error.path} ${error.stack}`).not.toContain(API_KEY);
    expect(log.lines.length).toBeGreaterThan(0);
    expect(log.lines.join('\n')).not.toContain(API_KEY);
  });

  it('keeps the api_key out of network errors, their causes and log lines, after retrying them', async () => {
    // An Error instance: nock 14 with a plain object leaves node-fetch hanging.
    nock(API)
      .get('/3/movie/11')
      .query(true)
      .times(3)
      .replyWithError(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));
    const log = createLogCapture();

    const error = await rejection(
      createTmdbClient({ apiKey: API_KEY, logger: log.logger, maxRetries: 2, backoffBaseMs: 0 }).movieDetails(11),
    );

    expect(error).toMatchObject({ kind: 'network', status: null, path: '/3/movie/11' });
    expect(error.cause).toBeInstanceOf(Error);
    const cause = error.cause as Error & { code?: string };
    expect(cause.code).toBe('ECONNRESET');
    expect(cause.message).toContain('socket hang up');
    expect(
      JSON.stringify({ message: error.message, cause: cause.message, stack: cause.stack, path: error.path }),
    ).not.toContain(API_KEY);
    // Two retries were logged, and nothing logged holds the key.
    expect(log.lines.filter((line) => line.includes(RETRYING))).toHaveLength(2);
    expect(log.lines.join('\n')).not.toContain(API_KEY);
  });

  it('reports a body that is not JSON as invalid-response', async () => {
    nock(API)
      .get('/3/movie/11')
      .query(true)
      .reply(200, '{"id": 11, "title": "Star W', { 'content-type': 'application/json' });

    const error = await rejection(client().movieDetails(11));

    expect(error).toMatchObject({ kind: 'invalid-response', status: 200, path: '/3/movie/11' });
    expect(error.cause).toBeInstanceOf(SyntaxError);
  });

  it('reports JSON of the wrong shape as invalid-response, naming the field', async () => {
    nock(API)
      .get('/3/search/movie')
      .query(true)
      .reply(200, { ...searchFixture, results: [{ ...searchFixture.results[0], id: 'five hundred fifty' }] });

    const error = await rejection(client().searchMovies('fight club'));

    expect(error.kind).toBe('invalid-response');
    expect(error.message).toContain('results[0].id');
  });
});

describe('retries', () => {
  it('retries a 500 and then succeeds', async () => {
    const scope = nock(API)
      .get('/3/movie/11')
      .query(true)
      .reply(500, { status_code: 11, status_message: 'Internal error: Something went wrong, contact TMDb.' })
      .get('/3/movie/11')
      .query(true)
      .reply(200, detailsFixture);

    await expect(client().movieDetails(11)).resolves.toMatchObject({ tmdbId: 11 });
    expect(scope.isDone()).toBe(true);
  });

  it('gives up on a 5xx after maxRetries with kind server', async () => {
    let requests = 0;
    nock(API)
      .get('/3/movie/11')
      .query(true)
      .times(5)
      .reply(() => {
        requests += 1;
        return [503, 'Service Unavailable'];
      });

    const error = await rejection(client({ maxRetries: 2 }).movieDetails(11));

    expect(error).toMatchObject({ kind: 'server', status: 503, statusCode: null });
    // The first attempt plus two retries.
    expect(requests).toBe(3);
  });

  it('waits for Retry-After: 1 (one second of fake time) after a 429, then succeeds', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const log = createLogCapture();
    const scope = nock(API)
      .get('/3/movie/11')
      .query(true)
      .reply(429, error429, { 'Retry-After': '1' })
      .get('/3/movie/11')
      .query(true)
      .reply(200, detailsFixture);
    const requests = requestCounter(scope);

    const movie = client({ logger: log.logger }).movieDetails(11);
    await log.until(RETRYING);
    expect(requests()).toBe(1);
    await vi.advanceTimersByTimeAsync(999);
    await settle();

    expect(requests()).toBe(1);

    await vi.advanceTimersByTimeAsync(1);
    await expect(movie).resolves.toMatchObject({ tmdbId: 11 });
    expect(requests()).toBe(2);
  });

  it('backs off exponentially with jitter after a 429 without Retry-After', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const log = createLogCapture();
    const scope = nock(API)
      .get('/3/movie/11')
      .query(true)
      .reply(429, error429)
      .get('/3/movie/11')
      .query(true)
      .reply(429, error429)
      .get('/3/movie/11')
      .query(true)
      .reply(200, detailsFixture);
    const requests = requestCounter(scope);

    // wait = ceiling × (½ + ½ × random) with ceiling = base × 2^(attempt − 1) and random = 0.5:
    // after attempt 1: 1000 × 0.75 = 750 ms; after attempt 2: 2000 × 0.75 = 1500 ms.
    const movie = client({ logger: log.logger, backoffBaseMs: 1_000, random: () => 0.5 }).movieDetails(11);

    await log.until(RETRYING, 1);
    await vi.advanceTimersByTimeAsync(749);
    await settle();
    expect(requests()).toBe(1);
    await vi.advanceTimersByTimeAsync(1);

    await log.until(RETRYING, 2);
    expect(requests()).toBe(2);
    await vi.advanceTimersByTimeAsync(1_499);
    await settle();
    expect(requests()).toBe(2);
    await vi.advanceTimersByTimeAsync(1);

    await expect(movie).resolves.toMatchObject({ tmdbId: 11 });
    expect(scope.isDone()).toBe(true);
    const delays = log.lines
      .filter((line) => line.includes(RETRYING))
      .map((line) => (JSON.parse(line) as { delayMs: number }).delayMs);
    expect(delays).toEqual([750, 1_500]);
  });

  it('gives up as rate-limited when 429s continue past maxRetries', async () => {
    nock(API).get('/3/movie/11').query(true).times(2).reply(429, error429, { 'Retry-After': '0' });

    const error = await rejection(client({ maxRetries: 1 }).movieDetails(11));

    expect(error).toMatchObject({ kind: 'rate-limited', status: 429, statusCode: 25, retryAfterMs: 0 });
  });

  it('does not wait for a Retry-After longer than maxRetryAfterMs', async () => {
    nock(API).get('/3/movie/11').query(true).reply(429, error429, { 'Retry-After': '120' });

    const error = await rejection(client({ maxRetryAfterMs: 60_000 }).movieDetails(11));

    expect(error).toMatchObject({ kind: 'rate-limited', retryAfterMs: 120_000 });
  });

  it('tells the metrics each attempt’s status and each retry, and empties its queue', async () => {
    const attempts: string[] = [];
    let retries = 0;
    nock(API)
      .get('/3/movie/11')
      .query(true)
      .reply(500, {})
      .get('/3/movie/11')
      .query(true)
      .reply(429, error429)
      .get('/3/movie/11')
      .query(true)
      .reply(200, detailsFixture);
    const tmdb = client({
      metrics: { tmdbAttempt: (status) => void attempts.push(status), tmdbRetry: () => void retries++ },
    });

    const movie = tmdb.movieDetails(11);
    expect(tmdb.queueLength()).toBe(1);
    await expect(movie).resolves.toMatchObject({ tmdbId: 11 });

    expect(attempts).toEqual(['500', '429', '200']);
    expect(retries).toBe(2);
    expect(tmdb.queueLength()).toBe(0);
  });
});

describe('timeouts and caller deadlines', () => {
  it('abandons an attempt after timeoutMs and reports a timeout', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    // nock's delay runs on real timers: this answer would come in a minute, long after the test.
    nock(API).get('/3/movie/11').query(true).delay(60_000).reply(200, detailsFixture);

    const movie = client({ timeoutMs: 5_000, maxRetries: 0 }).movieDetails(11);
    const outcome = rejection(movie);
    await settle();
    await vi.advanceTimersByTimeAsync(5_000);

    expect(await outcome).toMatchObject({ kind: 'timeout', status: null, path: '/3/movie/11' });
  });

  it('retries an attempt that timed out', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const scope = nock(API)
      .get('/3/movie/11')
      .query(true)
      .delay(60_000)
      .reply(200, detailsFixture)
      .get('/3/movie/11')
      .query(true)
      .reply(200, detailsFixture);

    const movie = client({ timeoutMs: 5_000, maxRetries: 1 }).movieDetails(11);
    await settle();
    await vi.advanceTimersByTimeAsync(5_000);

    await expect(movie).resolves.toMatchObject({ tmdbId: 11 });
    expect(scope.isDone()).toBe(true);
  });

  it('stops waiting out a back-off when the caller’s deadline passes, without another request', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const log = createLogCapture();
    const scope = nock(API)
      .get('/3/search/movie')
      .query(true)
      .reply(429, error429, { 'Retry-After': '5' })
      .get('/3/search/movie')
      .query(true)
      .reply(200, searchFixture);
    const requests = requestCounter(scope);
    // What AbortSignal.timeout(2_000) does, on a timer the test controls.
    const deadline = new AbortController();
    setTimeout(() => deadline.abort(new DOMException('The operation timed out.', 'TimeoutError')), 2_000);

    const outcome = rejection(client({ logger: log.logger }).searchMovies('fight', { signal: deadline.signal }));
    await log.until(RETRYING);
    await vi.advanceTimersByTimeAsync(2_000);

    expect(await outcome).toMatchObject({
      kind: 'timeout',
      path: '/3/search/movie?query=fight&page=1&include_adult=false',
    });
    await settle();
    expect(requests()).toBe(1);
  });

  it('reports a plain abort as aborted', async () => {
    const caller = new AbortController();
    const { fetch, requests } = createControlledFetch();
    const tmdb = client({ fetch });

    const outcome = rejection(tmdb.movieDetails(11, { signal: caller.signal }));
    await settle();
    expect(requests).toHaveLength(1);
    caller.abort();

    expect(await outcome).toMatchObject({ kind: 'aborted', path: '/3/movie/11' });
  });

  it('gives up on a request still queued behind others when the caller’s deadline passes, freeing its place', async () => {
    const { fetch, requests } = createControlledFetch();
    const tmdb = client({ fetch, concurrency: 1 });
    const caller = new AbortController();

    const first = tmdb.movieDetails(11);
    const queued = rejection(tmdb.movieDetails(12, { signal: caller.signal }));
    await settle();
    // Film 12 waits behind film 11 (concurrency 1).
    expect(requests.map((request) => request.url.pathname)).toEqual(['/3/movie/11']);

    caller.abort(new DOMException('The operation timed out.', 'TimeoutError'));

    expect(await queued).toMatchObject({ kind: 'timeout', path: '/3/movie/12' });
    const next = tmdb.movieDetails(13);
    requests[0]?.respond(200, detailsFixture);
    await first;
    await settle();
    // Film 12 never reached fetch: film 13 went next.
    expect(requests.map((request) => request.url.pathname)).toEqual(['/3/movie/11', '/3/movie/13']);
    requests[1]?.respond(200, detailsFixture);
    await next;
  });
});

describe('rate and concurrency caps', () => {
  it('starts at most requestsPerSecond requests in any second', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const { fetch, requests } = createControlledFetch();
    const tmdb = client({ fetch, requestsPerSecond: 2, concurrency: 10 });

    const calls = [1, 2, 3, 4, 5].map((id) => tmdb.movieDetails(id));
    await settle();
    for (const request of requests) request.respond(200, detailsFixture);
    await settle();
    expect(requests).toHaveLength(2);

    await vi.advanceTimersByTimeAsync(999);
    await settle();
    expect(requests).toHaveLength(2);

    await vi.advanceTimersByTimeAsync(1);
    await settle();
    expect(requests).toHaveLength(4);

    await vi.advanceTimersByTimeAsync(1_000);
    await settle();
    expect(requests).toHaveLength(5);
    for (const request of requests.slice(2)) request.respond(200, detailsFixture);
    await Promise.all(calls);
  });

  it('keeps at most concurrency requests in flight', async () => {
    const { fetch, requests, inFlight, peakInFlight } = createControlledFetch();
    const tmdb = client({ fetch, concurrency: 2 });

    const calls = [1, 2, 3, 4].map((id) => tmdb.movieDetails(id));
    await settle();
    expect(requests).toHaveLength(2);
    expect(inFlight()).toBe(2);

    requests[0]?.respond(200, detailsFixture);
    await settle();
    expect(requests).toHaveLength(3);

    for (const request of requests.slice(1)) request.respond(200, detailsFixture);
    await settle();
    requests[3]?.respond(200, detailsFixture);
    await Promise.all(calls);
    expect(requests.map((request) => request.url.pathname)).toEqual([
      '/3/movie/1',
      '/3/movie/2',
      '/3/movie/3',
      '/3/movie/4',
    ]);
    expect(peakInFlight()).toBe(2);
  });

  it('lets an interactive request overtake queued background work', async () => {
    const { fetch, requests } = createControlledFetch();
    const tmdb = client({ fetch, concurrency: 1 });

    const calls = [
      tmdb.movieDetails(1, { priority: 'background' }),
      tmdb.movieDetails(2, { priority: 'background' }),
      tmdb.movieDetails(3, { priority: 'background' }),
      tmdb.searchMovies('alien', { priority: 'interactive' }),
    ];
    await settle();
    for (let answered = 0; answered < 4; answered += 1) {
      const request = requests[answered];
      request?.respond(200, request.url.pathname === '/3/search/movie' ? EMPTY_PAGE : detailsFixture);
      await settle();
    }
    await Promise.all(calls);

    // Film 1 was already running; the search went next, ahead of films 2 and 3.
    expect(requests.map((request) => request.url.pathname)).toEqual([
      '/3/movie/1',
      '/3/search/movie',
      '/3/movie/2',
      '/3/movie/3',
    ]);
  });
});
