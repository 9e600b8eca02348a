import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import { checkStars, createRatingService, type RatingService } from '../../src/services/ratings.js';
import { movieSummary, snowflake } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { createFilmTestCore, recordingTaste, type FilmTestCore } from '../support/film-support.js';

describe('checkStars', () => {
  it('accepts the ten half-star values and refuses anything else a crafted payload could send', () => {
    expect(checkStars(0.5)).toBe(0.5);
    expect(checkStars(5)).toBe(5);
    for (const bad of [0, 3.7, 5.5, -1, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect(() => checkStars(bad)).toThrow(UserFacingError);
    }
  });
});

describe.each(databaseKinds())('rating service on %s', (kind) => {
  let film: FilmTestCore;
  let listener: ReturnType<typeof recordingTaste>;
  let ratings: RatingService;
  const alice = snowflake(10);
  const t0 = new Date('2026-03-01T00:00:00Z');

  beforeAll(async () => {
    film = await createFilmTestCore(kind);
  });
  afterAll(() => film.destroy());
  beforeEach(async () => {
    await film.reset();
    await film.core.repos.movies.upsertSummaries([movieSummary(550), movieSummary(551)], t0);
    listener = recordingTaste();
    ratings = createRatingService(film.core, { taste: listener.taste });
  });

  const stored = async (movieId: number) => (await film.core.repos.ratings.get(alice, movieId))?.score ?? null;
  const diary = async () =>
    (await film.core.repos.watchLog.page(alice, 1, 50)).entries.map((e) => `${e.movieId}@${e.watchedOn}`);

  it('saves a first rating and logs the film as watched today in the member’s time zone', async () => {
    await film.core.repos.users.updateSettings(alice, { timezone: 'Pacific/Auckland' });
    // 2026-03-10 20:00 UTC is 2026-03-11 09:00 in Auckland (NZDT, UTC+13, until 5 April).
    film.setNow(new Date('2026-03-10T20:00:00Z'));

    const outcome = await ratings.rate({ userId: alice, movieId: 550, stars: 4.5 });

    expect(outcome).toEqual({ stars: 4.5, previous: null, loggedOn: '2026-03-11' });
    expect(await stored(550)).toBe(4.5);
    expect(await diary()).toEqual(['550@2026-03-11']);
    expect(listener.calls).toEqual([`rating:${alice}:550:4.5`]);
  });

  it('replaces an earlier rating and adds no second diary entry', async () => {
    await ratings.rate({ userId: alice, movieId: 550, stars: 2 });
    film.setNow(new Date('2026-03-12T12:00:00Z'));

    const outcome = await ratings.rate({ userId: alice, movieId: 550, stars: 3.5 });

    expect(outcome).toEqual({ stars: 3.5, previous: 2, loggedOn: null });
    expect(await film.count('ratings')).toBe(1);
    expect(await stored(550)).toBe(3.5);
    // The first rating's entry (2026-03-10 12:00 UTC, the member's default zone) is the only one.
    expect(await diary()).toEqual(['550@2026-03-10']);
    expect(listener.calls).toEqual([`rating:${alice}:550:2`, `rating:${alice}:550:3.5`]);
  });

  it('does not log a film the member already has in their diary', async () => {
    await film.core.repos.users.ensure(alice);
    await film.core.repos.watchLog.add({ userId: alice, movieId: 551, watchedOn: '2025-12-24', note: null }, t0);

    expect((await ratings.rate({ userId: alice, movieId: 551, stars: 5 })).loggedOn).toBeNull();
    expect(await diary()).toEqual(['551@2025-12-24']);
  });

  it('writes nothing and tells nobody when the diary insert fails', async () => {
    const failingWatchLog = {
      ...film.core.repos.watchLog,
      add: () => Promise.reject(new Error('disk full')),
    };
    const failing = createRatingService(
      { ...film.core, repos: { ...film.core.repos, watchLog: failingWatchLog } },
      { taste: listener.taste },
    );

    await expect(failing.rate({ userId: alice, movieId: 550, stars: 4 })).rejects.toThrow('disk full');

    // The rating upsert and the user row ran in the same transaction, so both were rolled back.
    expect(await film.count('ratings')).toBe(0);
    expect(await film.count('watch_log')).toBe(0);
    expect(await film.count('users')).toBe(0);
    expect(listener.calls).toEqual([]);
  });

  it('refuses plainly, writing nothing, a film whose row the catalog failed to store', async () => {
    // 999 was resolved through TMDB but never reached the movies table: the rating would fail its foreign key.
    await expect(ratings.rate({ userId: alice, movieId: 999, stars: 4 })).rejects.toMatchObject({
      name: 'UserFacingError',
      code: 'movie-not-stored',
    });

    expect(await film.count('users')).toBe(0);
    expect(await film.count('ratings')).toBe(0);
    expect(await film.count('watch_log')).toBe(0);
    expect(listener.calls).toEqual([]);
  });

  it('refuses stars outside the choices before writing anything', async () => {
    await expect(ratings.rate({ userId: alice, movieId: 550, stars: 3.7 })).rejects.toMatchObject({
      code: 'bad-stars',
    });

    expect(await film.count('users')).toBe(0);
    expect(await film.count('ratings')).toBe(0);
    expect(await film.count('watch_log')).toBe(0);
    expect(listener.calls).toEqual([]);
  });

  it('keeps the rating when the recommender fails to take it', async () => {
    const throwing = createRatingService(film.core, {
      taste: {
        ...listener.taste,
        ratingChanged: () => {
          throw new Error('model busy');
        },
      },
    });

    await expect(throwing.rate({ userId: alice, movieId: 550, stars: 1 })).resolves.toMatchObject({ stars: 1 });
    expect(await stored(550)).toBe(1);
  });
});
