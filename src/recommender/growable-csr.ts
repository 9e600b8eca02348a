/**
 * Sparse rows (compressed sparse rows with per-row slack) that support O(row) in-place updates:
 * row r occupies `cols/vals[start[r] .. start[r]+length[r])` with room for `capacity[r]` entries.
 * A row that outgrows its room moves to the end of the buffers; the hole it leaves is reclaimed by
 * `compact()` (called on refit). Entry order inside a row is not meaningful.
 */
export interface GrowableCsr {
  readonly rows: number;
  /** Buffers are replaced when they grow: re-read them after any mutation. */
  readonly start: Int32Array;
  readonly length: Int32Array;
  readonly cols: Int32Array;
  readonly vals: Float32Array;
  /** Adds empty rows up to `rows`. */
  ensureRows(rows: number): void;
  /** Position of `col` in row `row` (absolute buffer offset), or -1. */
  find(row: number, col: number): number;
  /** Sets (insert or replace) a value; returns the previous value or NaN when the entry was new. */
  set(row: number, col: number, value: number): number;
  /** Removes an entry; returns the removed value or NaN when absent. */
  remove(row: number, col: number): number;
  /** Rewrites the buffers without holes, leaving `slack` spare room per row (fraction of its length). */
  compact(slack?: number): void;
  /** Total stored entries. */
  readonly entries: number;
}

function grow<ArrayType extends Int32Array | Float32Array>(array: ArrayType, needed: number): ArrayType {
  if (needed <= array.length) return array;
  const next = new (array.constructor as new (length: number) => ArrayType)(Math.max(needed, array.length * 2, 16));
  next.set(array);
  return next;
}

/**
 * A class rather than an object literal with getters: every instance then shares one hidden class, so the
 * engine's hot functions see the same shape for every guild's model (literal getters are closures, which
 * gave each instance its own shape and cost a deoptimisation per new model).
 */
class Csr implements GrowableCsr {
  start: Int32Array;
  length: Int32Array;
  cols: Int32Array;
  vals: Float32Array;
  rows: number;
  entries: number;
  private capacity: Int32Array;
  private used: number;
  private readonly slack: number;

  constructor(
    rows: number,
    entries: number,
    rowOf: ArrayLike<number>,
    colOf: ArrayLike<number>,
    valOf: ArrayLike<number>,
    slack: number,
  ) {
    this.start = new Int32Array(Math.max(rows, 16));
    this.length = new Int32Array(Math.max(rows, 16));
    this.capacity = new Int32Array(Math.max(rows, 16));
    this.rows = rows;
    this.entries = entries;
    this.slack = slack;
    const { start, length, capacity } = this;
    for (let e = 0; e < entries; e++) length[rowOf[e]!]!++;
    let offset = 0;
    for (let r = 0; r < rows; r++) {
      start[r] = offset;
      capacity[r] = length[r]! + Math.ceil(length[r]! * slack);
      offset += capacity[r]!;
    }
    this.used = offset;
    const cols = new Int32Array(Math.max(offset, 16));
    const vals = new Float32Array(Math.max(offset, 16));
    const fill = new Int32Array(rows);
    for (let e = 0; e < entries; e++) {
      const r = rowOf[e]!;
      const at = start[r]! + fill[r]!++;
      cols[at] = colOf[e]!;
      vals[at] = valOf[e]!;
    }
    this.cols = cols;
    this.vals = vals;
  }

  ensureRows(needed: number): void {
    if (needed <= this.rows) return;
    this.start = grow(this.start, needed);
    this.length = grow(this.length, needed);
    this.capacity = grow(this.capacity, needed);
    for (let r = this.rows; r < needed; r++) {
      this.start[r] = this.used;
      this.length[r] = 0;
      this.capacity[r] = 0;
    }
    this.rows = needed;
  }

  find(row: number, col: number): number {
    const { cols } = this;
    const from = this.start[row]!;
    const to = from + this.length[row]!;
    for (let at = from; at < to; at++) if (cols[at] === col) return at;
    return -1;
  }

  set(row: number, col: number, value: number): number {
    const at = this.find(row, col);
    if (at >= 0) {
      const previous = this.vals[at]!;
      this.vals[at] = value;
      return previous;
    }
    const len = this.length[row]!;
    if (len === this.capacity[row]) {
      // Move the row to the end of the buffers with doubled room.
      const room = Math.max(4, len * 2);
      this.cols = grow(this.cols, this.used + room);
      this.vals = grow(this.vals, this.used + room);
      this.cols.copyWithin(this.used, this.start[row]!, this.start[row]! + len);
      this.vals.copyWithin(this.used, this.start[row]!, this.start[row]! + len);
      this.start[row] = this.used;
      this.capacity[row] = room;
      this.used += room;
    }
    this.cols[this.start[row]! + len] = col;
    this.vals[this.start[row]! + len] = value;
    this.length[row] = len + 1;
    this.entries++;
    return Number.NaN;
  }

  remove(row: number, col: number): number {
    const at = this.find(row, col);
    if (at < 0) return Number.NaN;
    const removed = this.vals[at]!;
    const last = this.start[row]! + this.length[row]! - 1;
    this.cols[at] = this.cols[last]!;
    this.vals[at] = this.vals[last]!;
    this.length[row] = this.length[row]! - 1;
    this.entries--;
    return removed;
  }

  compact(spare = this.slack): void {
    const { start, length, capacity, cols, vals } = this;
    let size = 0;
    for (let r = 0; r < this.rows; r++) size += length[r]! + Math.ceil(length[r]! * spare);
    const nextCols = new Int32Array(Math.max(size, 16));
    const nextVals = new Float32Array(Math.max(size, 16));
    let at = 0;
    for (let r = 0; r < this.rows; r++) {
      const len = length[r]!;
      nextCols.set(cols.subarray(start[r], start[r]! + len), at);
      nextVals.set(vals.subarray(start[r], start[r]! + len), at);
      start[r] = at;
      capacity[r] = len + Math.ceil(len * spare);
      at += capacity[r]!;
    }
    this.cols = nextCols;
    this.vals = nextVals;
    this.used = at;
  }
}

/**
 * Builds rows from COO triples. `rowOf[e]`, `colOf[e]`, `valOf[e]` describe entry e; duplicates must
 * already be removed. Rows are laid out in row order with `slack` spare room each.
 */
export function createGrowableCsr(
  rows: number,
  entries: number,
  rowOf: ArrayLike<number>,
  colOf: ArrayLike<number>,
  valOf: ArrayLike<number>,
  slack = 0.25,
): GrowableCsr {
  return new Csr(rows, entries, rowOf, colOf, valOf, slack);
}
