import { baselineOf, fitBaselines, itemBiasStep, userBiasStep, withCapacity, type Baselines } from './baselines.js';
import { DEFAULT_RECOMMENDER_CONFIG, type RecommenderConfig } from './config.js';
import { modelParameters } from './model-parameters.js';
import { checkItemId, checkRating, toCoo } from './coo.js';
import { createGrowableCsr } from './growable-csr.js';
import { lessonsOf, reshapedSeeds } from './learning/member-feedback.js';
import type { ModelData } from './model-data.js';
import { agreementWith, markOwnRatings, similarByAgreement, type Agreement } from './agreement.js';
import { MemberStats } from './member-stats.js';
import { neighbourFilter, type NeighbourhoodOptions } from './neighbour-filter.js';
import { pairSimilarity, type PairSimilarity } from './pair-similarity.js';
import { popularParts, type PopularFilm, type PopularParts } from './popular.js';
import { predictMany } from './predict.js';
import { rankingNeighbourhood } from './ranking-neighbourhood.js';
import {
  recommend,
  RECOMMEND_DEFAULTS,
  scoreCandidates,
  type CandidateScore,
  type RankingInputs,
  type RecommendOptions,
} from './recommend.js';
import { Scratch } from './scratch.js';
import { NO_FAVOURITES, serverFavourites, type Favourites } from './server-favourites.js';
import { seedsOf, type FilmList, type RelatedFilms } from './similar-films.js';
import {
  ALL_PICK_SOURCES,
  type AgreeingMember,
  type FeedbackInput,
  type FeedbackValue,
  type NeighbourSimilarity,
  type Prediction,
  type RatingColumns,
  type RatingInput,
  type Recommendation,
  type SourceParts,
} from './types.js';

/** The sources' inputs of a score, as RecommendOptions names them. */
export type ScoreOptions = Pick<
  RecommendOptions,
  'allowedNeighbours' | 'related' | 'popular' | 'sources' | 'sourceScale' | 'memberFeedback'
>;

