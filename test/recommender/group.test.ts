import { describe, expect, it } from 'vitest';
import { createRandom, shuffled } from '../../src/recommender/evaluation/random.js';
import {
  ALL_GROUP_STRATEGIES,
  GROUP_STRATEGIES,
  groupCandidates,
  recommendForGroup,
  type GroupCandidate,
  type GroupParticipant,
  type GroupStrategy,
  type Utility,
} from '../../src/recommender/index.js';

// Masthoff's Peter/Jane/Mary table (Recommender Systems Handbook, "Group recommender systems"), her 1-10 ratings
// halved into stars. Films A..J are ids 1..10; popularity 100 − id, so of two tied films the lower id goes first.
//            A    B    C    D    E    F    G    H    I    J
const PETER = [5, 2, 1.5, 3, 5, 4.5, 3, 4, 5, 4];
const JANE = [0.5, 4.5, 4, 4.5, 3.5, 4.5, 3, 4.5, 1.5, 4];
const MARY = [5, 2.5, 1, 3.5, 4.5, 4, 2.5, 3, 3.5, 3];
const [A, B, C, D, E, F, G, H, I, J] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10] as const;
const FILMS = [A, B, C, D, E, F, G, H, I, J];
const CANDIDATES: GroupCandidate[] = FILMS.map((itemId) => ({ itemId, popularity: 100 - itemId }));

const member = (userId: string, stars: readonly number[], extra: Partial<GroupParticipant> = {}): GroupParticipant => ({
  userId,
  ratingCount: 20,
  utility: (itemId): Utility =>
    stars[itemId - 1] === undefined
      ? { kind: 'impossible', reason: 'cannot-predict' }
      : { kind: 'ok', stars: stars[itemId - 1]!, basis: 'rating-model' },
  ...extra,
});
const TRIO = [member('peter', PETER), member('jane', JANE), member('mary', MARY)];
const ranking = (strategy: GroupStrategy, participants = TRIO, options = {}) =>
  recommendForGroup({ participants, candidates: CANDIDATES }, { strategy, count: 10, ...options }).picks.map(
    (pick) => pick.itemId,
  );

describe('group strategies on Masthoff’s table', () => {
  it('average: mean stars; E and F tie at 13/3 and popularity puts E first, D and J at 11/3 likewise', () => {
    // Means: A 3.5, B 3, C 6.5/3, D 11/3, E 13/3, F 13/3, G 8.5/3, H 11.5/3, I 10/3, J 11/3.
    expect(ranking(GROUP_STRATEGIES.average)).toEqual([E, F, H, D, J, A, I, B, G, C]);
  });

  it('least_misery: the lowest member, ties by the group mean, then popularity', () => {
    // Minima: A 0.5, B 2, C 1, D 3, E 3.5, F 4, G 2.5, H 3, I 1.5, J 3; among D, H, J (3★) H has the highest mean.
    expect(ranking(GROUP_STRATEGIES.leastMisery)).toEqual([F, E, H, D, J, G, B, I, C, A]);
  });

  it('average_without_misery: films someone rates below 2.5★ (A, B, C, I) follow the others, each part by mean', () => {
    // G's lowest is exactly 2.5★: kept.
    expect(ranking(GROUP_STRATEGIES.averageWithoutMisery)).toEqual([E, F, H, D, J, G, A, I, B, C]);
  });

  it('borda: points 0-9 per member from the bottom, tied films sharing the mean of their places', () => {
    // Peter: C 0, B 1, D G 2.5, H J 4.5, F 6, A E I 8. Jane: A 0, I 1, G 2, E 3, C J 4.5, B D F H 7.5.
    // Mary: C 0, B G 1.5, H J 3.5, D I 5.5, F 7, E 8, A 9.
    // Sums: F 20.5, E 19, A 17, D 15.5, H 15.5, I 14.5, J 12.5, B 10, G 6, C 4.5; H's mean beats D's.
    const result = recommendForGroup(
      { participants: TRIO, candidates: CANDIDATES },
      { strategy: GROUP_STRATEGIES.borda, count: 10 },
    );
    expect(result.picks.map((pick) => [pick.itemId, pick.score])).toEqual([
      [F, 20.5],
      [E, 19],
      [A, 17],
      [H, 15.5],
      [D, 15.5],
      [I, 14.5],
      [J, 12.5],
      [B, 10],
      [G, 6],
      [C, 4.5],
    ]);
  });

  it('approval: members at 3.5★ or more, ties by the group mean', () => {
    // Approvals: E 3, F 3; A D H I J 2; B C 1; G 0.
    expect(ranking(GROUP_STRATEGIES.approval)).toEqual([E, F, H, D, J, A, I, B, C, G]);
    expect(ranking(GROUP_STRATEGIES.approval, TRIO, { approvalThreshold: 4.5 })).toEqual([
      // Approvals at 4.5★: A E F 2 (A: Peter, Mary; E: Peter, Mary; F: Peter, Jane); B D H I 1; C G J 0.
      E,
      F,
      A,
      H,
      D,
      I,
      B,
      J,
      G,
      C,
    ]);
  });
});

