import type { RecommenderConfig } from '../config.js';
import { createRecommenderModel } from '../model.js';
import type { PopularFilm } from '../popular.js';
import type { RatingColumns } from '../types.js';
import { foldOf } from './folds.js';
import { createErrorAccumulator, mean, RELEVANT_RATING } from './metrics.js';
import { createRandom, shuffled } from './random.js';
import {
  foldFigures,
  median,
  newTally,
  overFolds,
  rankFor,
  RANKINGS,
  tallyRanking,
  topUnrated,
  type FoldFigures,
  type RankingName,
  type RankingTally,
} from './rankings.js';
import { buildStandIn, WEAK_STAND_IN } from './stand-in.js';

export { RANKING_NAMES, type RankingName } from './rankings.js';
import { RANKING_NAMES } from './rankings.js';

export const MODEL_NAMES = { baseline: 'baseline', neighbours: 'neighbours', mostPopular: 'most-popular' } as const;
/** `neighbours` carries rating prediction and the top-N figures of the ranking the bot ships. */
export type ModelName = (typeof MODEL_NAMES)[keyof typeof MODEL_NAMES] | RankingName;

/** One model's figures, as written to `--json` (rating or top-N metrics null where the model has none). */
export interface ModelReport {
  name: ModelName;
  rmse: number | null;
  mae: number | null;
  precision10: number | null;
  recall10: number | null;
  ndcg10: number | null;
  coverage: number | null;
  /** Totals over the folds, model time only (the stand-in's lists count as fitting for the rankings that read them). */
  fitSeconds: number;
  predictSeconds: number;
}

/** A printed row: rating-prediction and top-N figures of one model shown separately. */
export type TableRow = Omit<ModelReport, 'name'> & { label: string };

export interface EvaluationReport {
  folds: number;
  foldSizes: number[];
  /** (user, fold) pairs evaluated for top-N (users with a relevant test item). */
  rankingEvaluations: number;
  /** Servers sampled per fold (server-size mode), else null. */
  servers: number | null;
  serverSize: number | null;
  seed: number;
  /** Median milliseconds to rank one member with the shipped blend (every catalogue film a candidate). */
  medianRankMs: number;
  rows: TableRow[];
  models: ModelReport[];
}

export interface EvaluationOptions {
  folds?: number;
  /** Neighbourhood model configuration. */
  config?: Partial<RecommenderConfig>;
  /** Configuration of the baseline-only row (its own tuned regularisation). */
  baselineConfig?: Partial<RecommenderConfig>;
  /** Members per sampled server; whole data set when absent. */
  serverSize?: number;
  seed?: number;
  /** Milliseconds clock for the fit/predict timings (performance.now in the script). */
  now?: () => number;
}

const DEFAULTS = {
  folds: 5,
  config: {},
  baselineConfig: {},
  serverSize: 0,
  seed: 1,
  now: () => 0,
} as const satisfies Required<EvaluationOptions>;

/** Splits ratings into the folds of GUIDE §6; returns each rating's fold (1..K). */
export function assignFolds(data: RatingColumns, folds = 5): Uint8Array {
  const foldOfRating = new Uint8Array(data.itemIds.length);
  for (let e = 0; e < foldOfRating.length; e++) {
    foldOfRating[e] = foldOf(data.users[data.userCodes[e]!]!, data.itemIds[e]!, folds);
  }
  return foldOfRating;
}

function subset(data: RatingColumns, keep: (e: number) => boolean): RatingColumns {
  const picked: number[] = [];
  for (let e = 0; e < data.itemIds.length; e++) if (keep(e)) picked.push(e);
  const userCodes = new Int32Array(picked.length);
  const itemIds = new Int32Array(picked.length);
  const ratings = new Float32Array(picked.length);
  picked.forEach((e, at) => {
    userCodes[at] = data.userCodes[e]!;
    itemIds[at] = data.itemIds[e]!;
    ratings[at] = data.ratings[e]!;
  });
  return { users: data.users, userCodes, itemIds, ratings };
}

/** Test ratings grouped by user code. */
function groupByUser(test: RatingColumns): Map<number, { itemIds: number[]; ratings: number[] }> {
  const groups = new Map<number, { itemIds: number[]; ratings: number[] }>();
  for (let e = 0; e < test.itemIds.length; e++) {
    const code = test.userCodes[e]!;
    const group = groups.get(code) ?? { itemIds: [], ratings: [] };
    group.itemIds.push(test.itemIds[e]!);
    group.ratings.push(test.ratings[e]!);
    groups.set(code, group);
  }
  return groups;
}

