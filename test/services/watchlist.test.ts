import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createWatchlistService, type WatchlistService } from '../../src/services/watchlist.js';
import { movieSummary, snowflake } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { createFilmTestCore, type FilmTestCore } from '../support/film-support.js';

describe.each(databaseKinds())('watchlist service on %s', (kind) => {
  let film: FilmTestCore;
  let watchlist: WatchlistService;
  const alice = snowflake(10);
  const t0 = new Date('2026-01-01T00:00:00Z');

  beforeAll(async () => {
    film = await createFilmTestCore(kind);
  });
  afterAll(() => film.destroy());
  beforeEach(async () => {
    await film.reset();
    await film.core.repos.movies.upsertSummaries(
      [1, 2, 3].map((id) => movieSummary(id, { title: `Film ${id}`, releaseDate: `199${id}-01-01` })),
      t0,
    );
    watchlist = createWatchlistService(film.core, { pageSize: 2 });
  });

  it('adds a film once, for a member Marquee had not stored yet', async () => {
    expect(await watchlist.add(alice, 1)).toEqual({ added: true });
    expect(await watchlist.add(alice, 1)).toEqual({ added: false });

    expect(await film.count('watchlist')).toBe(1);
    expect(await film.core.repos.watchlist.has(alice, 1)).toBe(true);
  });

  it('refuses plainly a film the movies table does not hold', async () => {
    await expect(watchlist.add(alice, 999)).rejects.toMatchObject({ code: 'movie-not-stored' });

    expect(await film.count('watchlist')).toBe(0);
  });

  it('removes a film and says whether it was there', async () => {
    await watchlist.add(alice, 2);

    expect(await watchlist.remove(alice, 2)).toBe(true);
    expect(await watchlist.remove(alice, 2)).toBe(false);
    expect(await film.core.repos.watchlist.has(alice, 2)).toBe(false);
  });

  it('pages the list, latest addition first, with titles and years', async () => {
    for (const [minute, id] of [1, 2, 3].entries()) {
      film.setNow(new Date(t0.getTime() + minute * 60_000));
      await watchlist.add(alice, id);
    }

    const first = await watchlist.list(alice);
    // 3 films at 2 per page: pages of 2 and 1.
    expect(first).toMatchObject({ page: 1, pageCount: 2, total: 3 });
    expect(first.lines.map((line) => [line.title, line.releaseDate])).toEqual([
      ['Film 3', '1993-01-01'],
      ['Film 2', '1992-01-01'],
    ]);
    expect((await watchlist.list(alice, 2)).lines.map((line) => line.movieId)).toEqual([1]);
    expect((await watchlist.list(alice, 9)).page).toBe(2);
  });

  it('gives an empty first page to a member with no list', async () => {
    expect(await watchlist.list(alice)).toEqual({ ownerId: alice, page: 1, pageCount: 1, total: 0, lines: [] });
  });
});
