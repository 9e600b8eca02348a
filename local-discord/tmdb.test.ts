import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTmdbClient, type TmdbClient } from '../src/tmdb/client.js';
import { TmdbError } from '../src/tmdb/errors.js';
import { fakeFilms, startFakeTmdb, type FakeTmdb } from './tmdb.js';

describe('the fake TMDB, read by the real TMDB client', () => {
  let tmdb: FakeTmdb;
  let client: TmdbClient;
  beforeAll(async () => {
    tmdb = await startFakeTmdb({ films: fakeFilms(30) });
    client = createTmdbClient({ baseUrl: tmdb.baseUrl, token: tmdb.token, maxRetries: 0 });
  });
  afterAll(() => tmdb.close());

  it('answers search, details, lists and providers in shapes our schemas accept', async () => {
    const [first] = tmdb.films;
    const found = await client.searchMovies('silent');
    expect(found.results.map((movie) => movie.title)).toContain('The Silent Harbor');
    const details = await client.movieDetails(first!.id);
    expect(details).toMatchObject({ tmdbId: first!.id, title: first!.title, runtime: first!.runtime });
    const popular = await client.popular({ page: 2 });
    expect(popular).toMatchObject({ page: 2, totalPages: 2, totalResults: 30 });
    expect(popular.results).toHaveLength(10);
    expect((await client.trending('week')).results[0]?.tmdbId).toBe(first!.id);
    expect((await client.watchProviders(first!.id, 'US')).rent[0]?.name).toBe('Apple TV');
    expect((await client.recommendations(first!.id)).results.map((movie) => movie.tmdbId)).not.toContain(first!.id);
  });

  it('says 404 for a film it does not know, and 401 for a wrong key or in key-rejected mode', async () => {
    await expect(client.movieDetails(1)).rejects.toMatchObject({ kind: 'not-found', statusCode: 34 });
    const stranger = createTmdbClient({ baseUrl: tmdb.baseUrl, token: 'wrong', maxRetries: 0 });
    await expect(stranger.popular()).rejects.toMatchObject({ kind: 'unauthorized', statusCode: 7 });
    tmdb.setMode('key-rejected');
    await expect(client.popular()).rejects.toMatchObject({ kind: 'unauthorized', status: 401 });
    tmdb.setMode('down');
    await expect(client.popular()).rejects.toBeInstanceOf(TmdbError);
    await expect(client.popular()).rejects.toMatchObject({ kind: 'server', status: 503 });
    tmdb.setMode('up');
    expect(tmdb.requests.at(-1)).toMatchObject({ path: '/3/movie/popular?page=1', status: 503 });
  });
});
