import type { AgreementParameters } from './agreement.js';
import { explainPicks } from './explain.js';
import {
  neighbourFactors,
  type Lesson,
  type MemberFeedbackConfig,
  type PickReaction,
} from './learning/member-feedback.js';
import type { ModelData } from './model-data.js';
import type { NeighbourFilter, NeighbourhoodOptions } from './neighbour-filter.js';
import type { PopularFilm, PopularParts } from './popular.js';
import { rankingNeighbourhood, type Neighbourhood } from './ranking-neighbourhood.js';
import type { Scratch } from './scratch.js';
import type { Favourites } from './server-favourites.js';
import { accumulateListScores, seedsBehind, type RelatedFilms, type Seed } from './similar-films.js';
import { TopKHeap } from './top-k-heap.js';
import { PICK_SOURCES, type PickSource, type RankedPick, type Recommendation, type SourceParts } from './types.js';
import { accumulateVotes, type VoteWeights } from './votes.js';

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
  /** Seeds listed per pick. */
  maxSeeds?: number;
  /** Whether to build explanations (off in offline evaluation). */
  explain?: boolean;
  /** The similar-films source's lists (TMDB's in the bot, the stand-in in evaluation); none when absent. */
  related?: RelatedFilms;
  /** The popular source's films; none when absent. */
  popular?: readonly PopularFilm[];
  /** The sources that score (all by default); the evaluation ranks by each alone. */
  sources?: readonly PickSource[];
  /**
   * Multipliers g_s of the sources' weights (learning/source-weights.ts: a Thompson draw per request, or the posterior
   * means); the model's own (setSourceScale, all 1 until set) when absent.
   */
  sourceScale?: SourceParts;
  /**
   * The member's 👍/👎 on pick cards and the time now (epoch ms): each raises (👍) or lowers (👎) the seeds and the
   * neighbours that backed the film, fading with its age (learning/member-feedback.ts). None when absent.
   */
  memberFeedback?: { reactions: readonly PickReaction[]; now: number };
}

/** Options the model fills in itself when absent, rather than from RECOMMEND_DEFAULTS. */
type ModelDefaulted = 'allowedNeighbours' | 'sourceScale' | 'memberFeedback';

export const RECOMMEND_DEFAULTS = {
  count: 10,
  exclude: new Set<number>(),
  filter: () => true,
  canName: () => false,
  maxContributors: 3,
  maxSeeds: 2,
  explain: true,
  related: () => undefined,
  popular: [],
  sources: Object.values(PICK_SOURCES),
} as const satisfies Required<Omit<RecommendOptions, ModelDefaulted>>;

export interface RankingParameters extends VoteWeights, AgreementParameters {
  /** K: members in the ranking neighbourhood. */
  neighbours: number;
  /** p */
  exponent: number;
  /** Liked rating of the liked sets. */
  liked: number;
  /** d(k) of L(i), k = 0..listLength−1 (similar-films.ts). */
  rankWeights: Float64Array;
  /** w_L, w_N, w_F, w_P and E (config.ts). */
  listWeight: number;
  neighbourWeight: number;
  favouritesWeight: number;
  popularWeight: number;
  seedEvidence: number;
}

/**
 * What the model prepared for one request (model.ts): the member's seeds (reshaped by their reactions), the server's
 * favourites, popularity, the sources' multipliers, and the member's reactions for the neighbours' factors.
 */
export interface RankingInputs {
  seeds: readonly Seed[];
  favourites: Favourites;
  popular: PopularParts;
  sources: readonly PickSource[];
  /** g_s of each source (learning/source-weights.ts). */
  scale: SourceParts;
  lessons: readonly Lesson[];
  memberFeedback: MemberFeedbackConfig;
}

/** The blend's weight of each source's raw part, for one member. */
type SourceWeights = SourceParts;

/**
 * One ranking, weighted by evidence rather than switched by thresholds:
 *   score(i) = g_L·w_L·L(i)/max L + g_N·w_N·N(i) + f_u·(g_F·w_F·F(i) + g_P·w_P·P(i)),  f_u = E/(E + |S_u⁺|)
 * (|S_u⁺|: the films the member loved that have a list; g_s: the server's learnt multiplier of source s,
 * learning/source-weights.ts, 1 when nothing was learnt).
 * L: similar-films.ts (TMDB's lists of the films u loved, S_u); N: votes.ts (the liked-set neighbourhood's votes);
 * F: server-favourites.ts; P: popular.ts. A film several sources back rises; popularity and the server's favourites
 * carry a newcomer and give way as the member's loved films grow, and no source is ever switched off by a count.
 * Sources left out of `sources` weigh 0. Deterministic: no random draws, ties by ascending film id.
 */
