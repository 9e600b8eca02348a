import { describe, expect, it } from 'vitest';
import { createRandom } from '../../../src/recommender/evaluation/random.js';
import {
  addOutcome,
  DEFAULT_SOURCE_LEARNING,
  evidenceFrom,
  meanScale,
  noEvidence,
  PICK_OUTCOMES,
  requestScale,
  sampleBeta,
  serverRate,
  sourcePosteriors,
  thompsonScale,
  type SourceEvidence,
} from '../../../src/recommender/learning/index.js';
import {
  ALL_PICK_SOURCES,
  createRecommenderModel,
  PICK_SOURCES,
  type PickSource,
  type SourceParts,
} from '../../../src/recommender/index.js';

const { success, failure, none } = PICK_OUTCOMES;

/** similar-films: 6 👍, 2 👎; popular: 0 👍, 4 👎; neighbours: 2 👍; server favourites: nothing yet. */
const evidence: SourceEvidence = evidenceFrom([
  ...Array.from({ length: 6 }, () => ({ source: PICK_SOURCES.similarFilms, outcome: success })),
  ...Array.from({ length: 2 }, () => ({ source: PICK_SOURCES.similarFilms, outcome: failure })),
  ...Array.from({ length: 4 }, () => ({ source: PICK_SOURCES.popular, outcome: failure })),
  ...Array.from({ length: 2 }, () => ({ source: PICK_SOURCES.neighbours, outcome: success })),
  { source: PICK_SOURCES.serverFavourites, outcome: none },
]);

describe('source posteriors', () => {
  it('count each source’s outcomes, a pick that taught nothing counting neither', () => {
    expect(evidence).toEqual({
      'similar-films': { successes: 6, failures: 2 },
      neighbours: { successes: 2, failures: 0 },
      'server-favourites': { successes: 0, failures: 0 },
      popular: { successes: 0, failures: 4 },
    });
    expect(addOutcome(noEvidence(), PICK_SOURCES.popular, none)).toEqual(noEvidence());
  });

  it('centre each source’s prior on the server’s own share of well-received picks, worth κ = 4 picks', () => {
    // p̄ = (1 + 8)/(2 + 8 + 6) = 9/16; prior Beta(4·9/16, 4·7/16) = Beta(2.25, 1.75).
    expect(serverRate(evidence)).toBe(9 / 16);
    expect(sourcePosteriors(evidence)).toEqual({
      'similar-films': { alpha: 8.25, beta: 3.75 },
      neighbours: { alpha: 4.25, beta: 1.75 },
      'server-favourites': { alpha: 2.25, beta: 1.75 },
      popular: { alpha: 2.25, beta: 5.75 },
    });
  });

  it('give every source the tuned weight (×1) while nothing was learnt', () => {
    // p̄ = ½, every posterior Beta(2, 2): mean ½, g = ½/½ = 1.
    expect(meanScale(noEvidence())).toEqual({
      'similar-films': 1,
      neighbours: 1,
      'server-favourites': 1,
      popular: 1,
    });
  });

  it('scale each source by its posterior mean over the server’s share, worked out by hand', () => {
    const scale = meanScale(evidence);
    // similar-films 8.25/12 ÷ 9/16 = 1.2222; neighbours 4.25/6 ÷ 9/16 = 1.2593; favourites 2.25/4 ÷ 9/16 = 1;
    // popular 2.25/8 ÷ 9/16 = 0.5.
    expect(scale['similar-films']).toBeCloseTo(11 / 9, 12);
    expect(scale.neighbours).toBeCloseTo(68 / 54, 12);
    expect(scale['server-favourites']).toBeCloseTo(1, 12);
    expect(scale.popular).toBeCloseTo(0.5, 12);
  });

  it('never scale a source below the floor, however badly its picks were received', () => {
    const hated = evidenceFrom([
      ...Array.from({ length: 40 }, () => ({ source: PICK_SOURCES.similarFilms, outcome: success })),
      ...Array.from({ length: 40 }, () => ({ source: PICK_SOURCES.popular, outcome: failure })),
    ]);
    // p̄ = 41/82 = ½; popular Beta(2, 42): mean 1/22, g = (1/22)/½ = 0.09 → floor ¼.
    expect(meanScale(hated).popular).toBe(DEFAULT_SOURCE_LEARNING.floor);
    const random = createRandom(3);
    for (let draw = 0; draw < 200; draw++) {
      const scale = thompsonScale(hated, random);
      for (const source of ALL_PICK_SOURCES) expect(scale[source]).toBeGreaterThanOrEqual(0.25);
    }
    expect(meanScale(hated, { priorStrength: 4, floor: 0.01 }).popular).toBeCloseTo(1 / 11, 12);
  });
});

