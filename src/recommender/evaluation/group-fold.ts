import type { RatingColumns } from '../types.js';
import type { RatedFilms } from './group-sampling.js';

export interface FoldSplit {
  train: RatingColumns;
  /** Training films in ascending id order, and their training rating counts. */
  catalogue: Int32Array;
  counts: Int32Array;
  trainByUser: Map<number, RatedFilms>;
  /** Test ratings by user code: [itemId, rating]. */
  testByUser: Map<number, [number, number][]>;
}

/** One GUIDE §6 fold: its training ratings (columns and by user), catalogue and test ratings. */
export function splitFold(data: RatingColumns, foldOfRating: Uint8Array, fold: number): FoldSplit {
  const trainAt: number[] = [];
  const testByUser = new Map<number, [number, number][]>();
  const rows = new Map<number, [number, number][]>();
  const counts = new Map<number, number>();
  for (let e = 0; e < foldOfRating.length; e++) {
    const code = data.userCodes[e]!;
    const pair: [number, number] = [data.itemIds[e]!, data.ratings[e]!];
    const into = foldOfRating[e] === fold ? testByUser : rows;
    const list = into.get(code) ?? [];
    list.push(pair);
    into.set(code, list);
    if (foldOfRating[e] === fold) continue;
    trainAt.push(e);
    counts.set(pair[0], (counts.get(pair[0]) ?? 0) + 1);
  }
  const train: RatingColumns = {
    users: data.users,
    userCodes: Int32Array.from(trainAt, (e) => data.userCodes[e]!),
    itemIds: Int32Array.from(trainAt, (e) => data.itemIds[e]!),
    ratings: Float32Array.from(trainAt, (e) => data.ratings[e]!),
  };
  const catalogue = Int32Array.from(counts.keys()).sort();
  const trainByUser = new Map<number, RatedFilms>();
  for (const [code, list] of rows) {
    list.sort((a, b) => a[0] - b[0]);
    trainByUser.set(code, {
      itemIds: Int32Array.from(list, ([itemId]) => itemId),
      ratings: Float64Array.from(list, ([, rating]) => rating),
    });
  }
  return {
    train,
    catalogue,
    counts: Int32Array.from(catalogue, (itemId) => counts.get(itemId)!),
    trainByUser,
    testByUser,
  };
}
