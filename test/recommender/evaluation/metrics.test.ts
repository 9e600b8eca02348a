import { describe, expect, it } from 'vitest';
import { createErrorAccumulator, rankingScores } from '../../../src/recommender/evaluation/metrics.js';

describe('rankingScores', () => {
  it('scores hits at ranks 1 and 3 with binary gains', () => {
    // hits at ranks 1 and 3 of 10; 4 relevant items.
    // precision = 2/10; recall = 2/4; DCG = 1/log2(2) + 1/log2(4) = 1 + 0.5 = 1.5;
    // IDCG = 1 + 1/log2(3) + 1/log2(4) + 1/log2(5) = 1 + 0.63093 + 0.5 + 0.43068 = 2.56161; NDCG = 0.58557.
    const ranked = [10, 11, 12, 13, 14, 15, 16, 17, 18, 19];
    const scores = rankingScores(ranked, new Set([10, 12, 99, 98]), 4);
    expect(scores.precision).toBeCloseTo(0.2, 10);
    expect(scores.recall).toBeCloseTo(0.5, 10);
    expect(scores.ndcg).toBeCloseTo(1.5 / (1 + 1 / Math.log2(3) + 0.5 + 1 / Math.log2(5)), 10);
    expect(scores.ndcg).toBeCloseTo(0.58557, 4);
  });

  it('counts relevant test items the model could not rank in recall and ideal DCG', () => {
    // one hit at rank 2, relevantCount 12 (more than the 10 ranks): recall = 1/12,
    // IDCG sums all 10 ranks, DCG = 1/log2(3).
    const ideal = Array.from({ length: 10 }, (_, r) => 1 / Math.log2(r + 2)).reduce((a, b) => a + b);
    const scores = rankingScores([1, 2, 3], new Set([2]), 12);
    expect(scores.precision).toBeCloseTo(0.1, 10);
    expect(scores.recall).toBeCloseTo(1 / 12, 10);
    expect(scores.ndcg).toBeCloseTo(1 / Math.log2(3) / ideal, 10);
  });

  it('gives a perfect list an NDCG of 1 and an empty list zeros', () => {
    expect(rankingScores([5, 6], new Set([5, 6]), 2).ndcg).toBeCloseTo(1, 10);
    expect(rankingScores([], new Set([5]), 1)).toEqual({ precision: 0, recall: 0, ndcg: 0 });
  });
});

describe('createErrorAccumulator', () => {
  it('computes RMSE and MAE', () => {
    // errors +1, −2, 0: RMSE = √((1 + 4 + 0)/3) = √(5/3); MAE = 3/3 = 1.
    const errors = createErrorAccumulator();
    errors.add(4, 3);
    errors.add(1, 3);
    errors.add(2.5, 2.5);
    expect(errors.count).toBe(3);
    expect(errors.rmse()).toBeCloseTo(Math.sqrt(5 / 3), 10);
    expect(errors.mae()).toBeCloseTo(1, 10);
  });
});