describe('the Thompson draw of the sources’ weights', () => {
  it('draws θ_s ~ Beta in source order from the random source and scales by max(floor, θ_s/p̄)', () => {
    const posteriors = sourcePosteriors(evidence);
    const replay = createRandom(11);
    const expected = Object.fromEntries(
      ALL_PICK_SOURCES.map((source) => [source, sampleBeta(posteriors[source], replay)] as const),
    ) as Record<PickSource, number>;

    const scale = thompsonScale(evidence, createRandom(11));

    for (const source of ALL_PICK_SOURCES) {
      expect(scale[source]).toBeCloseTo(Math.max(0.25, expected[source] / (9 / 16)), 12);
    }
    expect(thompsonScale(evidence, createRandom(11))).toEqual(scale);
  });

  it('draws a request’s weights from the seeded source only once the server has an outcome', () => {
    const evidence = evidenceFrom([{ source: 'popular', outcome: 'failure' }]);
    const none = evidenceFrom([]);
    expect(requestScale(none, createRandom(1))).toEqual({
      'similar-films': 1,
      neighbours: 1,
      'server-favourites': 1,
      popular: 1,
    });
    expect(requestScale(evidence, createRandom(1))).toEqual(requestScale(evidence, createRandom(1)));
    expect(requestScale(evidence, createRandom(1))).not.toEqual(requestScale(evidence, createRandom(2)));
  });

  it('averages to the mean scale over many draws, above the floor', () => {
    const random = createRandom(5);
    const draws = Array.from({ length: 20_000 }, () => thompsonScale(evidence, random)['similar-films']);
    const mean = draws.reduce((sum, g) => sum + g, 0) / draws.length;
    // Beta(8.25, 3.75) sits well above the floor, so the floor never bites: E[g] = E[θ]/p̄ = 11/9.
    expect(mean).toBeCloseTo(11 / 9, 2);
  });
});

describe('the blend with learnt source weights', () => {
  // u loved film 1, whose list holds 10; popular films 10 and 20. u has one loved film with a list: f_u = ½/(½ + 1).
  const model = createRecommenderModel({ ratings: [{ userId: 'u', itemId: 1, rating: 5 }] });
  const options = {
    related: (itemId: number) => (itemId === 1 ? [10] : undefined),
    popular: [{ itemId: 10 }, { itemId: 20 }],
  };
  const parts = (scale?: SourceParts) =>
    new Map(
      model
        .scoreCandidates('u', [10, 20], { ...options, ...(scale ? { sourceScale: scale } : {}) })
        .map((film) => [film.itemId, film.parts]),
    );
  const unit = { 'similar-films': 1, neighbours: 1, 'server-favourites': 1, popular: 1 };

  it('multiplies each source’s part by its g_s', () => {
    const plain = parts(unit);
    const scaled = parts({ ...unit, 'similar-films': 2, popular: 0.25 });
    expect(scaled.get(10)!['similar-films']).toBeCloseTo(2 * plain.get(10)!['similar-films'], 12);
    expect(scaled.get(20)!.popular).toBeCloseTo(0.25 * plain.get(20)!.popular, 12);
    // P(20) = log(1 + 1)/log(1 + 2) (popularity from list places 2 and 1), weighed f_u·w_P = ⅓·½.
    expect(plain.get(20)!.popular).toBeCloseTo((Math.log(2) / Math.log(3)) * (1 / 3) * 0.5, 12);
  });

  it('uses the model’s own multipliers when a request brings none, as group picks do', () => {
    const plain = parts();
    model.setSourceScale({ ...unit, popular: 3 });
    expect(parts().get(20)!.popular).toBeCloseTo(3 * plain.get(20)!.popular, 12);
    expect(parts(unit).get(20)!.popular).toBeCloseTo(plain.get(20)!.popular, 12);
  });
});
