import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createMembersService } from '../../src/services/members.js';
import { createOnboardingService, type OnboardingOptions } from '../../src/services/onboarding.js';
import { createRatingService } from '../../src/services/ratings.js';
import { movieSummary, snowflake } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import {
  createFilmTestCore,
  recordingTaste,
  searchBody,
  TMDB_ORIGIN,
  type FilmTestCore,
} from '../support/film-support.js';

const tmdb = () => nock(TMDB_ORIGIN);
const t0 = new Date('2026-03-10T12:00:00Z');
/** TMDB's top rated, page 1: films 901-903 (902 also rated in the server). */
function topRated(...ids: number[]) {
  tmdb()
    .get('/3/movie/top_rated')
    .query((q) => q.page === '1')
    .reply(200, searchBody(ids.map((id) => ({ id, title: `Top ${id}`, release_date: '1990-01-01' }))));
  // Further pages are empty: the list ends.
  tmdb()
    .get('/3/movie/top_rated')
    .query((q) => q.page !== '1')
    .times(2)
    .reply(200, { page: 2, total_pages: 1, total_results: 0, results: [] });
}

describe.each(databaseKinds())('onboarding service on %s', (kind) => {
  let film: FilmTestCore;
  const guild = snowflake(1);
  const newbie = snowflake(10);
  const [a, b, c, shy] = [snowflake(20), snowflake(21), snowflake(22), snowflake(23)];

  beforeAll(async () => {
    film = await createFilmTestCore(kind, t0);
  });
  afterAll(() => film.destroy());
  beforeEach(() => film.reset());
  afterEach(() => {
    nock.abortPendingRequests();
    nock.cleanAll();
  });

  function service(options: OnboardingOptions = {}, core = film.core) {
    const { taste } = recordingTaste();
    const members = createMembersService({ repos: core.repos, clock: core.clock, activeDays: 180 });
    const ratings = createRatingService(core, { taste });
    return createOnboardingService(core, { ratings, members, goal: 5 }, { listBudgetMs: 500, ...options });
  }

  /** Members of the guild and their ratings (score 4 each): `{ [userId]: movieIds }`. */
  async function server(rated: Record<string, number[]>) {
    const { repos } = film.core;
    const ids = [...new Set(Object.values(rated).flat())];
    await repos.movies.upsertSummaries(
      ids.map((id) => movieSummary(id)),
      t0,
    );
    for (const [userId, movieIds] of Object.entries(rated)) {
      await repos.guilds.touchMember(guild, userId, t0);
      for (const movieId of movieIds) await repos.ratings.upsert({ userId, movieId, score: 4, ratedAt: t0 });
    }
  }

  it('offers the server’s most-rated films first (most raters, then id), then TMDB’s top rated, each once', async () => {
    // 103: 3 raters; 101 and 102: 2 each; 104: 1. The member with share_taste off counts for nothing.
    await server({ [a]: [101, 102, 103, 104], [b]: [101, 102, 103], [c]: [103, 902], [shy]: [105, 105] });
    await film.core.repos.users.updateSettings(shy, { shareTaste: false });
    topRated(901, 902, 903);

    const page = await service().page({ guildId: guild, userId: newbie, from: 0, size: 10 });

    expect(page.films.map((movie) => movie.tmdbId)).toEqual([103, 101, 102, 104, 902, 901, 903]);
    expect(page.more).toBe(false);
  });

  it('pages from a position, skipping what the member rated or keeps on the watchlist, in an order their ratings do not move', async () => {
    await server({ [a]: [101, 102, 103, 104, 105, 106], [b]: [101, 102, 103], [c]: [101] });
    topRated(901);
    const onboarding = service();

    const first = await onboarding.page({ guildId: guild, userId: newbie, from: 0, size: 2 });
    expect(first).toMatchObject({ next: 2, more: true });
    expect(first.films.map((movie) => movie.tmdbId)).toEqual([101, 102]);

    // The member rates 101 (now 4 raters with them, still left out) and puts 104 on their watchlist.
    await onboarding.rate({ userId: newbie, movieId: 101, stars: 4.5 });
    await film.core.repos.guilds.touchMember(guild, newbie, t0);
    await film.core.repos.watchlist.add(newbie, 104, t0);

    const second = await onboarding.page({ guildId: guild, userId: newbie, from: first.next, size: 2 });
    expect(second.films.map((movie) => movie.tmdbId)).toEqual([103, 105]);
    const third = await onboarding.page({ guildId: guild, userId: newbie, from: second.next, size: 2 });
    expect(third.films.map((movie) => movie.tmdbId)).toEqual([106, 901]);
    expect(third.more).toBe(false);
  });

  it('rates as /rate does: the rating, and the film in the diary the first time', async () => {
    await server({ [a]: [101] });
    const onboarding = service();

    const first = await onboarding.rate({ userId: newbie, movieId: 101, stars: 4 });
    const again = await onboarding.rate({ userId: newbie, movieId: 101, stars: 3.5 });

    expect(first).toMatchObject({ stars: 4, previous: null, loggedOn: '2026-03-10' });
    expect(again).toMatchObject({ stars: 3.5, previous: 4, loggedOn: null });
    expect(await onboarding.films(newbie, [101])).toMatchObject([{ movie: { tmdbId: 101 }, rating: 3.5 }]);
    expect(await film.count('watch_log')).toBe(1);
  });

  it('offers the server’s films alone when TMDB’s top rated does not answer within the budget', async () => {
    await server({ [a]: [101] });
    tmdb().get('/3/movie/top_rated').query(true).times(3).delay(10_000).reply(200, searchBody([]));

    const page = await service({ listBudgetMs: 100 }).page({ guildId: guild, userId: newbie, from: 0, size: 4 });

    expect(page.films.map((movie) => movie.tmdbId)).toEqual([101]);
  });

  it('offers the panel below 5 ratings, and remembers a member with enough so it counts nothing next time', async () => {
    await server({ [a]: [101, 102, 103, 104, 105] });
    let counts = 0;
    const counting = {
      ...film.core,
      repos: {
        ...film.core.repos,
        ratings: {
          ...film.core.repos.ratings,
          countByUser: (userId: string) => {
            counts += 1;
            return film.core.repos.ratings.countByUser(userId);
          },
        },
      },
    };
    const onboarding = service({}, counting);

    expect(await onboarding.shouldOffer(newbie)).toBe(true);
    expect(await onboarding.shouldOffer(newbie)).toBe(true);
    expect(await onboarding.shouldOffer(a)).toBe(false);
    expect(await onboarding.shouldOffer(a)).toBe(false);
    // The newbie is counted each time (they may have rated since); `a` once, then remembered.
    expect(counts).toBe(3);
    film.setNow(new Date(t0.getTime() + 11 * 60_000));
    expect(await onboarding.shouldOffer(a)).toBe(false);
    expect(counts).toBe(4);
  });

  it('offers no panel for a day to a member who closed it, then offers it again', async () => {
    const onboarding = service();
    expect(await onboarding.shouldOffer(newbie)).toBe(true);
    onboarding.dismiss(newbie);
    film.setNow(new Date(t0.getTime() + 23 * 3_600_000));
    expect(await onboarding.shouldOffer(newbie)).toBe(false);
    film.setNow(new Date(t0.getTime() + 25 * 3_600_000));
    expect(await onboarding.shouldOffer(newbie)).toBe(true);
  });

  it('offers no panel (the picks come as before) when counting takes longer than its budget', async () => {
    const stuck = {
      ...film.core,
      repos: {
        ...film.core.repos,
        ratings: { ...film.core.repos.ratings, countByUser: () => new Promise<never>(() => {}) },
      },
    };

    expect(await service({ countBudgetMs: 50 }, stuck).shouldOffer(newbie)).toBe(false);
  });
});
