/**
 * Explicit mapping between raw ids (Discord snowflakes / TMDB ids, or MovieLens ids in evaluation)
 * and dense indices 0..size-1 used by the typed arrays of the model. Indices are assigned in order of
 * first appearance and never reused, so typed arrays indexed by them only ever grow.
 */
export interface IdIndex<RawId> {
  readonly size: number;
  /** Dense index of a raw id, or -1 when unknown. */
  indexOf(id: RawId): number;
  /** Dense index of a raw id, adding it when unknown. */
  intern(id: RawId): number;
  /** Raw id of a dense index (the index must be < size). */
  idAt(index: number): RawId;
}

export function createIdIndex<RawId>(initial: Iterable<RawId> = []): IdIndex<RawId> {
  const indexById = new Map<RawId, number>();
  const ids: RawId[] = [];
  const intern = (id: RawId): number => {
    const known = indexById.get(id);
    if (known !== undefined) return known;
    ids.push(id);
    indexById.set(id, ids.length - 1);
    return ids.length - 1;
  };
  for (const id of initial) intern(id);
  return {
    get size() {
      return ids.length;
    },
    indexOf: (id) => indexById.get(id) ?? -1,
    intern,
    idAt: (index) => {
      const id = ids[index];
      if (id === undefined) throw new RangeError(`no id at dense index ${index}`);
      return id;
    },
  };
}

/** Orders raw user ids numerically when both are decimal strings (snowflakes, MovieLens ids), else by code unit. */
export function compareUserIds(a: string, b: string): number {
  if (a.length !== b.length && /^\d+$/.test(a) && /^\d+$/.test(b)) return a.length - b.length;
  return a < b ? -1 : a > b ? 1 : 0;
}