describe('gfar (Kaya, Bridge & Tintarev 2020)', () => {
  // L = 4: each member's top 4 (ties by popularity) carry relevance 3, 2, 1, 0, normalised to sum 1 (÷ 6).
  // Peter: A ½, E ⅓, I ⅙, F 0.  Jane: B ½, D ⅓, F ⅙, H 0.  Mary: A ½, E ⅓, F ⅙, D 0.
  // Gains Σ_p p_p(i)·Π(1 − p_p(chosen)):
  //   1: A ½+½ = 1 → A; unsatisfied Peter ½, Jane 1, Mary ½.
  //   2: B ½, E ⅙+⅙ = ⅓, D ⅓, F ⅙+1/12 → B; Jane ½.
  //   3: E ⅓, D ⅙, F 1/12+1/12 → E; Peter ⅓, Mary ⅓.
  //   4: D ⅙, F 1/12+1/18, I 1/18 → D; Jane ⅓.   5: F 1/18+1/18 → F.   6: I 1/18 → I.   7: H gains 0: stop.
  // The rest follows average: H, J, G, C.
  it('picks greedily what covers the members no earlier pick satisfied', () => {
    expect(ranking(GROUP_STRATEGIES.gfar, TRIO, { fairListLength: 4, fairDepth: 10 })).toEqual([
      A,
      B,
      E,
      D,
      F,
      I,
      H,
      J,
      G,
      C,
    ]);
  });

  it('re-ranks only its depth and continues in average order', () => {
    expect(ranking(GROUP_STRATEGIES.gfar, TRIO, { fairListLength: 4, fairDepth: 3 })).toEqual([
      A,
      B,
      E,
      F,
      H,
      D,
      J,
      I,
      G,
      C,
    ]);
  });
});

