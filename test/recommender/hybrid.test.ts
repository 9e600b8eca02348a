import { describe, expect, it } from 'vitest';
import { createRandom, shuffled } from '../../src/recommender/evaluation/random.js';
import {
  createRecommenderModel,
  scoreCandidatesFor,
  type FilmList,
  type RatingInput,
} from '../../src/recommender/index.js';

const rate = (userId: string, ratings: Record<number, number>): RatingInput[] =>
  Object.entries(ratings).map(([itemId, rating]) => ({ userId, itemId: Number(itemId), rating }));
const listsOf = (lists: Record<number, FilmList>) => (itemId: number) => lists[itemId];

describe('agreement', () => {
  // u rated films 1-5 as 5, 4, 2, 1, 3 (mean 3).
  //   v1: 4.5, 4, 2.5, 1, 3: every film within a star → a = 5, d = 0.
  //   v2: 1, 2, 4, 5, 3 (the opposite; mean 3): films 1-4 more than a star apart and on opposite sides of each mean;
  //       film 5 equal → a = 1, d = 4: not similar, however many films they share.
  //   v3: 5, 5, 3.5, 2.5, 4.5 (mean 4.1): film 1 equal, film 2 within a star; films 3 and 4 1.5 apart but both
  //       below each one's mean (−1 and −0.6, −2 and −1.6); film 5 1.5 apart and u exactly at their mean → a = 4, d = 1.
  //   v4: films 1, 2 only (equal): n = 2 < 3 shared films, not similar.
  const model = createRecommenderModel({
    ratings: [
      ...rate('u', { 1: 5, 2: 4, 3: 2, 4: 1, 5: 3 }),
      ...rate('v1', { 1: 4.5, 2: 4, 3: 2.5, 4: 1, 5: 3 }),
      ...rate('v2', { 1: 1, 2: 2, 3: 4, 4: 5, 5: 3 }),
      ...rate('v3', { 1: 5, 2: 5, 3: 3.5, 4: 2.5, 5: 4.5 }),
      ...rate('v4', { 1: 5, 2: 4 }),
    ],
  });

  it('counts the shared films two members agree on, worked out by hand', () => {
    expect(model.agreement('u', 'v1')).toEqual({ shared: 5, agreements: 5 });
    expect(model.agreement('u', 'v2')).toEqual({ shared: 5, agreements: 1 });
    expect(model.agreement('u', 'v3')).toEqual({ shared: 5, agreements: 4 });
    expect(model.agreement('u', 'v4')).toEqual({ shared: 2, agreements: 2 });
    expect(model.agreement('v3', 'u')).toEqual(model.agreement('u', 'v3'));
  });

  it('shows as similar only members with 3 shared films and more agreements than disagreements', () => {
    // (a − d)/(n + 5): v1 5/10, v3 3/10.
    expect(model.similarMembers('u')).toEqual([
      { userId: 'v1', similarity: 0.5, shared: 5, agreements: 5 },
      { userId: 'v3', similarity: 0.3, shared: 5, agreements: 4 },
    ]);
  });
});

