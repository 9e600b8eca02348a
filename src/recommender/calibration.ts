/**
 * Stars from a position in a member's personal ranking, for films the rating model cannot predict (a film nobody
 * in the server rated: today's ranking puts it below every film a neighbour voted for; issue 9's hybrid ranking
 * will place it by TMDB's lists):
 *   stars(u, i) = clip(level_u + offset(p_u(i)), ratingMin, ratingMax)
 * level_u = μ + b_u (the member's baseline level, baselines.ts), p_u(i) = the film's percentile in the member's
 * ranking of the films they have not rated ({@link rankingPercentiles}: 1 = top, 0 = bottom), and offset a
 * non-decreasing piecewise-linear function through the knots, flat beyond the first and last, so stars never fall
 * as a film moves up the ranking. {@link fitRankCalibration} fits the knots on held-out ratings.
 */
export interface RankCalibration {
  /** Knot positions, ascending, in [0, 1]. */
  percentiles: readonly number[];
  /** offset at each knot, in stars; non-decreasing. */
  offsets: readonly number[];
}

/**
 * Fitted by `npm run evaluate -- ml-latest-small --groups` (which prints the refit): the 100,836 held-out ratings of
 * the five GUIDE §6 folds, each at its percentile in today's ranking (model.recommend; ties at their mean rank) of the
 * fold's training catalogue, residual r − (μ + b_u); 20 bins of 0.05 with a knot at each bin's mean percentile
 * (the lowest two hold no rating: films no neighbour voted for tie at about the 15th-40th percentile); isotonic by
 * pool-adjacent-violators; the knots inside a flat run dropped (same function). Held-out RMSE 0.9297 against 0.9596
 * for μ + b_u alone. Where today's bot uses it, on films the model does not know, it says little (0.9933 against
 * 0.9903 for μ + b_u on the 4,034 ratings of films missing from the training catalogue: they all sit in the bottom
 * tie); it is there for issue 9's hybrid ranking, which places such films by TMDB's lists. On known films with no
 * neighbour the model's baseline b_ui beats it (1.0057 against 1.0292), so group-utilities.ts keeps b_ui there.
 */
export const DEFAULT_RANK_CALIBRATION = {
  percentiles: [0.148, 0.179, 0.221, 0.776, 0.827, 0.877, 0.928, 0.986],
  offsets: [-0.274, -0.246, -0.149, -0.149, -0.091, -0.082, 0.015, 0.285],
} as const satisfies RankCalibration;

/** offset(p): linear between the knots around p, the end knots' offsets outside them; 0 without knots. */
export function calibratedOffset(calibration: RankCalibration, percentile: number): number {
  const { percentiles, offsets } = calibration;
  const last = percentiles.length - 1;
  if (last < 0) return 0;
  if (percentile <= percentiles[0]!) return offsets[0]!;
  if (percentile >= percentiles[last]!) return offsets[last]!;
  let k = 1;
  while (percentiles[k]! < percentile) k++;
  const [p0, p1, o0, o1] = [percentiles[k - 1]!, percentiles[k]!, offsets[k - 1]!, offsets[k]!];
  return p1 === p0 ? o1 : o0 + ((o1 - o0) * (percentile - p0)) / (p1 - p0);
}

export function calibratedStars(
  calibration: RankCalibration,
  level: number,
  percentile: number,
  ratingMin: number,
  ratingMax: number,
): number {
  return Math.min(ratingMax, Math.max(ratingMin, level + calibratedOffset(calibration, percentile)));
}

/**
 * Percentiles in a member's ranking of `total` films whose first `scores.length` are ranked (scores best first)
 * and whose others tie below them. Rank r is 1-based and tied films share their mean rank; p = (total − r)/(total − 1)
 * (0.5 when total < 2). Returns the ranked films' percentiles, in order, and the one the unranked films share.
 */
export function rankingPercentiles(
  scores: ArrayLike<number>,
  total: number,
): { ranked: Float64Array; unranked: number } {
  const percentile = (rank: number): number => (total < 2 ? 0.5 : (total - rank) / (total - 1));
  const ranked = new Float64Array(scores.length);
  let at = 0;
  while (at < scores.length) {
    let end = at;
    while (end + 1 < scores.length && scores[end + 1] === scores[at]) end++;
    const p = percentile((at + 1 + end + 1) / 2);
    for (let k = at; k <= end; k++) ranked[k] = p;
    at = end + 1;
  }
  return { ranked, unranked: percentile((scores.length + 1 + Math.max(total, scores.length)) / 2) };
}

export interface FittedCalibration extends RankCalibration {
  /** Samples behind each knot. */
  counts: number[];
}

/**
 * Fits the knots on samples (p_k, e_k), e = r − level_u: `bins` equal bins of p; each non-empty bin gives a knot at
 * the mean p of its samples with the mean e; pool-adjacent-violators then merges neighbouring knots (weighted by
 * their counts) until the offsets are non-decreasing.
 */
export function fitRankCalibration(
  percentiles: ArrayLike<number>,
  residuals: ArrayLike<number>,
  bins = 20,
): FittedCalibration {
  const sumP = new Float64Array(bins);
  const sumE = new Float64Array(bins);
  const count = new Float64Array(bins);
  for (let k = 0; k < percentiles.length; k++) {
    const p = Math.min(1, Math.max(0, percentiles[k]!));
    const b = Math.min(bins - 1, Math.floor(p * bins));
    sumP[b]! += p;
    sumE[b]! += residuals[k]!;
    count[b]!++;
  }
  const knots: { p: number; e: number; n: number }[] = [];
  for (let b = 0; b < bins; b++)
    if (count[b]! > 0) knots.push({ p: sumP[b]! / count[b]!, e: sumE[b]! / count[b]!, n: count[b]! });
  // Pool adjacent violators: blocks of knots sharing one offset, merged while a block's mean is below its predecessor's.
  const blocks: { e: number; n: number; knots: number }[] = [];
  for (const knot of knots) {
    blocks.push({ e: knot.e, n: knot.n, knots: 1 });
    while (blocks.length > 1 && blocks[blocks.length - 1]!.e < blocks[blocks.length - 2]!.e) {
      const top = blocks.pop()!;
      const below = blocks[blocks.length - 1]!;
      below.e = (below.e * below.n + top.e * top.n) / (below.n + top.n);
      below.n += top.n;
      below.knots += top.knots;
    }
  }
  const offsets = blocks.flatMap((block) => Array.from({ length: block.knots }, () => block.e));
  return { percentiles: knots.map((knot) => knot.p), offsets, counts: knots.map((knot) => knot.n) };
}
