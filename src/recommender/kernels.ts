import type { GrowableCsr } from './growable-csr.js';

/**
 * Counts |I_u ∩ I_v| for every member v through the inverted index (cost Σ_{i∈I_u} |U_i|) into `counts`,
 * skipping members whose `mask` entry is not `restrict` (unless `restrict` is 0). Returns how many members were
 * touched (listed in `list`). u itself stays off the list (its count is set non-zero up front, which spares a
 * test per rater); the caller resets counts[u] to 0.
 *
 * The kernels are module functions taking the buffers as arguments, not closures of the model: V8 then keeps
 * one optimised version for every guild's model instead of deoptimising when a new model's closures appear.
 */
export function countCoRatings(
  byUser: GrowableCsr,
  byItem: GrowableCsr,
  u: number,
  restrict: number,
  mask: Int32Array,
  counts: Int32Array,
  list: Int32Array,
): number {
  const { start: uStart, length: uLength, cols: uCols } = byUser;
  const { start: iStart, length: iLength, cols: iCols } = byItem;
  let count = 0;
  counts[u] = 1;
  const to = uStart[u]! + uLength[u]!;
  for (let at = uStart[u]!; at < to; at++) {
    const i = uCols[at]!;
    const rTo = iStart[i]! + iLength[i]!;
    for (let bt = iStart[i]!; bt < rTo; bt++) {
      const v = iCols[bt]!;
      if (restrict !== 0 && mask[v] !== restrict) continue;
      const c = counts[v]!;
      if (c === 0) list[count++] = v;
      counts[v] = c + 1;
    }
  }
  return count;
}

/**
 * As {@link countCoRatings}, over liked films only: |L_u ∩ L_v| for every member v, L = films rated ≥ `liked`
 * (cost Σ_{i∈L_u} |U_i|). The liked-set cosine of ranking-neighbourhood.ts reads these counts.
 */
export function countCoLiked(
  byUser: GrowableCsr,
  byItem: GrowableCsr,
  u: number,
  liked: number,
  restrict: number,
  mask: Int32Array,
  counts: Int32Array,
  list: Int32Array,
): number {
  const { start: uStart, length: uLength, cols: uCols, vals: uVals } = byUser;
  const { start: iStart, length: iLength, cols: iCols, vals: iVals } = byItem;
  let count = 0;
  counts[u] = 1;
  const to = uStart[u]! + uLength[u]!;
  for (let at = uStart[u]!; at < to; at++) {
    if (uVals[at]! < liked) continue;
    const i = uCols[at]!;
    const rTo = iStart[i]! + iLength[i]!;
    for (let bt = iStart[i]!; bt < rTo; bt++) {
      if (iVals[bt]! < liked) continue;
      const v = iCols[bt]!;
      if (restrict !== 0 && mask[v] !== restrict) continue;
      const c = counts[v]!;
      if (c === 0) list[count++] = v;
      counts[v] = c + 1;
    }
  }
  return count;
}

/**
 * As {@link countCoRatings}, also summing over co-rated films, with residuals e = r − μ − b_u − b_i, the
 * Pearson sums [Σ e_u·e_v, Σ e_u², Σ e_v²] of member v into sums[3v..3v+2] (interleaved: a little faster
 * than three arrays here). The caller resets u's count and sums.
 */
export function accumulatePearson(
  byUser: GrowableCsr,
  byItem: GrowableCsr,
  u: number,
  restrict: number,
  mask: Int32Array,
  counts: Int32Array,
  list: Int32Array,
  sums: Float64Array,
  mu: number,
  userBias: Float64Array,
  itemBias: Float64Array,
): number {
  const { start: uStart, length: uLength, cols: uCols, vals: uVals } = byUser;
  const { start: iStart, length: iLength, cols: iCols, vals: iVals } = byItem;
  const bu = userBias[u]!;
  let count = 0;
  counts[u] = 1;
  const to = uStart[u]! + uLength[u]!;
  for (let at = uStart[u]!; at < to; at++) {
    const i = uCols[at]!;
    const base = mu + itemBias[i]!;
    const eu = uVals[at]! - base - bu;
    const eu2 = eu * eu;
    const rTo = iStart[i]! + iLength[i]!;
    for (let bt = iStart[i]!; bt < rTo; bt++) {
      const v = iCols[bt]!;
      if (restrict !== 0 && mask[v] !== restrict) continue;
      const c = counts[v]!;
      if (c === 0) list[count++] = v;
      counts[v] = c + 1;
      const ev = iVals[bt]! - base - userBias[v]!;
      const at3 = 3 * v;
      sums[at3]! += eu * ev;
      sums[at3 + 1]! += eu2;
      sums[at3 + 2]! += ev * ev;
    }
  }
  return count;
}
