import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { createRepositories, type Repositories } from '../../src/db/repositories/index.js';
import { UserFacingError } from '../../src/errors.js';
import { createMembersService } from '../../src/services/members.js';
import { createPrivacyService, type PrivacyService } from '../../src/services/privacy.js';
import type { TasteListener } from '../../src/services/taste-listener.js';
import { createTestDatabase, databaseKinds, emptyAllTables, type TestDatabase } from '../support/databases.js';
import { movieSummary, snowflake } from '../support/builders.js';

/** A TasteListener that remembers what it heard. */
function recordingTaste() {
  const calls: string[] = [];
  const taste: TasteListener = {
    ratingChanged: (userId, movieId, score) => void calls.push(`rating:${userId}:${movieId}:${score}`),
    feedbackChanged: (userId, movieId, value) => void calls.push(`feedback:${userId}:${movieId}:${value}`),
    userForgotten: (userId) => void calls.push(`forgotten:${userId}`),
    settingsChanged: (userId) => void calls.push(`settings:${userId}`),
  };
  return { taste, calls };
}

describe.each(databaseKinds())('privacy service on %s', (kind) => {
  let test: TestDatabase;
  let repos: Repositories;
  let taste: ReturnType<typeof recordingTaste>;
  let privacy: PrivacyService;

  const guild = snowflake(1);
  const otherGuild = snowflake(2);
  const alice = snowflake(10);
  const bob = snowflake(11);
  const aliceCard1 = snowflake(501);
  const aliceCard2 = snowflake(502);
  const bobCard = snowflake(503);
  const channel = snowflake(600);
  const t0 = new Date('2026-03-01T12:00:00.000Z');
  const now = new Date('2026-03-10T09:30:00.000Z');
  const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);

  const query = <Row extends object>(sql: string, replacements: Record<string, unknown> = {}) =>
    test.db.sequelize.query<Row>(sql, { type: QueryTypes.SELECT, replacements });
  const count = async (table: string, where = '1 = 1', replacements: Record<string, unknown> = {}) => {
    const [row] = await query<{ n: string | number }>(
      `SELECT COUNT(*) AS n FROM ${table} WHERE ${where}`,
      replacements,
    );
    return Number(row?.n);
  };
  const insert = (sql: string, replacements: Record<string, unknown>) => test.db.sequelize.query(sql, { replacements });

  /** A movie night in `guildId` started by `createdBy`, with two candidates; returns its id. */
  async function movieNight(guildId: string, createdBy: string, status: 'open' | 'closed'): Promise<number> {
    await insert(
      `INSERT INTO movie_nights (guild_id, channel_id, message_id, created_by, status, closes_at, created_at)
       VALUES (:guildId, :channel, NULL, :createdBy, :status, :closesAt, :createdAt)`,
      { guildId, channel, createdBy, status, closesAt: at(120), createdAt: at(30) },
    );
    const [row] = await query<{ id: number | string }>('SELECT MAX(id) AS id FROM movie_nights');
    const nightId = Number(row?.id);
    for (const [position, movieId] of [4, 5].entries()) {
      await insert(
        'INSERT INTO movie_night_candidates (night_id, position, movie_id) VALUES (:nightId, :position, :movieId)',
        {
          nightId,
          position,
          movieId,
        },
      );
    }
    return nightId;
  }

  async function joinNight(nightId: number, userId: string, votedMovieId: number): Promise<void> {
    await insert('INSERT INTO movie_night_participants (night_id, user_id) VALUES (:nightId, :userId)', {
      nightId,
      userId,
    });
    await insert(
      'INSERT INTO movie_night_votes (night_id, user_id, movie_id, voted_at) VALUES (:nightId, :userId, :movieId, :votedAt)',
      {
        nightId,
        userId,
        movieId: votedMovieId,
        votedAt: at(45),
      },
    );
  }

  async function schedule(guildId: string, createdBy: string): Promise<void> {
    await insert(
      `INSERT INTO schedules (guild_id, channel_id, cron, timezone, created_by, created_at)
       VALUES (:guildId, :channel, '0 20 * * 5', 'Europe/Paris', :createdBy, :createdAt)`,
      { guildId, channel, createdBy, createdAt: at(60) },
    );
  }

  /**
   * Alice: member of two guilds, 2 ratings, 2 diary entries (a rewatch), 1 watchlist film, 1 feedback,
   * 2 cards made for her, a vote in an open night she started, and a schedule she set up.
   * Bob: member of the first guild, 1 of each, a card of his own, a 👍 on one of Alice's cards and a vote.
   */
  async function seedTwoMembers(): Promise<{ nightId: number }> {
    await repos.guilds.touchMember(guild, alice, t0);
    await repos.guilds.touchMember(otherGuild, alice, at(5));
    await repos.guilds.touchMember(guild, bob, t0);
    await repos.ratings.upsert({ userId: alice, movieId: 1, score: 4.5, ratedAt: at(1) });
    await repos.ratings.upsert({ userId: alice, movieId: 2, score: 3, ratedAt: at(2) });
    await repos.ratings.upsert({ userId: bob, movieId: 1, score: 2, ratedAt: at(1) });
    await repos.watchLog.add({ userId: alice, movieId: 1, watchedOn: '2026-02-01', note: 'with friends' }, at(1));
    await repos.watchLog.add({ userId: alice, movieId: 1, watchedOn: '2026-02-20', note: null }, at(2));
    await repos.watchLog.add({ userId: bob, movieId: 3, watchedOn: '2026-02-03', note: null }, at(3));
    await repos.watchlist.add(alice, 4, at(4));
    await repos.watchlist.add(bob, 4, at(4));
    const card = (messageId: string, forUserId: string, movieId: number, minutes: number) =>
      repos.recommendations.record({
        messageId,
        guildId: guild,
        channelId: channel,
        audience: 'member',
        forUserId,
        createdAt: at(minutes),
        items: [{ position: 0, movieId, source: 'neighbours', score: 4.25 }],
      });
    await card(aliceCard1, alice, 3, 10);
    await card(aliceCard2, alice, 5, 11);
    await card(bobCard, bob, 2, 12);
    await repos.feedback.set({ userId: alice, movieId: 3, value: -1, messageId: aliceCard1 });
    await repos.feedback.set({ userId: bob, movieId: 3, value: 1, messageId: aliceCard1 });
    const nightId = await movieNight(guild, alice, 'open');
    await joinNight(nightId, alice, 4);
    await joinNight(nightId, bob, 5);
    await schedule(guild, alice);
    return { nightId };
  }

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    repos = createRepositories(test.db);
  });
  afterAll(() => test.destroy());
  beforeEach(async () => {
    await emptyAllTables(test.db);
    await repos.movies.upsertSummaries(
      [1, 2, 3, 4, 5].map((id) => movieSummary(id)),
      t0,
    );
    taste = recordingTaste();
    privacy = createPrivacyService({ repos, clock: () => now }, { taste: taste.taste });
  });

  describe('export', () => {
    it('holds every kind of row stored about the member, with string ids and ISO times', async () => {
      const { nightId } = await seedTwoMembers();
      const data = await privacy.export(alice);

      expect(data).toMatchObject({
        format: 'marquee-export',
        version: 1,
        userId: alice,
        exportedAt: now.toISOString(),
      });
      expect(data.settings).toMatchObject({ shareTaste: true, showName: false, publicProfile: true, timezone: 'UTC' });
      expect(data.memberships).toEqual([
        { guildId: guild, firstSeenAt: t0.toISOString(), lastSeenAt: t0.toISOString() },
        { guildId: otherGuild, firstSeenAt: at(5).toISOString(), lastSeenAt: at(5).toISOString() },
      ]);
      expect(data.ratings).toEqual([
        { movieId: 1, title: 'Film 1', score: 4.5, ratedAt: at(1).toISOString() },
        { movieId: 2, title: 'Film 2', score: 3, ratedAt: at(2).toISOString() },
      ]);
      expect(data.diary.map(({ movieId, watchedOn, note }) => ({ movieId, watchedOn, note }))).toEqual([
        { movieId: 1, watchedOn: '2026-02-01', note: 'with friends' },
        { movieId: 1, watchedOn: '2026-02-20', note: null },
      ]);
      expect(data.watchlist).toEqual([{ movieId: 4, title: 'Film 4', addedAt: at(4).toISOString() }]);
      expect(data.feedback).toMatchObject([{ movieId: 3, title: 'Film 3', value: -1, messageId: aliceCard1 }]);
      expect(data.recommendations).toEqual([
        {
          messageId: aliceCard1,
          guildId: guild,
          channelId: channel,
          audience: 'member',
          createdAt: at(10).toISOString(),
          items: [{ position: 0, movieId: 3, title: 'Film 3', source: 'neighbours', score: 4.25 }],
        },
        expect.objectContaining({ messageId: aliceCard2, items: [expect.objectContaining({ movieId: 5 })] }),
      ]);
      expect(data.movieNights.participations).toEqual([
        {
          nightId,
          guildId: guild,
          channelId: channel,
          status: 'open',
          closesAt: at(120).toISOString(),
          createdAt: at(30).toISOString(),
        },
      ]);
      expect(data.movieNights.votes).toEqual([
        { nightId, guildId: guild, movieId: 4, title: 'Film 4', votedAt: at(45).toISOString() },
      ]);
      expect(data.movieNights.started).toHaveLength(1);
      expect(data.schedulesCreated).toMatchObject([{ guildId: guild, cron: '0 20 * * 5', timezone: 'Europe/Paris' }]);
      // Nothing of Bob's leaks into Alice's export.
      expect(JSON.stringify(data)).not.toContain(bob);
      expect(JSON.stringify(data)).not.toContain(bobCard);
    });

    it('names the fields of every kind of row as export format 1 does', async () => {
      await seedTwoMembers();
      const data = await privacy.export(alice);
      const keys = (row: object | null | undefined) =>
        Object.keys(row ?? {})
          .sort()
          .join(' ');

      expect(keys(data.settings)).toBe('createdAt publicProfile shareTaste showName timezone updatedAt');
      expect(keys(data.memberships[0])).toBe('firstSeenAt guildId lastSeenAt');
      expect(keys(data.ratings[0])).toBe('movieId ratedAt score title');
      expect(keys(data.diary[0])).toBe('createdAt entryId movieId note title watchedOn');
      expect(keys(data.watchlist[0])).toBe('addedAt movieId title');
      expect(keys(data.feedback[0])).toBe('createdAt messageId movieId title updatedAt value');
      expect(keys(data.recommendations[0])).toBe('audience channelId createdAt guildId items messageId');
      expect(keys(data.recommendations[0]?.items[0])).toBe('movieId position score source title');
      expect(keys(data.movieNights.participations[0])).toBe('channelId closesAt createdAt guildId nightId status');
      expect(keys(data.movieNights.votes[0])).toBe('guildId movieId nightId title votedAt');
      expect(keys(data.schedulesCreated[0])).toBe('channelId createdAt cron guildId scheduleId timezone');
    });

    it('survives a JSON round trip unchanged (no Dates, BigInts or undefined left in it)', async () => {
      await seedTwoMembers();
      const data = await privacy.export(alice);
      expect(JSON.parse(JSON.stringify(data))).toEqual(data);
    });

    it('is empty, with no settings, for someone Marquee never stored', async () => {
      const data = await privacy.export(snowflake(99));
      expect(data).toMatchObject({
        settings: null,
        memberships: [],
        ratings: [],
        diary: [],
        watchlist: [],
        feedback: [],
        recommendations: [],
        movieNights: { participations: [], votes: [], started: [] },
        schedulesCreated: [],
      });
    });
  });

  describe('delete', () => {
    it('removes every row of the member, reports the counts and tells the recommender', async () => {
      await seedTwoMembers();
      const report = await privacy.deleteEverything(alice);
      // Worked out from seedTwoMembers: 2 ratings, 2 diary entries, 1 watchlist film, 1 feedback,
      // 2 memberships (two guilds), 2 cards for her, 1 night participation, 1 vote.
      expect(report).toEqual({
        ratings: 2,
        diaryEntries: 2,
        watchlist: 1,
        feedback: 1,
        memberships: 2,
        recommendationMessages: 2,
        nightParticipations: 1,
        nightVotes: 1,
        settings: true,
      });
      const aliceRows = { userId: alice };
      expect(await count('users', 'id = :userId', aliceRows)).toBe(0);
      for (const table of [
        'ratings',
        'watch_log',
        'watchlist',
        'feedback',
        'guild_members',
        'movie_night_participants',
        'movie_night_votes',
      ]) {
        expect(await count(table, 'user_id = :userId', aliceRows), table).toBe(0);
      }
      expect(await count('recommendation_messages', 'for_user_id = :userId', aliceRows)).toBe(0);
      // Only Bob's card's item remains of the three cards' items.
      expect(await count('recommendation_items')).toBe(1);
      expect(taste.calls).toEqual([`forgotten:${alice}`]);
    });

    it("keeps other members' rows, detaching what pointed at the member", async () => {
      const { nightId } = await seedTwoMembers();
      await privacy.deleteEverything(alice);

      expect(await repos.ratings.listByUser(bob)).toHaveLength(1);
      expect(await repos.watchLog.countByUser(bob)).toBe(1);
      expect(await repos.watchlist.list(bob)).toHaveLength(1);
      expect(await repos.guilds.activeMemberIds(guild, t0)).toEqual([bob]);
      expect(await repos.recommendations.find(bobCard)).not.toBeNull();
      // Bob's 👍 was on Alice's card: the feedback is his and stays, without the message it came from.
      expect(await repos.feedback.listByUser(bob)).toEqual([{ userId: bob, movieId: 3, value: 1, messageId: null }]);
      // The open night is the server's: it stays with Bob's vote, and no longer names who started it.
      const nights = await query<{ created_by: string | null; status: string }>(
        'SELECT created_by, status FROM movie_nights',
      );
      expect(nights).toEqual([{ created_by: null, status: 'open' }]);
      expect(await count('movie_night_votes', 'night_id = :nightId AND user_id = :bob', { nightId, bob })).toBe(1);
      expect(await count('movie_night_candidates')).toBe(2);
      const schedules = await query<{ created_by: string | null }>('SELECT created_by FROM schedules');
      expect(schedules).toEqual([{ created_by: null }]);
      expect(await count('guilds')).toBe(2);
    });

    it('reports nothing deleted for someone Marquee never stored, and does not create them', async () => {
      const stranger = snowflake(99);
      expect(await privacy.deleteEverything(stranger)).toEqual({
        ratings: 0,
        diaryEntries: 0,
        watchlist: 0,
        feedback: 0,
        memberships: 0,
        recommendationMessages: 0,
        nightParticipations: 0,
        nightVotes: 0,
        settings: false,
      });
      expect(await count('users', 'id = :stranger', { stranger })).toBe(0);
    });
  });

  describe('settings', () => {
    beforeEach(() => repos.guilds.touchMember(guild, alice, t0));

    it('shows the defaults of GUIDE §9 until the member changes them', async () => {
      expect(await privacy.settings(alice)).toEqual({
        shareTaste: true,
        showName: false,
        publicProfile: true,
        timezone: 'UTC',
      });
    });

    it('updates only the given switches and stores the canonical zone name', async () => {
      const update = await privacy.updateSettings(alice, { publicProfile: false, timezone: 'europe/paris' });
      expect(update).toEqual({
        settings: { shareTaste: true, showName: false, publicProfile: false, timezone: 'Europe/Paris' },
        changed: ['publicProfile', 'timezone'],
      });
      expect(await privacy.settings(alice)).toEqual(update.settings);
      // Neither shareTaste nor showName changed: the recommender has nothing to redo.
      expect(taste.calls).toEqual([]);
    });

    it('tells the recommender when sharing or naming changes, and only then', async () => {
      await privacy.updateSettings(alice, { shareTaste: false });
      await privacy.updateSettings(alice, { shareTaste: false });
      await privacy.updateSettings(alice, { showName: true });
      // The second call set shareTaste to the value it already had: no change, no call.
      expect(taste.calls).toEqual([`settings:${alice}`, `settings:${alice}`]);
    });

    it('refuses an unknown time zone and writes nothing, not even the other switches of that call', async () => {
      const attempt = privacy.updateSettings(alice, { showName: true, timezone: 'Europe/Atlantis' });
      await expect(attempt).rejects.toBeInstanceOf(UserFacingError);
      await expect(attempt).rejects.toMatchObject({ code: 'bad-timezone' });
      expect(await privacy.settings(alice)).toEqual({
        shareTaste: true,
        showName: false,
        publicProfile: true,
        timezone: 'UTC',
      });
      expect(taste.calls).toEqual([]);
    });

    it('changes nothing when called without changes', async () => {
      expect(await privacy.updateSettings(alice, {})).toEqual({
        settings: { shareTaste: true, showName: false, publicProfile: true, timezone: 'UTC' },
        changed: [],
      });
    });
  });

  describe('when the bot leaves a guild', () => {
    it("deletes the guild's own data and keeps members' ratings, diaries and other guilds", async () => {
      const { nightId } = await seedTwoMembers();
      const otherNight = await movieNight(otherGuild, alice, 'closed');
      await joinNight(otherNight, alice, 5);
      await schedule(otherGuild, alice);
      const members = createMembersService({ repos, clock: () => now, activeDays: 180 });

      await members.forgetGuild(guild);

      const inGuild = { guild };
      expect(await count('guilds', 'id = :guild', inGuild)).toBe(0);
      expect(await count('guild_members', 'guild_id = :guild', inGuild)).toBe(0);
      expect(await count('recommendation_messages', 'guild_id = :guild', inGuild)).toBe(0);
      // All three cards were posted in that guild, so no items remain.
      expect(await count('recommendation_items')).toBe(0);
      expect(await count('movie_nights', 'guild_id = :guild', inGuild)).toBe(0);
      expect(await count('movie_night_votes', 'night_id = :nightId', { nightId })).toBe(0);
      expect(await count('movie_night_participants', 'night_id = :nightId', { nightId })).toBe(0);
      expect(await count('movie_night_candidates', 'night_id = :nightId', { nightId })).toBe(0);
      expect(await count('schedules', 'guild_id = :guild', inGuild)).toBe(0);

      // Members' own data stays theirs.
      expect(await count('users', 'id IN (:alice, :bob)', { alice, bob })).toBe(2);
      expect(await repos.ratings.listByUser(alice)).toHaveLength(2);
      expect(await repos.ratings.listByUser(bob)).toHaveLength(1);
      expect(await repos.watchLog.countByUser(alice)).toBe(2);
      expect(await repos.watchlist.list(alice)).toHaveLength(1);
      // Feedback is the member's too; it only loses the card it came from.
      expect(await repos.feedback.listByUser(alice)).toEqual([
        { userId: alice, movieId: 3, value: -1, messageId: null },
      ]);

      // The other guild is untouched.
      expect(await repos.guilds.activeMemberIds(otherGuild, t0)).toEqual([alice]);
      expect(await count('movie_nights', 'guild_id = :otherGuild', { otherGuild })).toBe(1);
      expect(await count('movie_night_votes', 'night_id = :otherNight', { otherNight })).toBe(1);
      expect(await count('schedules', 'guild_id = :otherGuild', { otherGuild })).toBe(1);
    });
  });
});
