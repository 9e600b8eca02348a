import { describe, expect, it } from 'vitest';
import { createRecommenderModel, type FilmList, type PickReaction } from '../../../src/recommender/index.js';
import { backerFactor, lessonStrength } from '../../../src/recommender/learning/index.js';

const DAY = 86_400_000;
const NOW = 500 * DAY;
const [A, B, X, Y, Z, Q, W] = [1, 2, 10, 11, 12, 13, 14] as const;

/**
 * u loved A (5★, seed weight w = 1) and B (4★, w = ½). TMDB's lists: A → [X, Y], B → [Y, Z], Z → [Q]. With the list
 * decay d(k) = 1/(k + 6)², d(0) = 1/36 and d(1) = 1/49. v liked A, X (5★) and W (4★): u and v share one liked film of
 * 2 and 3, cos = 1/√6, similarity cos³ = 1/(6√6).
 */
const LISTS: Record<number, FilmList> = { [A]: [X, Y], [B]: [Y, Z], [Z]: [Q] };
const ratings = [
  { userId: 'u', itemId: A, rating: 5 },
  { userId: 'u', itemId: B, rating: 4 },
  { userId: 'v', itemId: A, rating: 5 },
  { userId: 'v', itemId: X, rating: 5 },
  { userId: 'v', itemId: W, rating: 4 },
];
const similarity = 1 / (6 * Math.sqrt(6));

/** u's picks (every film any source reaches), given u's reactions as the bot keeps them. */
function picksAfter(reactions: readonly PickReaction[]) {
  const model = createRecommenderModel({
    ratings,
    feedback: reactions.map(({ itemId, value }) => ({ userId: 'u', itemId, value })),
  });
  const { picks } = model.recommend('u', {
    count: 10,
    related: (itemId) => LISTS[itemId],
    memberFeedback: { reactions, now: NOW },
    exclude: new Set(reactions.map(({ itemId }) => itemId)),
  });
  return new Map(picks.map((pick) => [pick.itemId, pick]));
}

describe('what one 👍 and one 👎 teach about a member’s seeds and neighbours (worked by hand)', () => {
  const before = picksAfter([]);
  const after = picksAfter([
    { itemId: X, value: -1, at: NOW, source: 'similar-films' },
    { itemId: Z, value: 1, at: NOW, source: 'similar-films' },
  ]);

  it('starts from A’s and B’s lists and v’s vote', () => {
    // Y: A at rank 1 (1·d(1) = 1/49), B at rank 0 (½·d(0) = 1/72).
    expect(before.get(Y)?.seeds).toEqual([
      { itemId: A, rating: 5, contribution: expect.closeTo(1 / 49, 12) },
      { itemId: B, rating: 4, contribution: expect.closeTo(1 / 72, 12) },
    ]);
    // W: w_N · sim · vote(4★) = 3 · 1/(6√6) · (4 − 1)/(5 − 1).
    expect(before.get(W)?.parts.neighbours).toBeCloseTo(3 * similarity * 0.75, 12);
  });

  it('halves A, whose list had X on top, and v, who loved X, after the 👎 on X', () => {
    // A: 1 − η⁻·1·(d(0)/d(0)) = ½ → ½·d(1) = 1/98. v: 1 − η⁻·min(1, vote(5★) = 1) = ½.
    expect(after.get(Y)?.seeds.find(({ itemId }) => itemId === A)?.contribution).toBeCloseTo(1 / 98, 12);
    expect(after.get(W)?.parts.neighbours).toBeCloseTo(3 * similarity * 0.5 * 0.75, 12);
  });

  it('makes Z a loved seed at a 4★ rating’s weight, and raises B, whose list held Z, after the 👍 on Z', () => {
    // Z seeds Q at w(4★) = ½: ½·d(0) = 1/72. B: 1 + η⁺·d(1)/d(0) = 1 + 2·36/49 = 121/49 → ½·121/49·d(0).
    expect(after.get(Q)?.seeds).toEqual([{ itemId: Z, rating: null, contribution: expect.closeTo(1 / 72, 12) }]);
    expect(before.has(Q)).toBe(false);
    expect(after.get(Y)?.seeds).toEqual([
      { itemId: B, rating: 4, contribution: expect.closeTo((0.5 * 121) / 49 / 36, 12) },
      { itemId: A, rating: 5, contribution: expect.closeTo(1 / 98, 12) },
    ]);
  });

  it('lets a 👎 on a popular pick, or on a card no longer known, lower the seeds but not the neighbours', () => {
    for (const source of ['popular', null] as const) {
      const picks = picksAfter([{ itemId: X, value: -1, at: NOW, source }]);
      expect(picks.get(Y)?.seeds.find(({ itemId }) => itemId === A)?.contribution).toBeCloseTo(1 / 98, 12);
      expect(picks.get(W)?.parts.neighbours).toBeCloseTo(3 * similarity * 0.75, 12);
    }
  });

  it('fades a lesson by half every 60 days', () => {
    // 60 days old: 1 − ½·½ = ¾ for A; 120 days: 1 − ½·¼ = ⅞.
    const old = picksAfter([{ itemId: X, value: -1, at: NOW - 60 * DAY, source: 'similar-films' }]);
    expect(old.get(Y)?.seeds.find(({ itemId }) => itemId === A)?.contribution).toBeCloseTo(0.75 / 49, 12);
    expect(lessonStrength(NOW - 120 * DAY, NOW)).toBeCloseTo(0.25, 12);
    expect(lessonStrength(NOW + DAY, NOW)).toBe(1);
  });
});

describe('a backer’s factor', () => {
  const lesson = (value: 1 | -1, strength = 1) => ({ item: 0, value, strength, teachesNeighbours: true });

  it('compounds 👎 as shares taken and adds 👍, each by how fully the backer backed the film', () => {
    // Two fresh 👎 fully backed: ½·½; one half backed: ¾; 👍 fully and a quarter: 1 + 2·1 + 2·¼ = 3.5.
    expect(backerFactor([lesson(-1), lesson(-1)], () => 1)).toBe(0.25);
    expect(backerFactor([lesson(-1)], () => 0.5)).toBe(0.75);
    expect(backerFactor([lesson(1), { ...lesson(1), item: 1 }], ({ item }) => (item === 0 ? 1 : 0.25))).toBe(3.5);
    expect(backerFactor([lesson(-1), lesson(1)], () => 0)).toBe(1);
    // A 👎 and a 👍 half faded: (1 − ½·½)·(1 + 2·½) = 1.5.
    expect(backerFactor([lesson(-1, 0.5), lesson(1, 0.5)], () => 1)).toBe(1.5);
  });
});