describe('recommendForGroup', () => {
  it('reports every participant’s predicted stars for each pick, and the group score', () => {
    const [first] = recommendForGroup(
      { participants: TRIO, candidates: CANDIDATES },
      { strategy: GROUP_STRATEGIES.average },
    ).picks;
    expect(first).toEqual({
      itemId: E,
      score: 13 / 3,
      groupScore: 13 / 3,
      popularity: 95,
      forecasts: [
        // User id order.
        { userId: 'jane', kind: 'predicted', stars: 3.5, basis: 'rating-model' },
        { userId: 'mary', kind: 'predicted', stars: 4.5, basis: 'rating-model' },
        { userId: 'peter', kind: 'predicted', stars: 5, basis: 'rating-model' },
      ],
    });
  });

  it('leaves out seen and 👎 films, the caller’s exclusions and filter, and asks the filter only about the rest', () => {
    const asked: number[] = [];
    const result = recommendForGroup(
      {
        participants: [
          member('peter', PETER, { seen: new Set([E]) }),
          member('jane', JANE, { disliked: new Set([F]) }),
          member('mary', MARY),
        ],
        candidates: CANDIDATES,
        exclude: new Set([H]),
        filter: (itemId) => {
          asked.push(itemId);
          return itemId !== D;
        },
      },
      { strategy: GROUP_STRATEGIES.average, count: 10 },
    );
    expect(result.picks.map((pick) => pick.itemId)).toEqual([J, A, I, B, G, C]);
    expect(result.candidateCount).toBe(6);
    expect(asked).toEqual([A, B, C, D, G, I, J]);
  });

  it('keeps seen films when rewatches are allowed, but never a 👎', () => {
    const participants = [
      member('peter', PETER, { seen: new Set([E]) }),
      member('jane', JANE, { disliked: new Set([F]) }),
      member('mary', MARY),
    ];
    const picks = recommendForGroup(
      { participants, candidates: CANDIDATES },
      { strategy: GROUP_STRATEGIES.average, count: 3, allowRewatches: true },
    ).picks.map((pick) => pick.itemId);
    expect(picks).toEqual([E, H, D]);
  });

  it('leaves a member without ratings out of every strategy and reports them as having no ratings yet', () => {
    const newcomer: GroupParticipant = {
      userId: 'newcomer',
      ratingCount: 0,
      utility: () => {
        throw new Error('not asked: no ratings');
      },
    };
    for (const strategy of ALL_GROUP_STRATEGIES) {
      expect(ranking(strategy, [...TRIO, newcomer])).toEqual(ranking(strategy));
    }
    const result = recommendForGroup({ participants: [...TRIO, newcomer], candidates: CANDIDATES });
    expect(result.noRatingsYet).toEqual(['newcomer']);
    expect(result.picks[0]!.forecasts).toContainEqual({
      userId: 'newcomer',
      kind: 'unknown',
      reason: 'no-ratings-yet',
    });
  });

  it('ranks by popularity, then id, when nobody has ratings', () => {
    const nobody = ['x', 'y'].map((userId): GroupParticipant => ({
      userId,
      ratingCount: 0,
      utility: () => ({ kind: 'impossible', reason: 'no-ratings-yet' }),
    }));
    const candidates = [
      { itemId: 7, popularity: 5 },
      { itemId: 3, popularity: 9 },
      { itemId: 2, popularity: 5 },
    ];
    const result = recommendForGroup({ participants: nobody, candidates }, { count: 3 });
    expect(result.picks.map((pick) => pick.itemId)).toEqual([3, 2, 7]);
  });

  it('takes the neutral 3★ for a film a rated member cannot be given, and says it is unknown', () => {
    // Mary has no utility for I and J.
    const mary = member('mary', [5, 2.5, 1, 3.5, 4.5, 4, 2.5, 3]);
    const result = recommendForGroup(
      { participants: [member('peter', PETER), member('jane', JANE), mary], candidates: CANDIDATES },
      { strategy: GROUP_STRATEGIES.average, count: 10 },
    );
    const i = result.picks.find((pick) => pick.itemId === I)!;
    // (5 + 1.5 + 3)/3
    expect(i.groupScore).toBeCloseTo(9.5 / 3, 12);
    expect(i.forecasts).toContainEqual({ userId: 'mary', kind: 'unknown', reason: 'cannot-predict' });
  });

  it('gives identical picks whatever the order of participants and candidates', () => {
    const random = createRandom(7);
    for (const strategy of ALL_GROUP_STRATEGIES) {
      const expected = recommendForGroup(
        { participants: TRIO, candidates: CANDIDATES },
        { strategy, count: 10, fairListLength: 4 },
      );
      for (let round = 0; round < 5; round++) {
        const result = recommendForGroup(
          { participants: shuffled(TRIO, random), candidates: shuffled(CANDIDATES, random) },
          { strategy, count: 10, fairListLength: 4 },
        );
        expect(result).toEqual(expected);
      }
    }
  });

  it('reads a film listed twice once, at its highest popularity', () => {
    const candidates = [...CANDIDATES, { itemId: F, popularity: 1_000 }];
    // F now outranks E on the tie at 13/3.
    expect(ranking(GROUP_STRATEGIES.average).slice(0, 2)).toEqual([E, F]);
    const picks = recommendForGroup({ participants: TRIO, candidates }, { strategy: 'average', count: 2 }).picks;
    expect(picks.map((pick) => [pick.itemId, pick.popularity])).toEqual([
      [F, 1_000],
      [E, 95],
    ]);
  });
});

describe('groupCandidates', () => {
  it('is the union of personal picks, favourites and popular films, each once, in id order', () => {
    expect(
      groupCandidates(
        {
          personal: [
            [5, 3],
            [3, 9],
          ],
          favourites: [1],
          popular: [9, 2],
        },
        (itemId) => itemId * 10,
      ),
    ).toEqual([1, 2, 3, 5, 9].map((itemId) => ({ itemId, popularity: itemId * 10 })));
  });
});
