import type { StoredMovieNight } from '../../db/repositories/movie-nights.js';
import { UserFacingError } from '../../errors.js';
import { movieLabel } from '../../format.js';
import type { CachedMovie } from '../../tmdb/types.js';
import type { NightContext } from './context.js';

/** What a click on a number did: a vote (replacing `replaced`, if any), or a vote taken back. */
export type VoteOutcome =
  { kind: 'voted'; movie: CachedMovie; replaced: CachedMovie | null } | { kind: 'withdrawn'; movie: CachedMovie };

export interface ReactionVote {
  messageId: string;
  /** Who reacted (never a bot: the Discord layer leaves them out). */
  userId: string;
  position: number;
  action: 'add' | 'remove';
}

/** What a reaction did; `ignored` for messages that are not open poll cards, or a removal that matched no vote. */
export type ReactionVoteOutcome = 'recorded' | 'removed' | 'ignored';

export const NIGHT_GONE =
  'That movie night no longer exists (its data was deleted): start a new one with `/movienight suggest`.';

/**
 * Votes: one per member per night (anyone in the server may vote; the picks are made for the group). A click on a
 * number votes for it, replacing an earlier vote, or takes the vote back when it is already the member's; a number
 * reaction votes, and removing it takes that vote back. Each is written while the night's row is held (a close
 * waits for it, or it sees the close), then the card's counts are edited, at most once a second.
 */
export function createVotes(ctx: NightContext) {
  const { repos, clock, refresher } = ctx;

  async function movie(movieId: number): Promise<CachedMovie> {
    const [row] = await repos.movies.findByIds([movieId]);
    if (!row) throw new Error(`film ${movieId} of a movie night is not stored`);
    return row;
  }

  /** Why a night takes no votes, in words. */
  async function notOpen(night: StoredMovieNight): Promise<UserFacingError> {
    if (night.phase !== 'poll' && night.status === 'open') {
      return new UserFacingError(
        'night-closed',
        'The 🍿 call is still gathering the group: the poll comes when it closes.',
      );
    }
    if (night.status === 'cancelled') return new UserFacingError('night-closed', 'This movie night was cancelled.');
    const winner = night.winnerMovieId === null ? null : (await repos.movies.findByIds([night.winnerMovieId]))[0];
    return new UserFacingError(
      'night-closed',
      winner ? `This poll is closed: ${movieLabel(winner)} won.` : 'This poll is closed: the result is being posted.',
    );
  }

  /** A click on the card's button `position`. */
  async function click({
    guildId,
    nightId,
    userId,
    position,
  }: {
    /** Where the click came from: a customId naming another server's night is as good as gone. */
    guildId: string;
    nightId: number;
    userId: string;
    position: number;
  }): Promise<VoteOutcome> {
    const done = await repos.unitOfWork(async (tx) => {
      const night = await repos.movieNights.lockNight(nightId, tx);
      if (night?.guildId !== guildId) throw new UserFacingError('night-gone', NIGHT_GONE);
      if (night.status !== 'open' || night.phase !== 'poll') return { kind: 'refused' as const, night };
      const pick = (await repos.movieNights.candidates(nightId, { tx })).find((c) => c.position === position);
      if (!pick) throw new UserFacingError('night-gone', 'That button matches no pick of this movie night.');
      const current = await repos.movieNights.voteOf(nightId, userId, { tx });
      if (current?.movieId === pick.movieId) {
        await repos.movieNights.removeVote(nightId, userId, null, { tx });
        return { kind: 'withdrawn' as const, movieId: pick.movieId };
      }
      await repos.users.ensure(userId, { tx });
      await repos.movieNights.setVote(
        nightId,
        { userId, movieId: pick.movieId, via: 'button', votedAt: clock() },
        { tx },
      );
      return { kind: 'voted' as const, movieId: pick.movieId, replacedId: current?.movieId ?? null };
    });
    if (done.kind === 'refused') throw await notOpen(done.night);
    void refresher.request(nightId);
    if (done.kind === 'withdrawn') return { kind: 'withdrawn', movie: await movie(done.movieId) };
    return {
      kind: 'voted',
      movie: await movie(done.movieId),
      replaced: done.replacedId === null ? null : await movie(done.replacedId),
    };
  }

  /** A number reaction added to or removed from a message (nothing for messages that are not poll cards). */
  async function react({ messageId, userId, position, action }: ReactionVote): Promise<ReactionVoteOutcome> {
    const nightId = await repos.movieNights.nightOfCard(messageId);
    if (nightId === null) return 'ignored';
    const outcome = await repos.unitOfWork(async (tx): Promise<ReactionVoteOutcome> => {
      const night = await repos.movieNights.lockNight(nightId, tx);
      if (night?.status !== 'open' || night.phase !== 'poll') return 'ignored';
      const pick = (await repos.movieNights.candidates(nightId, { tx })).find((c) => c.position === position);
      if (!pick) return 'ignored';
      if (action === 'remove') {
        return (await repos.movieNights.removeVote(nightId, userId, pick.movieId, { tx })) ? 'removed' : 'ignored';
      }
      const current = await repos.movieNights.voteOf(nightId, userId, { tx });
      if (current?.movieId === pick.movieId) return 'ignored';
      await repos.users.ensure(userId, { tx });
      await repos.movieNights.setVote(
        nightId,
        { userId, movieId: pick.movieId, via: 'reaction', votedAt: clock() },
        { tx },
      );
      return 'recorded';
    });
    if (outcome !== 'ignored') void refresher.request(nightId);
    return outcome;
  }

  return { click, react };
}
