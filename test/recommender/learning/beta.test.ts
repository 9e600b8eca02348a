import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/recommender/evaluation/random.js';
import {
  PICK_OUTCOMES,
  posteriorFrom,
  posteriorMean,
  sampleBeta,
  updatePosterior,
} from '../../../src/recommender/learning/index.js';

describe('the Beta update', () => {
  it('adds a success to α, a failure to β, and leaves the posterior alone for a pick that taught nothing', () => {
    const prior = { alpha: 2, beta: 2 };
    expect(updatePosterior(prior, PICK_OUTCOMES.success)).toEqual({ alpha: 3, beta: 2 });
    expect(updatePosterior(prior, PICK_OUTCOMES.failure)).toEqual({ alpha: 2, beta: 3 });
    expect(updatePosterior(prior, PICK_OUTCOMES.none)).toEqual({ alpha: 2, beta: 2 });
    expect(prior).toEqual({ alpha: 2, beta: 2 });
  });

  it('gives the same posterior counted at once as updated pick by pick, in any order', () => {
    const outcomes = ['success', 'none', 'failure', 'success', 'success', 'none', 'failure'] as const;
    const forwards = outcomes.reduce(updatePosterior, { alpha: 1, beta: 1 });
    const backwards = [...outcomes].reverse().reduce(updatePosterior, { alpha: 1, beta: 1 });
    // 3 successes, 2 failures on Beta(1, 1): Beta(4, 3), mean 4/7.
    expect(forwards).toEqual({ alpha: 4, beta: 3 });
    expect(backwards).toEqual(forwards);
    expect(posteriorFrom({ alpha: 1, beta: 1 }, 3, 2)).toEqual(forwards);
    expect(posteriorMean(forwards)).toBeCloseTo(4 / 7, 12);
  });
});

describe('a Thompson draw from a Beta posterior', () => {
  it('gives the same draws from the same seed, and other draws from another', () => {
    const draws = (seed: number) => {
      const random = createRandom(seed);
      return Array.from({ length: 5 }, () => sampleBeta({ alpha: 3, beta: 7 }, random));
    };
    expect(draws(7)).toEqual(draws(7));
    expect(draws(8)).not.toEqual(draws(7));
  });

  it('draws within [0, 1] with the mean α/(α+β) and variance αβ/((α+β)²(α+β+1)) of the posterior', () => {
    const random = createRandom(42);
    for (const [alpha, beta] of [
      [3, 7],
      [0.5, 0.5],
      [40, 10],
    ] as const) {
      const draws = Array.from({ length: 20_000 }, () => sampleBeta({ alpha, beta }, random));
      const mean = draws.reduce((sum, x) => sum + x, 0) / draws.length;
      const variance = draws.reduce((sum, x) => sum + (x - mean) ** 2, 0) / (draws.length - 1);
      const n = alpha + beta;
      expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
      expect(Math.max(...draws)).toBeLessThanOrEqual(1);
      // Beta(3, 7): mean 0.3, variance 21/1100 = 0.0191; Beta(½, ½): 0.5, 0.125; Beta(40, 10): 0.8, 0.00314. The
      // standard error of 20,000 draws' mean is at most 0.0025.
      expect(mean).toBeCloseTo(alpha / n, 2);
      expect(variance / ((alpha * beta) / (n * n * (n + 1)))).toBeCloseTo(1, 1);
    }
  });
});
