import type { MovieNightRecord, StoredMovieNight } from '../../db/repositories/movie-nights.js';
import type { Logger } from '../../logger.js';
import { MINUTE_MS } from '../../time.js';
import type { CallEnd, ResultView } from './board.js';
import { makePicks, type NightContext } from './context.js';
import { MOVIE_NIGHT_LIMITS, reconcileVotes } from './rules.js';

/**
 * Ends of nights: a 🍿 call closing into a poll, a poll closing with its winner, a result posted. Each step is
 * claimed by a conditional UPDATE, so it happens once however many processes sweep (the deadline job, the
 * in-process timer, `/movienight close`); a step that posts to Discord holds a lease, and one cut off by a crash
 * is taken over by the next sweep once the lease runs out.
 */
export function createClosing(ctx: NightContext) {
  const { repos, clock, board, views, refresher, log, settings } = ctx;
  const leaseEnd = () => new Date(clock().getTime() + settings.leaseMs);

  /**
   * Of the members a reaction names, those who did not delete their data since the night began: a 🍿 or a number
   * left behind by `/privacy delete` must not bring them back.
   */
  async function notForgotten(night: StoredMovieNight, userIds: readonly string[]): Promise<string[]> {
    if (userIds.length === 0) return [];
    return repos.unitOfWork(async (tx) => {
      const kept: string[] = [];
      for (const userId of userIds) {
        const keys = { guildId: night.guildId, userId };
        if (!(await repos.tombstones.forgottenSince(night.createdAt, keys, { tx }))) kept.push(userId);
      }
      return kept;
    });
  }

  /** Cancels a call that found no group, and says why on the call message. */
  async function endCall(night: StoredMovieNight, end: CallEnd): Promise<CallEnd> {
    if (end.kind !== 'poll') await repos.movieNights.cancel(night.id, clock());
    if (night.callMessageId) {
      await board
        .editCall(views.callView(night, end), night.callMessageId)
        .catch((error: unknown) => log.warn({ err: error, nightId: night.id }, 'could not edit the 🍿 call'));
    }
    log.info({ nightId: night.id, end: end.kind }, 'movie night call closed');
    return end;
  }

  /**
   * Closes a call: reads who reacted 🍿 through the REST API (reactions added while the bot was offline count), makes
   * the picks for exactly them, posts the poll card and records it. Null when another process has the call.
   */
  async function finishCall(night: StoredMovieNight, early: boolean): Promise<CallEnd | null> {
    if (!(await repos.movieNights.claimCall(night.id, clock(), leaseEnd(), { early }))) return null;
    const joined = await notForgotten(
      night,
      night.callMessageId ? await board.callReactors(night.channelId, night.callMessageId) : [],
    );
    if (joined.length === 0) return endCall(night, { kind: 'nobody' });
    if (joined.length > MOVIE_NIGHT_LIMITS.maxParticipants) {
      return endCall(night, { kind: 'too-many', joined: joined.length, max: MOVIE_NIGHT_LIMITS.maxParticipants });
    }
    const poll = await makePicks(ctx, night.guildId, joined, night.settings, MOVIE_NIGHT_LIMITS.picks);
    if (poll.candidates.length === 0) return endCall(night, { kind: 'no-picks', joined: joined.length });
    const closesAt = new Date(clock().getTime() + night.settings.pollMinutes * MINUTE_MS);
    const record: MovieNightRecord = {
      night: { ...night, phase: 'poll', closesAt },
      participants: [...poll.participants],
      candidates: [...poll.candidates],
      forecasts: [...poll.forecasts],
      votes: [],
    };
    const messageId = await board.postPoll(await views.pollView(record));
    const started = await repos.unitOfWork(async (tx) => {
      for (const { userId } of poll.participants) await repos.users.ensure(userId, { tx });
      return repos.movieNights.startPoll(night.id, { messageId, closesAt, poll }, { tx });
    });
    if (!started) {
      // Cancelled while the picks were being made: the card just posted says so.
      const cancelled = { ...record, night: { ...record.night, status: 'cancelled' as const } };
      await board.editPoll(await views.pollView(cancelled), messageId);
      return null;
    }
    await ctx.armDeadlines();
    return endCall(night, { kind: 'poll', joined: joined.length, cardMessageId: messageId });
  }

  /**
   * The votes at the close: the number reactions on the card, read through the REST API, settle the votes of
   * members the bot did not hear (see reconcileVotes). A member who deleted their data since the night began is
   * not brought back by a reaction left behind.
   */
  async function reconcile(night: StoredMovieNight): Promise<void> {
    const record = await repos.movieNights.find(night.id);
    if (!record || !night.messageId) return;
    let reactions: Map<number, string[]>;
    try {
      reactions = await board.pollReactors(night.channelId, night.messageId, record.candidates.length);
    } catch (error) {
      log.warn({ err: error, nightId: night.id }, 'could not read the card’s reactions; the recorded votes stand');
      return;
    }
    const changes = reconcileVotes(record.candidates, record.votes, reactions);
    if (changes.set.length === 0 && changes.remove.length === 0) return;
    await repos.unitOfWork(async (tx) => {
      for (const { userId, movieId } of changes.set) {
        // Checked in this unit of work: its lock keeps a deletion from slipping in before the write.
        if (await repos.tombstones.forgottenSince(night.createdAt, { guildId: night.guildId, userId }, { tx }))
          continue;
        await repos.users.ensure(userId, { tx });
        await repos.movieNights.setVote(night.id, { userId, movieId, via: 'reaction', votedAt: clock() }, { tx });
      }
      for (const userId of changes.remove) await repos.movieNights.removeVote(night.id, userId, null, { tx });
    });
    log.info(
      { nightId: night.id, set: changes.set.length, removed: changes.remove.length },
      'votes read from reactions',
    );
  }

  /** Records the winner, marks it on the card and posts the result; null for a night without picks. */
  async function announce(nightId: number): Promise<ResultView | null> {
    const record = await repos.movieNights.find(nightId);
    const result = record ? await views.resultView(record) : null;
    if (!result) {
      log.error({ nightId }, 'closed movie night without picks; no result to post');
      return null;
    }
    await repos.movieNights.setWinner(nightId, result.winner.movie.tmdbId);
    // The card's last edit (closed, the winner marked) keeps to the edit interval; the result does not wait for it.
    void refresher.request(nightId).then(() => refresher.forget(nightId));
    const messageId = await board.postResult(result);
    await repos.movieNights.setResultMessage(nightId, messageId);
    log.info(
      { nightId, movieId: result.winner.movie.tmdbId, votes: result.totalVotes, basis: result.basis },
      'movie night closed',
    );
    return result;
  }

  /** Closes a poll at its time, or `early`; null when another process closed it. */
  async function closePoll(night: StoredMovieNight, early: boolean): Promise<ResultView | null> {
    if (!(await repos.movieNights.claimClose(night.id, clock(), leaseEnd(), { early }))) return null;
    await reconcile(night);
    return announce(night.id);
  }

  /** One pass over the work due now. */
  async function sweepOnce(signal: AbortSignal | undefined, runLog: Logger): Promise<void> {
    // Without Discord nothing can be read or posted: the work waits (the client's ready event sweeps again).
    if (!board.isReady()) return;
    for (const nightId of await repos.movieNights.due(clock())) {
      if (signal?.aborted) break;
      try {
        const night = await repos.movieNights.get(nightId);
        if (night?.status === 'open' && night.phase === 'poll') await closePoll(night, false);
        else if (night?.status === 'open') await finishCall(night, false);
        else if (
          night?.status === 'closed' &&
          (await repos.movieNights.claimAnnouncement(nightId, clock(), leaseEnd()))
        )
          await announce(nightId);
      } catch (error) {
        runLog.error({ err: error, nightId }, 'movie night deadline failed; retried after its lease');
      }
    }
    await ctx.armDeadlines();
  }

  let running: Promise<void> | null = null;
  let again = false;

  /**
   * Does every piece of work due now, once at a time in this process: a sweep asked for while one runs (the timer
   * and the job at the same second) runs right after it.
   */
  function sweep({ signal, log: runLog = log }: { signal?: AbortSignal; log?: Logger } = {}): Promise<void> {
    if (running) {
      again = true;
      return running;
    }
    running = (async () => {
      do {
        again = false;
        await sweepOnce(signal, runLog);
      } while (again);
    })().finally(() => {
      running = null;
    });
    return running;
  }

  return { finishCall, closePoll, sweep, whenSwept: () => running ?? Promise.resolve() };
}

export type NightClosing = ReturnType<typeof createClosing>;
