import type { ModelData } from './model-data.js';
import type { Neighbourhood } from './ranking-neighbourhood.js';
import type { Scratch } from './scratch.js';
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

/**
 * The neighbours source, into scratch.neighbourPart: N(i) = Σ_{v∈N} cos(u,v)^p · vote_v(i) over the ranking
 * neighbourhood N (ranking-neighbourhood.ts), left unnormalised so it fades by itself where members share few liked
 * films. Returns Σ_{v∈N} cos(u,v)^p.
 */
export function accumulateVotes(
  data: ModelData,
  scratch: Scratch,
  weights: VoteWeights,
  hood: Neighbourhood,
  stamp: number,
): number {
  const { byUser, feedback } = data;
  const { start, length, cols, vals } = byUser;
  const { neighbourPart } = scratch;
  const { voteFloor, ratingMax } = weights;
  let total = 0;
  for (let s = 0; s < hood.size; s++) {
    const v = hood.members[s]!;
    const sim = hood.sims[s]!;
    total += sim;
    const to = start[v]! + length[v]!;
    for (let at = start[v]!; at < to; at++) {
      const i = cols[at]!;
      scratch.touch(i, stamp);
      neighbourPart[i]! += sim * ratingVote(vals[at]!, voteFloor, ratingMax);
    }
    const reactions = feedback.get(v);
    if (reactions === undefined) continue;
    for (const [i, value] of reactions) {
      scratch.touch(i, stamp);
      neighbourPart[i]! += sim * reactionVote(value, byUser.find(v, i) >= 0, weights);
    }
  }
  return total;
}
