import { describe, expect, it } from 'vitest';
import { likedGenreWeights, popularParts, rankPopular } from '../../src/recommender/index.js';

describe('the popular source', () => {
  it('scores P(i) = log(1 + pop_i) / log(1 + max pop), worked by hand', () => {
    // pops 99, 9, 0: log(100)/log(100) = 1, log(10)/log(100) = 0.5, log(1)/log(100) = 0.
    const parts = popularParts(
      [
        { itemId: 7, popularity: 99 },
        { itemId: 8, popularity: 9 },
        { itemId: 9, popularity: 0 },
      ],
      (itemId) => itemId - 7,
    );
    expect(Array.from(parts.items)).toEqual([0, 1, 2]);
    expect(Array.from(parts.values)).toEqual([1, expect.closeTo(0.5, 12), 0]);
  });

  it('reads a list without popularity figures in its own order: pop = n − rank', () => {
    // n = 3: pops 3, 2, 1 → log(4)/log(4), log(3)/log(4), log(2)/log(4).
    const parts = popularParts([{ itemId: 1 }, { itemId: 2 }, { itemId: 3 }], (itemId) => itemId);
    expect(Array.from(parts.values)).toEqual([1, Math.log(3) / Math.log(4), Math.log(2) / Math.log(4)]);
  });
});

describe('genre affinity', () => {
  it('weighs genres by the films the member liked', () => {
    const genres = new Map([
      [1, [28, 12]],
      [2, [28]],
      [3, [35]],
    ]);
    const weights = likedGenreWeights(
      [
        { itemId: 1, rating: 5 },
        { itemId: 2, rating: 4 },
        { itemId: 3, rating: 2 },
      ],
      (itemId) => genres.get(itemId),
    );
    // action (28) liked twice, adventure (12) once; comedy only rated 2★.
    expect(weights).toEqual(
      new Map([
        [28, 1],
        [12, 0.5],
      ]),
    );
  });

  it('moves popular films of liked genres up', () => {
    const popular = [
      { itemId: 1, genreIds: [35] },
      { itemId: 2, genreIds: [35] },
      { itemId: 3, genreIds: [28] },
    ];
    // keys: film 1 → 1, film 2 → 2, film 3 → 3/(1 + 1·1) = 1.5.
    expect(rankPopular(popular, new Map([[28, 1]]), 1).map((film) => film.itemId)).toEqual([1, 3, 2]);
    expect(rankPopular(popular, new Map(), 1).map((film) => film.itemId)).toEqual([1, 2, 3]);
  });
});
