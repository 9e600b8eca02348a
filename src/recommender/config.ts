import { DEFAULT_MEMBER_FEEDBACK } from './learning/member-feedback.js';

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
  /** w of a film the member gave 👍 without rating it: w(4★) = (4 − f_s)/(r_max − f_s), a 4★ rating's weight. */
  thumbsUpSeed: number;
  /** β: weight of the films rated below f_s, which seed the similar-films source negatively (similar-films.ts). */
  dislikedSeedWeight: number;
  /** c in L(i) = Σ_j w(r_uj)/(rank_j(i) + c)^γ, rank from 0 (similar-films.ts). */
  listRankOffset: number;
  /** γ in L(i). */
  listRankExponent: number;
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
  /**
   * E of the fade E/(E + |S_u⁺|) of the favourites' and popularity's parts, |S_u⁺| = the member's loved films with
   * a list: they carry a newcomer and give way as the member's own evidence grows.
   */
  seedEvidence: number;
  /** η⁻: the share of a seed's or neighbour's weight one fresh 👎 takes (learning/member-feedback.ts). */
  dislikePenalty: number;
  /** η⁺: how many times its weight one fresh 👍 adds to a seed or neighbour (learning/member-feedback.ts). */
  likeBoost: number;
  /** H: the half-life of a reaction's lesson, in ms (learning/member-feedback.ts). */
  feedbackHalfLifeMs: number;
  /** Rating scale; predictions are clipped to it. */
  ratingMin: number;
  ratingMax: number;
  /** Changes after which refitIfDue() refits the baselines. */
  refitAfterChanges: number;
}

/**
 * Defaults measured on ml-latest-small with GUIDE §6 folds (`npx tsx scripts/evaluate.ts ../shared/datasets/ml-latest-small`
 * [--server-size N]); NDCG@10 at server sizes 5 / 10 / 30 / full set, most-popular 0.1570 / 0.1570 / 0.1587 / 0.1570.
 * - Baselines λ_u = 5, λ_i = 3 (10 passes): RMSE 0.8643; Surprise's 15/10 gives 0.8724, 5/5 0.8660, 8/3 0.8645, 5/2 0.8643.
 * - Prediction λ = 100, λ₂ = 0.5, k = 30: RMSE 0.8484. λ₂ = 1 → 0.8506, 2 → 0.8540, 4 → 0.8574, 0.25 → 0.8486
 *   (λ = 100), 0.1 → 0.8586 (λ = 25); λ = 50 → 0.8487, 200 → 0.8526; k = 20..80 within 0.0003; minSupport 3 = 1.
 * - The blend (recommend.ts) on the stand-in lists: 0.2667 / 0.2679 / 0.2714 / 0.2884 (1.70× / 1.71× / 1.71× /
 *   1.84×), coverage 0.062 / 0.062 / 0.060 / 0.056; on the weak stand-in 0.2433 / 0.2449 / 0.2512 / 0.2801. The
 *   issue's prototype (d(k) = 1/(k + 2), K 80, w_P 0.5 never fading, no disliked seeds, no favourites): 0.2652 /
 *   0.2662 / 0.2692 / 0.2832, weak 0.2517 / 0.2524 / 0.2568 / 0.2798, coverage 0.038 at 30 (below the 0.059 of the
 *   neighbour ranking it replaces). Alternatives, each changing one default (same run):
 *   · d(k) = 1/(k + 2): 0.2675 / 0.2686 / 0.2718 / 0.2879, coverage 0.057 at 30 (below 0.059); 1/(k + 4)²: 0.2627
 *     at 5. Lists cut to 20 (TMDB's page 1): 0.2662 / 0.2671 / 0.2701 / 0.2889, so the bot reads page 1 only.
 *   · E = 1: 0.2666 / 0.2678 / 0.2716 / 0.2890, coverage 0.059 at 30; never fading (E → ∞): 0.2595 / 0.2418 /
 *     0.2396 / 0.2719. The weak stand-in is where a lasting popularity helps (+0.005-0.008 with w_P 0.5 constant),
 *     at a cost on the stand-in and in coverage: popularity breaks ties towards the same films for everyone.
 *   · Disliked seeds β = 0.5; β = 0: 0.2661 / 0.2669 / 0.2708 / 0.2871; β = 1: 0.2664 / 0.2669 / 0.2703 / 0.2880.
 *     Seeds measured from the member's own mean: within 0.0005; seeds weighed by 1/log(popularity): −0.006 at 5.
 *   · Neighbours K = 40, p = 3, liked ≥ 4, w_N = 3: K = 80 0.2886 full; w_N = 2 0.2860 full; p = 2 or 4 −0.002 to
 *     −0.01; liked ≥ 3.5 −0.001. Alone on the full set, liked-set neighbours give 0.2764 (the binary cosine 0.2656).
 *   · Favourites w_F = 1, m = 5, 3 raters; w_F = 0: 0.2667 / 0.2678 / 0.2715 / 0.2890. MovieLens members all have
 *     many ratings, so the weight is a product choice for newcomers: a film 26 members rated 5★ comes before TMDB's
 *     most popular.
 * - 👍/👎 votes, 👍 seeds and the refit threshold are product choices (MovieLens has no reactions): a 👍 counts half
 *   a 5★ rating, a 👎 a full vote against; a 👍 seeds the similar-films source at w(4★) = 0.5, as a 4★ rating would;
 *   a refit costs about one build, so after 1,000 changes or 5 %. What a 👍/👎 does to the seeds and neighbours
 *   that backed the film, and how fast that fades: learning/member-feedback.ts, measured with `npm run simulate`.
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
  listRankOffset: 6,
  listRankExponent: 2,
  listLength: 40,
  listWeight: 1,
  neighbourWeight: 3,
  favouritesWeight: 1,
  favouritesPrior: 5,
  favouritesMinRaters: 3,
  popularWeight: 0.5,
  seedEvidence: 0.5,
  dislikePenalty: DEFAULT_MEMBER_FEEDBACK.dislikePenalty,
  likeBoost: DEFAULT_MEMBER_FEEDBACK.likeBoost,
  feedbackHalfLifeMs: DEFAULT_MEMBER_FEEDBACK.halfLifeMs,
  ratingMin: 0.5,
  ratingMax: 5,
  refitAfterChanges: 1_000,
} as const satisfies Required<RecommenderConfig>;
