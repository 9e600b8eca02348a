import { createIdIndex } from '../id-index.js';
import { TopKHeap } from '../top-k-heap.js';
import type { RatingColumns } from '../types.js';

/** How a stand-in list is learned: the GUIDE §6 stand-in, or the weaker one of the robustness row. */
export const STAND_IN_KINDS = { ratingCosine: 'rating-cosine', binaryCosine: 'binary-cosine' } as const;
export type StandInKind = (typeof STAND_IN_KINDS)[keyof typeof STAND_IN_KINDS];

export interface StandInOptions {
  kind?: StandInKind;
  /** Films kept per list. */
  length?: number;
  /** λ of the shrinkage n/(n+λ), n = co-raters (rating cosine only). */
  shrinkage?: number;
}

const DEFAULTS = {
  kind: STAND_IN_KINDS.ratingCosine,
  length: 40,
  shrinkage: 10,
} as const satisfies Required<StandInOptions>;

/** The weak stand-in of the robustness row: binary-cosine lists 20 long. */
export const WEAK_STAND_IN = { kind: STAND_IN_KINDS.binaryCosine, length: 20 } as const satisfies StandInOptions;

/**
 * What TMDB's `/movie/{id}/recommendations` gives the bot, learned from the training ratings alone (GUIDE §6): for
 * each film i, its `length` most similar films j, best first (ties by ascending id), as an ordered list without
 * scores. Over the films' rating vectors (U_ij = members who rated both, n = |U_ij|):
 *   rating cosine: sim(i,j) = Σ_{u∈U_ij} r_ui·r_uj / (‖r_i‖·‖r_j‖) · n/(n+λ),  ‖r_i‖ = √Σ_{u∈U_i} r_ui²
 *   binary cosine: sim(i,j) = n / √(|U_i|·|U_j|)
 * Only films with sim > 0 are listed. Learned from the whole training population, as TMDB's lists are from TMDB's
 * users: an upper bound for the real lists' quality. Cost Σ_u |I_u|² (co-occurrences through each member's row).
 */
export function buildStandIn(train: RatingColumns, options: StandInOptions = {}): Map<number, Int32Array> {
  const settings = { ...DEFAULTS, ...options };
  const entries = train.itemIds.length;
  const items = createIdIndex<number>();
  const itemOf = new Int32Array(entries);
  for (let e = 0; e < entries; e++) itemOf[e] = items.intern(train.itemIds[e]!);
  const itemCount = items.size;
  const userCount = train.users.length;
  const rawIds = Int32Array.from({ length: itemCount }, (_, i) => items.idAt(i));

  // Rows both ways round: user → (item, rating) and item → (user, rating).
  const byUser = rows(userCount, entries, (e) => train.userCodes[e]!, itemOf, train.ratings);
  const byItem = rows(itemCount, entries, (e) => itemOf[e]!, train.userCodes, train.ratings);

  const binary = settings.kind === STAND_IN_KINDS.binaryCosine;
  const norm = new Float64Array(itemCount);
  for (let i = 0; i < itemCount; i++) {
    let sum = 0;
    for (let at = byItem.start[i]!; at < byItem.start[i + 1]!; at++) sum += binary ? 1 : byItem.vals[at]! ** 2;
    norm[i] = Math.sqrt(sum);
  }

  const dot = new Float64Array(itemCount);
  const coRaters = new Int32Array(itemCount);
  const touched = new Int32Array(itemCount);
  const lists = new Map<number, Int32Array>();
  for (let i = 0; i < itemCount; i++) {
    let count = 0;
    for (let at = byItem.start[i]!; at < byItem.start[i + 1]!; at++) {
      const u = byItem.cols[at]!;
      const rui = binary ? 1 : byItem.vals[at]!;
      for (let bt = byUser.start[u]!; bt < byUser.start[u + 1]!; bt++) {
        const j = byUser.cols[bt]!;
        if (j === i) continue;
        if (coRaters[j] === 0) touched[count++] = j;
        coRaters[j]!++;
        dot[j]! += rui * (binary ? 1 : byUser.vals[bt]!);
      }
    }
    const heap = new TopKHeap(settings.length, rawIds);
    for (let t = 0; t < count; t++) {
      const j = touched[t]!;
      const n = coRaters[j]!;
      const sim = (dot[j]! / (norm[i]! * norm[j]!)) * (binary ? 1 : n / (n + settings.shrinkage));
      dot[j] = 0;
      coRaters[j] = 0;
      if (sim > 0) heap.offer(sim, j);
    }
    lists.set(
      rawIds[i]!,
      Int32Array.from(heap.order(), (slot) => rawIds[heap.items[slot]!]!),
    );
  }
  return lists;
}

interface Rows {
  /** Row r spans [start[r], start[r+1]). */
  start: Int32Array;
  cols: Int32Array;
  vals: Float32Array;
}

function rows(
  rowCount: number,
  entries: number,
  rowOf: (e: number) => number,
  colOf: ArrayLike<number>,
  valOf: ArrayLike<number>,
): Rows {
  const start = new Int32Array(rowCount + 1);
  for (let e = 0; e < entries; e++) start[rowOf(e) + 1]!++;
  for (let r = 0; r < rowCount; r++) start[r + 1]! += start[r]!;
  const fill = start.slice(0, rowCount);
  const cols = new Int32Array(entries);
  const vals = new Float32Array(entries);
  for (let e = 0; e < entries; e++) {
    const at = fill[rowOf(e)]!++;
    cols[at] = colOf[e]!;
    vals[at] = valOf[e]!;
  }
  return { start, cols, vals };
}
