import type { GrowableCsr } from './growable-csr.js';

export interface BaselineOptions {
  /** Alternating passes (items, then users), as Surprise's BaselineOnly with method 'als'. */
  iterations: number;
  /** λ_u: regularisation of user biases. */
  userReg: number;
  /** λ_i: regularisation of item biases. */
  itemReg: number;
}

export interface Baselines {
  /** μ: mean of all ratings (0 when there are none). */
  mu: number;
  /** b_u by dense user index. */
  userBias: Float64Array;
  /** b_i by dense item index. */
  itemBias: Float64Array;
}

/** b_i = Σ_{u∈U_i} (r_ui − μ − b_u) / (λ_i + |U_i|) */
export function itemBiasStep(
  byItem: GrowableCsr,
  item: number,
  mu: number,
  userBias: Float64Array,
  itemReg: number,
): number {
  const { start, length, cols, vals } = byItem;
  const from = start[item]!;
  const to = from + length[item]!;
  let sum = 0;
  for (let at = from; at < to; at++) sum += vals[at]! - mu - userBias[cols[at]!]!;
  return sum / (itemReg + (to - from));
}

/** b_u = Σ_{i∈I_u} (r_ui − μ − b_i) / (λ_u + |I_u|) */
export function userBiasStep(
  byUser: GrowableCsr,
  user: number,
  mu: number,
  itemBias: Float64Array,
  userReg: number,
): number {
  const { start, length, cols, vals } = byUser;
  const from = start[user]!;
  const to = from + length[user]!;
  let sum = 0;
  for (let at = from; at < to; at++) sum += vals[at]! - mu - itemBias[cols[at]!]!;
  return sum / (userReg + (to - from));
}

/**
 * One pass of {@link itemBiasStep} over every item (or, swapping the roles, {@link userBiasStep} over every
 * user), with the same arithmetic in the same order, so incremental steps and a refit agree to the last bit.
 * The buffers are read once per pass rather than once per row, and the loop is a function of its own, so the
 * optimiser has seen it run before it compiles it: the fit is the largest part of a build.
 */
function biasPass(
  rowsOf: GrowableCsr,
  rows: number,
  mu: number,
  otherBias: Float64Array,
  bias: Float64Array,
  reg: number,
): void {
  const { start, length, cols, vals } = rowsOf;
  for (let r = 0; r < rows; r++) {
    const from = start[r]!;
    const to = from + length[r]!;
    let sum = 0;
    for (let at = from; at < to; at++) sum += vals[at]! - mu - otherBias[cols[at]!]!;
    bias[r] = sum / (reg + (to - from));
  }
}

/**
 * Regularised baselines b_ui = μ + b_u + b_i, fitted by alternating least squares from b = 0:
 * each pass sets every b_i by {@link itemBiasStep}, then every b_u by {@link userBiasStep}.
 * The result does not depend on the order of entries, so an incrementally updated model refits to
 * the same values as a fresh build.
 */
export function fitBaselines(
  byUser: GrowableCsr,
  byItem: GrowableCsr,
  users: number,
  items: number,
  options: BaselineOptions,
): Baselines {
  let sum = 0;
  let count = 0;
  for (let u = 0; u < users; u++) {
    const from = byUser.start[u]!;
    const to = from + byUser.length[u]!;
    for (let at = from; at < to; at++) sum += byUser.vals[at]!;
    count += to - from;
  }
  const mu = count === 0 ? 0 : sum / count;
  const userBias = new Float64Array(Math.max(users, 16));
  const itemBias = new Float64Array(Math.max(items, 16));
  for (let pass = 0; pass < options.iterations; pass++) {
    biasPass(byItem, items, mu, userBias, itemBias, options.itemReg);
    biasPass(byUser, users, mu, itemBias, userBias, options.userReg);
  }
  return { mu, userBias, itemBias };
}

/** b_ui = μ + b_u + b_i, leaving out the bias of an unknown member or film (index -1). */
export function baselineOf(baselines: Baselines, u: number, i: number): number {
  return baselines.mu + (u >= 0 ? baselines.userBias[u]! : 0) + (i >= 0 ? baselines.itemBias[i]! : 0);
}

/** The same biases in arrays of at least these lengths (members and films added since start at 0). */
export function withCapacity(baselines: Baselines, users: number, items: number): Baselines {
  let { userBias, itemBias } = baselines;
  if (userBias.length < users) {
    userBias = new Float64Array(users);
    userBias.set(baselines.userBias);
  }
  if (itemBias.length < items) {
    itemBias = new Float64Array(items);
    itemBias.set(baselines.itemBias);
  }
  if (userBias === baselines.userBias && itemBias === baselines.itemBias) return baselines;
  return { mu: baselines.mu, userBias, itemBias };
}
