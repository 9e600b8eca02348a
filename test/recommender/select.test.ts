import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/recommender/evaluation/random.js';
import { kthLargest } from '../../src/recommender/select.js';

/** The reference answer: the k-th value of the list sorted descending. */
const bySorting = (values: readonly number[], k: number): number => [...values].sort((a, b) => b - a)[k - 1]!;

const ascending = (values: ArrayLike<number>): number[] => Array.from(values).sort((a, b) => a - b);

describe('kthLargest', () => {
  it('returns the k-th largest of a hand-made list with repeated values, for every k from 1 to n', () => {
    const input = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3];
    // Sorted descending by hand: 9, 6, 5, 5, 4, 3, 3, 2, 1, 1 (k = 1 is the maximum, k = n = 10 the minimum).
    const expected = [9, 6, 5, 5, 4, 3, 3, 2, 1, 1];
    for (let k = 1; k <= input.length; k++) {
      expect(kthLargest(Float64Array.from(input), input.length, k), `k = ${k}`).toBe(expected[k - 1]);
    }
  });

  it('counts tied similarities once each, so the k-th may sit inside a run of equal values', () => {
    const input = [0.5, 0.25, 0.5, 0.75, 0.25];
    // Descending: 0.75, 0.5, 0.5, 0.25, 0.25.
    expect([1, 2, 3, 4, 5].map((k) => kthLargest(Float64Array.from(input), input.length, k))).toEqual([
      0.75, 0.5, 0.5, 0.25, 0.25,
    ]);
  });

  it('returns the shared value for every k when all values are equal, leaving them as they were', () => {
    for (let k = 1; k <= 6; k++) {
      const values = new Float64Array(6).fill(0.5);
      expect(kthLargest(values, 6, k)).toBe(0.5);
      expect(Array.from(values)).toEqual([0.5, 0.5, 0.5, 0.5, 0.5, 0.5]);
    }
  });

  it('handles a single value', () => {
    expect(kthLargest(Float64Array.of(0.3), 1, 1)).toBe(0.3);
  });

  it('looks only at the first `count` values and leaves the rest of the buffer alone', () => {
    // A reused scratch buffer: the stale 9s past count must neither be returned nor moved.
    const values = Float64Array.of(1, 2, 9, 9);
    expect(kthLargest(values, 2, 1)).toBe(2);
    expect(Array.from(values.subarray(2))).toEqual([9, 9]);
    expect(kthLargest(values, 2, 2)).toBe(1);
    expect(ascending(values.subarray(0, 2))).toEqual([1, 2]);
  });

  it('agrees with sorting on every list of length 1 to 7 over three values, keeping the same values', () => {
    // Few distinct values make long runs of ties around the pivot, where Hoare partitions go wrong.
    const alphabet = [0, 0.5, 1];
    for (let n = 1; n <= 7; n++) {
      for (let code = 0; code < alphabet.length ** n; code++) {
        const input = Array.from(
          { length: n },
          (_, at) => alphabet[Math.floor(code / alphabet.length ** at) % alphabet.length]!,
        );
        for (let k = 1; k <= n; k++) {
          const values = Float64Array.from(input);
          const got = kthLargest(values, n, k);
          if (got !== bySorting(input, k)) expect.fail(`kthLargest([${input.join(', ')}], k = ${k}) = ${got}`);
          if (ascending(values).join() !== ascending(input).join())
            expect.fail(`[${input.join(', ')}] lost or gained values`);
        }
      }
    }
  });

  it('agrees with sorting on seeded random lists and on sorted, reversed and organ-pipe lists', () => {
    const random = createRandom(20_240_601);
    const lists: number[][] = [];
    for (let t = 0; t < 300; t++) {
      const n = 1 + Math.floor(random() * 200);
      // Half the lists draw from 4 values (heavy ties), half are continuous.
      const distinct = t % 2 === 0 ? 4 : 0;
      lists.push(
        Array.from({ length: n }, () => (distinct > 0 ? Math.floor(random() * distinct) / distinct : random())),
      );
    }
    const n = 1_000;
    lists.push(Array.from({ length: n }, (_, at) => at));
    lists.push(Array.from({ length: n }, (_, at) => n - at));
    lists.push(Array.from({ length: n }, (_, at) => Math.min(at, n - at)));
    lists.push(Array.from({ length: n }, (_, at) => at % 2));
    for (const input of lists) {
      const ks = new Set([
        1,
        2,
        Math.ceil(input.length / 2),
        input.length - 1,
        input.length,
        1 + Math.floor(random() * input.length),
      ]);
      for (const k of ks) {
        if (k < 1) continue;
        const values = Float64Array.from(input);
        expect(kthLargest(values, input.length, k)).toBe(bySorting(input, k));
        expect(ascending(values)).toEqual(ascending(input));
      }
    }
  });
});
