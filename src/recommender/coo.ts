import type { RecommenderConfig } from './config.js';
import { DenseIdIndex } from './dense-index.js';
import type { IdIndex } from './id-index.js';
import type { RatingColumns, RatingInput } from './types.js';

/** Ratings over dense indices: entry e is (userOf[e], itemOf[e], ratingOf[e]), at most one per (user, item). */
export interface CooRatings {
  users: IdIndex<string>;
  items: IdIndex<number>;
  userOf: Int32Array;
  itemOf: Int32Array;
  ratingOf: Float32Array;
  count: number;
}

export type RatingScale = Pick<RecommenderConfig, 'ratingMin' | 'ratingMax'>;

export function checkRating(rating: number, { ratingMin, ratingMax }: RatingScale): void {
  if (!Number.isFinite(rating) || rating < ratingMin || rating > ratingMax) {
    throw new RangeError(`rating ${rating} outside [${ratingMin}, ${ratingMax}]`);
  }
}

export function checkItemId(itemId: number): void {
  if (!Number.isInteger(itemId) || itemId < -2_147_483_648 || itemId > 2_147_483_647) {
    throw new RangeError(`item id ${itemId} is not a 32-bit integer`);
  }
}

export function rowsToColumns(rows: readonly RatingInput[]): RatingColumns {
  const codeOf = new Map<string, number>();
  const users: string[] = [];
  const userCodes = new Int32Array(rows.length);
  const itemIds = new Int32Array(rows.length);
  const ratings = new Float32Array(rows.length);
  rows.forEach((row, e) => {
    let code = codeOf.get(row.userId);
    if (code === undefined) {
      code = users.push(row.userId) - 1;
      codeOf.set(row.userId, code);
    }
    userCodes[e] = code;
    checkItemId(row.itemId);
    itemIds[e] = row.itemId;
    ratings[e] = row.rating;
  });
  return { users, userCodes, itemIds, ratings };
}

/** Interns ids and drops duplicate (user, item) pairs, keeping the last one given. */
export function toCoo(input: readonly RatingInput[] | RatingColumns, scale: RatingScale): CooRatings {
  const columns: RatingColumns = Array.isArray(input)
    ? rowsToColumns(input as readonly RatingInput[])
    : (input as RatingColumns);
  const total = columns.itemIds.length;
  const users = new DenseIdIndex<string>(columns.users);
  const items = new DenseIdIndex<number>();
  const rawUser = new Int32Array(total);
  const rawItem = new Int32Array(total);
  const userRows = new Int32Array(users.size + 1);
  // One string lookup per distinct code rather than per rating.
  const userOfCode = Int32Array.from(columns.users, (id) => users.indexOf(id));
  // Interning through a dense table when the id range is small next to the ratings (MovieLens, TMDB ids of a
  // big guild): one Map insertion per distinct film instead of a Map lookup per rating.
  let lowest = 0;
  let highest = -1;
  for (let e = 0; e < total; e++) {
    const itemId = columns.itemIds[e]!;
    checkItemId(itemId);
    if (e === 0 || itemId < lowest) lowest = itemId;
    if (e === 0 || itemId > highest) highest = itemId;
  }
  const dense = highest - lowest < 8 * total + 65_536 ? new Int32Array(highest - lowest + 1).fill(-1) : null;
  for (let e = 0; e < total; e++) {
    const code = columns.userCodes[e]!;
    const user = userOfCode[code];
    if (user === undefined) throw new RangeError(`user code ${code} has no user id`);
    const itemId = columns.itemIds[e]!;
    checkRating(columns.ratings[e]!, scale);
    rawUser[e] = user;
    if (dense === null) rawItem[e] = items.intern(itemId);
    else {
      let item = dense[itemId - lowest]!;
      if (item < 0) dense[itemId - lowest] = item = items.intern(itemId);
      rawItem[e] = item;
    }
    userRows[user + 1]!++;
  }
  // Counting sort by user (stable), then keep the last entry per (user, item).
  for (let u = 0; u < users.size; u++) userRows[u + 1]! += userRows[u]!;
  const order = new Int32Array(total);
  const cursor = userRows.slice(0, users.size);
  for (let e = 0; e < total; e++) order[cursor[rawUser[e]!]!++] = e;
  const seenBy = new Int32Array(items.size).fill(-1);
  const keep = new Uint8Array(total);
  let kept = 0;
  for (let u = 0; u < users.size; u++) {
    for (let at = userRows[u + 1]! - 1; at >= userRows[u]!; at--) {
      const e = order[at]!;
      if (seenBy[rawItem[e]!] === u) continue;
      seenBy[rawItem[e]!] = u;
      keep[e] = 1;
      kept++;
    }
  }
  const userOf = new Int32Array(kept);
  const itemOf = new Int32Array(kept);
  const ratingOf = new Float32Array(kept);
  let next = 0;
  for (let e = 0; e < total; e++) {
    if (keep[e] === 0) continue;
    userOf[next] = rawUser[e]!;
    itemOf[next] = rawItem[e]!;
    ratingOf[next] = columns.ratings[e]!;
    next++;
  }
  return { users, items, userOf, itemOf, ratingOf, count: kept };
}
