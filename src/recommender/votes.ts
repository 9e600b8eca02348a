import type { FeedbackValue } from './types.js';

/**
 * A neighbour v's vote for film i in the top-N score (recommend.ts):
 *   vote_v(i) = clamp((r_vi − f)/(r_max − f), 0, 1) if v rated i, else thumbsUpVote for v's 👍;
 *               minus thumbsDownVote for v's 👎
 */
export interface VoteWeights {
  /** f */
  voteFloor: number;
  ratingMax: number;
  thumbsUpVote: number;
  thumbsDownVote: number;
}

/** The rating's part of vote_v(i): how much r_vi says "liked", in [0, 1]. */
export function ratingVote(rating: number, voteFloor: number, ratingMax: number): number {
  return Math.min(1, Math.max(0, (rating - voteFloor) / (ratingMax - voteFloor)));
}

/** The reaction's part of vote_v(i): a 👎 counts against; a 👍 counts only where no rating speaks for v. */
export function reactionVote(value: FeedbackValue, rated: boolean, weights: VoteWeights): number {
  if (value === -1) return -weights.thumbsDownVote;
  return rated ? 0 : weights.thumbsUpVote;
}
