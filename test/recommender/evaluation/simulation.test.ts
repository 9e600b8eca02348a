import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/recommender/evaluation/random.js';
import {
  SimulatedArm,
  simulatedReaction,
  type SimulationWorld,
} from '../../../src/recommender/evaluation/simulated-server.js';
import { DEFAULT_SOURCE_LEARNING } from '../../../src/recommender/learning/index.js';

/**
 * One member who loved film 1 (5★). The stand-in lists: 1 → [10, 11], 10 → [30]; no popular films. Hidden truth:
 * 10 rated 5★ (👍), 11 rated 1★ (👎), 30 rated 4★ (👍).
 */
const world: SimulationWorld = {
  lists: new Map([
    [1, Int32Array.of(10, 11)],
    [10, Int32Array.of(30)],
  ]),
  popular: [],
  config: {},
  learning: DEFAULT_SOURCE_LEARNING,
};
const member = {
  userId: 'u',
  starting: [{ userId: 'u', itemId: 1, rating: 5 }],
  hidden: new Map([
    [10, 5],
    [11, 1],
    [30, 4],
  ]),
};
const DAY = 86_400_000;

describe('a simulated member', () => {
  it('reacts 👍 to a hidden rating of 4★ or more, 👎 to 2½★ or less, and not at all otherwise or unknown', () => {
    expect([5, 4, 3.5, 3, 2.5, 0.5, undefined].map(simulatedReaction)).toEqual([1, 1, null, null, -1, -1, null]);
  });

  it('learns from reactions only with learning on, and is never shown a film twice either way', () => {
    const on = new SimulatedArm([member], world, { random: createRandom(1) });
    const off = new SimulatedArm([member], world, null);
    const rounds = [1, 2, 3].map((round) => ({
      on: on.playRound(round * DAY, 1).get('u')!,
      off: off.playRound(round * DAY, 1).get('u')!,
    }));

    // Round 1, both: 10 (L = 1/36 above 11's 1/49) → 👍. NDCG@10 of [10, 11] against {10, 30}: 1/(1 + 1/log2 3).
    expect(rounds[0]!.on).toEqual({
      shown: 1,
      thumbsUp: 1,
      thumbsDown: 0,
      ndcg10: expect.closeTo(1 / (1 + 1 / Math.log2(3)), 12),
    });
    expect(rounds[0]!.off).toEqual(rounds[0]!.on);
    // Round 2, both: 11 → 👎 (on, film 1's list now counts three times: 11 at 3/49 above 30 from the 👍 seed 10).
    expect(rounds[1]!.on).toMatchObject({ shown: 1, thumbsDown: 1 });
    expect(rounds[1]!.off).toMatchObject({ shown: 1, thumbsDown: 1 });
    // Round 3: on, the 👍 made 10 a loved seed whose list holds 30 → 👍; off knows only film 1's list, all shown.
    expect(rounds[2]!.on).toEqual({ shown: 1, thumbsUp: 1, thumbsDown: 0, ndcg10: 1 });
    expect(rounds[2]!.off).toEqual({ shown: 0, thumbsUp: 0, thumbsDown: 0, ndcg10: 0 });
  });
});
