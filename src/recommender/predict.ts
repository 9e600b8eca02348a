import { baselineOf, type Baselines } from './baselines.js';
import { compareUserIds } from './id-index.js';
import { accumulatePearson } from './kernels.js';
import type { ModelData } from './model-data.js';
import { admits, neighbourFilter, type NeighbourFilter, type NeighbourhoodOptions } from './neighbour-filter.js';
import type { Scratch } from './scratch.js';
import { kthLargest } from './select.js';
import { IMPOSSIBLE_REASONS, type Prediction } from './types.js';

/** The figures of the formulas below. */
export interface PredictionParameters {
  /** k */
  neighbours: number;
  minSupport: number;
  /** λ */
  shrinkage: number;
  /** λ₂ */
  damping: number;
  ratingMin: number;
  ratingMax: number;
}

const clip = (value: number, low: number, high: number): number => Math.min(high, Math.max(low, value));

/**
 * Rating predictions r̂_ui for several films of one member ({@link predictItem}), computing the member's
 * similarities once ({@link pearsonFor}): one pass over the inverted index, cost Σ_{i∈I_u} |U_i|, never a
 * member × member matrix.
 */
export function predictMany(
  data: ModelData,
  baselines: Baselines,
  scratch: Scratch,
  parameters: PredictionParameters,
  userId: string,
  itemIds: ArrayLike<number>,
  options: NeighbourhoodOptions,
): Prediction[] {
  const { users, items } = data;
  const { ratingMin, ratingMax } = parameters;
  const u = users.indexOf(userId);
  const results: Prediction[] = [];
  if (u < 0) {
    for (let t = 0; t < itemIds.length; t++) {
      const baseline = baselineOf(baselines, -1, items.indexOf(itemIds[t]!));
      results.push({
        kind: 'impossible',
        reason: IMPOSSIBLE_REASONS.unknownUser,
        baseline: clip(baseline, ratingMin, ratingMax),
      });
    }
    return results;
  }
  const filter = neighbourFilter(options.allowedNeighbours, users, scratch);
  pearsonFor(data, baselines, scratch, parameters, u, filter);
  for (let t = 0; t < itemIds.length; t++) {
    results.push(predictItem(data, baselines, scratch, parameters, u, items.indexOf(itemIds[t]!), filter));
  }
  return results;
}

/**
 * Shrunk Pearson on baseline residuals e_vi = r_vi − b_vi (b_vi: baselines.ts) over the films C_uv both members
 * rated, n = |C_uv|:
 *   sim(u,v) = n/(n+λ) · Σ_{i∈C} e_ui·e_vi / √(Σ_{i∈C} e_ui² · Σ_{i∈C} e_vi²)   (0 when a sum of squares is 0)
 * for every co-rater v into scratch.simOf (n into coRatedOf), and scratch.eligible = 1 for the members who may
 * be neighbours in a prediction (sim > 0, n ≥ minSupport).
 */
function pearsonFor(
  data: ModelData,
  baselines: Baselines,
  scratch: Scratch,
  parameters: PredictionParameters,
  u: number,
  filter: NeighbourFilter,
): void {
  const { mu, userBias, itemBias } = baselines;
  const { shrinkage, minSupport } = parameters;
  const { coCount, touched, pearsonSums: sums, simOf, coRatedOf, eligible: flags } = scratch;
  const count = accumulatePearson(
    data.byUser,
    data.byItem,
    u,
    filter.restrict,
    scratch.admitStamp,
    coCount,
    touched,
    sums,
    mu,
    userBias,
    itemBias,
  );
  coCount[u] = 0;
  sums[3 * u] = 0;
  sums[3 * u + 1] = 0;
  sums[3 * u + 2] = 0;
  flags.fill(0);
  for (let t = 0; t < count; t++) {
    const v = touched[t]!;
    const n = coCount[v]!;
    const at3 = 3 * v;
    const norm = Math.sqrt(sums[at3 + 1]! * sums[at3 + 2]!);
    const sim = norm > 0 ? ((n / (n + shrinkage)) * sums[at3]!) / norm : 0;
    simOf[v] = sim;
    coRatedOf[v] = n;
    flags[v] = sim > 0 && n >= minSupport ? 1 : 0;
    coCount[v] = 0;
    sums[at3] = 0;
    sums[at3 + 1] = 0;
    sums[at3 + 2] = 0;
  }
}

