import type { IdIndex } from './id-index.js';
import type { Scratch } from './scratch.js';

export interface NeighbourhoodOptions {
  /** Only these members may act as neighbours (the guild's members who share taste); all when absent. */
  allowedNeighbours?: ReadonlySet<string>;
}

/**
 * Which members may be neighbours in one request. A small allowed set (≤ ¼ of the members) becomes an eager
 * mask that the co-rating loops test; a large one (typically the whole guild) is asked lazily, only about
 * members that would otherwise enter a neighbourhood, so a request costs a few hundred set lookups rather
 * than one per member. Both give the same neighbourhoods.
 */
export interface NeighbourFilter {
  /** Stamp of the eager mask in `admitStamp`, or 0 when the loops admit everyone. */
  restrict: number;
  /** Set asked lazily (answers memoised in `admitStamp`/`admitValue` under `stamp`). */
  lazy: ReadonlySet<string> | null;
  stamp: number;
}

const EVERYONE: NeighbourFilter = { restrict: 0, lazy: null, stamp: 0 };

export function neighbourFilter(
  allowed: ReadonlySet<string> | undefined,
  users: IdIndex<string>,
  scratch: Scratch,
): NeighbourFilter {
  if (allowed === undefined) return EVERYONE;
  const current = scratch.nextAdmitStamp();
  if (allowed.size * 4 > users.size) return { restrict: 0, lazy: allowed, stamp: current };
  const { admitStamp } = scratch;
  for (const id of allowed) {
    const v = users.indexOf(id);
    if (v >= 0) admitStamp[v] = current;
  }
  return { restrict: current, lazy: null, stamp: current };
}

export function admits(filter: NeighbourFilter, v: number, users: IdIndex<string>, scratch: Scratch): boolean {
  const { admitStamp } = scratch;
  if (filter.lazy === null) return filter.restrict === 0 || admitStamp[v] === filter.restrict;
  if (admitStamp[v] === filter.stamp) return scratch.admitValue[v] === 1;
  const allowed = filter.lazy.has(users.idAt(v));
  admitStamp[v] = filter.stamp;
  scratch.admitValue[v] = allowed ? 1 : 0;
  return allowed;
}
