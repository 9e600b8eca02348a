import nock from 'nock';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { UserFacingError } from '../../src/errors.js';
import {
  createRecommendationService,
  type RecommendationPick,
  type RecommendationService,
  type RecommendRequest,
  type RecommendationServiceOptions,
} from '../../src/services/recommendations/index.js';
import { createFeedbackService } from '../../src/services/feedback.js';
import { createMembersService } from '../../src/services/members.js';
import { createNamingPolicy } from '../../src/services/naming-policy.js';
import type { CoreDeps } from '../../src/context.js';
import type { MovieCatalog } from '../../src/tmdb/catalog.js';
import { TmdbError } from '../../src/tmdb/errors.js';
import type { MovieList } from '../../src/tmdb/schemas.js';
import { movieSummary, snowflake } from '../support/builders.js';
import { createManualBackground } from '../support/manual-background.js';
import { databaseKinds } from '../support/databases.js';
import {
  createFilmTestCore,
  detailsBody,
  tmdbFixture,
  TMDB_ORIGIN,
  type FilmTestCore,
} from '../support/film-support.js';

const DRAMA = 18;
const HORROR = 27;

const GUILD = snowflake(1);
const OTHER_GUILD = snowflake(2);
const THIRD_GUILD = snowflake(3);
const alice = snowflake(10);
const newbie = snowflake(11);
/** n(0)…n(25): 26 neighbours, enough for a full neighbourhood (DEFAULT_COLD_START_CONFIG.fullNeighbours = 25). */
const n = (k: number) => snowflake(100 + k);
const NEIGHBOURS = Array.from({ length: 26 }, (_, k) => n(k));
const range = (from: number, to: number) => NEIGHBOURS.slice(from, to + 1);

/** Films everyone rated 4★ (alice too): the co-ratings that make the 26 members alice's neighbours. */
const SHARED = Array.from({ length: 10 }, (_, i) => i + 1);

/**
 * Candidate films and who rated them. Alice watched 101, gave 102 a 👎 and has 106 on her watchlist.
 * Ranking votes vote(r) = (r − 1)/4 (5★ → 1, 4.5★ → 0.875, 4★ → 0.75, 3★ → 0.5) weighted by sim = cos³,
 * cos = co-rated / √(|I_alice|·|I_v|) = 10/√(10·|I_v|):
 *   n0…n19 rated 14 films (10 shared + 101, 102, 106 + one of 103/104/105): cos³ = (10/√140)³ = 0.6037
 *   n20…n24 rated 13: (10/√130)³ = 0.6747;  n25 rated 11: (10/√110)³ = 0.8668
 * scores: 103 = 10 × 0.6037 × 0.875 = 5.282;  104 = 8 × 0.6037 × 0.75 = 3.622;
 *         105 = (2 × 0.6037 + 0.6747) × 1 = 1.882;  108 = 2 × 0.6747 × 1 = 1.349;  107 = 2 × 0.6747 × 0.5 = 0.675
 */
const CANDIDATES: { movieId: number; score: number; raters: string[] }[] = [
  { movieId: 101, score: 5, raters: NEIGHBOURS },
  { movieId: 102, score: 5, raters: range(0, 19) },
  { movieId: 103, score: 4.5, raters: range(0, 9) },
  { movieId: 104, score: 4, raters: range(10, 17) },
  { movieId: 105, score: 5, raters: range(18, 20) },
  { movieId: 106, score: 5, raters: range(0, 24) },
  { movieId: 107, score: 3, raters: range(21, 22) },
  { movieId: 108, score: 5, raters: range(23, 24) },
];

const ids = (picks: readonly RecommendationPick[]) => picks.map(({ movie }) => movie.tmdbId);
/** A request in `guildId`, where Discord says every member asked about is still in the guild. */
const everyoneIn = (guildId: string): Pick<RecommendRequest, 'guildId' | 'isGuildMember'> => ({
  guildId,
  isGuildMember: async () => true,
});

