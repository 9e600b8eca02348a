import type { RecommenderModel } from '../model.js';
import type { PopularFilm } from '../popular.js';
import type { FilmList } from '../similar-films.js';
import { PICK_SOURCES, type PickSource } from '../types.js';
import { mean, rankingScores, type RankingScores } from './metrics.js';

/** Films per top-N list (GUIDE §6). */
export const TOP_N = 10;

/** The top-N rankings of one evaluation, each a row of the table (and a `models` entry of the JSON). */
export const RANKING_NAMES = {
  shipped: 'neighbours',
  similarFilms: `source:${PICK_SOURCES.similarFilms}`,
  neighbourSource: `source:${PICK_SOURCES.neighbours}`,
  serverFavourites: `source:${PICK_SOURCES.serverFavourites}`,
  popularSource: `source:${PICK_SOURCES.popular}`,
  weakStandIn: 'weak-stand-in',
} as const;
export type RankingName = (typeof RANKING_NAMES)[keyof typeof RANKING_NAMES];

/** How each ranking is made: which sources score, and on which stand-in lists. */
export const RANKINGS: readonly { name: RankingName; label: string; sources: readonly PickSource[]; weak: boolean }[] =
  [
    { name: RANKING_NAMES.shipped, label: 'shipped blend (top-N)', sources: Object.values(PICK_SOURCES), weak: false },
    {
      name: RANKING_NAMES.similarFilms,
      label: 'source:similar-films',
      sources: [PICK_SOURCES.similarFilms],
      weak: false,
    },
    {
      name: RANKING_NAMES.neighbourSource,
      label: 'source:neighbours (top-N)',
      sources: [PICK_SOURCES.neighbours],
      weak: false,
    },
    {
      name: RANKING_NAMES.serverFavourites,
      label: 'source:server-favourites',
      sources: [PICK_SOURCES.serverFavourites],
      weak: false,
    },
    { name: RANKING_NAMES.popularSource, label: 'source:popular', sources: [PICK_SOURCES.popular], weak: false },
    {
      name: RANKING_NAMES.weakStandIn,
      label: 'weak stand-in (blend, binary-cosine lists of 20)',
      sources: Object.values(PICK_SOURCES),
      weak: true,
    },
  ];

/** What one member's rankings in one fold see. */
export interface RankingContext {
  model: RecommenderModel;
  userId: string;
  /** The member's server (server-size runs), else every member. */
  allowed: ReadonlySet<string> | undefined;
  popular: readonly PopularFilm[];
  lists: ReadonlyMap<number, FilmList>;
}

/** One ranking of the bot, as it ranks for a member of that server: every catalogue film the member did not rate. */
export function rankFor(context: RankingContext, sources: readonly PickSource[]): number[] {
  const { model, userId, allowed, popular, lists } = context;
  return model
    .recommend(userId, {
      count: TOP_N,
      explain: false,
      related: (itemId) => lists.get(itemId),
      popular,
      sources,
      ...(allowed === undefined ? {} : { allowedNeighbours: allowed }),
    })
    .picks.map((pick) => pick.itemId);
}

/** The N most-rated films the user did not rate in training (ties already by ascending id). */
export function topUnrated(model: RecommenderModel, userId: string, byPopularity: readonly number[]): number[] {
  const picks: number[] = [];
  for (const itemId of byPopularity) {
    if (picks.length === TOP_N) break;
    if (model.ratingOf(userId, itemId) === null) picks.push(itemId);
  }
  return picks;
}

/** One ranking's scores over a fold's users. */
export interface RankingTally {
  scores: RankingScores[];
  recommended: Set<number>;
  /** Milliseconds per member's ranking. */
  times: number[];
}

export const newTally = (): RankingTally => ({ scores: [], recommended: new Set(), times: [] });

export function tallyRanking(
  tally: RankingTally,
  ranked: readonly number[],
  relevant: ReadonlySet<number>,
  count: number,
): void {
  tally.scores.push(rankingScores(ranked, relevant, count, TOP_N));
  for (const item of ranked) tally.recommended.add(item);
}

/** A fold's figures for one ranking: means over its users, coverage over the catalogue. */
export interface FoldFigures {
  scores: RankingScores;
  coverage: number;
}

export function foldFigures(tally: RankingTally, catalogue: number): FoldFigures {
  return {
    scores: {
      precision: mean(tally.scores.map((score) => score.precision)),
      recall: mean(tally.scores.map((score) => score.recall)),
      ndcg: mean(tally.scores.map((score) => score.ndcg)),
    },
    coverage: tally.recommended.size / catalogue,
  };
}

/** Means over the folds. */
export function overFolds(rows: readonly FoldFigures[]) {
  return {
    precision10: mean(rows.map((row) => row.scores.precision)),
    recall10: mean(rows.map((row) => row.scores.recall)),
    ndcg10: mean(rows.map((row) => row.scores.ndcg)),
    coverage: mean(rows.map((row) => row.coverage)),
  };
}

/** The median of some values (NaN for none). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
