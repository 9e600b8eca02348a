import type { Baselines } from './baselines.js';
import type { ModelData } from './model-data.js';
import type { Scratch } from './scratch.js';

export interface PairSimilarity {
  coRated: number;
  /** Shrunk Pearson on baseline residuals (rating prediction). */
  pearson: number;
  /** Cosine of the liked sets, |L_u ∩ L_v| / √(|L_u|·|L_v|) (ranking). */
  cosine: number;
}

/**
 * Both similarities of one pair, straight from the two members' rows: sim(u,v) of predict.ts (λ = shrinkage)
 * and cos(u,v) of ranking-neighbourhood.ts (films rated ≥ `liked` are liked). Zero for an unknown member and for a
 * member with themself.
 */
export function pairSimilarity(
  data: ModelData,
  baselines: Baselines,
  scratch: Scratch,
  shrinkage: number,
  liked: number,
  userA: string,
  userB: string,
): PairSimilarity {
  const { users, byUser } = data;
  const a = users.indexOf(userA);
  const b = users.indexOf(userB);
  if (a < 0 || b < 0 || a === b) return { coRated: 0, pearson: 0, cosine: 0 };
  const current = scratch.nextStamp();
  const { itemStamp, itemScore: residualOfA, ownRating: ratingOfA } = scratch;
  const { start, length, cols, vals } = byUser;
  const { mu, userBias, itemBias } = baselines;
  for (let at = start[a]!; at < start[a]! + length[a]!; at++) {
    itemStamp[cols[at]!] = current;
    residualOfA[cols[at]!] = vals[at]! - mu - userBias[a]! - itemBias[cols[at]!]!;
    ratingOfA[cols[at]!] = vals[at]!;
  }
  let n = 0;
  let coLiked = 0;
  let sab = 0;
  let saa = 0;
  let sbb = 0;
  for (let at = start[b]!; at < start[b]! + length[b]!; at++) {
    const i = cols[at]!;
    if (itemStamp[i] !== current) continue;
    const ea = residualOfA[i]!;
    const eb = vals[at]! - mu - userBias[b]! - itemBias[i]!;
    n++;
    if (vals[at]! >= liked && ratingOfA[i]! >= liked) coLiked++;
    sab += ea * eb;
    saa += ea * ea;
    sbb += eb * eb;
  }
  const norm = Math.sqrt(saa * sbb);
  return {
    coRated: n,
    pearson: norm > 0 ? ((n / (n + shrinkage)) * sab) / norm : 0,
    cosine: coLiked === 0 ? 0 : coLiked / Math.sqrt(data.stats.liked[a]! * data.stats.liked[b]!),
  };
}