describe.each(databaseKinds())('recommendation service on %s', (kind) => {
  let film: FilmTestCore;
  let background = createManualBackground();
  const services: RecommendationService[] = [];
  const t0 = new Date('2026-03-10T12:00:00Z');

  function service(options: RecommendationServiceOptions = {}, core: CoreDeps = film.core): RecommendationService {
    const members = createMembersService({
      repos: core.repos,
      clock: core.clock,
      activeDays: core.config.memberActiveDays,
    });
    const naming = createNamingPolicy({ users: core.repos.users });
    const created = createRecommendationService(core, { members, naming, background }, options);
    services.push(created);
    return created;
  }

  /** What `members.seen` does for each member, in three bulk inserts. */
  async function join(guildId: string, userIds: readonly string[]): Promise<void> {
    const { User, Guild, GuildMember } = film.test.db.models;
    await User.bulkCreate(
      userIds.map((id) => ({ id })),
      { ignoreDuplicates: true },
    );
    await Guild.bulkCreate([{ id: guildId, region: null }], { ignoreDuplicates: true });
    await GuildMember.bulkCreate(userIds.map((userId) => ({ guildId, userId, firstSeenAt: t0, lastSeenAt: t0 })));
  }

  /** The guild of the table above: alice and her 26 neighbours, with her watched film, 👎 and watchlist. */
  async function seedGuild(guildIds: readonly string[] = [GUILD]): Promise<void> {
    const { repos } = film.core;
    const database = film.test.db;
    await repos.movies.upsertSummaries(
      [
        ...SHARED.map((id) => movieSummary(id, { genreIds: [DRAMA] })),
        ...CANDIDATES.map(({ movieId }) => movieSummary(movieId, { genreIds: movieId === 108 ? [HORROR] : [DRAMA] })),
      ],
      t0,
    );
    for (const guildId of guildIds) await join(guildId, [alice, ...NEIGHBOURS]);
    const rows = [alice, ...NEIGHBOURS].flatMap((userId) =>
      SHARED.map((movieId) => ({ userId, movieId, score: 4, ratedAt: t0 })),
    );
    for (const { movieId, score, raters } of CANDIDATES) {
      for (const userId of raters) rows.push({ userId, movieId, score, ratedAt: t0 });
    }
    await database.models.Rating.bulkCreate(rows);
    await repos.watchLog.add({ userId: alice, movieId: 101, watchedOn: '2026-03-01', note: null }, t0);
    await repos.feedback.set({ userId: alice, movieId: 102, value: -1, messageId: null });
    await repos.watchlist.add(alice, 106, t0);
  }

  /** Holds every read of members' settings (the last step of building a guild's model) until `release`. */
  function holdSettingsReads() {
    const { users } = film.core.repos;
    const getMany = users.getMany;
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const reads = vi.spyOn(users, 'getMany').mockImplementation(async (userIds) => {
      await gate;
      return getMany(userIds);
    });
    return { reads, release: () => release() };
  }

  const tmdbList = (path: string, fixture: string) =>
    nock(TMDB_ORIGIN)
      .get(path)
      .query((query) => query.page === '1')
      .reply(200, tmdbFixture(fixture));
  const emptyPage = (path: string, page: number) =>
    nock(TMDB_ORIGIN)
      .get(path)
      .query((query) => query.page === String(page))
      .reply(200, { page, results: [], total_pages: page, total_results: 3 });

  function mockPopularLists(): void {
    tmdbList('/3/movie/popular', 'movie-popular-list');
    tmdbList('/3/trending/movie/week', 'trending-movies');
    tmdbList('/3/movie/top_rated', 'movie-top-rated-list');
  }

  beforeAll(async () => {
    film = await createFilmTestCore(kind, t0);
  });
  afterAll(() => film.destroy());
  beforeEach(async () => {
    background = createManualBackground();
    for (const table of ['recommendation_items', 'recommendation_messages']) {
      await film.test.db.sequelize.query(`DELETE FROM ${table}`);
    }
    await film.reset();
  });
  afterEach(() => {
    vi.useRealTimers();
    for (const created of services.splice(0)) created.stop();
    nock.abortPendingRequests();
    nock.cleanAll();
    vi.restoreAllMocks();
  });

  describe('a member with ratings', () => {
    beforeEach(() => seedGuild());

    it('gets neighbour picks, best first, without what they watched, rated, 👎 or put on their watchlist', async () => {
      const picks = await service().recommend({ ...everyoneIn(GUILD), userId: alice, count: 5 });

      // Scores from the table above: 103 (5.282) > 104 (3.622) > 105 (1.882) > 108 (1.349) > 107 (0.675);
      // 101 watched, 102 👎, 106 watchlisted, 1-10 rated: none of them.
      expect(ids(picks)).toEqual([103, 104, 105, 108, 107]);
      expect(picks.every(({ source }) => source === 'neighbours')).toBe(true);
      for (const pick of picks) {
        expect(pick.predicted).toBeGreaterThanOrEqual(0.5);
        expect(pick.predicted).toBeLessThanOrEqual(5);
      }
      expect(picks[0]).toMatchObject({
        movie: { tmdbId: 103, title: 'Film 103' },
        // n0…n9 rated it 4.5★ and agree with alice on all 10 films. Nobody allows their name; ten are counted.
        reason: { kind: 'count', backers: 10, averageRating: 4.5 },
      });
      // The blend: w_N = 3 times the votes, plus the server's favourites (at most w_F = 1) and popularity
      // (cached films here, at most w_P = 0.5, faded by the neighbourhood).
      expect(picks[0]!.score).toBeGreaterThan(3 * 5.282);
      expect(picks[0]!.score).toBeLessThan(3 * 5.282 + 1.5);
      expect(picks[2]?.reason).toEqual({ kind: 'count', backers: 3, averageRating: 5 });
    });

    it('includes watchlisted films when asked to', async () => {
      const picks = await service().recommend({
        ...everyoneIn(GUILD),
        userId: alice,
        count: 1,
        excludeWatchlisted: false,
      });

      // 106: 20 × 0.6037 + 5 × 0.6747 = 15.45, above 103's 5.282.
      expect(ids(picks)).toEqual([106]);
    });

    it('keeps to the genre asked for, topping up with popular films of that genre', async () => {
      mockPopularLists();
      for (const path of ['/3/movie/popular', '/3/trending/movie/week', '/3/movie/top_rated']) emptyPage(path, 2);

      const picks = await service().recommend({ ...everyoneIn(GUILD), userId: alice, count: 3, genreId: HORROR });

      // 108 is the only horror film the neighbours rated; Scream VI (934433) the only horror film in the TMDB lists.
      expect(picks.map(({ movie, source }) => [movie.tmdbId, source])).toEqual([
        [108, 'neighbours'],
        [934433, 'popular'],
      ]);
    });

    it('keeps to the release years asked for, in neighbour and popular picks, leaving out films without a date', async () => {
      await film.core.repos.movies.upsertSummaries(
        [
          movieSummary(103, { genreIds: [DRAMA], releaseDate: '1985-06-01' }),
          movieSummary(105, { genreIds: [DRAMA], releaseDate: null }),
          movieSummary(108, { genreIds: [HORROR], releaseDate: '2015-06-01' }),
        ],
        t0,
      );
      mockPopularLists();
      for (const path of ['/3/movie/popular', '/3/trending/movie/week', '/3/movie/top_rated']) emptyPage(path, 2);

      const picks = await service().recommend({
        ...everyoneIn(GUILD),
        userId: alice,
        count: 5,
        fromYear: 1990,
        toYear: 2010,
      });

      // Neighbour candidates 103 (1985), 104 (2001), 105 (no date), 108 (2015), 107 (2001): only 104 and 107
      // pass, best first (3.622 > 0.675). The TMDB lists hold films of 1972, 1994, 2022 and 2023: only
      // The Shawshank Redemption (278, 1994) is within 1990-2010.
      expect(picks.map(({ movie, source }) => [movie.tmdbId, source])).toEqual([
        [104, 'neighbours'],
        [107, 'neighbours'],
        [278, 'popular'],
      ]);
    });

    it('drops films longer than the runtime asked for or of unknown runtime, filling their places from spare candidates', async () => {
      // The stored rows are partial (no runtime), so each candidate's details are fetched. TMDB's 0 means unknown.
      const runtimes = new Map([
        [106, 121],
        [103, 150],
        [104, 0],
        [105, 200],
        [108, 120],
        [107, 100],
      ]);
      const details = [...runtimes].map(([id, runtime]) =>
        nock(TMDB_ORIGIN)
          .get(`/3/movie/${id}`)
          .query(true)
          .reply(200, detailsBody(id, `Film ${id}`, '2001-01-01', { runtime })),
      );

      const picks = await service().recommend({
        ...everyoneIn(GUILD),
        userId: alice,
        count: 2,
        maxRuntime: 120,
        excludeWatchlisted: false,
      });

      // Ranked 106 (15.45), 103, 104, 105, 108, 107: the first four run over 120 minutes or have no known runtime,
      // so 108 (exactly 120: the bound is inclusive) and 107 are the picks. They are candidates because a runtime
      // bound asks for 2 + min(2 × 3, 12) = 8 films rather than 2 + 3 = 5 (which would stop at 108).
      expect(ids(picks)).toEqual([108, 107]);
      expect(picks.map(({ movie }) => movie.runtime)).toEqual([120, 100]);
      expect(picks.every(({ source }) => source === 'neighbours')).toBe(true);
      expect(details.every((scope) => scope.isDone())).toBe(true);
    });

    it('names a neighbour only when they allow it and are still in the guild', async () => {
      const recommendations = service();
      expect((await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 }))[0]?.reason).toEqual({
        kind: 'count',
        backers: 10,
        averageRating: 4.5,
      });

      await film.core.repos.users.updateSettings(n(0), { showName: true });
      recommendations.settingsChanged(n(0));
      const asked: string[] = [];
      const [pick] = await recommendations.recommend({
        isGuildMember: async (userId) => {
          asked.push(userId);
          return true;
        },
        guildId: GUILD,
        userId: alice,
        count: 1,
      });

      // n0…n9 back 103 equally; ties go to the lowest id, so n0 is the strongest contributor, with the 10 films
      // they and alice both rated and agree on. Discord is asked only about the one backer who allows their name.
      expect(pick?.reason).toEqual({
        kind: 'named',
        named: [{ userId: n(0), rating: 4.5, agreements: 10 }],
        othersToo: true,
      });
      expect(asked).toEqual([n(0)]);

      // Once n0 has left the Discord server, nobody may be named: the backers are a count again.
      const [afterLeaving] = await recommendations.recommend({
        isGuildMember: async (userId) => userId !== n(0),
        guildId: GUILD,
        userId: alice,
        count: 1,
      });
      expect(afterLeaving?.reason).toEqual({ kind: 'count', backers: 10, averageRating: 4.5 });
    });

    it('stops using a member as a neighbour as soon as they turn shareTaste off', async () => {
      const recommendations = service();
      await film.core.repos.users.updateSettings(n(0), { showName: true });
      expect((await recommendations.similarMembers(GUILD, alice, 40)).map(({ userId }) => userId)).toContain(n(0));

      await film.core.repos.users.updateSettings(n(0), { shareTaste: false });
      recommendations.settingsChanged(n(0));
      const [pick] = await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 });

      // n0 allowed their name, but is no backer any more: nine are counted, nobody is named.
      expect(pick?.reason).toEqual({ kind: 'count', backers: 9, averageRating: 4.5 });
      expect((await recommendations.similarMembers(GUILD, alice, 40)).map(({ userId }) => userId)).not.toContain(n(0));
    });

    it('lists the members who agree with her closest first, with the films both rated', async () => {
      const similar = await service().similarMembers(GUILD, alice, 2);

      // Everyone rated films 1-10 as alice did: 10 shared, 10 agreements, (10 − 0)/(10 + 5) = 2/3; ties by lowest id.
      expect(similar).toEqual([
        { userId: n(0), similarity: expect.closeTo(2 / 3, 12), coRated: 10 },
        { userId: n(1), similarity: expect.closeTo(2 / 3, 12), coRated: 10 },
      ]);
    });

    it('drops a forgotten member from the cached model', async () => {
      const recommendations = service();
      await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 });

      await film.core.repos.users.delete(n(0));
      recommendations.userForgotten(n(0));
      const [pick] = await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 });

      expect(pick?.reason).toEqual({ kind: 'count', backers: 9, averageRating: 4.5 });
      expect((await recommendations.similarMembers(GUILD, alice, 40)).map(({ userId }) => userId)).not.toContain(n(0));
    });

    it('refuses a count outside 1-5 and a genre TMDB does not use', async () => {
      const recommendations = service();
      for (const request of [{ count: 0 }, { count: 6 }, { count: 2.5 }, { count: 1, genreId: 12_345 }]) {
        await expect(
          recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, ...request }),
        ).rejects.toBeInstanceOf(UserFacingError);
      }
    });

    it('refuses years outside 1874 to five years ahead or in the wrong order, and runtimes outside 30-600, reading and writing nothing', async () => {
      const load = vi.spyOn(film.core.repos.ratings, 'loadGuildRatings');
      const recommendations = service();
      const rowsBefore = await Promise.all(['users', 'ratings', 'movies'].map((table) => film.count(table)));
      // t0 is in 2026, so the latest year allowed is 2026 + 5 = 2031.
      const refused = [
        { code: 'bad-year', request: { fromYear: 1873 } },
        { code: 'bad-year', request: { toYear: 2032 } },
        { code: 'bad-year', request: { fromYear: 2001, toYear: 2000 } },
        { code: 'bad-year', request: { fromYear: 1999.5 } },
        { code: 'bad-runtime', request: { maxRuntime: 29 } },
        { code: 'bad-runtime', request: { maxRuntime: 601 } },
        { code: 'bad-runtime', request: { maxRuntime: 90.5 } },
      ];
      for (const { code, request } of refused) {
        await expect(
          recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1, ...request }),
        ).rejects.toMatchObject({
          name: 'UserFacingError',
          code,
        });
      }

      // No model was built.
      expect(load).not.toHaveBeenCalled();
      expect(await Promise.all(['users', 'ratings', 'movies'].map((table) => film.count(table)))).toEqual(rowsBefore);
      // The bounds themselves are allowed.
      expect(
        ids(
          await recommendations.recommend({
            ...everyoneIn(GUILD),
            userId: alice,
            count: 1,
            fromYear: 1874,
            toYear: 2031,
          }),
        ),
      ).toEqual([103]);
    });
  });

  describe('incremental updates', () => {
    beforeEach(() => seedGuild([GUILD, OTHER_GUILD]));

    it('builds a guild once for concurrent first requests', async () => {
      const load = vi.spyOn(film.core.repos.ratings, 'loadGuildRatings');
      const recommendations = service();

      const [first, second] = await Promise.all([
        recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 3 }),
        recommendations.similarMembers(GUILD, alice, 3),
      ]);

      expect(load).toHaveBeenCalledTimes(1);
      expect(ids(first)).toEqual([103, 104, 105]);
      expect(second).toHaveLength(3);
    });

    it('shows rating changes in the next picks of every cached guild without rebuilding', async () => {
      const load = vi.spyOn(film.core.repos.ratings, 'loadGuildRatings');
      const recommendations = service();
      for (const guildId of [GUILD, OTHER_GUILD]) {
        expect(ids(await recommendations.recommend({ ...everyoneIn(guildId), userId: alice, count: 3 }))).toEqual([
          103, 104, 105,
        ]);
      }

      // Alice rates 103; n18, n19 and n20 take back their ratings of 105.
      await film.core.repos.ratings.upsert({ userId: alice, movieId: 103, score: 4, ratedAt: t0 });
      recommendations.ratingChanged(alice, 103, 4);
      for (const userId of range(18, 20)) {
        await film.core.repos.ratings.remove(userId, 105);
        recommendations.ratingChanged(userId, 105, null);
      }

      for (const guildId of [GUILD, OTHER_GUILD]) {
        // 103 is rated now and 105 has no backers left: 104 (3.622 before the change), then 108 over 107
        // (same backers' similarity, votes 1 against 0.5).
        expect(ids(await recommendations.recommend({ ...everyoneIn(guildId), userId: alice, count: 3 }))).toEqual([
          104, 108, 107,
        ]);
      }
      // Both models stayed cached: each guild was read from the database once.
      expect(load.mock.calls.map(([guildId]) => guildId)).toEqual([GUILD, OTHER_GUILD]);
    });

    it('applies a 👎 to the cached model: the film leaves the member’s picks', async () => {
      const recommendations = service();
      expect(ids(await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 }))).toEqual([103]);

      recommendations.feedbackChanged(alice, 103, -1);

      expect(ids(await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 }))).toEqual([104]);
    });

    it('applies a change another process made to the cached model, leaving TMDB to the process that made it', async () => {
      const load = vi.spyOn(film.core.repos.ratings, 'loadGuildRatings');
      const recommendations = service();
      expect(ids(await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 3 }))).toEqual([
        103, 104, 105,
      ]);

      // Another process: n18, n19 and n20 take back 105; n0 loves 107 (both committed there).
      for (const userId of range(18, 20)) {
        await film.core.repos.ratings.remove(userId, 105);
        recommendations.heard({ kind: 'rating', userId, movieId: 105, score: null });
      }
      await film.core.repos.ratings.upsert({ userId: n(0), movieId: 107, score: 5, ratedAt: t0 });
      recommendations.heard({ kind: 'rating', userId: n(0), movieId: 107, score: 5 });

      const picks = ids(await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 4 }));
      expect(picks.slice(0, 2)).toEqual([103, 104]);
      expect(picks).not.toContain(105);
      expect(load).toHaveBeenCalledTimes(1);
      // No fetch of TMDB's list of the film n0 loved here: the process that heard the rating first does that.
      expect(background.pending).not.toContain('related-films:107');
    });

    it('drops every cached model when changes may have been missed, and builds them afresh', async () => {
      const load = vi.spyOn(film.core.repos.ratings, 'loadGuildRatings');
      const recommendations = service();
      await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 });
      expect(recommendations.cachedModels()).toBe(1);

      recommendations.lost();

      expect(recommendations.cachedModels()).toBe(0);
      await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 });
      expect(load).toHaveBeenCalledTimes(2);
    });

    it('builds a cached model afresh once it is older than cacheTtlMs, with what changed unheard', async () => {
      const recommendations = service({ cacheTtlMs: 60_000 });
      expect(ids(await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 }))).toEqual([103]);
      // Written by another process whose NOTIFY never came.
      for (const userId of range(0, 9)) await film.core.repos.ratings.remove(userId, 103);

      film.setNow(new Date(t0.getTime() + 59_999));
      expect(ids(await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 }))).toEqual([103]);
      film.setNow(new Date(t0.getTime() + 60_000));
      expect(ids(await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 }))).toEqual([104]);
    });

    it('does not keep the model of a guild forgotten while it was being built: the next request reads the database again', async () => {
      const recommendations = service();
      const held = holdSettingsReads();
      const waiting = recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 });
      await vi.waitFor(() => expect(held.reads).toHaveBeenCalled());

      recommendations.guildForgotten(GUILD);
      held.release();

      // The request already waiting still gets its picks.
      expect(ids(await waiting)).toEqual([103]);
      // Alice rates 103 without telling the service: only a model built anew from the database knows.
      await film.core.repos.ratings.upsert({ userId: alice, movieId: 103, score: 4, ratedAt: t0 });
      const load = vi.spyOn(film.core.repos.ratings, 'loadGuildRatings');
      expect(ids(await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 }))).toEqual([104]);
      // That model is kept.
      await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 });
      expect(load).toHaveBeenCalledTimes(1);
    });

    it('keeps a privacy change heard while a model loads over the older settings the load read', async () => {
      const recommendations = service();
      const { users } = film.core.repos;
      const getMany = users.getMany;
      let readDone = () => {};
      const read = new Promise<void>((resolve) => {
        readDone = resolve;
      });
      let release = () => {};
      const gate = new Promise<void>((resolve) => {
        release = resolve;
      });
      // The build reads everyone's settings, then its answer is held back until the change below has been read.
      vi.spyOn(users, 'getMany').mockImplementation(async (userIds) => {
        const before = await getMany(userIds);
        readDone();
        await gate;
        return before;
      });
      const waiting = recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 });
      await read;

      await users.updateSettings(n(0), { shareTaste: false });
      const reRead = vi.spyOn(users, 'get');
      recommendations.settingsChanged(n(0));
      await reRead.mock.results[0]?.value;
      release();

      // n0 (one of 103's ten backers) is nobody's neighbour, although the load read them as sharing.
      expect((await waiting)[0]?.reason).toEqual({ kind: 'count', backers: 9, averageRating: 4.5 });
      expect((await recommendations.similarMembers(GUILD, alice, 40)).map(({ userId }) => userId)).not.toContain(n(0));
    });

    it('drops a member forgotten while a model loads', async () => {
      const recommendations = service();
      const held = holdSettingsReads();
      const waiting = recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 });
      // The ratings are read by now, n2's among them.
      await vi.waitFor(() => expect(held.reads).toHaveBeenCalled());

      await film.core.repos.users.delete(n(2));
      recommendations.userForgotten(n(2));
      held.release();

      expect((await waiting)[0]?.reason).toEqual({ kind: 'count', backers: 9, averageRating: 4.5 });
      expect((await recommendations.similarMembers(GUILD, alice, 40)).map(({ userId }) => userId)).not.toContain(n(2));
    });

    it('keeps at most maxGuilds models, dropping the least recently used', async () => {
      await join(THIRD_GUILD, [alice, ...NEIGHBOURS]);
      const load = vi.spyOn(film.core.repos.ratings, 'loadGuildRatings');
      const recommendations = service({ maxGuilds: 2 });
      const ask = (guildId: string) => recommendations.recommend({ ...everyoneIn(guildId), userId: alice, count: 1 });

      await ask(GUILD);
      await ask(OTHER_GUILD);
      await ask(GUILD);
      // A third model: OTHER_GUILD, used least recently, goes; GUILD stays.
      await ask(THIRD_GUILD);
      await ask(GUILD);
      await ask(OTHER_GUILD);

      expect(load.mock.calls.map(([guildId]) => guildId)).toEqual([GUILD, OTHER_GUILD, THIRD_GUILD, OTHER_GUILD]);
    });

    it('drops a model once it has been idle for idleMs, so the next request reads the database again', async () => {
      // Only the sweep's timer is faked, so it runs when the test moves it rather than on the wall clock.
      vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
      const load = vi.spyOn(film.core.repos.ratings, 'loadGuildRatings');
      const recommendations = service({ idleMs: 60_000, sweepIntervalMs: 1_000 });
      const ask = () => recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 });
      await ask();

      // Idle for 59 s at the sweep: kept.
      film.setNow(new Date(t0.getTime() + 59_000));
      vi.advanceTimersByTime(1_000);
      await ask();
      expect(load).toHaveBeenCalledTimes(1);

      // Idle for 61 s at the next sweep: dropped.
      film.setNow(new Date(t0.getTime() + 120_000));
      vi.advanceTimersByTime(1_000);
      await ask();
      expect(load).toHaveBeenCalledTimes(2);
    });

    it('adds a member who joins after the model was built', async () => {
      const recommendations = service();
      const reasonFor107 = async () =>
        (await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 5 })).find(
          ({ movie }) => movie.tmdbId === 107,
        )?.reason;
      // Two backers (n21, n22, 3★ each) are too few to be counted (GUIDE §9).
      expect(await reasonFor107()).toEqual({ kind: 'similar-taste' });

      // A newcomer with the same shared films who loves 107: backers of 107 go from 2 to 3.
      await join(GUILD, [newbie]);
      await film.test.db.models.Rating.bulkCreate([
        ...SHARED.map((movieId) => ({ userId: newbie, movieId, score: 4, ratedAt: t0 })),
        { userId: newbie, movieId: 107, score: 5, ratedAt: t0 },
      ]);
      await recommendations.similarMembers(GUILD, newbie, 1);

      // Three are counted, with their average: (3 + 3 + 5) / 3 = 3.667.
      expect(await reasonFor107()).toEqual({ kind: 'count', backers: 3, averageRating: expect.closeTo(3.667, 3) });
    });
  });

  describe('a brand-new member', () => {
    // In a server where nobody else rated anything, so no server favourites: TMDB's popularity alone.
    beforeEach(async () => {
      await seedGuild();
      await join(THIRD_GUILD, [newbie]);
    });

    it('gets popular TMDB films labelled as such, without the ones they watched', async () => {
      mockPopularLists();
      await film.core.repos.movies.upsertSummaries([movieSummary(934433, { title: 'Scream VI' })], t0);
      await film.core.repos.watchLog.add({ userId: newbie, movieId: 934433, watchedOn: '2026-03-02', note: null }, t0);

      const picks = await service().recommend({ ...everyoneIn(THIRD_GUILD), userId: newbie, count: 3 });

      // Lists interleaved by rank: popular 640146, trending 934433 (watched), top rated 238, then popular 502356.
      expect(ids(picks)).toEqual([640146, 238, 502356]);
      for (const pick of picks)
        expect(pick).toMatchObject({ source: 'popular', predicted: null, reason: { kind: 'popular' } });
      expect(picks[0]?.movie.title).toBe('Ant-Man and the Wasp: Quantumania');
      // The films are stored, so a card can be recorded for them.
      expect((await film.core.repos.movies.findByIds(ids(picks))).map(({ tmdbId }) => tmdbId).sort()).toEqual([
        238, 502356, 640146,
      ]);
    });

    it('gets the server’s favourites beside TMDB’s popular films where members rated films highly', async () => {
      await join(GUILD, [newbie]);
      mockPopularLists();

      const picks = await service().recommend({ ...everyoneIn(GUILD), userId: newbie, count: 4 });

      // C = 1543/366 = 4.216 (every rating here), m = 5: B(101) = (130 + 5C)/31 → F = 0.838 (26 × 5★), 106 0.830
      // (25 × 5★), 102 0.795 (20 × 5★), weighed w_F = 1; TMDB's first film (popular 640146) has P = 1 at w_P = 0.5.
      expect(picks.map(({ movie, source }) => [movie.tmdbId, source])).toEqual([
        [101, 'server-favourites'],
        [106, 'server-favourites'],
        [102, 'server-favourites'],
        [640146, 'popular'],
      ]);
      expect(picks[0]?.reason).toEqual({ kind: 'server-favourite', average: 5, raters: 26, ratingsToGo: 5 });
      expect(picks[3]?.reason).toEqual({ kind: 'popular', list: 'popular', ratingsToGo: 5 });
    });

    it('falls back to the most popular cached films when TMDB fails', async () => {
      nock(TMDB_ORIGIN)
        .get(/.*/)
        .query(true)
        .times(3)
        .reply(500, { status_code: 11, status_message: 'Internal error' });
      await film.core.repos.movies.upsertSummaries(
        [movieSummary(201, { popularity: 90 }), movieSummary(202, { popularity: 80 })],
        t0,
      );

      const picks = await service().recommend({ ...everyoneIn(THIRD_GUILD), userId: newbie, count: 3 });

      // 201 (90), 202 (80), then the seeded films at popularity 10, lowest id first.
      expect(ids(picks)).toEqual([201, 202, 1]);
      expect(picks.every(({ source }) => source === 'popular')).toBe(true);
    });

    it('keeps the picks whose films arrived when fetching another film fails', async () => {
      // TMDB lists three films the movies table lacks (their store write failed); 902's details time out.
      const list = (results: number[]): MovieList => ({
        page: 1,
        totalPages: 1,
        totalResults: results.length,
        results: results.map((id) => movieSummary(id, { genreIds: [DRAMA] })),
      });
      const fetched: number[] = [];
      const catalog: MovieCatalog = {
        ...film.core.catalog,
        popular: async () => list([901, 902, 903]),
        trending: async () => list([]),
        topRated: async () => list([]),
        getMovie: async (tmdbId) => {
          fetched.push(tmdbId);
          if (tmdbId === 902) throw new TmdbError('movie/902 timed out', { kind: 'timeout', path: 'movie/902' });
          return { ...movieSummary(tmdbId), runtime: 100, imdbId: null, fetchedAt: t0, detailsFetchedAt: t0 };
        },
      };

      const picks = await service({}, { ...film.core, catalog }).recommend({
        ...everyoneIn(THIRD_GUILD),
        userId: newbie,
        count: 3,
      });

      expect(fetched.sort()).toEqual([901, 902, 903]);
      expect(ids(picks)).toEqual([901, 903]);
    });

    it('does not wait for a TMDB that hangs past the budget', async () => {
      nock(TMDB_ORIGIN).get(/.*/).query(true).times(3).delay(10_000).reply(200, tmdbFixture('movie-popular-list'));
      await film.core.repos.movies.upsertSummaries([movieSummary(201, { popularity: 90 })], t0);

      const picks = await service({ popularBudgetMs: 100 }).recommend({
        ...everyoneIn(THIRD_GUILD),
        userId: newbie,
        count: 1,
      });

      expect(ids(picks)).toEqual([201]);
    });
  });

  describe('feedback on pick cards', () => {
    beforeEach(() => seedGuild());

    it('turns the member’s own 👎 on a card into an exclusion in the cached model', async () => {
      const recommendations = service();
      const feedback = createFeedbackService(film.core, { taste: recommendations });
      const [pick] = await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 });
      if (!pick) throw new Error('no pick');
      const messageId = snowflake(9_002);
      await feedback.recordCard({ messageId, guildId: GUILD, channelId: snowflake(500), forUserId: alice, pick });

      expect(await feedback.recordReaction({ messageId, userId: alice, value: -1, action: 'add' })).toBe('recorded');

      expect(ids(await recommendations.recommend({ ...everyoneIn(GUILD), userId: alice, count: 1 }))).toEqual([104]);
    });
  });
});