/** A server favourite: its F(i), and the plain mean and count of the members' ratings. */
export interface FavouriteFilm {
  itemId: number;
  score: number;
  average: number;
  raters: number;
}

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
  /** How two members' ratings of the films both rated compare (agreement.ts). */
  agreement(userA: string, userB: string): Agreement;
  /** The member's ranking neighbourhood (k nearest by liked-set cosine), best first. */
  neighbours(userId: string, options?: NeighbourhoodOptions & { count?: number }): NeighbourSimilarity[];
  /** Members whose ratings agree with the member's (agreement.ts), most similar first: what members are shown. */
  similarMembers(userId: string, options?: NeighbourhoodOptions & { count?: number }): AgreeingMember[];
  /** The member's picks: one evidence-weighted ranking of every source (recommend.ts). */
  recommend(userId: string, options?: RecommendOptions): Recommendation;
  /**
   * Sets the multipliers of the sources' weights used by every request that passes no `sourceScale` of its own
   * (the service keeps them at the server's posterior means: learning/source-weights.ts).
   */
  setSourceScale(scale: SourceParts): void;
  /** score(i) of recommend.ts for each candidate, deterministic (for group picks). */
  scoreCandidates(userId: string, itemIds: readonly number[], options?: ScoreOptions): CandidateScore[];
  /**
   * The server's favourites among the allowed members (everyone when absent), as "Loved in this server" reads them
   * (server-favourites.ts): best F(i) first, then more raters, then ascending film id.
   */
  favourites(options?: NeighbourhoodOptions & { count?: number }): FavouriteFilm[];
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
 * - top-N ranking, one blend of four sources (the blend and the ranking in recommend.ts): TMDB's lists of the films
 *   the member loved in similar-films.ts; the neighbourhood by liked-set cosine in ranking-neighbourhood.ts and its
 *   votes in votes.ts; the server's favourites in server-favourites.ts; popularity in popular.ts;
 * - agreement (who is shown as similar, whose backing a reason may count) in agreement.ts, the neighbours' part
 *   of a pick explained in explain.ts.
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
  const { prediction, ranking, memberFeedback, seedParameters } = modelParameters(config);
  /** g_s used when a request passes none. */
  let defaultScale: SourceParts = Object.fromEntries(ALL_PICK_SOURCES.map((source) => [source, 1])) as SourceParts;
  const coo = toCoo(input.ratings, { ratingMin, ratingMax });
  const { users, items } = coo;
  const byUser = createGrowableCsr(users.size, coo.count, coo.userOf, coo.itemOf, coo.ratingOf);
  const byItem = createGrowableCsr(items.size, coo.count, coo.itemOf, coo.userOf, coo.ratingOf);
  const feedback = new Map<number, Map<number, FeedbackValue>>();
  const stats = new MemberStats(config.likedRating);
  stats.ensure(users.size);
  for (let e = 0; e < coo.count; e++) stats.change(coo.userOf[e]!, Number.NaN, coo.ratingOf[e]!);
  const data: ModelData = { users, items, byUser, byItem, feedback, stats };
  const scratch = new Scratch();
  let baselines: Baselines = fitAll();
  let pending = 0;
  /** Bumped by every rating change: cached server favourites are stale once it moves. */
  let version = 0;
  let favourites: { key: ReadonlySet<string> | null; version: number; value: Favourites } | null = null;
  /** Lists and popular films as dense indices, once per list object handed in (dense indices are never reused). */
  const denseLists = new WeakMap<FilmList, Int32Array>();
  const densePopular = new WeakMap<readonly PopularFilm[], PopularParts>();
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
    stats.ensure(scratch.userCapacity);
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

  /** A film's dense index, adding it when unknown (a film only a list or TMDB's popularity knows). */
  const internItem = (itemId: number): number => {
    checkItemId(itemId);
    return items.intern(itemId);
  };

  /** The sources' inputs for member u (−1: unknown), interning the films only lists and popularity know. */
  function inputsFor(u: number, options: ScoreOptions): RankingInputs {
    const before = items.size;
    const related: RelatedFilms = options.related ?? RECOMMEND_DEFAULTS.related;
    const sources = options.sources ?? RECOMMEND_DEFAULTS.sources;
    const seeds =
      u < 0
        ? []
        : seedsOf(data, u, seedParameters, (item) => {
            const list = related(items.idAt(item));
            if (list === undefined) return undefined;
            let dense = denseLists.get(list);
            if (dense === undefined) {
              dense = Int32Array.from(list, internItem);
              denseLists.set(list, dense);
            }
            return dense;
          });
    const popularFilms = options.popular ?? RECOMMEND_DEFAULTS.popular;
    let popular = densePopular.get(popularFilms);
    if (popular === undefined) {
      popular = popularParts(popularFilms, internItem);
      densePopular.set(popularFilms, popular);
    }
    if (items.size > before) ensureCapacity();
    const reactions = u < 0 ? undefined : options.memberFeedback;
    const lessons = reactions
      ? lessonsOf(reactions.reactions, reactions.now, (itemId) => items.indexOf(itemId), memberFeedback)
      : [];
    return {
      seeds: reshapedSeeds(seeds, lessons, ranking.rankWeights, memberFeedback),
      popular,
      favourites: favouritesOf(options.allowedNeighbours),
      sources,
      scale: options.sourceScale ?? defaultScale,
      lessons,
      memberFeedback,
    };
  }

  /** The server's favourites among the allowed members (everyone when absent), cached until a rating changes. */
  function favouritesOf(allowed: ReadonlySet<string> | undefined): Favourites {
    if (ranking.favouritesWeight === 0) return NO_FAVOURITES;
    const key = allowed ?? null;
    if (favourites?.key === key && favourites.version === version) return favourites.value;
    const members =
      allowed === undefined ? null : Int32Array.from([...allowed].map((id) => users.indexOf(id)).filter((v) => v >= 0));
    const value = serverFavourites(data, scratch, members, config);
    favourites = { key, version, value };
    return value;
  }

  /** Records a rating change in the member figures and the version. */
  function ratingChanged(u: number, previous: number, next: number): void {
    stats.change(u, previous, next);
    version++;
  }

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
    similarity: (userA, userB) =>
      pairSimilarity(data, baselines, scratch, config.shrinkage, config.likedRating, userA, userB),
    agreement(userA, userB) {
      const a = users.indexOf(userA);
      const b = users.indexOf(userB);
      if (a < 0 || b < 0 || a === b) return { shared: 0, agreements: 0 };
      return agreementWith(data, scratch, a, markOwnRatings(data, scratch, a), b, config.agreementTolerance);
    },
    neighbours(userId, options = {}) {
      const u = users.indexOf(userId);
      if (u < 0) return [];
      const filter = neighbourFilter(options.allowedNeighbours, users, scratch);
      const count = options.count ?? ranking.neighbours;
      const hood = rankingNeighbourhood(data, scratch, u, filter, count, ranking.exponent, ranking.liked);
      return Array.from({ length: hood.size }, (_, s) => ({
        userId: users.idAt(hood.members[s]!),
        similarity: hood.sims[s]!,
        shared: hood.coLiked[s]!,
      }));
    },
    similarMembers(userId, options = {}) {
      const u = users.indexOf(userId);
      if (u < 0) return [];
      const filter = neighbourFilter(options.allowedNeighbours, users, scratch);
      return similarByAgreement(data, scratch, u, filter, config)
        .slice(0, options.count ?? Number.POSITIVE_INFINITY)
        .map(({ v, agreement, similarity }) => ({ userId: users.idAt(v), similarity, ...agreement }));
    },
    recommend(userId, options = {}) {
      const settings = { ...RECOMMEND_DEFAULTS, ...options };
      const u = users.indexOf(userId);
      if (settings.count <= 0) return { picks: [], ratingCount: u < 0 ? 0 : byUser.length[u]!, neighbourCount: 0 };
      const inputs = inputsFor(u, options);
      const filter = neighbourFilter(options.allowedNeighbours, users, scratch);
      return recommend(data, scratch, ranking, u, inputs, filter, settings);
    },
    setSourceScale(scale) {
      defaultScale = { ...scale };
    },
    scoreCandidates(userId, itemIds, options = {}) {
      const u = users.indexOf(userId);
      const inputs = inputsFor(u, options);
      const filter = neighbourFilter(options.allowedNeighbours, users, scratch);
      const candidates = itemIds.map((itemId) => ({ itemId, index: items.indexOf(itemId) }));
      return scoreCandidates(data, scratch, ranking, u, inputs, filter, candidates);
    },
    favourites(options = {}) {
      const { items: dense, scores, averages, raters } = favouritesOf(options.allowedNeighbours);
      return Array.from(dense, (i, k) => ({
        itemId: items.idAt(i),
        score: scores[k]!,
        average: averages[k]!,
        raters: raters[k]!,
      }))
        .sort((a, b) => b.score - a.score || b.raters - a.raters || a.itemId - b.itemId)
        .slice(0, options.count ?? Number.POSITIVE_INFINITY);
    },
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
      ratingChanged(u, byUser.set(u, i, rating), rating);
      byItem.set(i, u, rating);
      touchBiases(u, i);
      pending++;
    },
    deleteRating(userId, itemId) {
      const u = users.indexOf(userId);
      const i = items.indexOf(itemId);
      if (u < 0 || i < 0) return false;
      const removed = byUser.remove(u, i);
      if (Number.isNaN(removed)) return false;
      ratingChanged(u, removed, Number.NaN);
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
      stats.clear(u);
      version++;
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
