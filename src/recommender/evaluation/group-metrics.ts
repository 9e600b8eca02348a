import { compareSlots } from '../group-strategies.js';

/** A member's figures on the group's whole ranking of its candidates. */
export interface MemberGroupScores {
  /** Mean percentile of the member's relevant films: (N − rank)/(N − 1), 1 = top. */
  percentile: number;
  /** Share of the member's relevant films in the top 50. */
  recall50: number;
  /** NDCG@10 with binary gains (metrics.ts), for reference. */
  ndcg10: number;
}

/**
 * From the 1-based ranks of a member's relevant films among `candidates` films (every relevant film that is a
 * candidate; at least one): percentile = mean_f (N − rank_f)/(N − 1) (1 when N = 1), recall@50 = #{rank ≤ 50}/R,
 * NDCG@10 = Σ_{rank ≤ 10} 1/log2(rank + 1) / Σ_{r=1..min(R,10)} 1/log2(r + 1).
 */
export function memberGroupScores(ranks: readonly number[], candidates: number): MemberGroupScores {
  let percentile = 0;
  let top50 = 0;
  let dcg = 0;
  for (const rank of ranks) {
    percentile += candidates > 1 ? (candidates - rank) / (candidates - 1) : 1;
    if (rank <= 50) top50++;
    if (rank <= 10) dcg += 1 / Math.log2(rank + 1);
  }
  let ideal = 0;
  for (let r = 1; r <= Math.min(ranks.length, 10); r++) ideal += 1 / Math.log2(r + 1);
  return { percentile: percentile / ranks.length, recall50: top50 / ranks.length, ndcg10: dcg / ideal };
}

/** A mean and its standard error s/√n (s: sample standard deviation; NaN for fewer than two values). */
export interface Estimate {
  mean: number;
  se: number;
}

export function estimate(values: readonly number[]): Estimate {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, se: Number.NaN };
  const mean = values.reduce((sum, value) => sum + value, 0) / n;
  if (n < 2) return { mean, se: Number.NaN };
  const squares = values.reduce((sum, value) => sum + (value - mean) ** 2, 0);
  return { mean, se: Math.sqrt(squares / (n - 1) / n) };
}

/** Buckets of {@link ranksAmong}: enough that a bucket rarely holds more than a target or two. */
const RANK_BUCKETS = 1024;

/**
 * 1-based ranks of `targets` (slots among `slots`) in the ranking of `slots` by compareSlots (S desc, mean desc,
 * tieRank asc), leaving out the slots marked in `skip` and adding `offset`, in one pass and without sorting the
 * slots. With the targets' scores in [lo, hi], a slot scoring below lo ranks after every target and one above hi
 * before every target; the others fall into buckets b(S) = ⌊(S − lo)/(hi − lo)·B⌋, non-decreasing in S, so a slot
 * of a higher bucket ranks before a target and one of a lower bucket after it, and only a slot sharing a target's
 * bucket is compared with it.
 */
export function ranksAmong(
  targets: readonly number[],
  slots: Int32Array,
  scores: Float64Array,
  means: Float64Array,
  tieRank: Int32Array,
  skip: Uint8Array | null = null,
  offset = 0,
): Map<number, number> {
  const distinct = [...new Set(targets)];
  const ranks = new Map<number, number>();
  if (distinct.length === 0) return ranks;
  let lo = Infinity;
  let hi = -Infinity;
  for (const target of distinct) {
    lo = Math.min(lo, scores[target]!);
    hi = Math.max(hi, scores[target]!);
  }
  const scale = hi > lo ? RANK_BUCKETS / (hi - lo) : 0;
  const bucketOf = (score: number): number => Math.min(RANK_BUCKETS - 1, Math.floor((score - lo) * scale));
  // The targets grouped by bucket: bucketTargets[targetStart[b] .. targetStart[b + 1]).
  const targetStart = new Int32Array(RANK_BUCKETS + 1);
  for (const target of distinct) targetStart[bucketOf(scores[target]!) + 1]!++;
  for (let b = 0; b < RANK_BUCKETS; b++) targetStart[b + 1]! += targetStart[b]!;
  const bucketTargets = new Int32Array(distinct.length);
  const next = targetStart.slice(0, RANK_BUCKETS);
  for (const target of distinct) bucketTargets[next[bucketOf(scores[target]!)]!++] = target;
  const before = new Int32Array(distinct.length);
  const slotsIn = new Int32Array(RANK_BUCKETS);
  let aboveAll = 0;
  for (let s = 0; s < slots.length; s++) {
    const c = slots[s]!;
    const score = scores[c]!;
    if (score < lo || (skip !== null && skip[c] === 1)) continue;
    if (score > hi) {
      aboveAll++;
      continue;
    }
    const b = bucketOf(score);
    slotsIn[b]!++;
    for (let k = targetStart[b]!; k < targetStart[b + 1]!; k++) {
      if (compareSlots(c, bucketTargets[k]!, scores, means, tieRank) < 0) before[k]!++;
    }
  }
  let higher = aboveAll;
  for (let b = RANK_BUCKETS - 1; b >= 0; b--) {
    for (let k = targetStart[b]!; k < targetStart[b + 1]!; k++)
      ranks.set(bucketTargets[k]!, offset + higher + before[k]! + 1);
    higher += slotsIn[b]!;
  }
  return ranks;
}
