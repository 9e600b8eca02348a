import type { ModelData } from './model-data.js';
import type { Scratch } from './scratch.js';

export interface FavouritesParameters {
  /** m */
  favouritesPrior: number;
  favouritesMinRaters: number;
  ratingMax: number;
}

/** The server's favourites, sparse: film items[k] has part scores[k] = F(i), plain mean averages[k] from raters[k]. */
export interface Favourites {
  items: Int32Array;
  scores: Float64Array;
  averages: Float64Array;
  raters: Int32Array;
}

export const NO_FAVOURITES: Favourites = {
  items: new Int32Array(0),
  scores: new Float64Array(0),
  averages: new Float64Array(0),
  raters: new Int32Array(0),
};

/**
 * Films the server's members M (those who share their taste: the caller's allowed set, or everyone) rated highly,
 * for newcomers in close-knit servers. A Bayesian average pulls a film with few raters towards the server's mean:
 *   B(i) = (Σ_{v∈M∩U_i} r_vi + m·C) / (n_i + m),  n_i = |M ∩ U_i| ≥ minRaters,  C = the mean of every rating by M
 *   F(i) = clamp((B(i) − C) / (r_max − C), 0, 1)
 * Films rated by fewer than minRaters members (GUIDE §9: 3) are nobody's favourites. Cost: the members' ratings.
 */
export function serverFavourites(
  data: ModelData,
  scratch: Scratch,
  members: Int32Array | null,
  parameters: FavouritesParameters,
): Favourites {
  const { byUser, byItem, items: index } = data;
  const stamp = scratch.nextStamp();
  const { itemStamp, itemScore: sums, raterCount, touchedItems } = scratch;
  let touched = 0;
  let total = 0;
  let ratings = 0;
  const add = (i: number, rating: number) => {
    if (itemStamp[i] !== stamp) {
      itemStamp[i] = stamp;
      sums[i] = 0;
      raterCount[i] = 0;
      touchedItems[touched++] = i;
    }
    sums[i]! += rating;
    raterCount[i]!++;
    total += rating;
    ratings++;
  };
  if (members === null) {
    for (let i = 0; i < index.size; i++) {
      for (let at = byItem.start[i]!; at < byItem.start[i]! + byItem.length[i]!; at++) add(i, byItem.vals[at]!);
    }
  } else {
    for (const v of members) {
      for (let at = byUser.start[v]!; at < byUser.start[v]! + byUser.length[v]!; at++)
        add(byUser.cols[at]!, byUser.vals[at]!);
    }
  }
  if (ratings === 0) return NO_FAVOURITES;
  const { favouritesPrior: m, favouritesMinRaters: minRaters, ratingMax } = parameters;
  const mean = total / ratings;
  const kept: number[] = [];
  for (let t = 0; t < touched; t++) if (raterCount[touchedItems[t]!]! >= minRaters) kept.push(touchedItems[t]!);
  const favourites: Favourites = {
    items: Int32Array.from(kept),
    scores: new Float64Array(kept.length),
    averages: new Float64Array(kept.length),
    raters: new Int32Array(kept.length),
  };
  kept.forEach((i, k) => {
    const n = raterCount[i]!;
    const bayes = (sums[i]! + m * mean) / (n + m);
    favourites.scores[k] = ratingMax > mean ? Math.min(1, Math.max(0, (bayes - mean) / (ratingMax - mean))) : 0;
    favourites.averages[k] = sums[i]! / n;
    favourites.raters[k] = n;
  });
  return favourites;
}
