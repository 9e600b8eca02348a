import { agreementWith, isSimilar, markOwnRatings, type AgreementParameters } from './agreement.js';
import type { ModelData } from './model-data.js';
import { better, type Neighbourhood } from './ranking-neighbourhood.js';
import type { Scratch } from './scratch.js';
import type { Contributor, Explanation, FeedbackValue } from './types.js';
import { ratingVote, reactionVote, type VoteWeights } from './votes.js';

/**
 * Why the neighbours backed each picked film: the shares cos(u,v)^p · vote_v(i) of N(i) (votes.ts), counted, averaged
 * and listed only for backers (share > 0) who agree with member u (agreement.ts: enough shared films, more
 * agreements than disagreements), largest share first (ties by user id), named only where `canName` allows. A
 * neighbour by liked films who rated the shared films the other way never speaks for a pick.
 */
export function explainPicks(
  data: ModelData,
  scratch: Scratch,
  parameters: VoteWeights & AgreementParameters,
  hood: Neighbourhood,
  u: number,
  picked: Int32Array,
  canName: (userId: string) => boolean,
  maxContributors: number,
): Explanation[] {
  const ratedBy = neighbourRatingsOf(data, scratch, picked, hood);
  const stamp = markOwnRatings(data, scratch, u);
  const agreementOf = new Map<number, number | null>();
  /** a for an agreeing neighbour, null for one who does not agree (computed once per neighbour). */
  const agreeing = (slot: number): number | null => {
    let known = agreementOf.get(slot);
    if (known === undefined) {
      const agreement = agreementWith(data, scratch, u, stamp, hood.members[slot]!, parameters.agreementTolerance);
      known = isSimilar(agreement, parameters) ? agreement.agreements : null;
      agreementOf.set(slot, known);
    }
    return known;
  };
  return Array.from(picked, (i) =>
    explain(data, parameters, i, ratedBy.get(i) ?? new Map(), hood, agreeing, canName, maxContributors),
  );
}

/** Ratings by the neighbourhood of the picked films (film → slot → rating), in one pass over the neighbours' rows. */
function neighbourRatingsOf(
  data: ModelData,
  scratch: Scratch,
  picked: Int32Array,
  hood: Neighbourhood,
): Map<number, Map<number, number>> {
  const current = scratch.nextStamp();
  const { excludedStamp: isPicked } = scratch;
  const ratedBy = new Map<number, Map<number, number>>();
  for (const i of picked) {
    isPicked[i] = current;
    ratedBy.set(i, new Map());
  }
  const { start, length, cols, vals } = data.byUser;
  for (let s = 0; s < hood.size; s++) {
    const v = hood.members[s]!;
    for (let at = start[v]!; at < start[v]! + length[v]!; at++) {
      if (isPicked[cols[at]!] === current) ratedBy.get(cols[at]!)!.set(s, vals[at]!);
    }
  }
  return ratedBy;
}

interface Part {
  slot: number;
  rating: number | null;
  feedback: FeedbackValue | null;
  contribution: number;
}

function explain(
  data: ModelData,
  weights: VoteWeights,
  i: number,
  ratings: ReadonlyMap<number, number>,
  hood: Neighbourhood,
  agreeing: (slot: number) => number | null,
  canName: (userId: string) => boolean,
  maxContributors: number,
): Explanation {
  const { users, feedback } = data;
  const parts = new Map<number, Part>();
  for (const [slot, rating] of ratings) {
    const contribution = hood.sims[slot]! * ratingVote(rating, weights.voteFloor, weights.ratingMax);
    parts.set(hood.members[slot]!, { slot, rating, feedback: null, contribution });
  }
  for (let s = 0; s < hood.size; s++) {
    const v = hood.members[s]!;
    const value = feedback.get(v)?.get(i);
    if (value === undefined) continue;
    const part = parts.get(v) ?? { slot: s, rating: null, feedback: null, contribution: 0 };
    part.feedback = value;
    part.contribution += hood.sims[s]! * reactionVote(value, part.rating !== null, weights);
    parts.set(v, part);
  }
  const backing = [...parts.entries()].filter(([, part]) => part.contribution > 0 && agreeing(part.slot) !== null);
  const rated = backing.filter(([, part]) => part.rating !== null);
  const averageRating =
    rated.length === 0 ? null : rated.reduce((sum, [, part]) => sum + part.rating!, 0) / rated.length;
  backing.sort(([a, pa], [b, pb]) => (better(users, pa.contribution, a, pb.contribution, b) ? -1 : 1));
  const contributors: Contributor[] = backing.slice(0, maxContributors).map(([v, part]) => {
    const detail = {
      rating: part.rating,
      feedback: part.feedback,
      similarity: hood.sims[part.slot]!,
      agreements: agreeing(part.slot)!,
      contribution: part.contribution,
    };
    const id = users.idAt(v);
    return canName(id) ? { kind: 'named', userId: id, ...detail } : { kind: 'anonymous', ...detail };
  });
  return { backers: backing.length, averageRating, contributors };
}
