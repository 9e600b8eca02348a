import { describe, expect, it } from 'vitest';
import { createRandom, shuffled } from '../../src/recommender/evaluation/random.js';
import { createRecommenderModel, type RatingInput, type RecommenderModel } from '../../src/recommender/index.js';
import { TINY_RATINGS } from '../support/tiny-ratings.js';

// μ = 3 and no biases (0 passes), so residuals are r − 3 and every figure can be worked out by hand. Every rating
// counts as liked (likedRating at the bottom of the scale), so the liked-set cosine is the binary cosine.
const FLAT = { baselineIterations: 0, shrinkage: 2, damping: 0.5, similarityExponent: 1, likedRating: 0.5 } as const;
const TINY = TINY_RATINGS;

describe('similarity', () => {
  const model = createRecommenderModel({ ratings: TINY }, FLAT);

  it('computes shrunk Pearson on residuals and binary cosine by hand', () => {
    // Co-rated i1, i2: e_u1 = (2, −2), e_u2 = (1, −1); Σe1e2 = 4, Σe1² = 8, Σe2² = 2 → 4/√16 = 1;
    // shrunk by n/(n+λ) = 2/(2+2) → 0.5. Cosine = 2 / √(3·3) = 2/3.
    expect(model.similarity('u1', 'u2')).toEqual({
      coRated: 2,
      pearson: expect.closeTo(0.5, 10),
      cosine: expect.closeTo(2 / 3, 10),
    });
  });

  it('is symmetric', () => {
    expect(model.similarity('u2', 'u1')).toEqual(model.similarity('u1', 'u2'));
  });

  it('shrinks less as the shrinkage goes to zero', () => {
    const unshrunk = createRecommenderModel({ ratings: TINY }, { ...FLAT, shrinkage: 0 });
    expect(unshrunk.similarity('u1', 'u2').pearson).toBeCloseTo(1, 10);
  });

  it('returns zeros, not NaN, without co-rated films', () => {
    expect(model.similarity('u1', 'u3')).toEqual({ coRated: 0, pearson: 0, cosine: 0 });
    expect(model.similarity('u1', 'nobody')).toEqual({ coRated: 0, pearson: 0, cosine: 0 });
  });

  it('agrees with the neighbourhood computed through the inverted index', () => {
    expect(model.neighbours('u1')).toEqual([{ userId: 'u2', similarity: expect.closeTo(2 / 3, 10), shared: 2 }]);
  });
});

describe('predict', () => {
  const model = createRecommenderModel({ ratings: TINY }, FLAT);

  it('adds the damped, similarity-weighted residuals of the neighbours to the baseline', () => {
    // r̂(u1, i4) = 3 + 0.5·(4 − 3) / (0.5 + λ₂ 0.5) = 3.5.
    expect(model.predict('u1', 4)).toEqual({ kind: 'ok', rating: 3.5, baseline: 3, neighbours: 1 });
  });

  it('reports an impossible prediction with the baseline to fall back on', () => {
    expect(model.predict('u3', 1)).toEqual({ kind: 'impossible', reason: 'no-neighbours', baseline: 3 });
    expect(model.predict('stranger', 1)).toEqual({ kind: 'impossible', reason: 'unknown-user', baseline: 3 });
    expect(model.predict('u1', 999)).toEqual({ kind: 'impossible', reason: 'unknown-item', baseline: 3 });
  });

  it('ignores neighbours outside the allowed set', () => {
    expect(model.predict('u1', 4, { allowedNeighbours: new Set(['u3']) }).kind).toBe('impossible');
  });

  it('gives the same predictions for shuffled input', () => {
    const shuffledModel = createRecommenderModel({ ratings: shuffled(TINY, createRandom(3)) }, FLAT);
    expect(shuffledModel.predictMany('u1', [4, 5])).toEqual(model.predictMany('u1', [4, 5]));
  });

  it('keeps the last of duplicate ratings', () => {
    const twice = createRecommenderModel({ ratings: [...TINY, { userId: 'u1', itemId: 1, rating: 3 }] }, FLAT);
    expect(twice.ratingOf('u1', 1)).toBe(3);
    expect(twice.ratingCount).toBe(TINY.length);
  });
});

