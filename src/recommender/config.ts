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
  /** Members used as the neighbourhood in top-N ranking (the k nearest by liked-set cosine). */
  rankingNeighbours: number;
  /** Liked-set cosine similarity is raised to this power p before voting (sharpens close neighbours). */
  similarityExponent: number;
  /** A rating at or above this is a liked film, for the ranking neighbourhood's liked sets. */
  likedRating: number;
  /** vote(r) = clamp((r − voteFloor)/(ratingMax − voteFloor), 0, 1): how much a rating says "liked". */
  voteFloor: number;
  /** Vote of a neighbour's 👍 on a film they did not rate (a weaker "liked"). */
  thumbsUpVote: number;
  /** Vote (subtracted) of a neighbour's 👎. */
  thumbsDownVote: number;
  /** t: two ratings at most this many stars apart agree (agreement.ts). */
  agreementTolerance: number;
  /** Films two members must share before either is called similar to the other (agreement.ts). */
  minSharedFilms: number;
  /** λ of the shown similarity (a − d)/(n + λ) (agreement.ts). */
  agreementShrinkage: number;
  /** A film rated at or above this seeds the similar-films source (similar-films.ts). */
  lovedRating: number;
  /** f_s of the seed weight w(r) = clamp((r − f_s)/(r_max − f_s), 0, 1) (similar-films.ts). */
  seedFloor: number;
  /** w of a film the member gave 👍 without rating it. */
  thumbsUpSeed: number;
  /** β: weight of the films rated below f_s, which seed the similar-films source negatively (similar-films.ts). */
  dislikedSeedWeight: number;
  /** c in L(i) = Σ_j w(r_uj)/(rank_j(i) + c), rank from 0 (similar-films.ts). */
  listRankOffset: number;
  /** Films of each list read (TMDB's page 1 holds 20; the stand-in 40). */
  listLength: number;
  /** w_L: weight of L(i)/max L in the blend (recommend.ts). */
  listWeight: number;
  /** w_N: weight of N(i) in the blend. */
  neighbourWeight: number;
  /** w_F: weight of the server-favourites part F(i), faded by evidence. */
  favouritesWeight: number;
  /** m: the prior's weight (in ratings) in the Bayesian average (server-favourites.ts). */
  favouritesPrior: number;
  /** Raters a film needs before it can be a server favourite (GUIDE §9: at least 3). */
  favouritesMinRaters: number;
  /** w_P: weight of the popularity part P(i), faded by evidence. */
  popularWeight: number;
  /** E_S of the favourites' fade E_S/(E_S + |S_u|), |S_u| = the member's loved films with a list. */
  seedEvidence: number;
  /** E_N of the popular part's fade E_N/(E_N + Σ_v cos(u,v)^p), the neighbourhood's weight. */
  neighbourEvidence: number;
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
  likedRating: 4,
  voteFloor: 1,
  thumbsUpVote: 0.5,
  thumbsDownVote: 1,
  agreementTolerance: 1,
  minSharedFilms: 3,
  agreementShrinkage: 5,
  lovedRating: 3.5,
  seedFloor: 3,
  thumbsUpSeed: 0.5,
  dislikedSeedWeight: 0.5,
  listRankOffset: 2,
  listLength: 40,
  listWeight: 1,
  neighbourWeight: 3,
  favouritesWeight: 1,
  favouritesPrior: 5,
  favouritesMinRaters: 3,
  popularWeight: 0.5,
  seedEvidence: 5,
  neighbourEvidence: 0.3,
  ratingMin: 0.5,
  ratingMax: 5,
  refitAfterChanges: 1_000,
} as const satisfies Required<RecommenderConfig>;