/**
 * From the similarities {@link pearsonFor} left in `scratch`:
 *   r̂_ui = b_ui + Σ_{v∈N_k(i;u)} sim(u,v)·e_vi / (Σ_{v∈N_k(i;u)} |sim(u,v)| + λ₂)
 * where N_k(i;u) are the k eligible raters of i with the highest similarity (ties by ascending user id), found
 * by quickselect in O(|U_i|). With none, the prediction is impossible ('no-neighbours') and b_ui is the
 * fallback. Results are clipped to the scale.
 */
function predictItem(
  data: ModelData,
  baselines: Baselines,
  scratch: Scratch,
  parameters: PredictionParameters,
  u: number,
  i: number,
  filter: NeighbourFilter,
): Prediction {
  const { mu, userBias, itemBias } = baselines;
  const { neighbours: k, damping, ratingMin, ratingMax } = parameters;
  if (i < 0) {
    return {
      kind: 'impossible',
      reason: IMPOSSIBLE_REASONS.unknownItem,
      baseline: clip(baselineOf(baselines, u, i), ratingMin, ratingMax),
    };
  }
  const bi = itemBias[i]!;
  const base = mu + userBias[u]! + bi;
  const baseline = clip(base, ratingMin, ratingMax);
  const { users, byItem } = data;
  const { start, length, cols, vals } = byItem;
  const from = start[i]!;
  const to = from + length[i]!;
  scratch.ensureCandidates(to - from);
  const { candidates: picked, eligible: flags, simOf: sims } = scratch;
  // Branch-free gather of the raters of i who may be neighbours: about half of them qualify, so a test per
  // rater would be unpredictable.
  let count = 0;
  for (let at = from; at < to; at++) {
    picked[count] = at;
    count += flags[cols[at]!]!;
  }
  if (filter.lazy !== null) {
    let kept = 0;
    for (let c = 0; c < count; c++) if (admits(filter, cols[picked[c]!]!, users, scratch)) picked[kept++] = picked[c]!;
    count = kept;
  }
  if (count === 0 || k <= 0) return { kind: 'impossible', reason: IMPOSSIBLE_REASONS.noNeighbours, baseline };
  let numerator = 0;
  let denominator = damping;
  if (count <= k) {
    for (let c = 0; c < count; c++) {
      const at = picked[c]!;
      const v = cols[at]!;
      const sim = sims[v]!;
      numerator += sim * (vals[at]! - mu - userBias[v]! - bi);
      denominator += Math.abs(sim);
    }
    return {
      kind: 'ok',
      rating: clip(base + numerator / denominator, ratingMin, ratingMax),
      baseline,
      neighbours: count,
    };
  }
  // More than k: the k-th best similarity by quickselect, then everyone above it and, among those equal
  // to it, the lowest user ids (the same set as sorting by `better` of ranking-neighbourhood.ts and keeping k).
  scratch.ensureSelectValues(count);
  const values = scratch.selectValues;
  for (let c = 0; c < count; c++) values[c] = sims[cols[picked[c]!]!]!;
  const threshold = kthLargest(values, count, k);
  let above = 0;
  for (let c = 0; c < count; c++) {
    const at = picked[c]!;
    const v = cols[at]!;
    const sim = sims[v]!;
    if (sim > threshold) {
      numerator += sim * (vals[at]! - mu - userBias[v]! - bi);
      denominator += Math.abs(sim);
      above++;
    }
  }
  const tied: number[] = [];
  for (let c = 0; c < count; c++) if (sims[cols[picked[c]!]!] === threshold) tied.push(picked[c]!);
  if (tied.length > k - above) tied.sort((a, b) => compareUserIds(users.idAt(cols[a]!), users.idAt(cols[b]!)));
  for (let t = 0; t < k - above; t++) {
    const at = tied[t]!;
    const v = cols[at]!;
    numerator += threshold * (vals[at]! - mu - userBias[v]! - bi);
    denominator += Math.abs(threshold);
  }
  return { kind: 'ok', rating: clip(base + numerator / denominator, ratingMin, ratingMax), baseline, neighbours: k };
}