// Target 'a' rated 1, 2. 'b' rated 1, 2, 3 (5★), 4 (2★); 'c' rated 1, 5 (4★); 'd' shares nothing.
// With K = 10, p = 1, vote floor 1: vote(r) = (r − 1)/4; cos(a,b) = 2/√(2·4) = 0.7071, cos(a,c) = 1/√(2·2) = 0.5.
// score(3) = 0.7071·1 = 0.7071; score(5) = 0.5·0.75 = 0.375; score(4) = 0.7071·0.25 = 0.1768.
const RANKING: RatingInput[] = [
  { userId: 'a', itemId: 1, rating: 4 },
  { userId: 'a', itemId: 2, rating: 4 },
  { userId: 'b', itemId: 1, rating: 4 },
  { userId: 'b', itemId: 2, rating: 5 },
  { userId: 'b', itemId: 3, rating: 5 },
  { userId: 'b', itemId: 4, rating: 2 },
  { userId: 'c', itemId: 1, rating: 5 },
  { userId: 'c', itemId: 5, rating: 4 },
  { userId: 'd', itemId: 9, rating: 5 },
];
// Every rating counts as liked (the binary cosine) and N(i) weighs 1 in the blend, so scores are the votes above.
const RANKING_CONFIG = {
  rankingNeighbours: 10,
  similarityExponent: 1,
  likedRating: 0.5,
  neighbourWeight: 1,
  voteFloor: 1,
  thumbsUpVote: 0.5,
  thumbsDownVote: 1,
} as const;
const ids = (model: RecommenderModel, options: Parameters<RecommenderModel['recommend']>[1] = {}) =>
  model.recommend('a', options).picks.map((pick) => pick.itemId);

describe('recommend', () => {
  it('ranks films by similarity-weighted liked votes, leaving out the member’s own ratings', () => {
    const model = createRecommenderModel({ ratings: RANKING }, RANKING_CONFIG);
    const { picks, ratingCount, neighbourCount } = model.recommend('a');
    expect(picks.map((pick) => [pick.itemId, pick.score])).toEqual([
      [3, expect.closeTo(Math.SQRT1_2, 10)],
      [5, expect.closeTo(0.375, 10)],
      [4, expect.closeTo(Math.SQRT1_2 / 4, 10)],
    ]);
    // strength = score / Σ sim = 0.7071 / 1.2071.
    expect(picks[0]!.strength).toBeCloseTo(Math.SQRT1_2 / (Math.SQRT1_2 + 0.5), 10);
    expect({ ratingCount, neighbourCount }).toEqual({ ratingCount: 2, neighbourCount: 2 });
  });

  it('honours the exclusion set, the filter and the count', () => {
    const model = createRecommenderModel({ ratings: RANKING }, RANKING_CONFIG);
    expect(ids(model, { exclude: new Set([3]) })).toEqual([5, 4]);
    expect(ids(model, { filter: (itemId) => itemId !== 5 })).toEqual([3, 4]);
    expect(ids(model, { count: 1 })).toEqual([3]);
  });

  it('takes neighbours only from the allowed set', () => {
    const model = createRecommenderModel({ ratings: RANKING }, RANKING_CONFIG);
    expect(ids(model, { allowedNeighbours: new Set(['c', 'd']) })).toEqual([5]);
  });

  it('excludes a film the member gave 👎 and counts a neighbour’s 👎 against it', () => {
    const model = createRecommenderModel({ ratings: RANKING }, RANKING_CONFIG);
    model.setFeedback('a', 4, -1);
    expect(ids(model)).toEqual([3, 5]);
    // score(3) = 0.7071 − 0.5·1 = 0.2071, now below film 5's 0.375.
    model.setFeedback('c', 3, -1);
    expect(ids(model)).toEqual([5, 3]);
  });

  it('counts a neighbour’s 👍 as a weaker liked vote', () => {
    const model = createRecommenderModel(
      { ratings: RANKING, feedback: [{ userId: 'b', itemId: 6, value: 1 }] },
      RANKING_CONFIG,
    );
    // score(6) = 0.7071·0.5 = 0.3536: between film 5 (0.375) and film 4 (0.1768).
    expect(ids(model)).toEqual([3, 5, 6, 4]);
  });

  it('breaks score ties by ascending item id', () => {
    const model = createRecommenderModel(
      {
        ratings: [
          { userId: 'a', itemId: 1, rating: 4 },
          { userId: 'b', itemId: 1, rating: 4 },
          { userId: 'b', itemId: 30, rating: 5 },
          { userId: 'b', itemId: 20, rating: 5 },
        ],
      },
      RANKING_CONFIG,
    );
    expect(ids(model)).toEqual([20, 30]);
  });

  it('gives a member the model does not know (no ratings yet) only the server’s favourites', () => {
    const model = createRecommenderModel({ ratings: RANKING }, RANKING_CONFIG);
    // Only film 1 has 3 raters (4, 4, 5). C = 38/9 (every rating), m = 5: B = (13 + 5C)/8, B − C = (13 − 3C)/8 = 1/24;
    // F = (1/24)/(5 − C) = (1/24)/(7/9) = 3/56, weighed w_F = 1 with nothing of theirs to fade it.
    expect(model.recommend('stranger')).toMatchObject({
      picks: [{ itemId: 1, score: expect.closeTo(3 / 56, 12), sources: ['server-favourites'] }],
      ratingCount: 0,
      neighbourCount: 0,
    });
  });
});

