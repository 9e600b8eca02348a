import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, type Repositories } from '../../src/db/repositories/index.js';
import { UserFacingError } from '../../src/errors.js';
import { createLogger } from '../../src/logger.js';
import { createNamingPolicy } from '../../src/services/naming-policy.js';
import { createProfileService, type SimilarMember, type SimilarMembersSource } from '../../src/services/profiles.js';
import { createTestDatabase, databaseKinds, emptyAllTables, type TestDatabase } from '../support/databases.js';
import { movieSummary, snowflake } from '../support/builders.js';

// TMDB genre ids used below.
const ACTION = 28;
const COMEDY = 35;
const DRAMA = 18;
const HORROR = 27;

describe.each(databaseKinds())('profile service on %s', (kind) => {
  let test: TestDatabase;
  let repos: Repositories;
  const logger = createLogger({ level: 'silent' });
  const guild = snowflake(1);
  const alice = snowflake(10);
  const bob = snowflake(11);
  const carol = snowflake(12);
  const dave = snowflake(13);
  const erin = snowflake(14);
  const frank = snowflake(15);
  const t0 = new Date('2026-03-01T12:00:00.000Z');

  /** Everyone but `absent` is in the guild; every question asked is remembered. */
  function membership(absent: readonly string[] = []) {
    const asked: string[] = [];
    return {
      asked,
      isGuildMember: async (userId: string) => {
        asked.push(userId);
        return !absent.includes(userId);
      },
    };
  }

  /** The engine answers with `neighbours`; names go through the real naming policy. */
  const engine = (neighbours: SimilarMember[]) => {
    const calls: [string, string, number][] = [];
    const similarMembers: SimilarMembersSource = async (guildId, userId, limit) => {
      calls.push([guildId, userId, limit]);
      return neighbours;
    };
    return { calls, similarMembers, naming: createNamingPolicy({ users: repos.users }) };
  };

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    repos = createRepositories(test.db);
  });
  afterAll(() => test.destroy());
  beforeEach(async () => {
    await emptyAllTables(test.db);
    await repos.movies.upsertSummaries(
      [
        movieSummary(1, { genreIds: [ACTION, DRAMA] }),
        movieSummary(2, { genreIds: [DRAMA] }),
        movieSummary(3, { genreIds: [COMEDY, DRAMA] }),
        movieSummary(4, { genreIds: [HORROR] }),
        movieSummary(5, { genreIds: [COMEDY, 99_999] }),
      ],
      t0,
    );
    for (const userId of [alice, bob, carol, dave, erin, frank]) await repos.guilds.touchMember(guild, userId, t0);
  });

  describe("the member's own numbers", () => {
    beforeEach(async () => {
      const scores: [number, number][] = [
        [1, 4.5],
        [2, 4],
        [3, 5],
        [4, 2],
        [5, 3.5],
      ];
      for (const [movieId, score] of scores) await repos.ratings.upsert({ userId: alice, movieId, score, ratedAt: t0 });
      await repos.watchLog.add({ userId: alice, movieId: 1, watchedOn: '2026-02-01', note: null }, t0);
      await repos.watchLog.add({ userId: alice, movieId: 1, watchedOn: '2026-02-10', note: null }, t0);
      await repos.watchLog.add({ userId: alice, movieId: 4, watchedOn: '2026-02-11', note: null }, t0);
      await repos.watchlist.add(alice, 5, t0);
    });

    it('counts ratings, diary entries and watchlist films and averages the ratings', async () => {
      const profiles = createProfileService({ repos, logger }, engine([]));
      const view = await profiles.get({ guildId: guild, viewerId: alice, targetId: alice, ...membership() });
      expect(view.isSelf).toBe(true);
      expect(view.counts).toEqual({ ratings: 5, diaryEntries: 3, watchlist: 1 });
      // (4.5 + 4 + 5 + 2 + 3.5) / 5 = 19 / 5 = 3.8
      expect(view.averageRating).toBeCloseTo(3.8, 10);
    });

    it('finds favourite genres among films rated 4 or more, most liked first, ties by name', async () => {
      const profiles = createProfileService({ repos, logger }, engine([]));
      const view = await profiles.get({ guildId: guild, viewerId: alice, targetId: alice, ...membership() });
      // Liked (≥ 4): film 1 (Action, Drama), film 2 (Drama), film 3 (Comedy, Drama).
      // Drama 3, then Action 1 and Comedy 1 tied (alphabetical). Film 4 (Horror, 2★) and film 5 (3.5★) are not liked.
      expect(view.favouriteGenres).toEqual([
        { genreId: DRAMA, name: 'Drama', films: 3 },
        { genreId: ACTION, name: 'Action', films: 1 },
        { genreId: COMEDY, name: 'Comedy', films: 1 },
      ]);
    });

    it('shows an empty profile with no average for a member who rated nothing', async () => {
      const profiles = createProfileService({ repos, logger }, engine([]));
      const view = await profiles.get({ guildId: guild, viewerId: bob, targetId: bob, ...membership() });
      expect(view).toMatchObject({
        counts: { ratings: 0, diaryEntries: 0, watchlist: 0 },
        averageRating: null,
        favouriteGenres: [],
      });
    });
  });

  describe('similar members (GUIDE §9)', () => {
    it('names only members who allow it and are still in the guild, and counts the rest', async () => {
      await repos.users.updateSettings(bob, { showName: true });
      await repos.users.updateSettings(dave, { showName: true });
      await repos.users.updateSettings(erin, { showName: true });
      const { calls, ...deps } = engine([
        { userId: bob, similarity: 0.9, coRated: 12 }, // named
        { userId: carol, similarity: 0.8, coRated: 10 }, // showName off: counted
        { userId: dave, similarity: 0.7, coRated: 8 }, // showName on but left the server: counted
        { userId: erin, similarity: 0.6, coRated: 5 }, // named
      ]);
      const members = membership([dave]);
      const profiles = createProfileService({ repos, logger }, deps, { similarMemberCount: 4 });
      const view = await profiles.get({ guildId: guild, viewerId: alice, targetId: alice, ...members });

      expect(calls).toEqual([[guild, alice, 4]]);
      expect(view.similar).toEqual({
        kind: 'members',
        named: [
          { userId: bob, similarity: 0.9, coRated: 12 },
          { userId: erin, similarity: 0.6, coRated: 5 },
        ],
        unnamedCount: 2,
      });
      // Discord is asked only about members who allow their name.
      expect(members.asked.sort()).toEqual([bob, dave, erin].sort());
    });

    it('leaves out members who stopped sharing their taste, dissimilar members and the member themself', async () => {
      await repos.users.updateSettings(bob, { showName: true, shareTaste: false });
      const profiles = createProfileService(
        { repos, logger },
        engine([
          { userId: alice, similarity: 1, coRated: 20 },
          { userId: bob, similarity: 0.9, coRated: 12 },
          { userId: carol, similarity: 0.5, coRated: 4 },
          { userId: dave, similarity: 0, coRated: 3 },
          { userId: erin, similarity: -0.4, coRated: 6 },
        ]),
      );
      const view = await profiles.get({ guildId: guild, viewerId: alice, targetId: alice, ...membership() });
      // Only Carol remains, unnamed (showName defaults to off).
      expect(view.similar).toEqual({ kind: 'members', named: [], unnamedCount: 1 });
    });

    it('matches nobody with a member who does not share their taste, without asking the engine', async () => {
      await repos.users.updateSettings(alice, { shareTaste: false });
      const { calls, ...deps } = engine([{ userId: bob, similarity: 0.9, coRated: 12 }]);
      const profiles = createProfileService({ repos, logger }, deps);
      const view = await profiles.get({ guildId: guild, viewerId: alice, targetId: alice, ...membership() });
      expect(view.similar).toEqual({ kind: 'not-sharing' });
      expect(calls).toEqual([]);
    });

    it('still shows the rest of the profile when the engine fails', async () => {
      await repos.ratings.upsert({ userId: alice, movieId: 1, score: 4, ratedAt: t0 });
      const profiles = createProfileService(
        { repos, logger },
        {
          ...engine([]),
          similarMembers: async () => {
            throw new Error('model not built');
          },
        },
      );
      const view = await profiles.get({ guildId: guild, viewerId: alice, targetId: alice, ...membership() });
      expect(view.similar).toEqual({ kind: 'unavailable' });
      expect(view.counts.ratings).toBe(1);
    });
  });

  describe("another member's profile", () => {
    it('is shown when they are in the guild and their profile is public (the default)', async () => {
      await repos.ratings.upsert({ userId: bob, movieId: 2, score: 3, ratedAt: t0 });
      const profiles = createProfileService({ repos, logger }, engine([]));
      const view = await profiles.get({ guildId: guild, viewerId: alice, targetId: bob, ...membership() });
      expect(view).toMatchObject({ userId: bob, isSelf: false, counts: { ratings: 1 }, averageRating: 3 });
    });

    it('is refused when they are not in the guild', async () => {
      const profiles = createProfileService({ repos, logger }, engine([]));
      const attempt = profiles.get({ guildId: guild, viewerId: alice, targetId: frank, ...membership([frank]) });
      await expect(attempt).rejects.toBeInstanceOf(UserFacingError);
      await expect(attempt).rejects.toMatchObject({
        code: 'member-not-in-guild',
        message: 'That person is not a member of this server.',
      });
    });

    it('is refused when they keep their profile private', async () => {
      await repos.users.updateSettings(bob, { publicProfile: false });
      const profiles = createProfileService({ repos, logger }, engine([]));
      await expect(
        profiles.get({ guildId: guild, viewerId: alice, targetId: bob, ...membership() }),
      ).rejects.toMatchObject({ code: 'profile-private' });
    });

    it('does not stop a member from seeing their own private profile', async () => {
      await repos.users.updateSettings(alice, { publicProfile: false });
      const profiles = createProfileService({ repos, logger }, engine([]));
      // Even if Discord's answer about the viewer were stale, the viewer's own profile needs no check.
      const members = membership([alice]);
      await expect(
        profiles.get({ guildId: guild, viewerId: alice, targetId: alice, ...members }),
      ).resolves.toMatchObject({
        isSelf: true,
      });
      expect(members.asked).toEqual([]);
    });
  });
});
