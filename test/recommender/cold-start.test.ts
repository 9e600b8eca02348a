import { describe, expect, it } from 'vitest';
import {
  blendPicks,
  likedGenreWeights,
  neighbourShare,
  rankPopular,
  type NeighbourPick,
} from '../../src/recommender/index.js';

const CONFIG = { ratingThreshold: 10, minNeighbours: 5, fullNeighbours: 25, genreBoost: 1 } as const;
const pick = (itemId: number): NeighbourPick => ({
  itemId,
  score: 1,
  strength: 0.5,
  explanation: { backers: 1, averageRating: 4, contributors: [] },
});
const NEIGHBOUR_PICKS = [101, 102, 103, 104].map(pick);
const POPULAR = [1, 2, 3, 4, 5].map((itemId) => ({ itemId }));
const blend = (ratingCount: number, neighbourCount: number, extra: Partial<Parameters<typeof blendPicks>[0]> = {}) =>
  blendPicks(
    { neighbourPicks: NEIGHBOUR_PICKS, popular: POPULAR, ratingCount, neighbourCount, count: 4, ...extra },
    CONFIG,
  ).map((p) => `${p.source === 'neighbours' ? 'n' : 'p'}${p.itemId}`);

describe('neighbourShare', () => {
  it('grows with ratings and with the neighbourhood', () => {
    // ratings 5/10 = 0.5; neighbours (15 − 5)/(25 − 5) = 0.5 → 0.25.
    expect(neighbourShare(5, 15, CONFIG)).toBeCloseTo(0.25, 10);
    expect(neighbourShare(0, 40, CONFIG)).toBe(0);
    expect(neighbourShare(20, 4, CONFIG)).toBe(0);
    expect(neighbourShare(20, 40, CONFIG)).toBe(1);
  });
});

describe('blendPicks', () => {
  it('gives a newcomer popular films only', () => {
    expect(blend(0, 30)).toEqual(['p1', 'p2', 'p3', 'p4']);
  });

  it('gives an established member neighbour picks only', () => {
    expect(blend(10, 25)).toEqual(['n101', 'n102', 'n103', 'n104']);
  });

  it('alternates the sources at half share, neighbours first', () => {
    // α = (5/10)·1 = 0.5.
    expect(blend(5, 25)).toEqual(['n101', 'p1', 'n102', 'p2']);
  });

  it('fills from popular films when neighbour picks run out, skipping exclusions and repeats', () => {
    const picks = blendPicks(
      {
        neighbourPicks: [pick(2)],
        popular: POPULAR,
        ratingCount: 10,
        neighbourCount: 25,
        count: 3,
        exclude: new Set([1]),
        filter: (itemId) => itemId !== 3,
      },
      CONFIG,
    );
    expect(picks.map((p) => [p.itemId, p.source])).toEqual([
      [2, 'neighbours'],
      [4, 'popular'],
      [5, 'popular'],
    ]);
    expect(picks[0]!.neighbourPick).toEqual(pick(2));
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
