import type { NightCandidate, NightVote } from '../../db/repositories/movie-nights.js';
import { UserFacingError } from '../../errors.js';
import { MIN_MEMBERS_FOR_AGGREGATE } from '../../format.js';
import { ALL_GROUP_STRATEGIES, DEFAULT_GROUP_CONFIG, type GroupStrategy } from '../../recommender/index.js';
import type { PickFits, PickWhy, WinnerBasis } from './board.js';

/** A movie night's bounds and defaults, as the command offers them and the use cases check them. */
export const MOVIE_NIGHT_LIMITS = {
  maxParticipants: 20,
  picks: 5,
  /** `closes_in`: the poll's length in minutes. */
  pollMinutes: { min: 1, max: 24 * 60, default: 10 },
  /** `call_minutes`: how long a 🍿 call gathers the group. */
  callMinutes: { min: 1, max: 60, default: 5 },
} as const;

export const DEFAULT_STRATEGY: GroupStrategy = DEFAULT_GROUP_CONFIG.strategy;

export function isStrategy(value: string): value is GroupStrategy {
  return (ALL_GROUP_STRATEGIES as readonly string[]).includes(value);
}

/** Refuses minutes out of bounds (a crafted payload may send anything). */
export function checkMinutes(value: number, bounds: { min: number; max: number }, what: string): number {
  if (!Number.isInteger(value) || value < bounds.min || value > bounds.max) {
    throw new UserFacingError('bad-minutes', `${what} must be ${bounds.min} to ${bounds.max} minutes.`);
  }
  return value;
}

export function checkStrategy(value: string): GroupStrategy {
  if (!isStrategy(value)) {
    throw new UserFacingError('bad-strategy', `Pick a strategy among ${ALL_GROUP_STRATEGIES.join(', ')}.`);
  }
  return value;
}

/** Predicted stars at or above which a member is counted as liking a pick (the group recommender's approval line). */
const LIKES = DEFAULT_GROUP_CONFIG.approvalThreshold;

/** The one-line "why" of a pick from the predicted stars of the members with ratings (see PickWhy). */
export function pickWhy(stars: readonly number[]): PickWhy {
  if (stars.length === 0) return { kind: 'popular' };
  const lowest = Math.min(...stars);
  if (lowest >= LIKES) return { kind: 'everyone', lowest };
  const liking = stars.filter((value) => value >= LIKES).length;
  if (liking * 2 > stars.length) return { kind: 'most', liking, of: stars.length };
  return { kind: 'compromise', average: stars.reduce((sum, value) => sum + value, 0) / stars.length };
}

/**
 * The fit of one pick as it may be shown: members who may be named with their stars (or "no ratings yet"),
 * everyone else with ratings as a count, with their average only when at least 3 are behind it.
 */
export function pickFits(
  members: readonly { userId: string; hasRatings: boolean; stars: number | null }[],
  nameable: ReadonlySet<string>,
): PickFits {
  const named = members
    .filter(({ userId }) => nameable.has(userId))
    .map(({ userId, hasRatings, stars }) => ({ userId, hasRatings, stars: hasRatings ? stars : null }));
  const others = members.filter(({ userId, hasRatings }) => hasRatings && !nameable.has(userId));
  const known = others.flatMap(({ stars }) => (stars === null ? [] : [stars]));
  const average =
    known.length >= MIN_MEMBERS_FOR_AGGREGATE ? known.reduce((sum, value) => sum + value, 0) / known.length : null;
  return { named, others: { count: others.length, average } };
}

/** Votes per film. */
export function tally(votes: readonly Pick<NightVote, 'movieId'>[]): Map<number, number> {
  const counts = new Map<number, number>();
  for (const { movieId } of votes) counts.set(movieId, (counts.get(movieId) ?? 0) + 1);
  return counts;
}

/** The winner: most votes, then the group score, then the order shown; and what decided it. */
export function chooseWinner(
  candidates: readonly NightCandidate[],
  votes: readonly Pick<NightVote, 'movieId'>[],
): { candidate: NightCandidate; basis: WinnerBasis } | null {
  const counts = tally(votes);
  const ranked = [...candidates].sort(
    (a, b) =>
      (counts.get(b.movieId) ?? 0) - (counts.get(a.movieId) ?? 0) ||
      b.groupScore - a.groupScore ||
      a.position - b.position,
  );
  const [first, second] = ranked;
  if (!first) return null;
  const votesOf = (candidate: NightCandidate | undefined) => (candidate ? (counts.get(candidate.movieId) ?? 0) : -1);
  const basis: WinnerBasis =
    votes.length === 0
      ? 'no-votes'
      : votesOf(first) > votesOf(second)
        ? 'votes'
        : second && first.groupScore > second.groupScore
          ? 'group-score'
          : 'order';
  return { candidate: first, basis };
}

/** How the votes change once the reactions on the card are known (see {@link reconcileVotes}). */
export interface VoteChanges {
  set: { userId: string; movieId: number }[];
  remove: string[];
}

/**
 * The votes at the close, from the recorded votes and the number reactions on the card as Discord lists them now
 * (reactions added or removed while the bot was offline never reached it). For each member:
 * - a vote by button stands;
 * - a vote by reaction stands while that reaction is still there;
 * - otherwise, a member whose reactions show exactly one number votes for it; with none, or several (which came
 *   last cannot be known), they have no vote.
 */
export function reconcileVotes(
  candidates: readonly NightCandidate[],
  votes: readonly NightVote[],
  reactions: ReadonlyMap<number, readonly string[]>,
): VoteChanges {
  const movieAt = new Map(candidates.map(({ position, movieId }) => [position, movieId]));
  const reacted = new Map<string, Set<number>>();
  for (const [position, userIds] of reactions) {
    const movieId = movieAt.get(position);
    if (movieId === undefined) continue;
    for (const userId of userIds) reacted.set(userId, (reacted.get(userId) ?? new Set()).add(movieId));
  }
  const byUser = new Map(votes.map((vote) => [vote.userId, vote]));
  const changes: VoteChanges = { set: [], remove: [] };
  for (const userId of new Set([...byUser.keys(), ...reacted.keys()])) {
    const vote = byUser.get(userId);
    const films = reacted.get(userId) ?? new Set<number>();
    if (vote && (vote.via === 'button' || films.has(vote.movieId))) continue;
    const [only] = films.size === 1 ? [...films] : [];
    if (only !== undefined) changes.set.push({ userId, movieId: only });
    else if (vote) changes.remove.push(userId);
  }
  return changes;
}
