import type { CoreDeps } from '../../context.js';
import type { TxOptions } from '../../db/unit-of-work.js';
import { UserFacingError } from '../../errors.js';
import type { Logger } from '../../logger.js';
import type { CachedMovie } from '../../tmdb/types.js';
import type { NamingPolicy } from '../naming-policy.js';
import type { RecommendationService } from '../recommendations/index.js';
import type { WatchlistService } from '../watchlist.js';
import { NO_BOARD, type CallEnd, type MovieNightBoard, type ResultView } from './board.js';
import { createClosing } from './closing.js';
import { MOVIE_NIGHT_DEFAULTS, type MovieNightOptions, type NightContext } from './context.js';
import { createStart } from './start.js';
import { createCardRefresher, createDeadlineTimer, type Timers } from './timers.js';
import { createViews } from './views.js';
import { createVotes, NIGHT_GONE } from './votes.js';

export type * from './board.js';
export type { MovieNightOptions } from './context.js';
export type { StartOutcome, StartRequest } from './start.js';
export type { ReactionVote, ReactionVoteOutcome, VoteOutcome } from './votes.js';
export { MOVIE_NIGHT_LIMITS, DEFAULT_STRATEGY } from './rules.js';

export interface MovieNightDeps {
  recommendations: Pick<RecommendationService, 'recommendForGroup'>;
  naming: NamingPolicy;
  watchlist: Pick<WatchlistService, 'add'>;
  /** Discord, as the use cases need it (src/discord/movie-night-board.ts); without one nothing is posted. */
  board?: MovieNightBoard;
  /** Waiting (deadlines, the edit interval); default: real timers. */
  timers?: Timers;
}

/** Who asks to end a night, and whether they may manage the server. */
export interface EndRequest {
  channelId: string;
  userId: string;
  /** Manage Server: may end any night, also one a schedule started. */
  mayManage: boolean;
}

/** A night named by a button's customId, and the server the click came from (a night of another is gone). */
export interface NightRef {
  guildId: string;
  nightId: number;
}

export type CloseOutcome = { kind: 'call'; end: CallEnd } | { kind: 'poll'; result: ResultView | null };

const REAL_TIMERS: Timers = {
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      function done() {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      }
      signal?.addEventListener('abort', done, { once: true });
    }),
};

/**
 * Movie nights (README "Movie night"): a 🍿 call or a poll of group picks, votes by button or number reaction, the
 * close at its time through the deadline job and an in-process timer, the result; and the privacy hooks.
 */
