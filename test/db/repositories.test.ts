import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { createDatabase } from '../../src/db/database.js';
import { createLogger } from '../../src/logger.js';
import { createRepositories, type Repositories } from '../../src/db/repositories/index.js';
import { createTestDatabase, databaseKinds, emptyAllTables, type TestDatabase } from '../support/databases.js';
import { movieDetails, movieSummary, snowflake } from '../support/builders.js';

describe.each(databaseKinds())('repositories on %s', (kind) => {
  let test: TestDatabase;
  let repos: Repositories;
  const guild = snowflake(1);
  const otherGuild = snowflake(2);
  const alice = snowflake(10);
  const bob = snowflake(11);
  const t0 = new Date('2026-01-01T00:00:00Z');

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    repos = createRepositories(test.db);
  });
  afterAll(() => test.destroy());
  beforeEach(async () => {
    await emptyAllTables(test.db);
    await repos.movies.upsertSummaries(
      [1, 2, 3, 4].map((id) => movieSummary(id)),
      t0,
    );
  });

  const count = async (table: string) => {
    const [row] = await test.db.sequelize.query<{ n: string | number }>(`SELECT COUNT(*) AS n FROM ${table}`, {
      type: QueryTypes.SELECT,
    });
    return Number(row?.n);
  };

  describe('guild membership', () => {
    it('creates the user, guild and membership once and moves last seen forward', async () => {
      await repos.guilds.touchMember(guild, alice, t0);
      await repos.guilds.touchMember(guild, alice, new Date('2026-03-01T00:00:00Z'));
      expect(await count('guild_members')).toBe(1);
      expect(await repos.guilds.activeMemberIds(guild, new Date('2026-02-01T00:00:00Z'))).toEqual([alice]);
      expect(await repos.guilds.activeMemberIds(guild, new Date('2026-04-01T00:00:00Z'))).toEqual([]);
    });

    it('keeps ids as strings end to end, digits beyond 2^53 intact', async () => {
      const big = '987654321098765432';
      await repos.guilds.touchMember(guild, big, t0);
      expect(await repos.guilds.activeMemberIds(guild, t0)).toEqual([big]);
    });

    it('deleting a guild removes its memberships and messages but keeps members’ ratings', async () => {
      await repos.guilds.touchMember(guild, alice, t0);
      await repos.ratings.upsert({ userId: alice, movieId: 1, score: 4, ratedAt: t0 });
      await repos.recommendations.record({
        messageId: snowflake(500),
        guildId: guild,
        channelId: snowflake(600),
        audience: 'member',
        forUserId: alice,
        createdAt: t0,
        items: [{ position: 0, movieId: 1, source: 'popular', score: 1 }],
      });
      expect(await repos.guilds.delete(guild)).toBe(true);
      expect(await count('guild_members')).toBe(0);
      expect(await count('recommendation_messages')).toBe(0);
      expect(await count('recommendation_items')).toBe(0);
      expect(await repos.ratings.listByUser(alice)).toHaveLength(1);
    });
  });

  describe('ratings', () => {
    beforeEach(async () => {
      await repos.guilds.touchMember(guild, alice, t0);
      await repos.guilds.touchMember(guild, bob, t0);
    });

    it('replaces the rating of a film the member already rated', async () => {
      await repos.ratings.upsert({ userId: alice, movieId: 1, score: 3, ratedAt: t0 });
      await repos.ratings.upsert({ userId: alice, movieId: 1, score: 4.5, ratedAt: new Date('2026-01-02T00:00:00Z') });
      expect(await repos.ratings.listByUser(alice)).toEqual([
        { userId: alice, movieId: 1, score: 4.5, ratedAt: new Date('2026-01-02T00:00:00Z') },
      ]);
    });

    it('leaves one row when the same film is rated concurrently', async () => {
      await Promise.all(
        [1, 2, 3, 4, 5].map((n) =>
          repos.ratings.upsert({ userId: alice, movieId: 2, score: n, ratedAt: new Date(t0.getTime() + n) }),
        ),
      );
      expect(await count('ratings')).toBe(1);
    });

    it('lets two connections write in units of work at once without failing on a busy database', async () => {
      const second = createDatabase(test.target, createLogger({ level: 'silent' }));
      const secondRepos = createRepositories(second);
      try {
        const sides = [
          { r: repos, userId: alice },
          { r: secondRepos, userId: bob },
        ];
        const writes = sides.flatMap(({ r, userId }) =>
          [1, 2, 3, 4].map((movieId) =>
            r.unitOfWork(async (tx) => {
              await r.ratings.upsert({ userId, movieId, score: 3, ratedAt: t0 }, { tx });
              await r.watchLog.add({ userId, movieId, watchedOn: '2026-01-01', note: null }, t0, { tx });
            }),
          ),
        );
        await Promise.all(writes);
        expect(await count('ratings')).toBe(8);
        expect(await count('watch_log')).toBe(8);
      } finally {
        await second.close();
      }
    });

    it('rejects scores that are not half stars between 0.5 and 5', async () => {
      await expect(repos.ratings.upsert({ userId: alice, movieId: 1, score: 0, ratedAt: t0 })).rejects.toThrow();
      await expect(repos.ratings.upsert({ userId: alice, movieId: 1, score: 3.3, ratedAt: t0 })).rejects.toThrow();
      expect(await count('ratings')).toBe(0);
    });

    it('loads a guild’s ratings page by page, only from members seen since the cut-off', async () => {
      const carol = snowflake(12);
      await repos.guilds.touchMember(otherGuild, carol, t0);
      await repos.ratings.upsert({ userId: alice, movieId: 1, score: 4, ratedAt: t0 });
      await repos.ratings.upsert({ userId: alice, movieId: 2, score: 2.5, ratedAt: t0 });
      await repos.ratings.upsert({ userId: bob, movieId: 1, score: 5, ratedAt: t0 });
      await repos.ratings.upsert({ userId: carol, movieId: 3, score: 1, ratedAt: t0 });
      const columns = await repos.ratings.loadGuildRatings(guild, t0, 2);
      // The recommender's columns: each member once, then per rating a code into that list.
      expect(columns.users).toEqual([alice, bob]);
      const rows = Array.from(columns.itemIds, (movieId, e) => [
        columns.users[columns.userCodes[e]!],
        movieId,
        columns.ratings[e],
      ]);
      expect(rows).toEqual([
        [alice, 1, 4],
        [alice, 2, 2.5],
        [bob, 1, 5],
      ]);
      const none = await repos.ratings.loadGuildRatings(guild, new Date('2027-01-01T00:00:00Z'));
      expect([none.users.length, none.userCodes.length, none.itemIds.length, none.ratings.length]).toEqual([
        0, 0, 0, 0,
      ]);
    });

    it('reports the guild’s count and average for a film', async () => {
      await repos.ratings.upsert({ userId: alice, movieId: 1, score: 4, ratedAt: t0 });
      await repos.ratings.upsert({ userId: bob, movieId: 1, score: 3, ratedAt: t0 });
      expect(await repos.ratings.guildStats(guild, 1, t0)).toEqual({ count: 2, average: 3.5 });
      expect(await repos.ratings.guildStats(guild, 2, t0)).toEqual({ count: 0, average: null });
    });

    it('leaves a member who does not share their taste out of the guild’s average (GUIDE §9)', async () => {
      await repos.ratings.upsert({ userId: alice, movieId: 1, score: 4, ratedAt: t0 });
      await repos.ratings.upsert({ userId: bob, movieId: 1, score: 3, ratedAt: t0 });
      await repos.users.updateSettings(bob, { shareTaste: false });
      expect(await repos.ratings.guildStats(guild, 1, t0)).toEqual({ count: 1, average: 4 });
    });
  });

  describe('movies cache', () => {
    it('keeps details already fetched when the film shows up again in search results', async () => {
      await repos.movies.upsertDetails(movieDetails(1, { runtime: 121, imdbId: 'tt0076759' }), t0);
      await repos.movies.upsertSummaries(
        [movieSummary(1, { title: 'Star Wars', popularity: 99 })],
        new Date('2026-01-05'),
      );
      const movie = await repos.movies.findById(1);
      expect(movie).toMatchObject({ title: 'Star Wars', popularity: 99, runtime: 121, imdbId: 'tt0076759' });
      expect(movie?.detailsFetchedAt).toEqual(t0);
    });

    it('finds cached titles by prefix or by a word inside, ignoring case and accents, most popular first', async () => {
      await repos.movies.upsertSummaries(
        [
          movieSummary(10, { title: 'Amélie', popularity: 30 }),
          movieSummary(11, { title: 'The Amazing Spider-Man', popularity: 80 }),
          movieSummary(12, { title: 'Hamlet', popularity: 90 }),
        ],
        t0,
      );
      expect((await repos.movies.searchByTitle('AME', 10)).map((m) => m.tmdbId)).toEqual([10]);
      expect((await repos.movies.searchByTitle('am', 10)).map((m) => m.tmdbId)).toEqual([11, 10]);
      expect(await repos.movies.searchByTitle('  ', 10)).toEqual([]);
    });

    it('tells whether a film has a row', async () => {
      expect(await repos.movies.isStored(1)).toBe(true);
      expect(await repos.movies.isStored(99)).toBe(false);
    });

    it('reads partial rows back with null details', async () => {
      const [movie] = await repos.movies.findByIds([2, 2, 99]);
      expect(movie).toMatchObject({ tmdbId: 2, genreIds: [18], runtime: null, detailsFetchedAt: null });
    });
  });

  it('updates settings through a repository method taken off the object', async () => {
    const { updateSettings } = repos.users;

    expect(await updateSettings(alice, { showName: true, timezone: 'Europe/Paris' })).toEqual({
      id: alice,
      shareTaste: true,
      showName: true,
      publicProfile: true,
      timezone: 'Europe/Paris',
    });
  });

  describe('diary, watchlist and feedback', () => {
    beforeEach(async () => {
      await repos.users.ensure(alice);
    });

    it('keeps rewatches as separate entries and removes the latest first', async () => {
      await repos.watchLog.add({ userId: alice, movieId: 1, watchedOn: '2026-01-01', note: null }, t0);
      await repos.watchLog.add({ userId: alice, movieId: 1, watchedOn: '2026-02-01', note: 'again' }, t0);
      expect((await repos.watchLog.page(alice, 1, 10)).total).toBe(2);
      expect((await repos.watchLog.removeLatest(alice, 1))?.watchedOn).toBe('2026-02-01');
      expect(await repos.watchLog.watchedMovieIds(alice)).toEqual([1]);
    });

    it('adds a film to the watchlist once', async () => {
      expect(await repos.watchlist.add(alice, 3, t0)).toBe(true);
      expect(await repos.watchlist.add(alice, 3, t0)).toBe(false);
      expect(await repos.watchlist.list(alice)).toEqual([{ userId: alice, movieId: 3, addedAt: t0 }]);
    });

    it('pages the watchlist newest first, equal times by film id, with the total', async () => {
      // Films 1 and 2 added at the same moment, 3 a minute later, 4 two minutes later.
      await repos.watchlist.add(alice, 2, t0);
      await repos.watchlist.add(alice, 1, t0);
      await repos.watchlist.add(alice, 3, new Date(t0.getTime() + 60_000));
      await repos.watchlist.add(alice, 4, new Date(t0.getTime() + 120_000));
      const ids = async (page: number) =>
        (await repos.watchlist.page(alice, page, 3)).entries.map((entry) => entry.movieId);

      // Order 4, 3, 1, 2 at 3 per page: [4, 3, 1] then [2]; page 3 is past the end.
      expect(await ids(1)).toEqual([4, 3, 1]);
      expect(await ids(2)).toEqual([2]);
      expect(await repos.watchlist.page(alice, 3, 3)).toEqual({ entries: [], total: 4 });
      expect((await repos.watchlist.page(alice, 2, 3)).entries[0]).toEqual({ userId: alice, movieId: 2, addedAt: t0 });
      expect(await repos.watchlist.count(alice)).toBe(4);
      expect(await repos.watchlist.count(bob)).toBe(0);
    });

    it('takes back feedback only while it still has the value taken back', async () => {
      await repos.feedback.set({ userId: alice, movieId: 4, value: -1, messageId: null });

      // A 👍 being taken back after a 👎 replaced it: the 👎 stays.
      expect(await repos.feedback.removeIf(alice, 4, 1)).toBe(false);
      expect(await repos.feedback.listByUser(alice)).toEqual([
        { userId: alice, movieId: 4, value: -1, messageId: null },
      ]);
      expect(await repos.feedback.removeIf(alice, 4, -1)).toBe(true);
      expect(await repos.feedback.listByUser(alice)).toEqual([]);
      expect(await repos.feedback.removeIf(alice, 4, -1)).toBe(false);
    });

    it('keeps one feedback row per member and film, the latest winning', async () => {
      await repos.feedback.set({ userId: alice, movieId: 4, value: 1, messageId: null });
      await repos.feedback.set({ userId: alice, movieId: 4, value: -1, messageId: null });
      expect(await repos.feedback.listByUser(alice)).toEqual([
        { userId: alice, movieId: 4, value: -1, messageId: null },
      ]);
    });

    it('deleting a member removes every row of theirs and no one else’s', async () => {
      await repos.guilds.touchMember(guild, alice, t0);
      await repos.guilds.touchMember(guild, bob, t0);
      await repos.ratings.upsert({ userId: alice, movieId: 1, score: 4, ratedAt: t0 });
      await repos.ratings.upsert({ userId: bob, movieId: 1, score: 2, ratedAt: t0 });
      await repos.watchLog.add({ userId: alice, movieId: 1, watchedOn: '2026-01-01', note: null }, t0);
      await repos.watchlist.add(alice, 2, t0);
      await repos.feedback.set({ userId: alice, movieId: 3, value: 1, messageId: null });
      expect(await repos.users.delete(alice)).toBe(true);
      for (const table of ['ratings', 'guild_members', 'users']) expect(await count(table)).toBe(1);
      for (const table of ['watch_log', 'watchlist', 'feedback']) expect(await count(table)).toBe(0);
      expect((await repos.ratings.listByUser(bob))[0]?.score).toBe(2);
    });
  });

  it('records a recommendation message with its items and reads it back', async () => {
    await repos.guilds.touchMember(guild, alice, t0);
    const message = {
      messageId: snowflake(700),
      guildId: guild,
      channelId: snowflake(800),
      audience: 'member' as const,
      forUserId: alice,
      createdAt: t0,
      items: [{ position: 0, movieId: 2, source: 'neighbours' as const, score: 0.75 }],
    };
    await repos.recommendations.record(message);
    expect(await repos.recommendations.find(message.messageId)).toEqual(message);
    expect(await repos.recommendations.find(snowflake(701))).toBeNull();
  });

  it('records nothing when an item of a recommendation message is invalid', async () => {
    await repos.guilds.touchMember(guild, alice, t0);
    await expect(
      repos.recommendations.record({
        messageId: snowflake(702),
        guildId: guild,
        channelId: snowflake(800),
        audience: 'member',
        forUserId: alice,
        createdAt: t0,
        items: [{ position: 0, movieId: 999_999, source: 'popular', score: 1 }],
      }),
    ).rejects.toThrow();
    expect(await count('recommendation_messages')).toBe(0);
  });
});