describe('ranking neighbours by liked films', () => {
  // Two camps: m1 rates 12 films, six 5★ (1-6) and six 1★ (7-12); m2 and m3 rate them alike and love five more
  // (21-25); m4 and m5 rate the twelve the other way round and love three others (31-33).
  const twelve = (loved: readonly number[]) =>
    Object.fromEntries(Array.from({ length: 12 }, (_, k) => [k + 1, loved.includes(k + 1) ? 5 : 1]));
  const alike = { ...twelve([1, 2, 3, 4, 5, 6]), 21: 5, 22: 5, 23: 5, 24: 5, 25: 5 };
  const opposite = { ...twelve([7, 8, 9, 10, 11, 12]), 31: 5, 32: 5, 33: 5 };
  const ratings = [
    ...rate('m1', twelve([1, 2, 3, 4, 5, 6])),
    ...rate('m2', alike),
    ...rate('m3', alike),
    ...rate('m4', opposite),
    ...rate('m5', opposite),
  ];

  it('puts the like-minded first where a cosine over who rated what put the opposite camp first', () => {
    // Who rated what: opposite 12/√(12·15) = 0.894 above like-minded 12/√(12·17) = 0.840.
    const binary = createRecommenderModel({ ratings }, { likedRating: 0.5, similarityExponent: 1 });
    expect(binary.neighbours('m1').map(({ userId, similarity }) => [userId, similarity])).toEqual([
      ['m4', expect.closeTo(0.894, 3)],
      ['m5', expect.closeTo(0.894, 3)],
      ['m2', expect.closeTo(0.84, 3)],
      ['m3', expect.closeTo(0.84, 3)],
    ]);
    // Liked films: m1 liked 6; m2 liked those 6 and 5 more: 6/√(6·11) = 0.7385, cubed 0.4028; m4 shares none.
    const liked = createRecommenderModel({ ratings });
    expect(liked.neighbours('m1')).toEqual([
      { userId: 'm2', similarity: expect.closeTo(Math.sqrt(6 / 11) ** 3, 12), shared: 6 },
      { userId: 'm3', similarity: expect.closeTo(Math.sqrt(6 / 11) ** 3, 12), shared: 6 },
    ]);
  });

  it('picks the like-minded camp’s loved films and never the other camp’s', () => {
    const model = createRecommenderModel({ ratings });
    const picks = model.recommend('m1', { count: 8 }).picks.map(({ itemId }) => itemId);
    expect(picks).toEqual([21, 22, 23, 24, 25]);
  });
});

describe('the similar-films source', () => {
  // u rated A = 1 (5★, w = 1), B = 2 (4★, w = 0.5), C = 3 (3★, w = 0: no seed) and D = 4 (1★: disliked,
  // w = −β·(3 − 1)/(3 − 0.5) = −0.5·0.8 = −0.4). Lists: A [10, 11, 12], B [11, 13], C [10], D [12].
  //   L(10) = 1/2 = 0.5;  L(11) = 1/3 + 0.5/2 = 0.5833;  L(12) = 1/4 − 0.4/2 = 0.05;  L(13) = 0.5/3 = 0.1667
  // Ranked alone, score = L/max L: 11 (1), 10 (0.857), 13 (0.286), 12 (0.086). (The harmonic decay,
  // c = 2 and γ = 1; the default decay is steeper, config.ts.)
  const model = createRecommenderModel(
    { ratings: rate('u', { 1: 5, 2: 4, 3: 3, 4: 1 }) },
    { listRankOffset: 2, listRankExponent: 1 },
  );
  const related = listsOf({ 1: [10, 11, 12], 2: [11, 13], 3: [10], 4: [12] });

  it('scores Σ w(r_uj)/(rank_j(i) + 2) over the loved films, worked out by hand', () => {
    const { picks } = model.recommend('u', { related, sources: ['similar-films'] });
    const max = 1 / 3 + 0.25;
    expect(picks.map(({ itemId, score }) => [itemId, score])).toEqual([
      [11, expect.closeTo(1, 12)],
      [10, expect.closeTo(0.5 / max, 12)],
      [13, expect.closeTo(0.5 / 3 / max, 12)],
      [12, expect.closeTo(0.05 / max, 12)],
    ]);
    // The loved films behind 11, strongest first: A (1/3) then B (0.25).
    expect(picks[0]!.seeds).toEqual([
      { itemId: 1, rating: 5, contribution: expect.closeTo(1 / 3, 12) },
      { itemId: 2, rating: 4, contribution: 0.25 },
    ]);
  });

  it('counts nothing for a film whose list is missing', () => {
    expect(model.recommend('u', { related: () => undefined, sources: ['similar-films'] }).picks).toEqual([]);
  });
});