// Target 'a' rated 1, 2, 3 as 4, 4, 2. 'b' rated them 4, 5, 2 (three agreements: within a star each) and 7 (5★).
// 'x' rated them 4, 1, 5 and 7 (5★): film 1 agrees, films 2 and 3 are more than a star apart and on opposite sides
// of each one's mean (a: 10/3, x: 15/4), so a = 1 < d = 2: x disagrees. Both are neighbours by liked films (every
// rating liked here): cos = 3/√(3·4) = 0.8660 each, so score(7) = 2 × 0.8660 × vote(5) = 1.7321.
const DISAGREEING: RatingInput[] = [
  ...[4, 4, 2].map((rating, at) => ({ userId: 'a', itemId: at + 1, rating })),
  ...[4, 5, 2, 5].map((rating, at) => ({ userId: 'b', itemId: [1, 2, 3, 7][at]!, rating })),
  ...[4, 1, 5, 5].map((rating, at) => ({ userId: 'x', itemId: [1, 2, 3, 7][at]!, rating })),
];

describe('explanations', () => {
  const model = createRecommenderModel({ ratings: DISAGREEING }, RANKING_CONFIG);

  it('counts, averages and lists only the backers who agree with the member, though every neighbour votes', () => {
    const [pick] = model.recommend('a', { canName: () => true }).picks;
    expect(pick).toMatchObject({ itemId: 7, score: expect.closeTo(Math.sqrt(3), 10) });
    expect(pick!.explanation).toEqual({
      backers: 1,
      averageRating: 5,
      contributors: [
        {
          kind: 'named',
          userId: 'b',
          rating: 5,
          feedback: null,
          similarity: expect.closeTo(Math.sqrt(3) / 2, 10),
          agreements: 3,
          contribution: expect.closeTo(Math.sqrt(3) / 2, 10),
        },
      ],
    });
    expect(JSON.stringify(pick!.explanation)).not.toContain('"x"');
  });

  it('names a contributor only when allowed, keeping the others anonymous', () => {
    const [pick] = model.recommend('a', { canName: (userId) => userId === 'x' }).picks;
    expect(pick!.explanation.contributors.map((contributor) => contributor.kind)).toEqual(['anonymous']);
  });

  it('keeps everyone anonymous by default', () => {
    const contributors = model.recommend('a').picks.flatMap((pick) => pick.explanation.contributors);
    expect(contributors.every((contributor) => contributor.kind === 'anonymous')).toBe(true);
  });

  it('averages the ratings of the agreeing backers and lists the strongest contributor first', () => {
    const crowd = createRecommenderModel(
      {
        ratings: [
          ...[1, 2, 3].map((itemId) => ({ userId: 'a', itemId, rating: 4 })),
          ...[1, 2, 3].map((itemId) => ({ userId: 'x', itemId, rating: 4 })),
          { userId: 'x', itemId: 7, rating: 5 },
          ...[1, 2, 3, 4].map((itemId) => ({ userId: 'y', itemId, rating: 4 })),
          { userId: 'y', itemId: 7, rating: 4 },
        ],
      },
      RANKING_CONFIG,
    );
    // cos(a,x) = 3/√(3·4) = 0.8660, cos(a,y) = 3/√(3·5) = 0.7746; contributions x: 0.8660·1, y: 0.7746·0.75.
    const [pick] = crowd.recommend('a', { canName: () => true }).picks;
    expect(pick!.explanation.backers).toBe(2);
    expect(pick!.explanation.averageRating).toBeCloseTo(4.5, 10);
    expect(pick!.explanation.contributors.map((c) => (c.kind === 'named' ? c.userId : null))).toEqual(['x', 'y']);
  });
});

