import { describe, expect, it } from 'vitest';
import { PICK_OUTCOMES, pickOutcome, withinWindow, type ShownPick } from '../../../src/recommender/learning/index.js';

const DAY = 86_400_000;
const shownAt = 1_000 * DAY;
const pick = (changes: Partial<ShownPick>): ShownPick => ({
  source: 'similar-films',
  shownAt,
  reaction: null,
  rating: null,
  ...changes,
});

describe('how a shown pick was received', () => {
  it('counts a 👍 within 7 days as a success and a 👎 as a failure', () => {
    expect(pickOutcome(pick({ reaction: { value: 1, at: shownAt + DAY } }))).toBe(PICK_OUTCOMES.success);
    expect(pickOutcome(pick({ reaction: { value: -1, at: shownAt } }))).toBe(PICK_OUTCOMES.failure);
  });

  it('counts neither without a reaction, or with one given after the 7 days', () => {
    expect(pickOutcome(pick({}))).toBe(PICK_OUTCOMES.none);
    expect(pickOutcome(pick({ reaction: { value: 1, at: shownAt + 7 * DAY } }))).toBe(PICK_OUTCOMES.success);
    expect(pickOutcome(pick({ reaction: { value: 1, at: shownAt + 7 * DAY + 1 } }))).toBe(PICK_OUTCOMES.none);
    expect(withinWindow({ shownAt }, shownAt - 1)).toBe(false);
  });

  it('counts a later rating of 4★ or more as a success and of 2★ or less as a failure', () => {
    expect(pickOutcome(pick({ rating: { score: 4, at: shownAt + 2 * DAY } }))).toBe(PICK_OUTCOMES.success);
    expect(pickOutcome(pick({ rating: { score: 2, at: shownAt + 2 * DAY } }))).toBe(PICK_OUTCOMES.failure);
    expect(pickOutcome(pick({ rating: { score: 3, at: shownAt + 2 * DAY } }))).toBe(PICK_OUTCOMES.none);
    // A rating from before the pick (or long after it) says nothing about the pick.
    expect(pickOutcome(pick({ rating: { score: 5, at: shownAt - DAY } }))).toBe(PICK_OUTCOMES.none);
    expect(pickOutcome(pick({ rating: { score: 5, at: shownAt + 8 * DAY } }))).toBe(PICK_OUTCOMES.none);
  });

  it('lets a rating in the window decide over a reaction, and a reaction decide when the rating came too late', () => {
    const liked = { value: 1 as const, at: shownAt + DAY };
    expect(pickOutcome(pick({ reaction: liked, rating: { score: 1.5, at: shownAt + 3 * DAY } }))).toBe(
      PICK_OUTCOMES.failure,
    );
    expect(pickOutcome(pick({ reaction: liked, rating: { score: 3, at: shownAt + 3 * DAY } }))).toBe(
      PICK_OUTCOMES.none,
    );
    expect(pickOutcome(pick({ reaction: liked, rating: { score: 1, at: shownAt + 30 * DAY } }))).toBe(
      PICK_OUTCOMES.success,
    );
  });
});
