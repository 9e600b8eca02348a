import { describe, expect, it } from 'vitest';
import type { RankedPick, SourceParts } from '../../src/recommender/index.js';
import { reasonFor, type ReasonContext } from '../../src/services/recommendations/reasons.js';

const NO_PARTS: SourceParts = { 'similar-films': 0, neighbours: 0, 'server-favourites': 0, popular: 0 };

/** A pick whose sources are those with a positive part, strongest first (as the recommender orders them). */
function pick(parts: Partial<SourceParts>, overrides: Partial<RankedPick> = {}): RankedPick {
  const all = { ...NO_PARTS, ...parts };
  const sources = (Object.keys(all) as (keyof SourceParts)[])
    .filter((source) => all[source] > 0)
    .sort((a, b) => all[b] - all[a]);
  return {
    itemId: 50,
    score: Object.values(all).reduce((sum, part) => sum + part, 0),
    parts: all,
    sources,
    strength: 0,
    seeds: [{ itemId: 7, rating: 5, contribution: 0.5 }],
    explanation: { backers: 0, averageRating: null, contributors: [] },
    favourite: null,
    ...overrides,
  };
}

const anonymous = (rating: number) =>
  ({ kind: 'anonymous', rating, feedback: null, similarity: 0.5, agreements: 9, contribution: 0.4 }) as const;

const context: ReasonContext = {
  nameable: new Set(),
  naming: { mayCount: (members) => members >= 3 },
  seedFilms: new Map([[7, { tmdbId: 7, title: 'Arrival', releaseDate: '2016-09-02' }]]),
  popularLists: new Map([[50, 'trending']]),
  ratingsToGo: null,
};

describe('reasons', () => {
  it('counts three agreeing backers with their average', () => {
    const backed = pick(
      { neighbours: 2, 'similar-films': 1 },
      { explanation: { backers: 3, averageRating: 4.5, contributors: [anonymous(5), anonymous(4.5), anonymous(4)] } },
    );
    expect(reasonFor(backed, context)).toEqual({ kind: 'count', backers: 3, averageRating: 4.5 });
  });

  it('falls back to the next-strongest source when fewer than 3 agreeing backers stand behind the pick', () => {
    // The explanation counts only agreeing backers (explain.ts): two here, however many neighbours voted.
    const twoAgree = pick(
      { neighbours: 2, 'similar-films': 1 },
      { explanation: { backers: 2, averageRating: 5, contributors: [anonymous(5), anonymous(5)] } },
    );
    expect(reasonFor(twoAgree, context)).toEqual({
      kind: 'similar-films',
      seeds: [{ tmdbId: 7, title: 'Arrival', releaseDate: '2016-09-02' }],
    });
  });

  it('lets no source speak that carried only a sliver of the score, saying only that similar members liked it', () => {
    const twoAgree = pick(
      { neighbours: 2, popular: 0.1 },
      { explanation: { backers: 2, averageRating: 5, contributors: [anonymous(5), anonymous(5)] } },
    );
    expect(reasonFor(twoAgree, context)).toEqual({ kind: 'similar-taste' });
  });

  it('says which TMDB list a popular pick came from, and how many more ratings make picks personal', () => {
    expect(reasonFor(pick({ popular: 0.5 }), { ...context, ratingsToGo: 3 })).toEqual({
      kind: 'popular',
      list: 'trending',
      ratingsToGo: 3,
    });
  });

  it('shows a server favourite only when at least 3 members rated it', () => {
    const favourite = (raters: number) => pick({ 'server-favourites': 0.8 }, { favourite: { average: 4.6, raters } });
    expect(reasonFor(favourite(5), context)).toEqual({
      kind: 'server-favourite',
      average: 4.6,
      raters: 5,
      ratingsToGo: null,
    });
    expect(reasonFor(favourite(2), context)).toEqual({ kind: 'similar-taste' });
  });
});
