import { describe, expect, it } from 'vitest';
import { loadPage } from '../../src/services/paging.js';

/** A list of `total` numbers paged like LIMIT/OFFSET; remembers the offsets it was asked for. */
function list(total: number) {
  const offsets: number[] = [];
  const rows = Array.from({ length: total }, (_, i) => i + 1);
  return {
    offsets,
    load: async (page: number, pageSize: number) => {
      const offset = (page - 1) * pageSize;
      offsets.push(offset);
      return { entries: rows.slice(offset, offset + pageSize), total };
    },
  };
}

describe('loadPage', () => {
  it('reads the page asked for with one query', async () => {
    const seven = list(7);
    // 7 rows at 3 per page: pages [1-3], [4-6], [7].
    expect(await loadPage(2, 3, seven.load)).toEqual({ page: 2, pageCount: 3, total: 7, entries: [4, 5, 6] });
    expect(seven.offsets).toEqual([3]);
  });

  it('gives the last page for a page past the end, reading it again', async () => {
    const seven = list(7);
    expect(await loadPage(40, 3, seven.load)).toEqual({ page: 3, pageCount: 3, total: 7, entries: [7] });
    // Page 40 is offset 39 × 3 = 117 (no rows), then the last page at offset 6.
    expect(seven.offsets).toEqual([117, 6]);
  });

  it('gives the first page for anything that is not a page number', async () => {
    for (const requested of [undefined, 0, -7, Number.NaN, Number.POSITIVE_INFINITY]) {
      expect((await loadPage(requested, 3, list(7).load)).entries).toEqual([1, 2, 3]);
    }
    expect((await loadPage(2.9, 3, list(7).load)).page).toBe(2);
  });

  it('keeps the offset a safe integer for an absurd page number', async () => {
    const seven = list(7);
    expect((await loadPage(1e300, 10, seven.load)).page).toBe(1);
    expect(Number.isSafeInteger(seven.offsets[0])).toBe(true);
  });

  it('gives one empty page for an empty list', async () => {
    expect(await loadPage(3, 10, list(0).load)).toEqual({ page: 1, pageCount: 1, total: 0, entries: [] });
  });
});
