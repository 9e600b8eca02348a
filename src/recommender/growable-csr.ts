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
  let start = new Int32Array(Math.max(rows, 16));
  let length = new Int32Array(Math.max(rows, 16));
  let capacity = new Int32Array(Math.max(rows, 16));
  let rowCount = rows;
  let total = entries;
  for (let e = 0; e < entries; e++) length[rowOf[e]!]!++;
  let offset = 0;
  for (let r = 0; r < rows; r++) {
    start[r] = offset;
    capacity[r] = length[r]! + Math.ceil(length[r]! * slack);
    offset += capacity[r]!;
  }
  let used = offset;
  let cols = new Int32Array(Math.max(used, 16));
  let vals = new Float32Array(Math.max(used, 16));
  const fill = new Int32Array(rows);
  for (let e = 0; e < entries; e++) {
    const r = rowOf[e]!;
    const at = start[r]! + fill[r]!++;
    cols[at] = colOf[e]!;
    vals[at] = valOf[e]!;
  }

  const csr: GrowableCsr = {
    get rows() {
      return rowCount;
    },
    get entries() {
      return total;
    },
    get start() {
      return start;
    },
    get length() {
      return length;
    },
    get cols() {
      return cols;
    },
    get vals() {
      return vals;
    },
    ensureRows(needed) {
      if (needed <= rowCount) return;
      start = grow(start, needed);
      length = grow(length, needed);
      capacity = grow(capacity, needed);
      for (let r = rowCount; r < needed; r++) {
        start[r] = used;
        length[r] = 0;
        capacity[r] = 0;
      }
      rowCount = needed;
    },
    find(row, col) {
      const from = start[row]!;
      const to = from + length[row]!;
      for (let at = from; at < to; at++) if (cols[at] === col) return at;
      return -1;
    },
    set(row, col, value) {
      const at = csr.find(row, col);
      if (at >= 0) {
        const previous = vals[at]!;
        vals[at] = value;
        return previous;
      }
      const len = length[row]!;
      if (len === capacity[row]) {
        // Move the row to the end of the buffers with doubled room.
        const room = Math.max(4, len * 2);
        cols = grow(cols, used + room);
        vals = grow(vals, used + room);
        cols.copyWithin(used, start[row]!, start[row]! + len);
        vals.copyWithin(used, start[row]!, start[row]! + len);
        start[row] = used;
        capacity[row] = room;
        used += room;
      }
      cols[start[row]! + len] = col;
      vals[start[row]! + len] = value;
      length[row] = len + 1;
      total++;
      return Number.NaN;
    },
    remove(row, col) {
      const at = csr.find(row, col);
      if (at < 0) return Number.NaN;
      const removed = vals[at]!;
      const last = start[row]! + length[row]! - 1;
      cols[at] = cols[last]!;
      vals[at] = vals[last]!;
      length[row] = length[row]! - 1;
      total--;
      return removed;
    },
    compact(spare = slack) {
      let size = 0;
      for (let r = 0; r < rowCount; r++) size += length[r]! + Math.ceil(length[r]! * spare);
      const nextCols = new Int32Array(Math.max(size, 16));
      const nextVals = new Float32Array(Math.max(size, 16));
      let at = 0;
      for (let r = 0; r < rowCount; r++) {
        const len = length[r]!;
        nextCols.set(cols.subarray(start[r]!, start[r]! + len), at);
        nextVals.set(vals.subarray(start[r]!, start[r]! + len), at);
        start[r] = at;
        capacity[r] = len + Math.ceil(len * spare);
        at += capacity[r]!;
      }
      cols = nextCols;
      vals = nextVals;
      used = at;
    },
  };
  return csr;
}