function sourceWeights(inputs: RankingInputs, maxList: number, parameters: RankingParameters): SourceWeights {
  const on = (source: PickSource) => inputs.sources.includes(source);
  const seeds = inputs.seeds.filter(({ weight }) => weight > 0).length;
  const fade = parameters.seedEvidence / (parameters.seedEvidence + seeds);
  const { scale } = inputs;
  return {
    [PICK_SOURCES.similarFilms]:
      on(PICK_SOURCES.similarFilms) && maxList > 0 ? (scale['similar-films'] * parameters.listWeight) / maxList : 0,
    [PICK_SOURCES.neighbours]: on(PICK_SOURCES.neighbours) ? scale.neighbours * parameters.neighbourWeight : 0,
    [PICK_SOURCES.serverFavourites]: on(PICK_SOURCES.serverFavourites)
      ? fade * scale['server-favourites'] * parameters.favouritesWeight
      : 0,
    [PICK_SOURCES.popular]: on(PICK_SOURCES.popular) ? fade * scale.popular * parameters.popularWeight : 0,
  };
}

interface Scored {
  stamp: number;
  hood: Neighbourhood;
  weights: SourceWeights;
  /** Σ_v cos(u,v)^p over the neighbourhood. */
  neighbourWeight: number;
}

/** Every source's raw part of every film it reaches, into scratch (listed in touchedItems under `stamp`). */
function scoreSources(
  data: ModelData,
  scratch: Scratch,
  parameters: RankingParameters,
  u: number,
  inputs: RankingInputs,
  filter: NeighbourFilter,
): Scored {
  const nearest =
    u >= 0 && inputs.sources.includes(PICK_SOURCES.neighbours)
      ? rankingNeighbourhood(data, scratch, u, filter, parameters.neighbours, parameters.exponent, parameters.liked)
      : EMPTY_HOOD;
  const hood = withLessons(data, nearest, inputs, parameters);
  const stamp = scratch.nextStamp();
  scratch.touchedCount = 0;
  const maxList = accumulateListScores(inputs.seeds, parameters.rankWeights, scratch, stamp);
  const neighbourWeight = accumulateVotes(data, scratch, parameters, hood, stamp);
  const { favourites, popular } = inputs;
  for (let k = 0; k < favourites.items.length; k++) {
    scratch.touch(favourites.items[k]!, stamp);
    scratch.favouritePart[favourites.items[k]!] = favourites.scores[k]!;
  }
  for (let k = 0; k < popular.items.length; k++) {
    scratch.touch(popular.items[k]!, stamp);
    scratch.popularPart[popular.items[k]!] = popular.values[k]!;
  }
  return { stamp, hood, weights: sourceWeights(inputs, maxList, parameters), neighbourWeight };
}

const EMPTY_HOOD: Neighbourhood = {
  members: new Int32Array(0),
  sims: new Float64Array(0),
  coLiked: new Int32Array(0),
  size: 0,
};

/** The neighbourhood with each neighbour's cos(u,v)^p times its factor m_v from the member's reactions (member-feedback.ts). */
function withLessons(
  data: ModelData,
  hood: Neighbourhood,
  { lessons, memberFeedback }: RankingInputs,
  weights: VoteWeights,
): Neighbourhood {
  if (lessons.length === 0 || hood.size === 0) return hood;
  const factors = neighbourFactors(data, hood, lessons, weights, memberFeedback);
  return { ...hood, sims: hood.sims.map((sim, s) => (s < hood.size ? sim * factors[s]! : sim)) };
}

/** Film i's weighted parts (valid only while i is stamped with the current request). */
function partsOf(scratch: Scratch, i: number, weights: SourceWeights): SourceParts {
  return {
    [PICK_SOURCES.similarFilms]: weights[PICK_SOURCES.similarFilms] * scratch.listPart[i]!,
    [PICK_SOURCES.neighbours]: weights[PICK_SOURCES.neighbours] * scratch.neighbourPart[i]!,
    [PICK_SOURCES.serverFavourites]: weights[PICK_SOURCES.serverFavourites] * scratch.favouritePart[i]!,
    [PICK_SOURCES.popular]: weights[PICK_SOURCES.popular] * scratch.popularPart[i]!,
  };
}

/** Sources with a positive part, strongest first; ties in PICK_SOURCES order. */
export function strongestSources(parts: SourceParts): PickSource[] {
  return Object.values(PICK_SOURCES)
    .filter((source) => parts[source] > 0)
    .sort((a, b) => parts[b] - parts[a]);
}

/**
 * The member's top `count` films by score(i) > 0, ties by ascending film id; the member's own rated and 👎 films,
 * the caller's exclusions and films failing the caller's filter are left out. Each pick carries its parts, the
 * seeds behind its L(i), its agreeing backers (explain.ts) and its server figures. A member the model does not know
 * (u = −1: no ratings yet) gets what needs no ratings of theirs: the server's favourites and popular films.
 */
