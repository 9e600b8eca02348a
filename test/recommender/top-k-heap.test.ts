import { describe, expect, it } from 'vitest';
import { createRandom } from '../../src/recommender/evaluation/random.js';
import { TopKHeap } from '../../src/recommender/top-k-heap.js';

/** Offers every (score, item) in turn and returns what the heap keeps, best first, as [score, key] pairs. */
function keep(capacity: number, scores: readonly number[], keys: Int32Array): Array<[number, number]> {
  const heap = new TopKHeap(capacity, keys);
  scores.forEach((score, item) => heap.offer(score, item));
  return heap.order().map((slot) => [heap.scores[slot]!, keys[heap.items[slot]!]!]);
}

/** The reference answer: every pair sorted by score descending, then key ascending, cut to `capacity`. */
function bySorting(capacity: number, scores: readonly number[], keys: Int32Array): Array<[number, number]> {
  return scores
    .map((score, item): [number, number] => [score, keys[item]!])
    .sort(([scoreA, keyA], [scoreB, keyB]) => scoreB - scoreA || keyA - keyB)
    .slice(0, capacity);
}

describe('TopKHeap', () => {
  it('keeps the best pairs of a hand-made stream, best first', () => {
    // Items 0..5 with their keys (raw film ids) equal to 100 + item; scores 0.2, 0.9, 0.5, 0.1, 0.7, 0.3.
    // Best three by hand: 0.9 (item 1), 0.7 (item 4), 0.5 (item 2).
    const keys = Int32Array.of(100, 101, 102, 103, 104, 105);
    expect(keep(3, [0.2, 0.9, 0.5, 0.1, 0.7, 0.3], keys)).toEqual([
      [0.9, 101],
      [0.7, 104],
      [0.5, 102],
    ]);
  });

  it('breaks equal scores by the smaller key, whatever the dense index or the order of arrival', () => {
    // Four items with the same score; keys out of index order. The two smallest keys are 7 (item 2) and 20 (item 0).
    const keys = Int32Array.of(20, 31, 7, 25);
    expect(keep(2, [1, 1, 1, 1], keys)).toEqual([
      [1, 7],
      [1, 20],
    ]);
    const reversed = new TopKHeap(2, keys);
    for (const item of [3, 2, 1, 0]) reversed.offer(1, item);
    expect(reversed.order().map((slot) => keys[reversed.items[slot]!])).toEqual([7, 20]);
  });

  it('keeps every pair, ordered, when the stream is shorter than the capacity', () => {
    const keys = Int32Array.of(3, 1, 2);
    expect(keep(10, [0.5, 0.5, 0.8], keys)).toEqual([
      [0.8, 2],
      [0.5, 1],
      [0.5, 3],
    ]);
  });

  it('accepts a pair only when there is room or it beats the worst pair kept', () => {
    const keys = Int32Array.of(10, 20, 30, 40);
    const heap = new TopKHeap(2, keys);
    expect(heap.offer(0.5, 0)).toBe(true);
    expect(heap.offer(0.8, 1)).toBe(true);
    // Full with 0.8 (key 20) and 0.5 (key 10): the worst is 0.5.
    expect(heap.accepts(0.4, 2)).toBe(false);
    // Same score as the worst but a larger key (30 > 10): not better.
    expect(heap.accepts(0.5, 2)).toBe(false);
    expect(heap.offer(0.5, 2)).toBe(false);
    expect(heap.accepts(0.6, 3)).toBe(true);
    expect(heap.offer(0.6, 3)).toBe(true);
    expect(heap.size).toBe(2);
    expect(heap.order().map((slot) => keys[heap.items[slot]!])).toEqual([20, 40]);
  });

  it('keeps nothing with a capacity of 0', () => {
    const heap = new TopKHeap(0, Int32Array.of(1));
    expect(heap.accepts(1, 0)).toBe(false);
    expect(heap.offer(1, 0)).toBe(false);
    expect(heap.order()).toEqual([]);
  });

  it('agrees with sorting on random streams with many tied scores, for capacities from 1 to past the stream', () => {
    const random = createRandom(7);
    for (let round = 0; round < 200; round++) {
      const length = 1 + Math.floor(random() * 60);
      // Scores on a coarse grid so that ties are common; keys a shuffled permutation of 0..length-1.
      const scores = Array.from({ length }, () => Math.floor(random() * 8) / 4);
      const keys = Int32Array.from({ length }, (_, item) => item);
      for (let i = length - 1; i > 0; i--) {
        const j = Math.floor(random() * (i + 1));
        [keys[i], keys[j]] = [keys[j]!, keys[i]!];
      }
      const capacity = 1 + Math.floor(random() * (length + 5));
      expect(keep(capacity, scores, keys), `round ${round}`).toEqual(bySorting(capacity, scores, keys));
    }
  });
});
