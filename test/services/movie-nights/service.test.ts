import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, type Repositories } from '../../../src/db/repositories/index.js';
import { UserFacingError } from '../../../src/errors.js';
import { createLogger } from '../../../src/logger.js';
import {
  createMovieNightService,
  type CallView,
  type MovieNightBoard,
  type PollView,
  type ResultView,
} from '../../../src/services/movie-nights/index.js';
import { createNamingPolicy } from '../../../src/services/naming-policy.js';
import type { GroupPickRequest, GroupPicks } from '../../../src/services/recommendations/index.js';
import { createWatchlistService } from '../../../src/services/watchlist.js';
import type { CachedMovie } from '../../../src/tmdb/types.js';
import { movieDetails, snowflake } from '../../support/builders.js';
import { createTestDatabase, databaseKinds, emptyAllTables, type TestDatabase } from '../../support/databases.js';
import { createManualClock, type ManualClock } from '../../support/manual-clock.js';

const silent = createLogger({ level: 'silent' });
const GUILD = snowflake(1);
const CHANNEL = snowflake(2);
const VOICE = snowflake(3);
const ANA = snowflake(10);
const BEN = snowflake(11);
const t0 = '2026-03-01T20:00:00.000Z';
const FILMS = [101, 102, 103, 104, 105];

/** A Discord stand-in: what was posted and edited, who is in voice and who reacted. */
function fakeBoard() {
  let next = 1_000;
  const posted: { kind: 'call' | 'poll' | 'result'; id: string; view: CallView | PollView | ResultView }[] = [];
  const edits: { kind: 'call' | 'poll'; id: string; view: CallView | PollView }[] = [];
  const board: MovieNightBoard & {
    ready: boolean;
    voice: Map<string, string[] | null>;
    reactors: Map<string, Map<string, string[]>>;
    failPosts: number;
    posted: typeof posted;
    edits: typeof edits;
    post(kind: 'call' | 'poll' | 'result', view: CallView | PollView | ResultView): Promise<string>;
  } = {
    ready: true,
    voice: new Map<string, string[] | null>(),
    reactors: new Map<string, Map<string, string[]>>(),
    failPosts: 0,
    posted,
    edits,
    isReady: () => board.ready,
    voiceMembers: async (_guildId: string, channelId: string) =>
      board.voice.has(channelId) ? (board.voice.get(channelId) ?? null) : [],
    messageUrl: (_g: string, _c: string, messageId: string) => `link:${messageId}`,
    isGuildMember: () => async () => true,
    async post(kind: 'call' | 'poll' | 'result', view: CallView | PollView | ResultView) {
      if (board.failPosts > 0) {
        board.failPosts--;
        throw new Error('Discord refused the message');
      }
      const id = String(next++);
      posted.push({ kind, id, view });
      return id;
    },
    postCall: (view: CallView) => board.post('call', view),
    postPoll: (view: PollView) => board.post('poll', view),
    postResult: (view: ResultView) => board.post('result', view),
    editCall: async (view: CallView, id: string) => void edits.push({ kind: 'call', id, view }),
    editPoll: async (view: PollView, id: string) => void edits.push({ kind: 'poll', id, view }),
    callReactors: async (_c: string, id: string) => board.reactors.get(id)?.get('🍿') ?? [],
    pollReactors: async (_c: string, id: string, count: number) =>
      new Map(
        Array.from({ length: count }, (_, k) => [k + 1, board.reactors.get(id)?.get(String(k + 1)) ?? []] as const),
      ),
  };
  return board;
}

