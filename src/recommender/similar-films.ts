import type { ModelData } from './model-data.js';
import type { Scratch } from './scratch.js';
import type { PickSeed } from './types.js';

/** A film's related films, best first, as raw ids. */
export type FilmList = readonly number[] | Int32Array;

/**
 * Films related to a film: TMDB's `/movie/{id}/recommendations` list in the bot (learned from TMDB's users), the
 * stand-in lists in the evaluation. Undefined where no list is known: that film then contributes nothing. The model
 * converts each list object once, so hand in the same object for the same list.
 */
export type RelatedFilms = (itemId: number) => FilmList | undefined;

export interface SeedParameters {
  lovedRating: number;
  /** f_s */
  seedFloor: number;
  ratingMin: number;
  ratingMax: number;
  thumbsUpSeed: number;
  /** β */
  dislikedSeedWeight: number;
  /** Films of each list read. */
  listLength: number;
}

/** A film the member loved (w > 0) or disliked (w < 0), with its weight and its related films as dense indices. */
export interface Seed {
  item: number;
  /** r_uj, or null for a 👍 without a rating. */
  rating: number | null;
  /** w_j */
  weight: number;
  list: Int32Array;
}

/** w(r) = clamp((r − f_s)/(r_max − f_s), 0, 1): 3★ or less says nothing, 5★ the most. */
export function seedWeight(rating: number, floor: number, max: number): number {
  return Math.min(1, Math.max(0, (rating - floor) / (max - floor)));
}

/** d(r) = clamp((f_s − r)/(f_s − r_min), 0, 1): how strongly a rating below f_s says "not for me". */
export function dislikeWeight(rating: number, floor: number, min: number): number {
  return Math.min(1, Math.max(0, (floor - rating) / (floor - min)));
}

/**
 * The member's seeds S_u, each with its list (cut to `listLength`; films without a list are left out):
 * - films rated at least `lovedRating`: w_j = w(r_uj); films given 👍 without a rating: w_j = thumbsUpSeed;
 * - films rated below f_s: w_j = −β·d(r_uj), so what the lists of the films a member disliked point to sinks
 *   (measured: β = 0.5 adds 0.0015-0.002 NDCG@10 at every server size; config.ts).
 * `listOf` takes and gives dense indices.
 */
export function seedsOf(
  data: ModelData,
  u: number,
  parameters: SeedParameters,
  listOf: (item: number) => Int32Array | undefined,
): Seed[] {
  const { start, length, cols, vals } = data.byUser;
  const seeds: Seed[] = [];
  const add = (item: number, rating: number | null, weight: number) => {
    const list = weight !== 0 ? listOf(item) : undefined;
    if (list === undefined || list.length === 0) return;
    seeds.push({ item, rating, weight, list: list.subarray(0, parameters.listLength) });
  };
  const { seedFloor, ratingMin, ratingMax, lovedRating, dislikedSeedWeight } = parameters;
  for (let at = start[u]!; at < start[u]! + length[u]!; at++) {
    const rating = vals[at]!;
    if (rating >= lovedRating) add(cols[at]!, rating, seedWeight(rating, seedFloor, ratingMax));
    else if (rating < seedFloor && dislikedSeedWeight > 0)
      add(cols[at]!, rating, -dislikedSeedWeight * dislikeWeight(rating, seedFloor, ratingMin));
  }
  for (const [item, value] of data.feedback.get(u) ?? []) {
    if (value === 1 && data.byUser.find(u, item) < 0) add(item, null, parameters.thumbsUpSeed);
  }
  return seeds;
}

/** d(k) = 1/(k + c)^γ for k = 0..length−1: how much a list's k-th film counts (rank from 0). */
export function rankWeights(length: number, offset: number, exponent: number): Float64Array {
  return Float64Array.from({ length }, (_, rank) => 1 / Math.pow(rank + offset, exponent));
}

/**
 * The similar-films source, into scratch.listPart:
 *   L(i) = Σ_{j∈S_u : i∈list_j} w_j · d(rank_j(i)),  d(k) = 1/(k + c)^γ  (rank counted from 0)
 * so the top of each list counts most and a film several loved films point to adds up. Returns max_i L(i).
 */
export function accumulateListScores(
  seeds: readonly Seed[],
  decay: Float64Array,
  scratch: Scratch,
  stamp: number,
): number {
  const { listPart } = scratch;
  let max = 0;
  for (const { weight, list } of seeds) {
    for (let rank = 0; rank < list.length; rank++) {
      const i = list[rank]!;
      scratch.touch(i, stamp);
      const value = (listPart[i]! += weight * decay[rank]!);
      if (value > max) max = value;
    }
  }
  return max;
}

/** The loved seeds behind film i's L(i), strongest first (ties by ascending film id), at most `max`. */
export function seedsBehind(
  seeds: readonly Seed[],
  i: number,
  decay: Float64Array,
  max: number,
  itemIdOf: Int32Array,
): PickSeed[] {
  const behind: PickSeed[] = [];
  for (const { item, rating, weight, list } of seeds) {
    if (weight <= 0) continue;
    const rank = list.indexOf(i);
    if (rank >= 0) behind.push({ itemId: itemIdOf[item]!, rating, contribution: weight * decay[rank]! });
  }
  behind.sort((a, b) => b.contribution - a.contribution || a.itemId - b.itemId);
  return behind.slice(0, max);
}