describe('incremental updates', () => {
  function randomRatings(seed: number, users: number, items: number, count: number): RatingInput[] {
    const random = createRandom(seed);
    return Array.from({ length: count }, () => ({
      userId: String(1 + Math.floor(random() * users)),
      itemId: 1 + Math.floor(random() * items),
      rating: 0.5 + Math.floor(random() * 10) / 2,
    }));
  }

  it('takes a new rating into account on the next request without a rebuild', () => {
    const model = createRecommenderModel({ ratings: RANKING }, RANKING_CONFIG);
    model.setRating('a', 3, 5);
    expect(model.ratingOf('a', 3)).toBe(5);
    expect(ids(model)).not.toContain(3);
    expect(model.deleteRating('a', 3)).toBe(true);
    expect(ids(model)[0]).toBe(3);
    expect(model.pendingChanges).toBe(2);
  });

  it('predicts and ranks like a full rebuild after a series of updates and a refit', () => {
    const initial = randomRatings(11, 30, 40, 400);
    const model = createRecommenderModel({ ratings: initial });
    const final = new Map(initial.map((r) => [`${r.userId}:${r.itemId}`, r]));
    const random = createRandom(12);
    for (let step = 0; step < 200; step++) {
      // New members (31-35), new films (41-45), changes and deletions.
      const userId = String(1 + Math.floor(random() * 35));
      const itemId = 1 + Math.floor(random() * 45);
      const key = `${userId}:${itemId}`;
      if (random() < 0.3 && final.has(key)) {
        expect(model.deleteRating(userId, itemId)).toBe(true);
        final.delete(key);
      } else {
        const rating = 0.5 + Math.floor(random() * 10) / 2;
        model.setRating(userId, itemId, rating);
        final.set(key, { userId, itemId, rating });
      }
    }
    expect(model.refitIfDue()).toBe(true);
    expect(model.pendingChanges).toBe(0);
    const rebuilt = createRecommenderModel({ ratings: [...final.values()] });
    expect(model.ratingCount).toBe(rebuilt.ratingCount);
    const items = Array.from({ length: 46 }, (_, i) => i + 1);
    for (let user = 1; user <= 36; user++) {
      const userId = String(user);
      const got = model.predictMany(userId, items);
      const want = rebuilt.predictMany(userId, items);
      got.forEach((prediction, at) => {
        const expected = want[at]!;
        expect(prediction.kind).toBe(expected.kind);
        expect(prediction.baseline).toBeCloseTo(expected.baseline, 9);
        if (prediction.kind === 'ok' && expected.kind === 'ok')
          expect(prediction.rating).toBeCloseTo(expected.rating, 9);
      });
      const picks = model.recommend(userId, { count: 20 }).picks;
      const wanted = rebuilt.recommend(userId, { count: 20 }).picks;
      expect(picks.map((pick) => pick.itemId)).toEqual(wanted.map((pick) => pick.itemId));
      picks.forEach((pick, at) => expect(pick.score).toBeCloseTo(wanted[at]!.score, 9));
    }
  });

  it('forgets a removed member everywhere', () => {
    const model = createRecommenderModel({ ratings: RANKING }, RANKING_CONFIG);
    model.removeUser('b');
    expect(model.ratingCountOf('b')).toBe(0);
    expect(ids(model)).toEqual([5]);
  });

  it('rejects ratings outside the scale', () => {
    const model = createRecommenderModel({ ratings: RANKING });
    expect(() => model.setRating('a', 1, 7)).toThrow(RangeError);
  });
});