export function createMovieNightService(
  core: Pick<CoreDeps, 'repos' | 'clock' | 'logger'>,
  { recommendations, naming, watchlist, board = NO_BOARD, timers = REAL_TIMERS }: MovieNightDeps,
  options: MovieNightOptions = {},
) {
  const { repos, clock } = core;
  const log: Logger = core.logger.child({ component: 'movie-nights' });
  const settings = { ...MOVIE_NIGHT_DEFAULTS, ...options };
  const views = createViews({ repos, naming, board });
  const refresher = createCardRefresher({
    clock,
    timers,
    intervalMs: settings.editIntervalMs,
    log,
    async refresh(nightId) {
      const record = await repos.movieNights.find(nightId);
      if (record?.night.messageId) await board.editPoll(await views.pollView(record), record.night.messageId);
    },
  });
  const ctx: NightContext = {
    repos,
    clock,
    log,
    board,
    views,
    refresher,
    armDeadlines: () => timer.arm(),
    groupPicks: (request) => recommendations.recommendForGroup(request),
    settings,
  };
  const closing = createClosing(ctx);
  const timer = createDeadlineTimer({
    clock,
    timers,
    log,
    next: () => repos.movieNights.nextDeadline(),
    onDue: () => closing.sweep(),
  });
  const votes = createVotes(ctx);

  /** The channel's open night, if the member may end it. */
  async function endable({ channelId, userId, mayManage }: EndRequest) {
    const night = await repos.movieNights.openInChannel(channelId);
    if (!night) throw new UserFacingError('night-none-open', 'No movie night is open in this channel.');
    if (!mayManage && night.createdBy !== userId) {
      throw new UserFacingError(
        'night-not-allowed',
        'Only the member who started this movie night, or someone with the Manage Server permission, can end it.',
      );
    }
    return night;
  }

  const alreadyEnding = () =>
    new UserFacingError('night-closed', 'This movie night is already closing: its result is on the way.');

  /** The winner of a closed night of the guild, or a refusal saying why there is none. */
  async function winnerOf({ guildId, nightId }: NightRef): Promise<{ movie: CachedMovie; took: Set<string> }> {
    const record = await repos.movieNights.find(nightId);
    if (record?.night.guildId !== guildId) throw new UserFacingError('night-gone', NIGHT_GONE);
    const winnerId = record.night.winnerMovieId;
    const [movie] = winnerId === null ? [] : await repos.movies.findByIds([winnerId]);
    if (!movie) throw new UserFacingError('night-closed', 'This movie night has no winner yet.');
    const took = new Set([...record.participants, ...record.votes].map(({ userId }) => userId));
    return { movie, took };
  }

  return {
    /** Starts a movie night: a poll for the group, or a 🍿 call when nobody is in voice or named (./start.ts). */
    start: createStart(ctx),

    /** A click on a number of the card: votes, replaces the vote, or takes it back. */
    vote: votes.click,

    /** A number reaction added to or removed from a poll card. */
    reactionVote: votes.react,

    /** `/movienight close`: a call closes into its poll now, a poll closes with its winner now. */
    async close(request: EndRequest): Promise<CloseOutcome> {
      const night = await endable(request);
      if (night.phase === 'poll') {
        const result = await closing.closePoll(night, true);
        if (!result) throw alreadyEnding();
        return { kind: 'poll', result };
      }
      const end = await closing.finishCall(night, true);
      if (!end) throw alreadyEnding();
      return { kind: 'call', end };
    },

    /** `/movienight cancel`: ends the open night without a winner. */
    async cancel(request: EndRequest): Promise<{ kind: 'call' | 'poll' }> {
      const night = await endable(request);
      if (!(await repos.movieNights.cancel(night.id, clock()))) throw alreadyEnding();
      if (night.phase === 'poll') {
        // The card shows the cancellation with its next edit (within the edit interval); nobody waits for it.
        void refresher.request(night.id).then(() => refresher.forget(night.id));
      } else if (night.callMessageId) {
        await board
          .editCall(views.callView(night, { kind: 'cancelled' }), night.callMessageId)
          .catch((error: unknown) => log.warn({ err: error, nightId: night.id }, 'could not edit the 🍿 call'));
      }
      await timer.arm();
      log.info({ nightId: night.id, by: request.userId }, 'movie night cancelled');
      return { kind: night.phase === 'poll' ? 'poll' : 'call' };
    },

    /** The result card's "Add to my watchlist": for the members of the night (its group and everyone who voted). */
    async addWinnerToWatchlist({ userId, ...night }: NightRef & { userId: string }) {
      const { movie, took } = await winnerOf(night);
      if (!took.has(userId)) {
        throw new UserFacingError(
          'night-not-participant',
          'This button is for the members of this movie night: add the film yourself with `/watchlist add`.',
        );
      }
      return { movie, ...(await watchlist.add(userId, movie.tmdbId)) };
    },

    /** The result card's "Watched it? Rate it": the film to rate. */
    async winner(night: NightRef): Promise<CachedMovie> {
      return (await winnerOf(night)).movie;
    },

    /** The deadline sweep (the `movie-night-deadlines` job, the in-process timer, the client's ready event). */
    closeDue: closing.sweep,

    /** Once Discord is ready: does the work that came due meanwhile and arms the timer. */
    async resume(): Promise<void> {
      await closing.sweep();
      await timer.arm();
    },

    /** Privacy hook, before a member's rows go: the open nights whose cards show them. */
    openNightIdsOf: (userId: string, options: TxOptions = {}) => repos.movieNights.openNightIdsOf(userId, options),

    /** Privacy hook, after the member's rows went (their votes and place in the group): those cards are edited. */
    membersForgotten(nightIds: readonly number[]): void {
      for (const nightId of nightIds) void refresher.request(nightId);
    },

    /** For tests and scripts: resolves once no sweep runs and no card edit waits. */
    async whenIdle(): Promise<void> {
      await closing.whenSwept();
      await refresher.whenIdle();
    },

    /** Stops the timers (deadline, edit interval); a sweep in progress finishes. */
    async stop(): Promise<void> {
      timer.stop();
      refresher.stop();
      await closing.whenSwept();
    },
  };
}

export type MovieNightService = ReturnType<typeof createMovieNightService>;
