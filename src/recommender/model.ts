import { baselineOf, fitBaselines, itemBiasStep, userBiasStep, withCapacity, type Baselines } from './baselines.js';
import { DEFAULT_RECOMMENDER_CONFIG, type RecommenderConfig } from './config.js';
import { checkItemId, checkRating, toCoo } from './coo.js';
import { createGrowableCsr } from './growable-csr.js';
import type { ModelData } from './model-data.js';
import { neighbourFilter, type NeighbourhoodOptions } from './neighbour-filter.js';
import { pairSimilarity, type PairSimilarity } from './pair-similarity.js';
import { predictMany, type PredictionParameters } from './predict.js';
import { rankingNeighbourhood } from './ranking-neighbourhood.js';
import { recommend, type RankingParameters, type RecommendOptions } from './recommend.js';
import { Scratch } from './scratch.js';
import type {
  FeedbackInput,
  FeedbackValue,
  NeighbourSimilarity,
  Prediction,
  RatingColumns,
  RatingInput,
  Recommendation,
} from './types.js';

export interface ModelInput {
  ratings: readonly RatingInput[] | RatingColumns;
  feedback?: readonly FeedbackInput[];
}

export interface RecommenderModel {
  readonly config: Readonly<RecommenderConfig>;
  readonly userCount: number;
  readonly itemCount: number;
  readonly ratingCount: number;
  /** Changes since the last (re)fit of the baselines. */
  readonly pendingChanges: number;
  /** μ + b_u + b_i for a user and item (μ alone, or with the known bias, when unknown). */
  baseline(userId: string, itemId: number): number;
  predict(userId: string, itemId: number, options?: NeighbourhoodOptions): Prediction;
  /** Predicts several films for one member, computing their similarities once. */
  predictMany(userId: string, itemIds: ArrayLike<number>, options?: NeighbourhoodOptions): Prediction[];
  similarity(userA: string, userB: string): PairSimilarity;
  /** The member's ranking neighbourhood (k nearest by binary cosine), best first. */
  neighbours(userId: string, options?: NeighbourhoodOptions & { count?: number }): NeighbourSimilarity[];
  recommend(userId: string, options?: RecommendOptions): Recommendation;
  /** The member's rating of a film, or null. */
  ratingOf(userId: string, itemId: number): number | null;
  ratingCountOf(userId: string): number;
  /** Adds or replaces a rating; effective on the next request. */
  setRating(userId: string, itemId: number, rating: number): void;
  /** Returns whether a rating was removed. */
  deleteRating(userId: string, itemId: number): boolean;
  /** Sets (or clears with null) a member's 👍/👎 on a film. */
  setFeedback(userId: string, itemId: number, value: FeedbackValue | null): void;
  /** Removes every rating and reaction of a member (data deletion). */
  removeUser(userId: string): void;
  /** Refits the baselines when enough changes accumulated; returns whether it did. */
  refitIfDue(): boolean;
  /** Compacts storage and refits the baselines from scratch. */
  refit(): void;
}

/**
 * User-user neighbourhood model over a guild's ratings. Each formula is written beside its code:
 * - baselines b_ui = μ + b_u + b_i, regularised ALS: baselines.ts;
 * - rating prediction r̂_ui from shrunk Pearson on baseline residuals: predict.ts;
 * - top-N ranking: the neighbourhood by binary cosine in ranking-neighbourhood.ts, the votes in votes.ts, the
 *   score and the ranking in recommend.ts, its breakdown per neighbour in explain.ts.
 * Similarities are computed on demand from the inverted index (film → raters), never a member × member matrix.
 *
 * This function wires the steps to one guild's data and owns mutation and refits. The steps are module
 * functions taking the data, baselines, scratch memory and parameters as arguments, not closures of the model:
 * V8 then keeps one optimised version for every guild's model instead of deoptimising when a new model's
 * closures appear.
 */
