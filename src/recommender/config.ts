/**
 * Tunables of the neighbourhood model. Every symbol refers to the formulas beside their code (model.ts lists where).
 */
export interface RecommenderConfig {
  /** Alternating baseline passes. */
  baselineIterations: number;
  /** λ_u of the user biases. */
  userBaselineReg: number;
  /** λ_i of the item biases. */
  itemBaselineReg: number;
  /** k: most similar raters of the item used in a rating prediction. */
  predictionNeighbours: number;
  /** Minimum co-rated films for a member to count as a neighbour in rating prediction. */
  minSupport: number;
  /** λ: Pearson similarity shrunk by n/(n+λ), n = co-rated films. */
  shrinkage: number;
  /** λ₂: damping added to Σ|sim| in the prediction's denominator. */
  damping: number;
  /** Members used as the neighbourhood in top-N ranking (the k nearest by binary cosine). */
  rankingNeighbours: number;
  /** Binary cosine similarity is raised to this power before voting (sharpens close neighbours). */
  similarityExponent: number;
  /** vote(r) = clamp((r − voteFloor)/(ratingMax − voteFloor), 0, 1): how much a rating says "liked". */
  voteFloor: number;
  /** Vote of a neighbour's 👍 on a film they did not rate (a weaker "liked"). */
  thumbsUpVote: number;
  /** Vote (subtracted) of a neighbour's 👎. */
  thumbsDownVote: number;
  /** Rating scale; predictions are clipped to it. */
  ratingMin: number;
  ratingMax: number;
  /** Changes after which refitIfDue() refits the baselines. */
  refitAfterChanges: number;
}

/**
 * Defaults measured on ml-latest-small with GUIDE §6 folds (`npx tsx scripts/evaluate.ts ../shared/datasets/ml-latest-small`):
 * - Baselines λ_u = 5, λ_i = 3 (10 passes): RMSE 0.8643; Surprise's 15/10 gives 0.8724, 5/5 0.8660, 8/3 0.8645, 5/2 0.8643.
 * - Prediction λ = 100, λ₂ = 0.5, k = 30: RMSE 0.8484. λ₂ = 1 → 0.8506, 2 → 0.8540, 4 → 0.8574, 0.25 → 0.8486
 *   (λ = 100), 0.1 → 0.8586 (λ = 25); λ = 50 → 0.8487, 200 → 0.8526; k = 20..80 within 0.0003; minSupport 3 = 1.
 * - Ranking K = 40, p = 3, vote floor 1: NDCG@10 0.2656, coverage 0.038 (most-popular 0.1570, 0.006).
 *   K = 50, p = 1, floor 2: 0.2571; K = 30, p = 2, floor 1: 0.2623; K = 100: 0.2487; floor 3: 0.2510.
 * - 👍/👎 votes and the refit threshold are product choices (MovieLens has no reactions): a 👍 counts half a
 *   5★ rating, a 👎 a full vote against; a refit costs about one build, so after 1,000 changes or 5 %.
 */
export const DEFAULT_RECOMMENDER_CONFIG = {
  baselineIterations: 10,
  userBaselineReg: 5,
  itemBaselineReg: 3,
  predictionNeighbours: 30,
  minSupport: 1,
  shrinkage: 100,
  damping: 0.5,
  rankingNeighbours: 40,
  similarityExponent: 3,
  voteFloor: 1,
  thumbsUpVote: 0.5,
  thumbsDownVote: 1,
  ratingMin: 0.5,
  ratingMax: 5,
  refitAfterChanges: 1_000,
} as const satisfies Required<RecommenderConfig>;
