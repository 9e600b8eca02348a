import type { IdIndex } from './id-index.js';

/**
 * The model's own {@link IdIndex}: a class, so every index shares its methods. The model's hot functions call
 * `indexOf`/`idAt` on new indices for every guild model, and the per-instance closures of `createIdIndex` make
 * such calls deoptimise once more for each new model. (createIdIndex stays as it is for callers that pass its
 * methods around detached.)
 */
export class DenseIdIndex<RawId> implements IdIndex<RawId> {
  private readonly indexById = new Map<RawId, number>();
  private readonly ids: RawId[] = [];

  constructor(initial: Iterable<RawId> = []) {
    for (const id of initial) this.intern(id);
  }

  get size(): number {
    return this.ids.length;
  }

  indexOf(id: RawId): number {
    return this.indexById.get(id) ?? -1;
  }

  intern(id: RawId): number {
    const known = this.indexById.get(id);
    if (known !== undefined) return known;
    this.ids.push(id);
    this.indexById.set(id, this.ids.length - 1);
    return this.ids.length - 1;
  }

  idAt(index: number): RawId {
    const id = this.ids[index];
    if (id === undefined) throw new RangeError(`no id at dense index ${index}`);
    return id;
  }
}
