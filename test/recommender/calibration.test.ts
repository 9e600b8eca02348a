import { describe, expect, it } from 'vitest';
import {
  calibratedOffset,
  calibratedStars,
  DEFAULT_RANK_CALIBRATION,
  fitRankCalibration,
  rankingPercentiles,
  type RankCalibration,
} from '../../src/recommender/calibration.js';
import { createRandom } from '../../src/recommender/evaluation/random.js';

const TWO_KNOTS: RankCalibration = { percentiles: [0.2, 0.6], offsets: [-0.4, 0.4] };

describe('rank calibration', () => {
  it('interpolates between knots and stays flat outside them', () => {
    expect(calibratedOffset(TWO_KNOTS, 0.1)).toBe(-0.4);
    expect(calibratedOffset(TWO_KNOTS, 0.4)).toBeCloseTo(0, 12);
    // −0.4 + 0.8·(0.5 − 0.2)/0.4
    expect(calibratedOffset(TWO_KNOTS, 0.5)).toBeCloseTo(0.2, 12);
    expect(calibratedOffset(TWO_KNOTS, 0.9)).toBe(0.4);
    expect(calibratedOffset({ percentiles: [], offsets: [] }, 0.5)).toBe(0);
  });

  it('adds the offset to the member’s level and clips to the scale', () => {
    expect(calibratedStars(TWO_KNOTS, 3.2, 0.5, 0.5, 5)).toBeCloseTo(3.4, 12);
    expect(calibratedStars(TWO_KNOTS, 4.9, 1, 0.5, 5)).toBe(5);
    expect(calibratedStars(TWO_KNOTS, 0.6, 0, 0.5, 5)).toBe(0.5);
  });

  it('gives tied films their mean rank and the unranked ones the mean rank below', () => {
    // 10 films, ranked scores 3, 2, 2, 1: ranks 1, 2.5, 2.5, 4 → (10 − r)/9; the other 6 share rank 7.5.
    const { ranked, unranked } = rankingPercentiles([3, 2, 2, 1], 10);
    expect(Array.from(ranked)).toEqual([1, 7.5 / 9, 7.5 / 9, 6 / 9]);
    expect(unranked).toBeCloseTo(2.5 / 9, 12);
    expect(rankingPercentiles([], 1).unranked).toBe(0.5);
  });

  it('fits bin means at their mean percentile and pools adjacent violators', () => {
    // 4 bins of 0.25: bin 0 holds (0.1, −1), (0.2, −0.5) → knot (0.15, −0.75); bin 2 (0.5, 0.6), (0.6, 0) → (0.55, 0.3);
    // bin 3 (0.9, 0) → (0.9, 0). 0.3 > 0 violates: pooled (2·0.3 + 1·0)/3 = 0.2.
    const fitted = fitRankCalibration([0.1, 0.2, 0.5, 0.6, 0.9], [-1, -0.5, 0.6, 0, 0], 4);
    expect(fitted.percentiles.map((p) => Number(p.toFixed(12)))).toEqual([0.15, 0.55, 0.9]);
    expect(fitted.offsets.map((e) => Number(e.toFixed(12)))).toEqual([-0.75, 0.2, 0.2]);
    expect(fitted.counts).toEqual([2, 2, 1]);
  });

  it('is monotonic: stars never fall as a film moves up the ranking', () => {
    const random = createRandom(3);
    // Noisy, non-monotonic residuals around a rising trend.
    const percentiles = Array.from({ length: 2_000 }, () => random());
    const residuals = percentiles.map((p) => p - 0.5 + Math.sin(20 * p) * 0.3 + (random() - 0.5));
    const fitted = fitRankCalibration(percentiles, residuals);
    for (let k = 1; k < fitted.offsets.length; k++)
      expect(fitted.offsets[k]).toBeGreaterThanOrEqual(fitted.offsets[k - 1]!);
    for (const calibration of [fitted, DEFAULT_RANK_CALIBRATION]) {
      for (const level of [0.5, 2.7, 3.5, 4.9]) {
        let previous = -Infinity;
        for (let p = 0; p <= 1.000_001; p += 0.01) {
          const stars = calibratedStars(calibration, level, p, 0.5, 5);
          expect(stars).toBeGreaterThanOrEqual(previous);
          previous = stars;
        }
      }
    }
  });
});