describe('the server-favourites source', () => {
  // s1-s3 rated film 20 as 5, 5, 4 and film 21 as 3 each; s3 also 22 (5★). C = 28/7 = 4, m = 5:
  //   B(20) = (14 + 20)/8 = 4.25 → F = 0.25/(5 − 4) = 0.25;  B(21) = (9 + 20)/8 = 3.625 < C → 0;  22 has one rater.
  const model = createRecommenderModel({
    ratings: [...rate('s1', { 20: 5, 21: 3 }), ...rate('s2', { 20: 5, 21: 3 }), ...rate('s3', { 20: 4, 21: 3, 22: 5 })],
  });

  it('gives a newcomer the film at least 3 members rated highly, with its plain average', () => {
    const { picks } = model.recommend('newcomer');
    // w_F = 1, unfaded without seeds: 1 × 0.25.
    expect(picks).toMatchObject([
      { itemId: 20, score: 0.25, sources: ['server-favourites'], favourite: { average: 14 / 3, raters: 3 } },
    ]);
  });

  it('leaves out members who do not share their taste: two raters are no favourite', () => {
    expect(model.recommend('newcomer', { allowedNeighbours: new Set(['s1', 's2']) }).picks).toEqual([]);
  });
});

describe('the blend', () => {
  // u rated 1 (5★), 2 and 3 (4★); v rated the same and 30 (5★). List of 1: [30, 31]. Popular: 31 (99), 30 (9).
  // Default decay d(k) = 1/(k + 6)²: L(30) = 1/36, L(31) = 1/49, max 1/36.
  //   N(30) = cos³·vote(5), cos = 3/√(3·4) = 0.8660 → 0.6495, weighed w_N = 3.
  //   P(31) = 1, P(30) = log 10/log 100 = 0.5, weighed w_P = 0.5 faded by E/(E + |S⁺|) = 0.5/(0.5 + 1) = 1/3.
  //   score(30) = 1 + 3 × 0.6495 + 0.5/3 × 0.5 = 3.0319;  score(31) = 36/49 + 0.5/3 × 1 = 0.9014
  const model = createRecommenderModel({
    ratings: [...rate('u', { 1: 5, 2: 4, 3: 4 }), ...rate('v', { 1: 5, 2: 4, 3: 4, 30: 5 })],
  });
  const request = {
    related: listsOf({ 1: [30, 31] }),
    popular: [
      { itemId: 31, popularity: 99 },
      { itemId: 30, popularity: 9 },
    ],
  };
  const cube = (3 / Math.sqrt(12)) ** 3;
  const popularWeight = 0.5 / 3;

  it('adds each source’s weighted part, so a film several sources back rises', () => {
    const { picks } = model.recommend('u', request);
    expect(picks.map(({ itemId, score, parts, sources }) => ({ itemId, score, parts, sources }))).toEqual([
      {
        itemId: 30,
        score: expect.closeTo(1 + 3 * cube + 0.5 * popularWeight, 12),
        parts: {
          'similar-films': 1,
          neighbours: expect.closeTo(3 * cube, 12),
          'server-favourites': 0,
          popular: expect.closeTo(0.5 * popularWeight, 12),
        },
        sources: ['neighbours', 'similar-films', 'popular'],
      },
      {
        itemId: 31,
        score: expect.closeTo(36 / 49 + popularWeight, 12),
        parts: {
          'similar-films': expect.closeTo(36 / 49, 12),
          neighbours: 0,
          'server-favourites': 0,
          popular: expect.closeTo(popularWeight, 12),
        },
        sources: ['similar-films', 'popular'],
      },
    ]);
  });

  it('scores candidates for a group pick deterministically, in the candidates’ order, the same for shuffled input', () => {
    const member = { model, userId: 'u', ...request };
    const scores = scoreCandidatesFor(member, [31, 30, 999]);
    expect(scores.map(({ itemId, score }) => [itemId, score])).toEqual([
      [31, expect.closeTo(36 / 49 + popularWeight, 12)],
      [30, expect.closeTo(1 + 3 * cube + 0.5 * popularWeight, 12)],
      [999, 0],
    ]);
    expect(scoreCandidatesFor(member, [31, 30, 999])).toEqual(scores);
    const ratings = shuffled(
      [...rate('u', { 1: 5, 2: 4, 3: 4 }), ...rate('v', { 1: 5, 2: 4, 3: 4, 30: 5 })],
      createRandom(7),
    );
    expect(scoreCandidatesFor({ ...member, model: createRecommenderModel({ ratings }) }, [31, 30, 999])).toEqual(
      scores,
    );
  });
});
