import { fitBaselines, itemBiasStep, userBiasStep, type Baselines } from './baselines.js';
import { DEFAULT_RECOMMENDER_CONFIG, type RecommenderConfig } from './config.js';
import { createGrowableCsr } from './growable-csr.js';
import { compareUserIds } from './id-index.js';
import { checkItemId, checkRating, toCoo } from './coo.js';
import { accumulatePearson, countCoRatings } from './kernels.js';
import { kthLargest } from './select.js';
import { TopKHeap } from './top-k-heap.js';
import {
  IMPOSSIBLE_REASONS,
  type Contributor,
  type FeedbackInput,
  type FeedbackValue,
  type NeighbourPick,
  type NeighbourSimilarity,
  type Prediction,
  type RatingColumns,
  type RatingInput,
  type Recommendation,
} from './types.js';

export interface ModelInput {
  ratings: readonly RatingInput[] | RatingColumns;
  feedback?: readonly FeedbackInput[];
}

export interface NeighbourhoodOptions {
  /** Only these members may act as neighbours (the guild's members who share taste); all when absent. */
  allowedNeighbours?: ReadonlySet<string>;
}

export interface RecommendOptions extends NeighbourhoodOptions {
  /** Picks wanted. */
  count?: number;
  /** Films never to pick (watched, rated elsewhere, watchlisted...). Own ratings and 👎 are excluded anyway. */
  exclude?: ReadonlySet<number>;
  /** Caller's filter (genre, year, runtime); only asked about films that would otherwise make the list. */
  filter?: (itemId: number) => boolean;
  /** Whether a neighbour may be named in explanations (default: nobody). */
  canName?: (userId: string) => boolean;
  /** Contributors listed per pick. */
  maxContributors?: number;
  /** Whether to build explanations (off in offline evaluation). */
  explain?: boolean;
}

const RECOMMEND_DEFAULTS = {
  count: 10,
  exclude: new Set<number>(),
  filter: () => true,
  canName: () => false,
  maxContributors: 3,
  explain: true,
} as const satisfies Required<Omit<RecommendOptions, 'allowedNeighbours'>>;