/** Servers of `size` members drawn by a seeded shuffle of all users; the incomplete remainder is left out. */
export function sampleServers(users: readonly string[], size: number, seed: number): string[][] {
  const order = shuffled(users, createRandom(seed));
  const servers: string[][] = [];
  for (let at = 0; at + size <= order.length; at += size) servers.push(order.slice(at, at + size));
  return servers;
}

/**
 * Runs GUIDE §6: K folds by FNV-1a; per fold, rating prediction (RMSE/MAE over every test rating, impossible
 * predictions counted at their baseline) and top-N (users with a test rating ≥ 4; every training-catalogue film they
 * did not rate in training is a candidate; ties by ascending item id), averaged over users within a fold, then over
 * folds. Coverage = distinct recommended films / training catalogue. Beside the shipped blend, each source ranks
 * alone, and the blend ranks again on the weak stand-in; most-popular and the stand-in lists come from the whole
 * training split (as TMDB's come from TMDB's users), neighbours and favourites only from the member's server.
 */
export function runEvaluation(data: RatingColumns, options: EvaluationOptions = {}): EvaluationReport {
  const settings = { ...DEFAULTS, ...options };
  const foldOfRating = assignFolds(data, settings.folds);
  const foldSizes = Array.from({ length: settings.folds }, () => 0);
  for (const fold of foldOfRating) foldSizes[fold - 1]!++;

  const servers = settings.serverSize > 0 ? sampleServers(data.users, settings.serverSize, settings.seed) : null;
  const serverOf = new Map<string, ReadonlySet<string>>();
  for (const server of servers ?? []) {
    const members = new Set(server);
    for (const member of server) serverOf.set(member, members);
  }
  const evaluated = (userId: string): boolean => servers === null || serverOf.has(userId);

  const time = { baselineFit: 0, baselinePredict: 0, fit: 0, predict: 0, popularFit: 0, popularRank: 0 };
  const standInTime = { strong: 0, weak: 0 };
  const perFold = {
    baselineRmse: [] as number[],
    baselineMae: [] as number[],
    rmse: [] as number[],
    mae: [] as number[],
    popular: [] as FoldFigures[],
  };
  const rankingFolds = new Map<RankingName, FoldFigures[]>(RANKINGS.map(({ name }) => [name, []]));
  const rankTime = new Map<RankingName, number>(RANKINGS.map(({ name }) => [name, 0]));
  const shippedTimes: number[] = [];
  let rankingEvaluations = 0;

  for (let fold = 1; fold <= settings.folds; fold++) {
    const train = subset(data, (e) => foldOfRating[e] !== fold);
    const test = subset(data, (e) => foldOfRating[e] === fold);
    const testByUser = groupByUser(test);

    let started = settings.now();
    const baselineModel = createRecommenderModel(
      { ratings: train },
      { ...settings.config, ...settings.baselineConfig },
    );
    time.baselineFit += settings.now() - started;
    started = settings.now();
    const baselineErrors = createErrorAccumulator();
    for (const [code, group] of testByUser) {
      const userId = data.users[code]!;
      if (!evaluated(userId)) continue;
      group.itemIds.forEach((itemId, at) =>
        baselineErrors.add(baselineModel.baseline(userId, itemId), group.ratings[at]!),
      );
    }
    time.baselinePredict += settings.now() - started;
    perFold.baselineRmse.push(baselineErrors.rmse());
    perFold.baselineMae.push(baselineErrors.mae());

    started = settings.now();
    const model = createRecommenderModel({ ratings: train }, settings.config);
    time.fit += settings.now() - started;
    started = settings.now();
    const errors = createErrorAccumulator();
    for (const [code, group] of testByUser) {
      const userId = data.users[code]!;
      if (!evaluated(userId)) continue;
      const allowed = serverOf.get(userId);
      const predictions = model.predictMany(
        userId,
        group.itemIds,
        allowed === undefined ? {} : { allowedNeighbours: allowed },
      );
      predictions.forEach((prediction, at) =>
        errors.add(prediction.kind === 'ok' ? prediction.rating : prediction.baseline, group.ratings[at]!),
      );
    }
    time.predict += settings.now() - started;
    perFold.rmse.push(errors.rmse());
    perFold.mae.push(errors.mae());

    // Most popular: score = training ratings per film, ties by ascending id; the popular source reads the counts.
    started = settings.now();
    const counts = new Map<number, number>();
    for (let e = 0; e < train.itemIds.length; e++)
      counts.set(train.itemIds[e]!, (counts.get(train.itemIds[e]!) ?? 0) + 1);
    const byPopularity = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || a - b);
    const popular: PopularFilm[] = byPopularity.map((itemId) => ({ itemId, popularity: counts.get(itemId)! }));
    time.popularFit += settings.now() - started;

    started = settings.now();
    const strongLists = buildStandIn(train);
    standInTime.strong += settings.now() - started;
    started = settings.now();
    const weakLists = buildStandIn(train, WEAK_STAND_IN);
    standInTime.weak += settings.now() - started;

    const popularTally = newTally();
    const tallies = new Map<RankingName, RankingTally>(RANKINGS.map(({ name }) => [name, newTally()]));
    for (const [code, group] of testByUser) {
      const userId = data.users[code]!;
      if (!evaluated(userId)) continue;
      const relevant = new Set<number>();
      group.itemIds.forEach((itemId, at) => {
        if (group.ratings[at]! >= RELEVANT_RATING) relevant.add(itemId);
      });
      if (relevant.size === 0) continue;
      rankingEvaluations++;

      started = settings.now();
      const mostPopular = topUnrated(model, userId, byPopularity);
      time.popularRank += settings.now() - started;
      tallyRanking(popularTally, mostPopular, relevant, relevant.size);

      const allowed = serverOf.get(userId);
      for (const { name, sources, weak } of RANKINGS) {
        const context = { model, userId, allowed, popular, lists: weak ? weakLists : strongLists };
        started = settings.now();
        const ranked = rankFor(context, sources);
        const elapsed = settings.now() - started;
        rankTime.set(name, rankTime.get(name)! + elapsed);
        if (name === RANKING_NAMES.shipped) shippedTimes.push(elapsed);
        tallyRanking(tallies.get(name)!, ranked, relevant, relevant.size);
      }
    }
    const catalogue = counts.size;
    perFold.popular.push(foldFigures(popularTally, catalogue));
    for (const { name } of RANKINGS) rankingFolds.get(name)!.push(foldFigures(tallies.get(name)!, catalogue));
  }

  const seconds = (ms: number): number => ms / 1000;
  const noRanking = { precision10: null, recall10: null, ndcg10: null, coverage: null };
  const noRating = { rmse: null, mae: null };
  const baselineRow = {
    ...{ rmse: mean(perFold.baselineRmse), mae: mean(perFold.baselineMae) },
    ...noRanking,
    fitSeconds: seconds(time.baselineFit),
    predictSeconds: seconds(time.baselinePredict),
  };
  const ratingRow = {
    ...{ rmse: mean(perFold.rmse), mae: mean(perFold.mae) },
    fitSeconds: seconds(time.fit),
    predictSeconds: seconds(time.predict),
  };
  const rankingRow = (name: RankingName, weak: boolean) => ({
    ...noRating,
    ...overFolds(rankingFolds.get(name)!),
    fitSeconds: seconds(time.fit + (weak ? standInTime.weak : standInTime.strong)),
    predictSeconds: seconds(rankTime.get(name)!),
  });
  const popularRow = {
    ...noRating,
    ...overFolds(perFold.popular),
    fitSeconds: seconds(time.popularFit),
    predictSeconds: seconds(time.popularRank),
  };
  const rankingRows = RANKINGS.map(({ name, label, weak }) => ({ name, label, ...rankingRow(name, weak) }));
  const model = ({ name, label: _, ...figures }: TableRow & { name: ModelName }): ModelReport => ({ name, ...figures });
  return {
    folds: settings.folds,
    foldSizes,
    rankingEvaluations,
    servers: servers?.length ?? null,
    serverSize: servers === null ? null : settings.serverSize,
    seed: settings.seed,
    medianRankMs: median(shippedTimes),
    rows: [
      { label: 'baseline', ...baselineRow },
      { label: 'neighbours (rating prediction)', ...ratingRow, ...noRanking },
      ...rankingRows.map(({ name: _, ...row }) => row),
      { label: 'most-popular', ...popularRow },
    ],
    models: [
      { name: MODEL_NAMES.baseline, ...baselineRow },
      // Rating prediction with the top-N figures of the ranking the bot ships.
      { name: MODEL_NAMES.neighbours, ...ratingRow, ...overFolds(rankingFolds.get(RANKING_NAMES.shipped)!) },
      { name: MODEL_NAMES.mostPopular, ...popularRow },
      ...rankingRows.filter(({ name }) => name !== RANKING_NAMES.shipped).map(model),
    ],
  };
}