export function recommend(
  data: ModelData,
  scratch: Scratch,
  parameters: RankingParameters,
  u: number,
  inputs: RankingInputs,
  filter: NeighbourFilter,
  options: Required<Omit<RecommendOptions, ModelDefaulted | 'related' | 'popular' | 'sources'>>,
): Recommendation {
  const { items, byUser, feedback } = data;
  const { weights, stamp, hood, neighbourWeight } = scoreSources(data, scratch, parameters, u, inputs, filter);
  const { touchedItems, excludedStamp, itemIdOf, listPart, neighbourPart, favouritePart, popularPart } = scratch;

  // Exclusions: own ratings, own 👎, the caller's set.
  const { start, length, cols } = byUser;
  if (u >= 0) {
    for (let at = start[u]!; at < start[u]! + length[u]!; at++) excludedStamp[cols[at]!] = stamp;
    for (const [i, value] of feedback.get(u) ?? []) if (value === -1) excludedStamp[i] = stamp;
  }
  for (const itemId of options.exclude) {
    const i = items.indexOf(itemId);
    if (i >= 0) excludedStamp[i] = stamp;
  }

  // The best `count` films; the caller's filter is asked only about films that would make the list.
  const wL = weights[PICK_SOURCES.similarFilms];
  const wN = weights[PICK_SOURCES.neighbours];
  const wF = weights[PICK_SOURCES.serverFavourites];
  const wP = weights[PICK_SOURCES.popular];
  const heap = new TopKHeap(Math.max(0, options.count), itemIdOf);
  for (let t = 0; t < scratch.touchedCount; t++) {
    const i = touchedItems[t]!;
    const score = wL * listPart[i]! + wN * neighbourPart[i]! + wF * favouritePart[i]! + wP * popularPart[i]!;
    if (score <= 0 || excludedStamp[i] === stamp || !heap.accepts(score, i)) continue;
    if (options.filter(itemIdOf[i]!)) heap.offer(score, i);
  }
  const order = heap.order();
  const picked = Int32Array.from(order, (s) => heap.items[s]!);
  // Read before explaining: explanations take fresh stamps.
  const parts = Array.from(picked, (i) => partsOf(scratch, i, weights));
  const strengths = Array.from(picked, (i) => (neighbourWeight > 0 ? neighbourPart[i]! / neighbourWeight : 0));
  const explanations =
    options.explain && hood.size > 0
      ? explainPicks(data, scratch, parameters, hood, u, picked, options.canName, options.maxContributors)
      : null;
  const picks: RankedPick[] = order.map((s, rank) => {
    const i = picked[rank]!;
    return {
      itemId: itemIdOf[i]!,
      score: heap.scores[s]!,
      parts: parts[rank]!,
      sources: strongestSources(parts[rank]!),
      strength: strengths[rank]!,
      seeds: options.explain ? seedsBehind(inputs.seeds, i, parameters.rankWeights, options.maxSeeds, itemIdOf) : [],
      explanation: explanations?.[rank] ?? { backers: 0, averageRating: null, contributors: [] },
      favourite: options.explain ? favouriteOf(inputs.favourites, i) : null,
    };
  });
  return { picks, ratingCount: u < 0 ? 0 : byUser.length[u]!, neighbourCount: hood.size };
}

function favouriteOf(favourites: Favourites, i: number): RankedPick['favourite'] {
  const k = favourites.items.indexOf(i);
  return k < 0 ? null : { average: favourites.averages[k]!, raters: favourites.raters[k]! };
}

/** A candidate's score for one member, with its weighted parts. */
export interface CandidateScore {
  itemId: number;
  score: number;
  parts: SourceParts;
}

/**
 * score(i) of the blend above for each candidate (dense indices, -1 for a film the model does not know: score 0),
 * whatever the member rated or turned down: the caller (a group pick) decides what to leave out.
 */
export function scoreCandidates(
  data: ModelData,
  scratch: Scratch,
  parameters: RankingParameters,
  u: number,
  inputs: RankingInputs,
  filter: NeighbourFilter,
  candidates: readonly { itemId: number; index: number }[],
): CandidateScore[] {
  const { weights, stamp } = scoreSources(data, scratch, parameters, u, inputs, filter);
  return candidates.map(({ itemId, index }) => {
    if (index < 0 || scratch.itemStamp[index] !== stamp) {
      return { itemId, score: 0, parts: { 'similar-films': 0, neighbours: 0, 'server-favourites': 0, popular: 0 } };
    }
    const parts = partsOf(scratch, index, weights);
    return { itemId, score: Object.values(parts).reduce((sum, part) => sum + part, 0), parts };
  });
}
