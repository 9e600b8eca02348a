import { describe, expect, it } from 'vitest';
import type { NightCandidate, NightVote } from '../../../src/db/repositories/movie-nights.js';
import {
  checkMinutes,
  checkStrategy,
  chooseWinner,
  pickFits,
  pickWhy,
  reconcileVotes,
} from '../../../src/services/movie-nights/rules.js';

const candidates: NightCandidate[] = [
  { position: 1, movieId: 101, groupScore: 4.2 },
  { position: 2, movieId: 102, groupScore: 4.4 },
  { position: 3, movieId: 103, groupScore: 4.4 },
];
const vote = (userId: string, movieId: number, via: NightVote['via'] = 'button'): NightVote => ({
  userId,
  movieId,
  via,
  votedAt: new Date('2026-03-01T20:00:00Z'),
});

describe('chooseWinner', () => {
  it('takes the most votes', () => {
    expect(chooseWinner(candidates, [vote('a', 101), vote('b', 101), vote('c', 103)])).toEqual({
      candidate: candidates[0],
      basis: 'votes',
    });
  });

  it('breaks a tie on votes by the group score, then by the order shown', () => {
    // 101 and 102 tie on one vote each: 102 fits the group better.
    expect(chooseWinner(candidates, [vote('a', 101), vote('b', 102)])).toEqual({
      candidate: candidates[1],
      basis: 'group-score',
    });
    // 102 and 103 tie on votes and on group score: 102 was shown first.
    expect(chooseWinner(candidates, [vote('a', 102), vote('b', 103)])).toEqual({
      candidate: candidates[1],
      basis: 'order',
    });
  });

  it('without votes, the group’s best fit wins (the first shown of equal ones); without candidates, none', () => {
    expect(chooseWinner(candidates, [])).toEqual({ candidate: candidates[1], basis: 'no-votes' });
    expect(chooseWinner([], [])).toBeNull();
  });
});

describe('reconcileVotes', () => {
  const reactions = (entries: [number, string[]][]) => new Map(entries);

  it('keeps a vote by button whatever the reactions, and a vote by reaction while its reaction is there', () => {
    const votes = [vote('a', 101), vote('b', 102, 'reaction')];
    expect(
      reconcileVotes(
        candidates,
        votes,
        reactions([
          [2, ['b']],
          [3, ['a']],
        ]),
      ),
    ).toEqual({ set: [], remove: [] });
  });

  it('counts a reaction added while the bot was offline, and drops a reaction vote whose reaction went', () => {
    const votes = [vote('b', 102, 'reaction'), vote('c', 101, 'reaction')];
    const found = reactions([
      [1, ['d']],
      [3, ['c']],
    ]);
    // d reacted 1 unheard; b's reaction went; c moved from 1 to 3 unheard.
    expect(reconcileVotes(candidates, votes, found)).toEqual({
      set: [
        { userId: 'c', movieId: 103 },
        { userId: 'd', movieId: 101 },
      ],
      remove: ['b'],
    });
  });

  it('gives no vote to a member whose several numbers cannot say which came last', () => {
    expect(
      reconcileVotes(
        candidates,
        [vote('e', 101, 'reaction')],
        reactions([
          [2, ['e', 'f']],
          [3, ['e', 'f']],
        ]),
      ),
    ).toEqual({ set: [], remove: ['e'] });
  });

  it('ignores numbers beyond the picks', () => {
    expect(reconcileVotes(candidates, [], reactions([[5, ['g']]]))).toEqual({ set: [], remove: [] });
  });
});

describe('pickWhy', () => {
  it('says everyone, most, a compromise, or popular, from the predicted stars', () => {
    expect(pickWhy([4.1, 3.6, 3.5])).toEqual({ kind: 'everyone', lowest: 3.5 });
    expect(pickWhy([4.1, 3.6, 2.5])).toEqual({ kind: 'most', liking: 2, of: 3 });
    expect(pickWhy([4, 3, 2])).toEqual({ kind: 'compromise', average: 3 });
    expect(pickWhy([])).toEqual({ kind: 'popular' });
  });
});

describe('pickFits', () => {
  const member = (userId: string, stars: number | null, hasRatings = true) => ({ userId, stars, hasRatings });

  it('names only the members the naming policy allows; the others are a count with their average from 3 on (GUIDE §9)', () => {
    const members = [member('a', 4.6), member('b', 4.1), member('c', 3.4), member('d', 3.9), member('e', 2.9)];
    expect(pickFits(members, new Set(['a', 'b']))).toEqual({
      named: [
        { userId: 'a', hasRatings: true, stars: 4.6 },
        { userId: 'b', hasRatings: true, stars: 4.1 },
      ],
      others: { count: 3, average: (3.4 + 3.9 + 2.9) / 3 },
    });
    // Two unnamed members: their count, never their average, which would point at them.
    expect(pickFits(members.slice(0, 4), new Set(['a', 'b']))).toEqual(
      expect.objectContaining({ others: { count: 2, average: null } }),
    );
  });

  it('says "no ratings yet" for a named member without ratings, and leaves unnamed ones out of the count', () => {
    expect(pickFits([member('a', null, false), member('b', null, false)], new Set(['a']))).toEqual({
      named: [{ userId: 'a', hasRatings: false, stars: null }],
      others: { count: 0, average: null },
    });
  });
});

describe('checks of what a member asks', () => {
  it('refuses minutes out of bounds and strategies that are not one, with the bounds in words', () => {
    expect(checkMinutes(10, { min: 1, max: 60 }, 'The poll')).toBe(10);
    expect(() => checkMinutes(61, { min: 1, max: 60 }, 'The poll')).toThrow('The poll must be 1 to 60 minutes.');
    expect(() => checkMinutes(2.5, { min: 1, max: 60 }, 'The poll')).toThrow('The poll must be 1 to 60 minutes.');
    expect(checkStrategy('gfar')).toBe('gfar');
    expect(() => checkStrategy('dictator')).toThrow(/Pick a strategy among average, least_misery/);
  });
});
