import { describe, expect, it } from 'vitest';
import { createRecommenderModel } from '../../src/recommender/index.js';

describe('baselines', () => {
  it('fits one alternating pass by hand', () => {
    // Ratings: u1·i1 = 4, u1·i2 = 2, u2·i1 = 5; μ = 11/3; λ_i = λ_u = 1.
    // Items first (b_u = 0): b_i1 = ((4 − μ) + (5 − μ)) / (1 + 2) = 5/9; b_i2 = (2 − μ) / (1 + 1) = −5/6.
    // Users: b_u1 = ((4 − μ − 5/9) + (2 − μ + 5/6)) / (1 + 2) = −19/54; b_u2 = (5 − μ − 5/9) / 2 = 7/18.
    // b_u1,i1 = 11/3 − 19/54 + 5/9 = 209/54; b_u2,i2 = 11/3 + 7/18 − 5/6 = 29/9.
    const model = createRecommenderModel(
      {
        ratings: [
          { userId: 'u1', itemId: 1, rating: 4 },
          { userId: 'u1', itemId: 2, rating: 2 },
          { userId: 'u2', itemId: 1, rating: 5 },
        ],
      },
      { baselineIterations: 1, userBaselineReg: 1, itemBaselineReg: 1 },
    );
    expect(model.baseline('u1', 1)).toBeCloseTo(209 / 54, 10);
    expect(model.baseline('u2', 2)).toBeCloseTo(29 / 9, 10);
    // Unknown user: μ + b_i1 = 11/3 + 5/9 = 38/9.
    expect(model.baseline('nobody', 1)).toBeCloseTo(38 / 9, 10);
  });

  it('keeps the global mean when regularisation swamps the biases', () => {
    const model = createRecommenderModel(
      {
        ratings: [
          { userId: 'a', itemId: 1, rating: 5 },
          { userId: 'b', itemId: 2, rating: 1 },
        ],
      },
      { userBaselineReg: 1e12, itemBaselineReg: 1e12 },
    );
    expect(model.baseline('a', 2)).toBeCloseTo(3, 8);
  });
});
