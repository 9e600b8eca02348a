import { calibratedStars, fitRankCalibration, rankingPercentiles, type FittedCalibration } from '../calibration.js';
import type { RecommenderConfig } from '../config.js';
import type { RecommenderModel } from '../model.js';

/** The percentile → stars table refit on held-out ratings, with its RMSE in stars beside level_u's alone (in sample). */
export interface CalibrationReport extends FittedCalibration {
  samples: number;
  rmse: number;
  levelRmse: number;
}

export interface CalibrationSamples {
  percentiles: number[];
  /** μ + b_u of the member */
  levels: number[];
  ratings: number[];
}

/** Every test rating at its percentile in the member's ranking of the unrated catalogue, with the member's level. */
export function collectCalibrationSamples(
  model: RecommenderModel,
  users: readonly string[],
  testByUser: Map<number, [number, number][]>,
  into: CalibrationSamples,
): void {
  for (const [code, tests] of testByUser) {
    const userId = users[code]!;
    if (model.ratingCountOf(userId) === 0) continue;
    const ranking = model.recommend(userId, { count: model.itemCount, explain: false });
    const { ranked, unranked } = rankingPercentiles(
      ranking.picks.map((pick) => pick.score),
      model.itemCount - ranking.ratingCount,
    );
    const at = new Map(ranking.picks.map((pick, k) => [pick.itemId, k]));
    // μ + b_u: the baseline of a film the model does not know (-1 is no film's id).
    const level = model.baseline(userId, -1);
    for (const [itemId, rating] of tests) {
      const k = at.get(itemId);
      into.percentiles.push(k === undefined ? unranked : ranked[k]!);
      into.levels.push(level);
      into.ratings.push(rating);
    }
  }
}

/** The refit table (residual r − level_u) and its in-sample RMSE in stars, beside level_u's alone. */
export function calibrationReport(
  { percentiles, levels, ratings }: CalibrationSamples,
  { ratingMin, ratingMax }: Pick<RecommenderConfig, 'ratingMin' | 'ratingMax'>,
): CalibrationReport {
  const fitted = fitRankCalibration(
    percentiles,
    ratings.map((rating, k) => rating - levels[k]!),
  );
  let squared = 0;
  let levelSquared = 0;
  for (let k = 0; k < ratings.length; k++) {
    squared += (calibratedStars(fitted, levels[k]!, percentiles[k]!, ratingMin, ratingMax) - ratings[k]!) ** 2;
    levelSquared += (levels[k]! - ratings[k]!) ** 2;
  }
  const n = Math.max(1, ratings.length);
  return { ...fitted, samples: ratings.length, rmse: Math.sqrt(squared / n), levelRmse: Math.sqrt(levelSquared / n) };
}