export function createRecommenderModel(input: ModelInput, options: Partial<RecommenderConfig> = {}): RecommenderModel {
  const config: RecommenderConfig = { ...DEFAULT_RECOMMENDER_CONFIG, ...options };
  const { ratingMin, ratingMax } = config;
  // What the steps read, as literals of one shape for every model rather than `config` itself: V8 may change a
  // per-model object's hidden class after a few models (slack tracking), and every optimised function reading
  // it then deoptimises.
  const prediction: PredictionParameters = {
    neighbours: config.predictionNeighbours,
    minSupport: config.minSupport,
    shrinkage: config.shrinkage,
    damping: config.damping,
    ratingMin,
    ratingMax,
  };
  const ranking: RankingParameters = {
    neighbours: config.rankingNeighbours,
    exponent: config.similarityExponent,
    voteFloor: config.voteFloor,
    ratingMax,
    thumbsUpVote: config.thumbsUpVote,
    thumbsDownVote: config.thumbsDownVote,
  };
  const coo = toCoo(input.ratings, { ratingMin, ratingMax });
  const { users, items } = coo;
  const byUser = createGrowableCsr(users.size, coo.count, coo.userOf, coo.itemOf, coo.ratingOf);
  const byItem = createGrowableCsr(items.size, coo.count, coo.itemOf, coo.userOf, coo.ratingOf);
  const feedback = new Map<number, Map<number, FeedbackValue>>();
  const data: ModelData = { users, items, byUser, byItem, feedback };
  const scratch = new Scratch();
  let baselines: Baselines = fitAll();
  let pending = 0;
  ensureCapacity();

  function fitAll(): Baselines {
    return fitBaselines(byUser, byItem, users.size, items.size, {
      iterations: config.baselineIterations,
      userReg: config.userBaselineReg,
      itemReg: config.itemBaselineReg,
    });
  }

  /** Grows scratch memory, biases and rows to the id indices; called after interning a member or a film. */
  function ensureCapacity(): void {
    scratch.ensure(users.size, items);
    baselines = withCapacity(baselines, scratch.userCapacity, scratch.itemCapacity);
    byUser.ensureRows(users.size);
    byItem.ensureRows(items.size);
  }

  const clip = (value: number): number => Math.min(ratingMax, Math.max(ratingMin, value));

  function touchBiases(u: number, i: number): void {
    baselines.itemBias[i] = itemBiasStep(byItem, i, baselines.mu, baselines.userBias, config.itemBaselineReg);
    baselines.userBias[u] = userBiasStep(byUser, u, baselines.mu, baselines.itemBias, config.userBaselineReg);
  }

  const predict = (userId: string, itemIds: ArrayLike<number>, options: NeighbourhoodOptions = {}): Prediction[] =>
    predictMany(data, baselines, scratch, prediction, userId, itemIds, options);

  const model: RecommenderModel = {
    config,
    get userCount() {
      return users.size;
    },
    get itemCount() {
      return items.size;
    },
    get ratingCount() {
      return byUser.entries;
    },
    get pendingChanges() {
      return pending;
    },
    baseline: (userId, itemId) => clip(baselineOf(baselines, users.indexOf(userId), items.indexOf(itemId))),
    predict: (userId, itemId, options) => predict(userId, [itemId], options)[0]!,
    predictMany: predict,
    similarity: (userA, userB) => pairSimilarity(data, baselines, scratch, config.shrinkage, userA, userB),
    neighbours(userId, options = {}) {
      const u = users.indexOf(userId);
      if (u < 0) return [];
      const filter = neighbourFilter(options.allowedNeighbours, users, scratch);
      const hood = rankingNeighbourhood(
        data,
        scratch,
        u,
        filter,
        options.count ?? ranking.neighbours,
        ranking.exponent,
      );
      return Array.from({ length: hood.size }, (_, s) => ({
        userId: users.idAt(hood.members[s]!),
        similarity: hood.sims[s]!,
        coRated: hood.coRated[s]!,
      }));
    },
    recommend: (userId, options = {}) => recommend(data, scratch, ranking, userId, options),
    ratingOf(userId, itemId) {
      const u = users.indexOf(userId);
      const i = items.indexOf(itemId);
      if (u < 0 || i < 0) return null;
      const at = byUser.find(u, i);
      return at < 0 ? null : byUser.vals[at]!;
    },
    ratingCountOf(userId) {
      const u = users.indexOf(userId);
      return u < 0 ? 0 : byUser.length[u]!;
    },
    setRating(userId, itemId, rating) {
      checkItemId(itemId);
      checkRating(rating, config);
      const u = users.intern(userId);
      const i = items.intern(itemId);
      ensureCapacity();
      byUser.set(u, i, rating);
      byItem.set(i, u, rating);
      touchBiases(u, i);
      pending++;
    },
    deleteRating(userId, itemId) {
      const u = users.indexOf(userId);
      const i = items.indexOf(itemId);
      if (u < 0 || i < 0 || Number.isNaN(byUser.remove(u, i))) return false;
      byItem.remove(i, u);
      touchBiases(u, i);
      pending++;
      return true;
    },
    setFeedback(userId, itemId, value) {
      checkItemId(itemId);
      const u = users.intern(userId);
      const i = items.intern(itemId);
      ensureCapacity();
      const reactions = feedback.get(u) ?? new Map<number, FeedbackValue>();
      if (value === null) reactions.delete(i);
      else reactions.set(i, value);
      if (reactions.size === 0) feedback.delete(u);
      else feedback.set(u, reactions);
    },
    removeUser(userId) {
      const u = users.indexOf(userId);
      if (u < 0) return;
      feedback.delete(u);
      const rated = Array.from(byUser.cols.subarray(byUser.start[u], byUser.start[u]! + byUser.length[u]!));
      for (const i of rated) {
        byUser.remove(u, i);
        byItem.remove(i, u);
        baselines.itemBias[i] = itemBiasStep(byItem, i, baselines.mu, baselines.userBias, config.itemBaselineReg);
      }
      baselines.userBias[u] = 0;
      pending += rated.length;
    },
    refitIfDue() {
      const due = Math.min(config.refitAfterChanges, Math.max(1, Math.ceil(byUser.entries * 0.05)));
      if (pending < due) return false;
      model.refit();
      return true;
    },
    refit() {
      byUser.compact();
      byItem.compact();
      baselines = withCapacity(fitAll(), scratch.userCapacity, scratch.itemCapacity);
      pending = 0;
    },
  };
  for (const { userId, itemId, value } of input.feedback ?? []) model.setFeedback(userId, itemId, value);
  return model;
}
