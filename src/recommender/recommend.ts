import { explainPicks } from './explain.js';
import type { ModelData } from './model-data.js';
import { neighbourFilter, type NeighbourhoodOptions } from './neighbour-filter.js';
import { rankingNeighbourhood } from './ranking-neighbourhood.js';
import type { Scratch } from './scratch.js';
import { TopKHeap } from './top-k-heap.js';
import type { NeighbourPick, Recommendation } from './types.js';
import { ratingVote, reactionVote, type VoteWeights } from './votes.js';

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

export interface RankingParameters extends VoteWeights {
  /** K: members in the ranking neighbourhood. */
  neighbours: number;
  /** p */
  exponent: number;
}

/**
 * Top-N ranking by liked-weighted votes of the member's ranking neighbourhood N (ranking-neighbourhood.ts):
 *   score(i) = Σ_{v∈N} cos(u,v)^p · vote_v(i)   (vote_v(i): votes.ts);  strength(i) = score(i) / Σ_{v∈N} cos(u,v)^p
 * Films with score > 0 are ranked by score, ties by ascending item id; the member's own rated and 👎 films,
 * the caller's exclusions and films failing the caller's filter are left out.
 */
export function recommend(
  data: ModelData,
  scratch: Scratch,
  parameters: RankingParameters,
  userId: string,
  options: RecommendOptions,
): Recommendation {
  const settings = { ...RECOMMEND_DEFAULTS, ...options };
  const { users, items, byUser, feedback } = data;
  const u = users.indexOf(userId);
  if (u < 0 || settings.count <= 0) return { picks: [], ratingCount: u < 0 ? 0 : byUser.length[u]!, neighbourCount: 0 };
  const filter = neighbourFilter(settings.allowedNeighbours, users, scratch);
  const hood = rankingNeighbourhood(data, scratch, u, filter, parameters.neighbours, parameters.exponent);
  const current = scratch.nextStamp();
  const { itemStamp, itemScore, touchedItems, excludedStamp, itemIdOf } = scratch;

  // Votes of the neighbourhood.
  const { start, length, cols, vals } = byUser;
  const { voteFloor, ratingMax } = parameters;
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
      itemScore[i]! += sim * ratingVote(vals[at]!, voteFloor, ratingMax);
    }
    const reactions = feedback.get(v);
    if (reactions === undefined) continue;
    for (const [i, value] of reactions) {
      if (itemStamp[i] !== current) {
        itemStamp[i] = current;
        itemScore[i] = 0;
        touchedItems[touchedCount++] = i;
      }
      itemScore[i]! += sim * reactionVote(value, byUser.find(v, i) >= 0, parameters);
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
  const order = heap.order();
  const picked = Int32Array.from(order, (s) => heap.items[s]!);
  const explanations = settings.explain
    ? explainPicks(data, scratch, parameters, hood, picked, settings.canName, settings.maxContributors)
    : null;
  const picks: NeighbourPick[] = order.map((s, rank) => ({
    itemId: itemIdOf[heap.items[s]!]!,
    score: heap.scores[s]!,
    strength: weight > 0 ? heap.scores[s]! / weight : 0,
    explanation: explanations?.[rank] ?? { backers: 0, averageRating: null, contributors: [] },
  }));
  return { picks, ratingCount: byUser.length[u]!, neighbourCount: hood.size };
}
