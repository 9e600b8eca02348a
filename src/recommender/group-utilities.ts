import { calibratedStars, DEFAULT_RANK_CALIBRATION, rankingPercentiles, type RankCalibration } from './calibration.js';
import type { RecommenderModel } from './model.js';
import type { NeighbourhoodOptions } from './neighbour-filter.js';
import { IMPOSSIBLE_REASONS } from './types.js';

export const UTILITY_BASES = {
  /** The rating model's r̂_ui (baseline + neighbours), or its baseline b_ui where no neighbour rated the film. */
  ratingModel: 'rating-model',
  /** The film's place in the member's personal ranking, through the calibration (calibration.ts). */
  ranking: 'ranking',
} as const;
export type UtilityBasis = (typeof UTILITY_BASES)[keyof typeof UTILITY_BASES];

export const NO_UTILITY_REASONS = { noRatingsYet: 'no-ratings-yet', cannotPredict: 'cannot-predict' } as const;
export type NoUtilityReason = (typeof NO_UTILITY_REASONS)[keyof typeof NO_UTILITY_REASONS];

/** A participant's utility of a film in stars, or why there is none. */
export type Utility =
  { kind: 'ok'; stars: number; basis: UtilityBasis } | { kind: 'impossible'; reason: NoUtilityReason };

export interface MemberUtilityOptions extends NeighbourhoodOptions {
  calibration?: RankCalibration;
}

/** Utilities of the films asked for, by position: stars[k] for itemIds[k] (NaN for a member without ratings). */
export interface MemberUtilityColumns {
  ratingCount: number;
  stars: Float64Array;
  /** 1 where stars[k] comes from the calibrated ranking, 0 from the rating model. */
  calibrated: Uint8Array;
}

/**
 * A member's utility of each film, in stars (today's model; issue 9's per-member scorer will feed the same shape):
 *   u(i) = r̂_ui                         where the rating model predicts it (model.predictMany: baseline + neighbours)
 *        = b_ui                         where the film is known but no neighbour rated it (the model's own fallback)
 *        = calibrated ranking (calibration.ts)  where the film is unknown to the model (nobody here rated it)
 * and nothing for a member without ratings (no ratings yet: the group recommender leaves them out).
 */
export function memberUtilityColumns(
  model: RecommenderModel,
  userId: string,
  itemIds: ArrayLike<number>,
  options: MemberUtilityOptions = {},
): MemberUtilityColumns {
  const ratingCount = model.ratingCountOf(userId);
  const stars = new Float64Array(itemIds.length).fill(Number.NaN);
  const calibrated = new Uint8Array(itemIds.length);
  if (ratingCount === 0) return { ratingCount, stars, calibrated };
  const { calibration = DEFAULT_RANK_CALIBRATION, ...neighbourhood } = options;
  const predictions = model.predictMany(userId, itemIds, neighbourhood);
  let unrankedStars: number | null = null;
  predictions.forEach((prediction, k) => {
    if (prediction.kind === 'ok') stars[k] = prediction.rating;
    else if (prediction.reason === IMPOSSIBLE_REASONS.noNeighbours) stars[k] = prediction.baseline;
    else {
      // Unknown to the model, so below every film the member's ranking scores; one ranking per member, when needed.
      unrankedStars ??= unrankedFilmStars(model, userId, neighbourhood, calibration);
      stars[k] = unrankedStars;
      calibrated[k] = 1;
    }
  });
  return { ratingCount, stars, calibrated };
}

/** Calibrated stars of the films below the member's whole ranking (their level_u = μ + b_u is the model's baseline). */
function unrankedFilmStars(
  model: RecommenderModel,
  userId: string,
  neighbourhood: NeighbourhoodOptions,
  calibration: RankCalibration,
): number {
  const ranking = model.recommend(userId, { ...neighbourhood, count: model.itemCount, explain: false });
  const total = model.itemCount - ranking.ratingCount;
  const { unranked } = rankingPercentiles(
    ranking.picks.map((pick) => pick.score),
    total,
  );
  // μ + b_u: the baseline of a film the model does not know (-1 is no film's id).
  const level = model.baseline(userId, -1);
  return calibratedStars(calibration, level, unranked, model.config.ratingMin, model.config.ratingMax);
}

/** The utility of film k of the columns, as the group recommender reads it. */
export function utilityAt(columns: MemberUtilityColumns, k: number): Utility {
  const stars = columns.stars[k];
  if (stars === undefined || Number.isNaN(stars)) {
    return {
      kind: 'impossible',
      reason: columns.ratingCount === 0 ? NO_UTILITY_REASONS.noRatingsYet : NO_UTILITY_REASONS.cannotPredict,
    };
  }
  return { kind: 'ok', stars, basis: columns.calibrated[k] === 1 ? UTILITY_BASES.ranking : UTILITY_BASES.ratingModel };
}

/** A participant's rating count and utility lookup from the model, for `recommendForGroup`'s input. */
export function memberUtilities(
  model: RecommenderModel,
  userId: string,
  itemIds: readonly number[],
  options: MemberUtilityOptions = {},
): { ratingCount: number; utility: (itemId: number) => Utility } {
  const columns = memberUtilityColumns(model, userId, itemIds, options);
  const at = new Map(itemIds.map((itemId, k) => [itemId, k]));
  return {
    ratingCount: columns.ratingCount,
    utility: (itemId) => utilityAt(columns, at.get(itemId) ?? -1),
  };
}
