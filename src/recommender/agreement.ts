import { compareUserIds } from './id-index.js';
import type { ModelData } from './model-data.js';
import { admits, type NeighbourFilter } from './neighbour-filter.js';
import type { Scratch } from './scratch.js';

/** The agreement test's figures (config.ts). */
export interface AgreementParameters {
  /** t: ratings at most this far apart agree. */
  agreementTolerance: number;
  /** Shared films below which nobody is called similar. */
  minSharedFilms: number;
  /** λ of the shown similarity (a − d)/(n + λ). */
  agreementShrinkage: number;
}

/** How two members' ratings of the films both rated compare. */
export interface Agreement {
  /** n: films both rated. */
  shared: number;
  /** a: shared films they agree on; the other n − a they disagree on. */
  agreements: number;
}

/**
 * A shared film i is an agreement when the two ratings are within t stars, or on the same side of each member's
 * own mean (r̄_u = Σ_i r_ui / |I_u|):
 *   agree(u,v,i) ⟺ |r_ui − r_vi| ≤ t  ∨  (r_ui − r̄_u)·(r_vi − r̄_v) > 0
 * so two members who gave the same films opposite ratings disagree on each, however many they share.
 */
export function agrees(ownRating: number, ownMean: number, rating: number, mean: number, tolerance: number): boolean {
  return Math.abs(ownRating - rating) <= tolerance || (ownRating - ownMean) * (rating - mean) > 0;
}

/** Similar, as shown to members: n ≥ minSharedFilms and more agreements than disagreements (a > n − a). */
export function isSimilar({ shared, agreements }: Agreement, parameters: AgreementParameters): boolean {
  return shared >= parameters.minSharedFilms && 2 * agreements > shared;
}

/** The similarity shown to members (for ordering them): (a − d)/(n + λ), d = n − a; 0 for someone not similar. */
export function shownSimilarity(agreement: Agreement, parameters: AgreementParameters): number {
  if (!isSimilar(agreement, parameters)) return 0;
  const { shared, agreements } = agreement;
  return (2 * agreements - shared) / (shared + parameters.agreementShrinkage);
}

/** r̄_v, from the kept sums (0 for a member without ratings). */
export function meanRating(data: ModelData, v: number): number {
  const count = data.byUser.length[v]!;
  return count === 0 ? 0 : data.stats.ratingSum[v]! / count;
}

/** Marks member u's ratings in scratch.ownRating under a fresh stamp (returned), for {@link agreementWith}. */
export function markOwnRatings(data: ModelData, scratch: Scratch, u: number): number {
  const stamp = scratch.nextOwnStamp();
  const { ownStamp, ownRating } = scratch;
  const { start, length, cols, vals } = data.byUser;
  for (let at = start[u]!; at < start[u]! + length[u]!; at++) {
    ownStamp[cols[at]!] = stamp;
    ownRating[cols[at]!] = vals[at]!;
  }
  return stamp;
}

/** The agreement of member v with the member whose ratings {@link markOwnRatings} marked under `stamp`. */
export function agreementWith(
  data: ModelData,
  scratch: Scratch,
  u: number,
  stamp: number,
  v: number,
  tolerance: number,
): Agreement {
  const { ownStamp, ownRating } = scratch;
  const { start, length, cols, vals } = data.byUser;
  const ownMean = meanRating(data, u);
  const mean = meanRating(data, v);
  let shared = 0;
  let agreements = 0;
  for (let at = start[v]!; at < start[v]! + length[v]!; at++) {
    const i = cols[at]!;
    if (ownStamp[i] !== stamp) continue;
    shared++;
    if (agrees(ownRating[i]!, ownMean, vals[at]!, mean, tolerance)) agreements++;
  }
  return { shared, agreements };
}

/** A member similar to u, by agreement. */
export interface SimilarMemberFigures {
  v: number;
  agreement: Agreement;
  similarity: number;
}

/**
 * Every member the filter admits who passes {@link isSimilar} with u, most similar first (ties by ascending user
 * id). One pass over the inverted index: cost Σ_{i∈I_u} |U_i|.
 */
export function similarByAgreement(
  data: ModelData,
  scratch: Scratch,
  u: number,
  filter: NeighbourFilter,
  parameters: AgreementParameters,
): SimilarMemberFigures[] {
  const { users, byUser, byItem } = data;
  const { coCount: shared, agreeCount, touched } = scratch;
  const ownMean = meanRating(data, u);
  let count = 0;
  const { start, length, cols, vals } = byUser;
  for (let at = start[u]!; at < start[u]! + length[u]!; at++) {
    const i = cols[at]!;
    const own = vals[at]!;
    for (let bt = byItem.start[i]!; bt < byItem.start[i]! + byItem.length[i]!; bt++) {
      const v = byItem.cols[bt]!;
      if (v === u || (filter.restrict !== 0 && scratch.admitStamp[v] !== filter.restrict)) continue;
      if (shared[v] === 0) touched[count++] = v;
      shared[v]!++;
      if (agrees(own, ownMean, byItem.vals[bt]!, meanRating(data, v), parameters.agreementTolerance)) agreeCount[v]!++;
    }
  }
  const similar: SimilarMemberFigures[] = [];
  for (let t = 0; t < count; t++) {
    const v = touched[t]!;
    const agreement = { shared: shared[v]!, agreements: agreeCount[v]! };
    shared[v] = 0;
    agreeCount[v] = 0;
    if (isSimilar(agreement, parameters) && admits(filter, v, users, scratch)) {
      similar.push({ v, agreement, similarity: shownSimilarity(agreement, parameters) });
    }
  }
  return similar.sort((a, b) => b.similarity - a.similarity || compareUserIds(users.idAt(a.v), users.idAt(b.v)));
}