describe.each(databaseKinds())('movie night service on %s', (kind) => {
  let test: TestDatabase;
  let repos: Repositories;
  let clock: ManualClock;
  let board: ReturnType<typeof fakeBoard>;
  let asked: GroupPickRequest[];
  let movies: Map<number, CachedMovie>;
  let films: number[];

  function service(onBoard: MovieNightBoard = board) {
    const core = { repos, clock: () => clock.now(), logger: silent };
    const recommendForGroup = async (request: GroupPickRequest): Promise<GroupPicks> => {
      asked.push(request);
      const members = [...request.memberIds].sort();
      return {
        strategy: 'borda',
        noRatingsYet: [],
        picks: films.map((id, k) => ({
          movie: movies.get(id)!,
          groupScore: 4 - k / 10,
          forecasts: members.map((userId) => ({
            userId,
            kind: 'predicted' as const,
            stars: 4 - k / 10,
            basis: 'rating-model' as const,
          })),
        })),
      };
    };
    return createMovieNightService(
      core,
      {
        recommendations: { recommendForGroup },
        naming: createNamingPolicy({ users: repos.users }),
        watchlist: createWatchlistService(core),
        board: onBoard,
        timers: clock,
      },
      { leaseMs: 120_000 },
    );
  }
  const nights = async () => {
    const [row] = await test.db.sequelize.query<{ n: number | string }>('SELECT COUNT(*) AS n FROM movie_nights', {
      type: QueryTypes.SELECT,
    });
    return Number(row?.n);
  };
  const refusal = async (work: Promise<unknown>) => {
    const error: unknown = await work.catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UserFacingError);
    return error as UserFacingError;
  };

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    repos = createRepositories(test.db);
  });
  beforeEach(async () => {
    await emptyAllTables(test.db);
    clock = createManualClock(t0);
    board = fakeBoard();
    asked = [];
    films = FILMS;
    movies = new Map(
      FILMS.map((id) => [id, { ...movieDetails(id), fetchedAt: clock.now(), detailsFetchedAt: clock.now() }]),
    );
    for (const movie of movies.values()) await repos.movies.upsertDetails(movie, clock.now());
  });
  afterAll(() => test.destroy());

  it('refuses more than 20 members, a voice channel it cannot see, no picks, and bad options, writing nothing', async () => {
    const nightsService = service();
    board.voice.set(
      VOICE,
      Array.from({ length: 21 }, (_, k) => snowflake(100 + k)),
    );
    expect(
      (await refusal(nightsService.start({ guildId: GUILD, channelId: CHANNEL, voiceChannelId: VOICE }))).message,
    ).toBe(
      'A movie night takes at most 20 members, and this one has 21: name fewer members, or use a smaller voice channel.',
    );
    board.voice.set(VOICE, null);
    expect(
      (await refusal(nightsService.start({ guildId: GUILD, channelId: CHANNEL, voiceChannelId: VOICE }))).code,
    ).toBe('voice-channel-unseen');
    films = [];
    expect((await refusal(nightsService.start({ guildId: GUILD, channelId: CHANNEL, withUserIds: [ANA] }))).code).toBe(
      'night-no-picks',
    );
    const options = [{ closesInMinutes: 0 }, { callMinutes: 61 }, { strategy: 'dictator' }, { maxRuntime: 20 }];
    for (const option of options) {
      await refusal(nightsService.start({ guildId: GUILD, channelId: CHANNEL, withUserIds: [ANA], ...option }));
    }
    expect(await nights()).toBe(0);
    expect(board.posted).toEqual([]);
    await nightsService.stop();
  });

  it('runs a night for a group of one, with the strategy and filters asked for', async () => {
    const nightsService = service();
    const outcome = await nightsService.start({
      guildId: GUILD,
      channelId: CHANNEL,
      withUserIds: [ANA],
      strategy: 'least_misery',
      genreId: 18,
      maxRuntime: 150,
      allowRewatch: true,
    });
    expect(outcome).toMatchObject({ kind: 'poll', groupSize: 1, picks: 5 });
    expect(asked).toEqual([
      expect.objectContaining({
        guildId: GUILD,
        memberIds: [ANA],
        strategy: 'least_misery',
        count: 5,
        allowRewatches: true,
        genreId: 18,
        maxRuntime: 150,
      }),
    ]);
    const [card] = board.posted;
    expect(card?.kind).toBe('poll');
    expect((card?.view as PollView).group.size).toBe(1);
    await nightsService.stop();
  });

  it('takes a night back when Discord refuses its message, so the channel is free again', async () => {
    const nightsService = service();
    board.failPosts = 1;
    await expect(nightsService.start({ guildId: GUILD, channelId: CHANNEL, withUserIds: [ANA] })).rejects.toThrow(
      'Discord refused the message',
    );
    expect(await repos.movieNights.openInChannel(CHANNEL)).toBeNull();
    await nightsService.start({ guildId: GUILD, channelId: CHANNEL, withUserIds: [ANA] });
    expect(await repos.movieNights.openInChannel(CHANNEL)).not.toBeNull();
    await nightsService.stop();
  });

  it('votes by click toggle, replace, and are refused once the poll is closed', async () => {
    const nightsService = service();
    const { nightId } = await nightsService.start({ guildId: GUILD, channelId: CHANNEL, withUserIds: [ANA, BEN] });
    expect(await nightsService.vote({ guildId: GUILD, nightId, userId: BEN, position: 1 })).toMatchObject({
      kind: 'voted',
      movie: { tmdbId: 101 },
      replaced: null,
    });
    expect(await nightsService.vote({ guildId: GUILD, nightId, userId: BEN, position: 3 })).toMatchObject({
      kind: 'voted',
      movie: { tmdbId: 103 },
      replaced: { tmdbId: 101 },
    });
    expect(await nightsService.vote({ guildId: GUILD, nightId, userId: BEN, position: 3 })).toMatchObject({
      kind: 'withdrawn',
    });
    await refusal(nightsService.vote({ guildId: GUILD, nightId, userId: BEN, position: 6 }));
    await nightsService.vote({ guildId: GUILD, nightId, userId: ANA, position: 2 });
    await clock.set('2026-03-01T20:10:00.000Z');
    await nightsService.closeDue();
    expect((await refusal(nightsService.vote({ guildId: GUILD, nightId, userId: BEN, position: 1 }))).message).toBe(
      'This poll is closed: Film 102 (2001) won.',
    );
    expect(
      (await refusal(nightsService.vote({ guildId: GUILD, nightId: nightId + 100, userId: BEN, position: 1 }))).code,
    ).toBe('night-gone');
    // A crafted customId naming this night, clicked in another server.
    expect(
      (await refusal(nightsService.vote({ guildId: snowflake(99), nightId, userId: BEN, position: 1 }))).code,
    ).toBe('night-gone');
    await refusal(nightsService.winner({ guildId: snowflake(99), nightId }));
    expect((await nightsService.winner({ guildId: GUILD, nightId })).tmdbId).toBe(102);
    await nightsService.stop();
  });

  it('closes a poll once however many processes sweep at the same time, and posts one result', async () => {
    const first = service();
    const second = service(board);
    const { nightId } = await first.start({ guildId: GUILD, channelId: CHANNEL, withUserIds: [ANA, BEN] });
    await first.vote({ guildId: GUILD, nightId, userId: ANA, position: 4 });
    await first.stop();
    await second.stop();
    // Two bots on one database, their timers off: both sweep after the deadline.
    clock = createManualClock('2026-03-01T20:10:00.000Z');
    const [a, b] = [service(), service()];
    await Promise.all([a.closeDue(), b.closeDue(), a.closeDue()]);
    const results = board.posted.filter(({ kind }) => kind === 'result');
    expect(results).toHaveLength(1);
    expect((results[0]?.view as ResultView).winner.movie.tmdbId).toBe(104);
    expect(await repos.movieNights.get(nightId)).toMatchObject({ status: 'closed', winnerMovieId: 104 });
    await Promise.all([a.stop(), b.stop()]);
  });

  it('posts a result whose announcement failed once the lease runs out, and only then', async () => {
    const nightsService = service();
    const { nightId } = await nightsService.start({ guildId: GUILD, channelId: CHANNEL, withUserIds: [ANA] });
    board.failPosts = 1;
    await clock.set('2026-03-01T20:10:00.000Z');
    await nightsService.closeDue();
    expect(await repos.movieNights.get(nightId)).toMatchObject({ status: 'closed', resultMessageId: null });
    await nightsService.closeDue();
    expect(board.posted.filter(({ kind }) => kind === 'result')).toHaveLength(0);
    await clock.set('2026-03-01T20:12:00.000Z');
    await nightsService.closeDue();
    expect(board.posted.filter(({ kind }) => kind === 'result')).toHaveLength(1);
    expect((await repos.movieNights.get(nightId))?.resultMessageId).toEqual(expect.any(String));
    await nightsService.stop();
  });

  it('waits for Discord: a due poll is left open while the board is not ready, and closed on resume', async () => {
    const nightsService = service();
    const { nightId } = await nightsService.start({ guildId: GUILD, channelId: CHANNEL, withUserIds: [ANA] });
    board.ready = false;
    await clock.set('2026-03-01T20:15:00.000Z');
    await nightsService.closeDue();
    expect((await repos.movieNights.get(nightId))?.status).toBe('open');
    board.ready = true;
    await nightsService.resume();
    expect((await repos.movieNights.get(nightId))?.status).toBe('closed');
    await nightsService.stop();
  });

  it('closes a 🍿 call: nobody, too many, or the poll for exactly who reacted (bots are left out by the board)', async () => {
    const nightsService = service();
    const nobody = await nightsService.start({ guildId: GUILD, channelId: CHANNEL, callMinutes: 2 });
    expect(nobody.kind).toBe('call');
    await clock.set('2026-03-01T20:02:00.000Z');
    await nightsService.closeDue();
    expect(board.edits.at(-1)?.view).toMatchObject({ end: { kind: 'nobody' } });
    expect((await repos.movieNights.get(nobody.nightId))?.status).toBe('cancelled');

    const crowd = await nightsService.start({ guildId: GUILD, channelId: CHANNEL, callMinutes: 1 });
    board.reactors.set(crowd.messageId, new Map([['🍿', Array.from({ length: 21 }, (_, k) => snowflake(200 + k))]]));
    await clock.set('2026-03-01T20:03:00.000Z');
    await nightsService.closeDue();
    expect(board.edits.at(-1)?.view).toMatchObject({ end: { kind: 'too-many', joined: 21, max: 20 } });

    const call = await nightsService.start({ guildId: GUILD, channelId: CHANNEL, callMinutes: 1, closesInMinutes: 7 });
    // A third member reacted, then deleted their data (`/privacy delete`): the 🍿 left behind does not bring them back.
    const gone = snowflake(12);
    board.reactors.set(call.messageId, new Map([['🍿', [BEN, ANA, gone]]]));
    await repos.unitOfWork((tx) => repos.tombstones.forgetMember(gone, clock.now(), { tx }));
    // Closed early by its starter's `/movienight close` (no starter here: someone with Manage Server).
    const closed = await nightsService.close({ channelId: CHANNEL, userId: BEN, mayManage: true });
    expect(closed).toMatchObject({ kind: 'call', end: { kind: 'poll', joined: 2 } });
    expect(asked.at(-1)?.memberIds).toEqual([BEN, ANA]);
    expect(await repos.movieNights.get(call.nightId)).toMatchObject({
      phase: 'poll',
      closesAt: new Date('2026-03-01T20:10:00.000Z'),
    });
    await nightsService.stop();
  });

  it('lets only the starter or Manage Server end a night, and says when none is open', async () => {
    const nightsService = service();
    expect((await refusal(nightsService.cancel({ channelId: CHANNEL, userId: ANA, mayManage: true }))).code).toBe(
      'night-none-open',
    );
    await nightsService.start({ guildId: GUILD, channelId: CHANNEL, withUserIds: [ANA], createdBy: ANA });
    expect((await refusal(nightsService.close({ channelId: CHANNEL, userId: BEN, mayManage: false }))).code).toBe(
      'night-not-allowed',
    );
    expect(await nightsService.cancel({ channelId: CHANNEL, userId: ANA, mayManage: false })).toEqual({ kind: 'poll' });
    expect(board.posted.filter(({ kind }) => kind === 'result')).toEqual([]);

    // Closed early by its starter: the winner now, before its time.
    const { nightId } = await nightsService.start({
      guildId: GUILD,
      channelId: CHANNEL,
      withUserIds: [ANA, BEN],
      createdBy: ANA,
    });
    await nightsService.vote({ guildId: GUILD, nightId, userId: BEN, position: 5 });
    const closed = await nightsService.close({ channelId: CHANNEL, userId: ANA, mayManage: false });
    expect(closed).toMatchObject({ kind: 'poll', result: { winner: { movie: { tmdbId: 105 } }, basis: 'votes' } });
    expect((await refusal(nightsService.close({ channelId: CHANNEL, userId: ANA, mayManage: false }))).code).toBe(
      'night-none-open',
    );
    await nightsService.stop();
  });
});
