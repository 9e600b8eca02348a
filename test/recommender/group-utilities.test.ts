import { describe, expect, it } from 'vitest';
import { createRecommenderModel, memberUtilities, recommendForGroup } from '../../src/recommender/index.js';
import { TINY_RATINGS } from '../support/tiny-ratings.js';

// The tiny matrix of model.test.ts: μ = 3 and no biases (0 passes), so every figure can be worked out by hand.
const FLAT = { baselineIterations: 0, shrinkage: 2, damping: 0.5, similarityExponent: 1 } as const;
const TINY = TINY_RATINGS;
const model = createRecommenderModel({ ratings: TINY }, FLAT);
// A constant offset of −0.5 whatever the percentile.
const CALIBRATION = { percentiles: [0.5], offsets: [-0.5] };

describe('memberUtilities', () => {
  it('takes the rating model’s prediction where it has one', () => {
    // r̂(u1, i4) = 3 + 0.5·(4 − 3)/(0.5 + 0.5) = 3.5 (model.test.ts).
    expect(memberUtilities(model, 'u1', [4]).utility(4)).toEqual({ kind: 'ok', stars: 3.5, basis: 'rating-model' });
  });

  it('keeps the baseline where no neighbour rated a known film', () => {
    expect(memberUtilities(model, 'u3', [1]).utility(1)).toEqual({ kind: 'ok', stars: 3, basis: 'rating-model' });
  });

  it('calibrates the ranking for a film the model does not know', () => {
    // Below u1's whole ranking: μ + b_u = 3, offset −0.5.
    const { utility } = memberUtilities(model, 'u1', [999], { calibration: CALIBRATION });
    expect(utility(999)).toEqual({ kind: 'ok', stars: 2.5, basis: 'ranking' });
  });

  it('says a member without ratings has none yet, and a film it was not asked about cannot be predicted', () => {
    const stranger = memberUtilities(model, 'stranger', [1]);
    expect(stranger.ratingCount).toBe(0);
    expect(stranger.utility(1)).toEqual({ kind: 'impossible', reason: 'no-ratings-yet' });
    expect(memberUtilities(model, 'u1', [4]).utility(5)).toEqual({ kind: 'impossible', reason: 'cannot-predict' });
  });
});

describe('group picks from the model', () => {
  it('feeds recommendForGroup, leaving out what either member rated', () => {
    const candidates = [3, 4, 5].map((itemId) => ({ itemId, popularity: 0 }));
    const ids = candidates.map(({ itemId }) => itemId);
    const participants = ['u1', 'u2'].map((userId) => ({
      userId,
      ...memberUtilities(model, userId, ids),
      seen: new Set(TINY.filter((rating) => rating.userId === userId).map((rating) => rating.itemId)),
    }));
    // u1 rated 3 and u2 rated 4; film 5 has one rater, u3, who shares no film with either: both at the baseline 3.
    const { picks } = recommendForGroup({ participants, candidates });
    expect(picks).toEqual([
      {
        itemId: 5,
        score: expect.any(Number),
        groupScore: 3,
        popularity: 0,
        forecasts: [
          { userId: 'u1', kind: 'predicted', stars: 3, basis: 'rating-model' },
          { userId: 'u2', kind: 'predicted', stars: 3, basis: 'rating-model' },
        ],
      },
    ]);
  });
});
