import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, type Repositories } from '../../src/db/repositories/index.js';
import type { NewNight } from '../../src/db/repositories/movie-nights.js';
import { movieSummary, snowflake } from '../support/builders.js';
import { createTestDatabase, databaseKinds, emptyAllTables, type TestDatabase } from '../support/databases.js';

const GUILD = snowflake(1);
const CHANNEL = snowflake(2);
const OTHER_CHANNEL = snowflake(3);
const ANA = snowflake(10);
const BEN = snowflake(11);
const t0 = new Date('2026-03-01T20:00:00.000Z');
const at = (minutes: number) => new Date(t0.getTime() + minutes * 60_000);
const SETTINGS = { strategy: 'borda', allowRewatch: false, genreId: null, maxRuntime: null, pollMinutes: 10 };

describe.each(databaseKinds())('movie nights repository on %s', (kind) => {
  let test: TestDatabase;
  let repos: Repositories;
  const night = (overrides: Partial<NewNight> = {}): NewNight => ({
    guildId: GUILD,
    channelId: CHANNEL,
    voiceChannelId: null,
    createdBy: ANA,
    phase: 'poll',
    closesAt: at(10),
    createdAt: t0,
    settings: SETTINGS,
    ...overrides,
  });
  /** An open poll with two picks, Ana and Ben in the group. */
  async function poll(overrides: Partial<NewNight> = {}): Promise<number> {
    const nightId = await repos.movieNights.insert(night(overrides));
    if (nightId === null) throw new Error('channel taken');
    await repos.movieNights.addPoll(nightId, {
      participants: [
        { userId: ANA, hasRatings: true },
        { userId: BEN, hasRatings: false },
      ],
      candidates: [
        { position: 1, movieId: 101, groupScore: 4.1 },
        { position: 2, movieId: 102, groupScore: 3.9 },
      ],
      forecasts: [
        { position: 1, userId: ANA, stars: 4.1 },
        { position: 2, userId: ANA, stars: 3.9 },
      ],
    });
    return nightId;
  }

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    repos = createRepositories(test.db);
  });
  beforeEach(async () => {
    await emptyAllTables(test.db);
    await repos.movies.upsertSummaries([movieSummary(101), movieSummary(102)], t0);
    for (const id of [ANA, BEN]) await repos.users.ensure(id);
  });
  afterAll(() => test.destroy());

  it('stores a night with its group, picks and forecasts, creating the guild row it needs', async () => {
    const nightId = await poll({ voiceChannelId: snowflake(4) });
    expect(await repos.guilds.ids()).toEqual([GUILD]);
    expect(await repos.movieNights.find(nightId)).toEqual({
      night: expect.objectContaining({
        id: nightId,
        guildId: GUILD,
        channelId: CHANNEL,
        voiceChannelId: snowflake(4),
        status: 'open',
        phase: 'poll',
        closesAt: at(10),
        createdAt: t0,
        settings: SETTINGS,
      }),
      participants: [
        { userId: ANA, hasRatings: true },
        { userId: BEN, hasRatings: false },
      ],
      candidates: [
        { position: 1, movieId: 101, groupScore: expect.closeTo(4.1, 5) },
        { position: 2, movieId: 102, groupScore: expect.closeTo(3.9, 5) },
      ],
      forecasts: [
        { position: 1, userId: ANA, stars: expect.closeTo(4.1, 5) },
        { position: 2, userId: ANA, stars: expect.closeTo(3.9, 5) },
      ],
      votes: [],
    });
  });

  it('refuses a second open night in a channel, and allows one once the first has ended', async () => {
    const first = await poll();
    expect(await repos.movieNights.insert(night())).toBeNull();
    expect(await repos.movieNights.insert(night({ channelId: OTHER_CHANNEL }))).toEqual(expect.any(Number));
    await repos.movieNights.cancel(first, at(1));
    expect(await repos.movieNights.insert(night())).toEqual(expect.any(Number));
  });

  it('keeps one vote per member per night, replaced by a new one, removed only while it is for the film given', async () => {
    const nightId = await poll();
    await repos.movieNights.setVote(nightId, { userId: ANA, movieId: 101, via: 'button', votedAt: at(1) });
    await repos.movieNights.setVote(nightId, { userId: ANA, movieId: 102, via: 'reaction', votedAt: at(2) });
    expect(await repos.movieNights.voteOf(nightId, ANA)).toEqual({
      userId: ANA,
      movieId: 102,
      via: 'reaction',
      votedAt: at(2),
    });
    expect(await repos.movieNights.removeVote(nightId, ANA, 101)).toBe(false);
    expect(await repos.movieNights.removeVote(nightId, ANA, 102)).toBe(true);
    expect(await repos.movieNights.voteOf(nightId, ANA)).toBeNull();
  });

  it('lets exactly one of several closers claim a poll, only once its time has come unless early', async () => {
    const nightId = await poll();
    expect(await repos.movieNights.claimClose(nightId, at(9), at(11), { early: false })).toBe(false);
    const claims = await Promise.all(
      [1, 2, 3].map(() => repos.movieNights.claimClose(nightId, at(10), at(12), { early: false })),
    );
    expect(claims.filter(Boolean)).toHaveLength(1);
    expect((await repos.movieNights.get(nightId))?.status).toBe('closed');

    const early = await poll({ channelId: OTHER_CHANNEL });
    expect(await repos.movieNights.claimClose(early, at(1), at(3), { early: true })).toBe(true);
  });

  it('claims a call once, and again only after the claim’s lease ran out; then starts its poll', async () => {
    const callId = await repos.movieNights.insert(night({ phase: 'call', closesAt: at(5) }));
    if (callId === null) throw new Error('channel taken');
    expect(await repos.movieNights.claimCall(callId, at(4), at(6), { early: false })).toBe(false);
    expect(await repos.movieNights.claimCall(callId, at(5), at(7), { early: false })).toBe(true);
    expect(await repos.movieNights.claimCall(callId, at(6), at(8), { early: false })).toBe(false);
    // The process that claimed it died: after its lease, another takes over.
    expect(await repos.movieNights.due(at(7))).toEqual([callId]);
    expect(await repos.movieNights.claimCall(callId, at(7), at(9), { early: false })).toBe(true);
    const poll = {
      participants: [{ userId: BEN, hasRatings: true }],
      candidates: [{ position: 1, movieId: 101, groupScore: 3 }],
      forecasts: [],
    };
    const started = await repos.unitOfWork((tx) =>
      repos.movieNights.startPoll(callId, { messageId: snowflake(50), closesAt: at(17), poll }, { tx }),
    );
    expect(started).toBe(true);
    expect(await repos.movieNights.get(callId)).toMatchObject({
      phase: 'poll',
      messageId: snowflake(50),
      closesAt: at(17),
      busyUntil: null,
    });
    expect(await repos.movieNights.nightOfCard(snowflake(50))).toBe(callId);
    expect(await repos.movieNights.nightOfCard(snowflake(51))).toBeNull();
  });

  it('finds the work due and the next deadline: open calls and polls, expired leases, unposted results', async () => {
    const first = await poll();
    const second = await poll({ channelId: OTHER_CHANNEL, closesAt: at(20) });
    expect(await repos.movieNights.nextDeadline()).toEqual(at(10));
    expect(await repos.movieNights.due(at(10))).toEqual([first]);
    await repos.movieNights.claimClose(first, at(10), at(12), { early: false });
    // Closed, its result not posted yet: due again once the lease runs out.
    expect(await repos.movieNights.due(at(11))).toEqual([]);
    expect(await repos.movieNights.nextDeadline()).toEqual(at(12));
    expect(await repos.movieNights.due(at(12))).toEqual([first]);
    expect(await repos.movieNights.claimAnnouncement(first, at(12), at(14))).toBe(true);
    expect(await repos.movieNights.claimAnnouncement(first, at(12), at(14))).toBe(false);
    await repos.movieNights.setResultMessage(first, snowflake(60));
    expect(await repos.movieNights.due(at(30))).toEqual([second]);
    await repos.movieNights.cancel(second, at(15));
    expect(await repos.movieNights.nextDeadline()).toBeNull();
  });

  it('deleting a member takes their votes, place and forecasts, and lists their open nights beforehand', async () => {
    const nightId = await poll();
    await repos.movieNights.setVote(nightId, { userId: ANA, movieId: 101, via: 'button', votedAt: at(1) });
    expect(await repos.movieNights.openNightIdsOf(ANA)).toEqual([nightId]);
    await repos.users.delete(ANA);
    const record = await repos.movieNights.find(nightId);
    expect(record?.participants.map(({ userId }) => userId)).toEqual([BEN]);
    expect(record?.votes).toEqual([]);
    expect(record?.forecasts).toEqual([]);
    // The night itself stays: it is the server's.
    expect(record?.night.createdBy).toBeNull();
  });
});
