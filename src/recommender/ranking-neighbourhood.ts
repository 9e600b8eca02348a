import { compareUserIds, type IdIndex } from './id-index.js';
import { countCoLiked } from './kernels.js';
import type { ModelData } from './model-data.js';
import { admits, type NeighbourFilter } from './neighbour-filter.js';
import type { Scratch } from './scratch.js';

/** A member's ranking neighbourhood, best first: slot s holds member `members[s]`. */
export interface Neighbourhood {
  members: Int32Array;
  /** cos(u,v)^p */
  sims: Float64Array;
  /** |L_u ∩ L_v|: films both liked. */
  coLiked: Int32Array;
  size: number;
}

/** Neighbour order: higher similarity first, ties by ascending raw user id (index-order independent). */
export function better(users: IdIndex<string>, simA: number, a: number, simB: number, b: number): boolean {
  return simA > simB || (simA === simB && compareUserIds(users.idAt(a), users.idAt(b)) < 0);
}

/**
 * The top-N neighbourhood, by the cosine of the sets of films each member liked (L_v = films v rated ≥ `liked`),
 * raised to p:
 *   cos(u,v) = |L_u ∩ L_v| / √(|L_u|·|L_v|);  N = the k members with the highest cos(u,v)^p (ties by user id)
 * Rating the same films is not agreeing: two members who rated the same films oppositely share few liked films,
 * where a cosine over who-rated-what would call them close. (With `liked` at the bottom of the scale every rating
 * is a liked one, and this is that binary cosine.) Co-likers come from the inverted index (cost Σ_{i∈L_u} |U_i|) in
 * one pass that keeps the k best. Since x ↦ x^p is increasing for p > 0, a member whose cosine is below the k-th
 * best's is dropped before the power and the tie-break are computed.
 */
export function rankingNeighbourhood(
  data: ModelData,
  scratch: Scratch,
  u: number,
  filter: NeighbourFilter,
  k: number,
  exponent: number,
  liked: number,
): Neighbourhood {
  const { users, byUser, stats } = data;
  const { coCount: counts, touched: list } = scratch;
  const count = countCoLiked(byUser, data.byItem, u, liked, filter.restrict, scratch.admitStamp, counts, list);
  counts[u] = 0;
  const members = new Int32Array(k);
  const sims = new Float64Array(k);
  const coLiked = new Int32Array(k);
  const cosines = new Float64Array(k);
  const increasing = exponent > 0;
  const lengths = stats.liked;
  let size = 0;
  const ownLength = lengths[u]!;
  for (let t = 0; t < count; t++) {
    const v = list[t]!;
    const n = counts[v]!;
    counts[v] = 0;
    const cosine = n / Math.sqrt(ownLength * lengths[v]!);
    if (size === k && (k === 0 || (increasing && cosine < cosines[k - 1]!))) continue;
    const sim = Math.pow(cosine, exponent);
    if (size === k && !better(users, sim, v, sims[k - 1]!, members[k - 1]!)) continue;
    if (!admits(filter, v, users, scratch)) continue;
    let slot = size < k ? size++ : k - 1;
    while (slot > 0 && better(users, sim, v, sims[slot - 1]!, members[slot - 1]!)) {
      sims[slot] = sims[slot - 1]!;
      members[slot] = members[slot - 1]!;
      coLiked[slot] = coLiked[slot - 1]!;
      cosines[slot] = cosines[slot - 1]!;
      slot--;
    }
    sims[slot] = sim;
    members[slot] = v;
    coLiked[slot] = n;
    cosines[slot] = cosine;
  }
  return { members, sims, coLiked, size };
}
