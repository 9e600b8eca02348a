import { describe, expect, it } from 'vitest';
import {
  createRandom,
  defaultStrategyRule,
  drawGroup,
  estimate,
  memberGroupScores,
  pearson,
  ranksAmong,
  similarMembers,
  type GroupRow,
} from '../../../src/recommender/evaluation/index.js';
import { compareSlots } from '../../../src/recommender/group-strategies.js';

const films = (pairs: readonly (readonly [number, number])[]) => ({
  itemIds: Int32Array.from(pairs, ([itemId]) => itemId),
  ratings: Float64Array.from(pairs, ([, rating]) => rating),
});

describe('memberGroupScores', () => {
  it('scores a member on the group’s whole ranking', () => {
    // Ranks 1, 3, 60 of 101: percentiles 100/100, 98/100, 41/100; 2 of 3 in the top 50;
    // DCG = 1/log2(2) + 1/log2(4) = 1.5, IDCG = 1 + 1/log2(3) + 1/log2(4).
    const scores = memberGroupScores([1, 3, 60], 101);
    expect(scores.percentile).toBeCloseTo((1 + 0.98 + 0.41) / 3, 12);
    expect(scores.recall50).toBeCloseTo(2 / 3, 12);
    expect(scores.ndcg10).toBeCloseTo(1.5 / (1.5 + 1 / Math.log2(3)), 12);
  });
});

describe('estimate', () => {
  it('gives the mean and s/√n', () => {
    // Squares 2.25 + 0.25 + 0.25 + 2.25 = 5; s = √(5/3); se = s/2.
    expect(estimate([1, 2, 3, 4])).toEqual({ mean: 2.5, se: expect.closeTo(Math.sqrt(5 / 3) / 2, 12) });
    expect(estimate([7]).se).toBeNaN();
  });
});

describe('ranksAmong', () => {
  it('agrees with sorting every slot, ties and skipped slots included', () => {
    const random = createRandom(11);
    for (let round = 0; round < 30; round++) {
      const size = 1 + Math.floor(random() * 400);
      // Few distinct scores (many ties) in some rounds, continuous in others.
      const levels = round % 2 === 0 ? 5 : 1_000_000;
      const scores = Float64Array.from({ length: size }, () => Math.floor(random() * levels));
      const means = Float64Array.from({ length: size }, () => Math.floor(random() * 3));
      const tieRank = Int32Array.from({ length: size }, (_, c) => c);
      for (let c = size - 1; c > 0; c--) {
        const j = Math.floor(random() * (c + 1));
        [tieRank[c], tieRank[j]] = [tieRank[j]!, tieRank[c]!];
      }
      const slots = Int32Array.from({ length: size }, (_, c) => c).filter(() => random() < 0.8);
      const skip = round % 3 === 0 ? Uint8Array.from({ length: size }, () => (random() < 0.2 ? 1 : 0)) : null;
      const kept = Array.from(slots).filter((c) => skip === null || skip[c] !== 1);
      const targets = kept.filter(() => random() < 0.1);
      const sorted = [...kept].sort((a, b) => compareSlots(a, b, scores, means, tieRank));
      const ranks = ranksAmong(targets, slots, scores, means, tieRank, skip, 7);
      for (const target of targets) expect(ranks.get(target)).toBe(7 + sorted.indexOf(target) + 1);
    }
  });
});

describe('group sampling', () => {
  it('computes Pearson over the films both rated, and 0 below the minimum overlap', () => {
    const a = films([
      [1, 5],
      [2, 3],
      [3, 1],
      [9, 4],
    ]);
    const b = films([
      [1, 4],
      [2, 3],
      [3, 2],
      [7, 1],
    ]);
    // Co-rated 1, 2, 3: x = 5, 3, 1 and y = 4, 3, 2 lie on a line: ρ = 1.
    expect(pearson(a, b, 3)).toBeCloseTo(1, 12);
    expect(pearson(a, b, 4)).toBe(0);
    const c = films([
      [1, 1],
      [2, 3],
      [3, 5],
    ]);
    expect(pearson(a, c, 3)).toBeCloseTo(-1, 12);
    expect(similarMembers([a, b, c], 0.3, 3)).toEqual([[1], [0], []]);
  });

  it('draws distinct members, and similar groups only along similarity', () => {
    const random = createRandom(5);
    for (let round = 0; round < 50; round++) {
      const group = drawGroup('random', 4, 6, [], random)!;
      expect(new Set(group).size).toBe(4);
      expect(group.every((member) => member >= 0 && member < 6)).toBe(true);
    }
    // A chain 0-1-2 and a pair 3-4: a similar group of 3 is the chain, and none exists from 3 or 4.
    const similar = [[1], [0, 2], [1], [4], [3]];
    const drawn = Array.from({ length: 50 }, () => drawGroup('similar', 3, 5, similar, random));
    expect(drawn).toContain(null);
    for (const group of drawn.filter((entry) => entry !== null)) expect([...group].sort()).toEqual([0, 1, 2]);
    expect(drawn.filter((entry) => entry !== null).length).toBeGreaterThan(0);
    expect(drawGroup('random', 7, 6, [], random)).toBeNull();
  });
});

describe('defaultStrategyRule', () => {
  const row = (size: number, strategy: GroupRow['strategy'], mean: number, gain: number, se: number): GroupRow => {
    const figure = { mean: 0, se: 0 };
    return {
      size,
      composition: 'random',
      strategy,
      groups: 1_000,
      meanPercentile: { mean, se: 0.003 },
      worstPercentile: figure,
      worstPercentileGain: { mean: gain, se },
      meanRecall50: figure,
      worstRecall50: figure,
      worstRecall50Gain: figure,
      ndcg10: 0,
    };
  };

  it('wants a gain over 2 standard errors at 4 and 8 with the mean within 2 %', () => {
    const rows = [4, 8].flatMap((size) => [
      row(size, 'average', 0.7, 0, 0),
      // 3 SE at both, mean 99 %: qualifies.
      row(size, 'borda', 0.693, 0.003, 0.001),
      // 5 SE but mean 97.9 %: does not.
      row(size, 'least_misery', 0.6853, 0.005, 0.001),
      // 1.5 SE at 8 only.
      row(size, 'gfar', 0.7, size === 8 ? 0.0015 : 0.004, 0.001),
    ]);
    const rule = defaultStrategyRule(rows);
    expect(rule.verdicts.map((verdict) => [verdict.strategy, verdict.qualifies])).toEqual([
      ['borda', true],
      ['least_misery', false],
      ['gfar', false],
    ]);
    expect(rule.chosen).toBe('borda');
    expect(defaultStrategyRule(rows.filter((candidate) => candidate.strategy !== 'borda')).chosen).toBeNull();
  });
});