export interface PairSimilarity {
  coRated: number;
  /** Shrunk Pearson on baseline residuals (rating prediction). */
  pearson: number;
  /** Cosine of binary "rated it" vectors, |I_u ∩ I_v| / √(|I_u|·|I_v|) (ranking). */
  cosine: number;
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
 * User-user neighbourhood model over a guild's ratings.
 *
 * Baselines: b_ui = μ + b_u + b_i, regularised ALS (see baselines.ts).
 *
 * Rating prediction (shrunk Pearson on baseline residuals e_vi = r_vi − b_vi, over co-rated films C_uv, n = |C_uv|):
 *   sim(u,v) = n/(n+λ) · Σ_{i∈C} e_ui·e_vi / √(Σ_{i∈C} e_ui² · Σ_{i∈C} e_vi²)   (0 when a sum of squares is 0)
 *   r̂_ui = b_ui + Σ_{v∈N_k(i;u)} sim(u,v)·e_vi / (Σ_{v∈N_k(i;u)} |sim(u,v)| + λ₂)
 * where N_k(i;u) are the k raters of i with the highest positive similarity and n ≥ minSupport;
 * with none, the prediction is impossible ('no-neighbours') and b_ui is the fallback. Results are clipped to the scale.
 *
 * Top-N ranking (binary cosine, liked-weighted votes):
 *   cos(u,v) = |I_u ∩ I_v| / √(|I_u|·|I_v|);  N = the K members with highest cos (ties by user id)
 *   score(i) = Σ_{v∈N} cos(u,v)^p · vote_v(i),  vote_v(i) = clamp((r_vi − f)/(r_max − f), 0, 1) if v rated i,
 *              else thumbsUpVote for v's 👍; minus thumbsDownVote for v's 👎
 * Films with score > 0 are ranked by score, ties by ascending item id; the member's own rated and 👎 films,
 * the caller's exclusions and films failing the caller's filter are left out.
 *
 * Similarities are computed on demand from the inverted index (film → raters): cost Σ_{i∈I_u} |U_i|,
 * never a member × member matrix. N_k(i;u) is found by quickselect over the eligible raters of i (O(|U_i|)),
 * the ranking neighbourhood by one pass over the co-raters keeping the K best.
 */
export function createRecommenderModel(input: ModelInput, options: Partial<RecommenderConfig> = {}): RecommenderModel {
  const config: RecommenderConfig = { ...DEFAULT_RECOMMENDER_CONFIG, ...options };
  // The figures the hot paths read, taken out of `config` once: V8 may change a per-model object's hidden
  // class after a few models (slack tracking), and every optimised function reading it then deoptimises.
  const { shrinkage, minSupport, predictionNeighbours, damping, ratingMin, ratingMax, similarityExponent, voteFloor } = config;
  // A literal of its own rather than `config` itself (see above).
  const coo = toCoo(input.ratings, { ratingMin, ratingMax });
  const { users, items } = coo;
  const byUser = createGrowableCsr(users.size, coo.count, coo.userOf, coo.itemOf, coo.ratingOf);
  const byItem = createGrowableCsr(items.size, coo.count, coo.itemOf, coo.userOf, coo.ratingOf);
  const feedback = new Map<number, Map<number, FeedbackValue>>();
  let baselines: Baselines = fitAll();
  let pending = 0;

  // Scratch space, sized to the id indices and grown with them.
  let userCapacity = 0;
  let itemCapacity = 0;
  let itemIdOf = new Int32Array(0);
  let namedItems = 0;
  let coCount = new Int32Array(0);
  // Pearson sums per member, interleaved [Σ e_u·e_v, Σ e_u², Σ e_v²] (a little faster than three arrays here).
  let pearsonSums = new Float64Array(0);
  let admitStamp = new Int32Array(0);
  let admitValue = new Uint8Array(0);
  let admitCounter = 0;
  let touched = new Int32Array(0);
  let simOf = new Float64Array(0);
  let coRatedOf = new Int32Array(0);
  // 1 for the members who may be neighbours in the current prediction (positive similarity, enough support).
  let eligible = new Uint8Array(0);
  // Positions in byItem of one film's eligible raters.
  let candidates = new Int32Array(0);
  let selectScratch = new Float64Array(0);
  let itemScore = new Float64Array(0);
  let itemStamp = new Int32Array(0);
  let excludedStamp = new Int32Array(0);
  let touchedItems = new Int32Array(0);
  let stamp = 0;
  ensureScratch();

  function fitAll(): Baselines {
    return fitBaselines(byUser, byItem, users.size, items.size, {
      iterations: config.baselineIterations,
      userReg: config.userBaselineReg,
      itemReg: config.itemBaselineReg,
    });
  }

  function ensureScratch(): void {
    if (users.size > userCapacity) {
      userCapacity = Math.max(users.size, Math.ceil(userCapacity * 1.5), 16);
      coCount = new Int32Array(userCapacity);
      pearsonSums = new Float64Array(3 * userCapacity);
      admitStamp = new Int32Array(userCapacity);
      admitValue = new Uint8Array(userCapacity);
      touched = new Int32Array(userCapacity);
      simOf = new Float64Array(userCapacity);
      coRatedOf = new Int32Array(userCapacity);
      eligible = new Uint8Array(userCapacity);
      const userBias = new Float64Array(userCapacity);
      userBias.set(baselines.userBias.subarray(0, Math.min(baselines.userBias.length, userCapacity)));
      baselines = { ...baselines, userBias };
    }
    if (items.size > itemCapacity) {
      itemCapacity = Math.max(items.size, Math.ceil(itemCapacity * 1.5), 16);
      itemScore = new Float64Array(itemCapacity);
      itemStamp = new Int32Array(itemCapacity);
      excludedStamp = new Int32Array(itemCapacity);
      touchedItems = new Int32Array(itemCapacity);
      const itemBias = new Float64Array(itemCapacity);
      itemBias.set(baselines.itemBias.subarray(0, Math.min(baselines.itemBias.length, itemCapacity)));
      baselines = { ...baselines, itemBias };
      const ids = new Int32Array(itemCapacity);
      ids.set(itemIdOf.subarray(0, namedItems));
      itemIdOf = ids;
    }
    for (; namedItems < items.size; namedItems++) itemIdOf[namedItems] = items.idAt(namedItems);
    byUser.ensureRows(users.size);
    byItem.ensureRows(items.size);
  }

  function nextStamp(): number {
    stamp++;
    if (stamp === 2_147_483_647) {
      stamp = 1;
      itemStamp.fill(0);
      excludedStamp.fill(0);
    }
    return stamp;
  }

  /**
   * Which members may be neighbours in one request. A small allowed set (≤ ¼ of the members) becomes an eager
   * mask that the co-rating loops test; a large one (typically the whole guild) is asked lazily, only about
   * members that would otherwise enter a neighbourhood, so a request costs a few hundred set lookups rather
   * than one per member. Both give the same neighbourhoods.
   */
  interface NeighbourFilter {
    /** Stamp of the eager mask in `admitStamp`, or 0 when the loops admit everyone. */
    restrict: number;
    /** Set asked lazily (answers memoised in `admitStamp`/`admitValue` under `stamp`). */
    lazy: ReadonlySet<string> | null;
    stamp: number;
  }

  const EVERYONE: NeighbourFilter = { restrict: 0, lazy: null, stamp: 0 };

  function filterOf(allowed: ReadonlySet<string> | undefined): NeighbourFilter {
    if (allowed === undefined) return EVERYONE;
    admitCounter++;
    if (admitCounter === 2_147_483_647) {
      admitCounter = 1;
      admitStamp.fill(0);
    }
    const current = admitCounter;
    if (allowed.size * 4 > users.size) return { restrict: 0, lazy: allowed, stamp: current };
    for (const id of allowed) {
      const v = users.indexOf(id);
      if (v >= 0) admitStamp[v] = current;
    }
    return { restrict: current, lazy: null, stamp: current };
  }

  function admits(filter: NeighbourFilter, v: number): boolean {
    if (filter.lazy === null) return filter.restrict === 0 || admitStamp[v] === filter.restrict;
    if (admitStamp[v] === filter.stamp) return admitValue[v] === 1;
    const allowed = filter.lazy.has(users.idAt(v));
    admitStamp[v] = filter.stamp;
    admitValue[v] = allowed ? 1 : 0;
    return allowed;
  }

  function rawBaseline(u: number, i: number): number {
    return baselines.mu + (u >= 0 ? baselines.userBias[u]! : 0) + (i >= 0 ? baselines.itemBias[i]! : 0);
  }

  const clip = (value: number): number => Math.min(ratingMax, Math.max(ratingMin, value));

  /**
   * Fills simOf/coRatedOf with the shrunk Pearson similarity of u to every co-rater, and `eligible` with the
   * members who may be neighbours in a prediction (sim > 0, n ≥ minSupport).
   */
  function pearsonFor(u: number, filter: NeighbourFilter): void {
    const { mu, userBias, itemBias } = baselines;
    const count = accumulatePearson(byUser, byItem, u, filter.restrict, admitStamp, coCount, touched, pearsonSums, mu, userBias, itemBias);
    coCount[u] = 0;
    pearsonSums[3 * u] = 0;
    pearsonSums[3 * u + 1] = 0;
    pearsonSums[3 * u + 2] = 0;
    const sums = pearsonSums;
    const flags = eligible;
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

  /** Neighbour order: higher similarity first, ties by ascending raw user id (index-order independent). */
  function better(simA: number, a: number, simB: number, b: number): boolean {
    return simA > simB || (simA === simB && compareUserIds(users.idAt(a), users.idAt(b)) < 0);
  }

  function predictItem(u: number, i: number, filter: NeighbourFilter): Prediction {
    const { mu, userBias, itemBias } = baselines;
    if (i < 0) return { kind: 'impossible', reason: IMPOSSIBLE_REASONS.unknownItem, baseline: clip(rawBaseline(u, i)) };
    // rawBaseline and clip written out: they are closures of this model, and calls to them from this hot
    // function would deoptimise it once more for every new model.
    const bi = itemBias[i]!;
    const base = mu + userBias[u]! + bi;
    const baseline = Math.min(ratingMax, Math.max(ratingMin, base));
    const k = predictionNeighbours;
    const { start, length, cols, vals } = byItem;
    const from = start[i]!;
    const to = from + length[i]!;
    if (candidates.length < to - from) candidates = new Int32Array(Math.max(to - from, 2 * candidates.length));
    const picked = candidates;
    const flags = eligible;
    const sims = simOf;
    // Branch-free gather of the raters of i who may be neighbours: about half of them qualify, so a test per
    // rater would be unpredictable.
    let count = 0;
    for (let at = from; at < to; at++) {
      picked[count] = at;
      count += flags[cols[at]!]!;
    }
    if (filter.lazy !== null) {
      let kept = 0;
      for (let c = 0; c < count; c++) if (admits(filter, cols[picked[c]!]!)) picked[kept++] = picked[c]!;
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
      return { kind: 'ok', rating: Math.min(ratingMax, Math.max(ratingMin, base + numerator / denominator)), baseline, neighbours: count };
    }
    // More than k: the k-th best similarity by quickselect, then everyone above it and, among those equal
    // to it, the lowest user ids (the same set as sorting by {@link better} and keeping k).
    if (selectScratch.length < count) selectScratch = new Float64Array(Math.max(count, 2 * selectScratch.length));
    const values = selectScratch;
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
    return { kind: 'ok', rating: Math.min(ratingMax, Math.max(ratingMin, base + numerator / denominator)), baseline, neighbours: k };
  }

  function predictMany(userId: string, itemIds: ArrayLike<number>, options: NeighbourhoodOptions = {}): Prediction[] {
    const u = users.indexOf(userId);
    const results: Prediction[] = [];
    if (u < 0) {
      for (let t = 0; t < itemIds.length; t++) {
        results.push({
          kind: 'impossible',
          reason: IMPOSSIBLE_REASONS.unknownUser,
          baseline: clip(rawBaseline(-1, items.indexOf(itemIds[t]!))),
        });
      }
      return results;
    }
    const filter = filterOf(options.allowedNeighbours);
    pearsonFor(u, filter);
    for (let t = 0; t < itemIds.length; t++) {
      results.push(predictItem(u, items.indexOf(itemIds[t]!), filter));
    }
    return results;
  }

  /**
   * The K nearest members by binary cosine (raised to p), best first. Since x ↦ x^p is increasing for p > 0,
   * a member whose cosine is below the K-th best's is dropped before the power and the tie-break are computed.
   */
  function rankingNeighbourhood(
    u: number,
    filter: NeighbourFilter,
    k: number,
  ): { members: Int32Array; sims: Float64Array; coRated: Int32Array; size: number } {
    const count = countCoRatings(byUser, byItem, u, filter.restrict, admitStamp, coCount, touched);
    coCount[u] = 0;
    const members = new Int32Array(k);
    const sims = new Float64Array(k);
    const coRated = new Int32Array(k);
    const cosines = new Float64Array(k);
    const exponent = similarityExponent;
    const increasing = exponent > 0;
    const counts = coCount;
    const list = touched;
    const lengths = byUser.length;
    let size = 0;
    const ownLength = lengths[u]!;
    for (let t = 0; t < count; t++) {
      const v = list[t]!;
      const n = counts[v]!;
      counts[v] = 0;
      const cosine = n / Math.sqrt(ownLength * lengths[v]!);
      if (size === k && (k === 0 || (increasing && cosine < cosines[k - 1]!))) continue;
      const sim = Math.pow(cosine, exponent);
      if (size === k && !better(sim, v, sims[k - 1]!, members[k - 1]!)) continue;
      if (!admits(filter, v)) continue;
      let slot = size < k ? size++ : k - 1;
      while (slot > 0 && better(sim, v, sims[slot - 1]!, members[slot - 1]!)) {
        sims[slot] = sims[slot - 1]!;
        members[slot] = members[slot - 1]!;
        coRated[slot] = coRated[slot - 1]!;
        cosines[slot] = cosines[slot - 1]!;
        slot--;
      }
      sims[slot] = sim;
      members[slot] = v;
      coRated[slot] = n;
      cosines[slot] = cosine;
    }
    return { members, sims, coRated, size };
  }

  const vote = (rating: number): number =>
    Math.min(1, Math.max(0, (rating - voteFloor) / (ratingMax - voteFloor)));

  function recommend(userId: string, options: RecommendOptions = {}): Recommendation {
    const settings = { ...RECOMMEND_DEFAULTS, ...options };
    const u = users.indexOf(userId);
    if (u < 0 || settings.count <= 0) return { picks: [], ratingCount: u < 0 ? 0 : byUser.length[u]!, neighbourCount: 0 };
    const hood = rankingNeighbourhood(u, filterOf(settings.allowedNeighbours), config.rankingNeighbours);
    const current = nextStamp();

    // Votes of the neighbourhood.
    const { start, length, cols, vals } = byUser;
    let touchedCount = 0;
    let weight = 0;
    for (let s = 0; s < hood.size; s++) {
      const v = hood.members[s]!;
      const sim = hood.sims[s]!;
      weight += sim;
      const from = start[v]!;
      const to = from + length[v]!;
      for (let at = from; at < to; at++) {
        const i = cols[at]!;
        if (itemStamp[i] !== current) {
          itemStamp[i] = current;
          itemScore[i] = 0;
          touchedItems[touchedCount++] = i;
        }
        itemScore[i]! += sim * vote(vals[at]!);
      }
      const reactions = feedback.get(v);
      if (reactions === undefined) continue;
      for (const [i, value] of reactions) {
        if (itemStamp[i] !== current) {
          itemStamp[i] = current;
          itemScore[i] = 0;
          touchedItems[touchedCount++] = i;
        }
        if (value === -1) itemScore[i]! -= sim * config.thumbsDownVote;
        else if (byUser.find(v, i) < 0) itemScore[i]! += sim * config.thumbsUpVote;
      }
    }

    // Exclusions: own ratings, own 👎, the caller's set.
    const from = start[u]!;
    for (let at = from; at < from + length[u]!; at++) excludedStamp[cols[at]!] = current;
    for (const [i, value] of feedback.get(u) ?? []) if (value === -1) excludedStamp[i] = current;
    for (const itemId of settings.exclude) {
      const i = items.indexOf(itemId);
      if (i >= 0) excludedStamp[i] = current;
    }

    // The best `count` films; the caller's filter is asked only about films that would make the list.
    const heap = new TopKHeap(settings.count, itemIdOf);
    for (let t = 0; t < touchedCount; t++) {
      const i = touchedItems[t]!;
      const score = itemScore[i]!;
      if (score <= 0 || excludedStamp[i] === current || !heap.accepts(score, i)) continue;
      if (settings.filter(itemIdOf[i]!)) heap.offer(score, i);
    }
    const { scores: heapScore, items: heapItem, size: heapSize } = heap;
    const order = heap.order();
    const ratedBy = settings.explain ? neighbourRatingsOf(heapItem.subarray(0, heapSize), hood) : new Map<number, Map<number, number>>();
    const picks: NeighbourPick[] = order.map((s) => {
      const i = heapItem[s]!;
      return {
        itemId: itemIdOf[i]!,
        score: heapScore[s]!,
        strength: weight > 0 ? heapScore[s]! / weight : 0,
        explanation: settings.explain
          ? explain(i, ratedBy.get(i) ?? new Map(), hood, settings.canName, settings.maxContributors)
          : { backers: 0, averageRating: null, contributors: [] },
      };
    });
    return { picks, ratingCount: byUser.length[u]!, neighbourCount: hood.size };
  }

  /** Ratings by the neighbourhood of the picked films (film → slot → rating), in one pass over the neighbours' rows. */
  function neighbourRatingsOf(
    picked: Int32Array,
    hood: { members: Int32Array; size: number },
  ): Map<number, Map<number, number>> {
    const current = nextStamp();
    const ratedBy = new Map<number, Map<number, number>>();
    for (const i of picked) {
      excludedStamp[i] = current;
      ratedBy.set(i, new Map());
    }
    const { start, length, cols, vals } = byUser;
    for (let s = 0; s < hood.size; s++) {
      const v = hood.members[s]!;
      for (let at = start[v]!; at < start[v]! + length[v]!; at++) {
        if (excludedStamp[cols[at]!] === current) ratedBy.get(cols[at]!)!.set(s, vals[at]!);
      }
    }
    return ratedBy;
  }

  function explain(
    i: number,
    ratings: ReadonlyMap<number, number>,
    hood: { members: Int32Array; sims: Float64Array; coRated: Int32Array; size: number },
    canName: (userId: string) => boolean,
    maxContributors: number,
  ): NeighbourPick['explanation'] {
    interface Part {
      slot: number;
      rating: number | null;
      feedback: FeedbackValue | null;
      contribution: number;
    }
    const parts = new Map<number, Part>();
    for (const [slot, rating] of ratings) {
      parts.set(hood.members[slot]!, { slot, rating, feedback: null, contribution: hood.sims[slot]! * vote(rating) });
    }
    for (let s = 0; s < hood.size; s++) {
      const v = hood.members[s]!;
      const value = feedback.get(v)?.get(i);
      if (value === undefined) continue;
      const part = parts.get(v) ?? { slot: s, rating: null, feedback: null, contribution: 0 };
      part.feedback = value;
      if (value === -1) part.contribution -= hood.sims[s]! * config.thumbsDownVote;
      else if (part.rating === null) part.contribution += hood.sims[s]! * config.thumbsUpVote;
      parts.set(v, part);
    }
    const backing = [...parts.entries()].filter(([, part]) => part.contribution > 0);
    const rated = backing.filter(([, part]) => part.rating !== null);
    const averageRating = rated.length === 0 ? null : rated.reduce((sum, [, part]) => sum + part.rating!, 0) / rated.length;
    backing.sort(([a, pa], [b, pb]) => (better(pa.contribution, a, pb.contribution, b) ? -1 : 1));
    const contributors: Contributor[] = backing.slice(0, maxContributors).map(([v, part]) => {
      const detail = {
        rating: part.rating,
        feedback: part.feedback,
        similarity: hood.sims[part.slot]!,
        coRated: hood.coRated[part.slot]!,
        contribution: part.contribution,
      };
      const id = users.idAt(v);
      return canName(id) ? { kind: 'named', userId: id, ...detail } : { kind: 'anonymous', ...detail };
    });
    return { backers: backing.length, averageRating, contributors };
  }

  function similarity(userA: string, userB: string): PairSimilarity {
    const a = users.indexOf(userA);
    const b = users.indexOf(userB);
    if (a < 0 || b < 0 || a === b) return { coRated: 0, pearson: 0, cosine: 0 };
    const current = nextStamp();
    const { start, length, cols, vals } = byUser;
    const { mu, userBias, itemBias } = baselines;
    for (let at = start[a]!; at < start[a]! + length[a]!; at++) {
      itemStamp[cols[at]!] = current;
      itemScore[cols[at]!] = vals[at]! - mu - userBias[a]! - itemBias[cols[at]!]!;
    }
    let n = 0;
    let sab = 0;
    let saa = 0;
    let sbb = 0;
    for (let at = start[b]!; at < start[b]! + length[b]!; at++) {
      const i = cols[at]!;
      if (itemStamp[i] !== current) continue;
      const ea = itemScore[i]!;
      const eb = vals[at]! - mu - userBias[b]! - itemBias[i]!;
      n++;
      sab += ea * eb;
      saa += ea * ea;
      sbb += eb * eb;
    }
    const norm = Math.sqrt(saa * sbb);
    return {
      coRated: n,
      pearson: norm > 0 ? ((n / (n + shrinkage)) * sab) / norm : 0,
      cosine: n === 0 ? 0 : n / Math.sqrt(length[a]! * length[b]!),
    };
  }

  function touchBiases(u: number, i: number): void {
    baselines.itemBias[i] = itemBiasStep(byItem, i, baselines.mu, baselines.userBias, config.itemBaselineReg);
    baselines.userBias[u] = userBiasStep(byUser, u, baselines.mu, baselines.itemBias, config.userBaselineReg);
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
    baseline: (userId, itemId) => clip(rawBaseline(users.indexOf(userId), items.indexOf(itemId))),
    predict: (userId, itemId, options) => predictMany(userId, [itemId], options)[0]!,
    predictMany,
    similarity,
    neighbours(userId, options = {}) {
      const u = users.indexOf(userId);
      if (u < 0) return [];
      const hood = rankingNeighbourhood(u, filterOf(options.allowedNeighbours), options.count ?? config.rankingNeighbours);
      return Array.from({ length: hood.size }, (_, s) => ({
        userId: users.idAt(hood.members[s]!),
        similarity: hood.sims[s]!,
        coRated: hood.coRated[s]!,
      }));
    },
    recommend,
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
      ensureScratch();
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
      ensureScratch();
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
      const rated = Array.from(byUser.cols.subarray(byUser.start[u]!, byUser.start[u]! + byUser.length[u]!));
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
      const fitted = fitAll();
      const userBias = new Float64Array(userCapacity);
      userBias.set(fitted.userBias.subarray(0, users.size));
      const itemBias = new Float64Array(itemCapacity);
      itemBias.set(fitted.itemBias.subarray(0, items.size));
      baselines = { mu: fitted.mu, userBias, itemBias };
      pending = 0;
    },
  };
  for (const { userId, itemId, value } of input.feedback ?? []) model.setFeedback(userId, itemId, value);
  return model;
}
