import { blendPicks, DEFAULT_COLD_START_CONFIG, type ColdStartConfig, type PopularFilm } from '../cold-start.js';
import type { RecommenderConfig } from '../config.js';
import { createRecommenderModel, type RecommenderModel } from '../model.js';
import type { RatingColumns } from '../types.js';
import { foldOf } from './folds.js';
import { createErrorAccumulator, mean, rankingScores, RELEVANT_RATING, type RankingScores } from './metrics.js';
import { createRandom, shuffled } from './random.js';

export const MODEL_NAMES = { baseline: 'baseline', neighbours: 'neighbours', mostPopular: 'most-popular' } as const;
export type ModelName = (typeof MODEL_NAMES)[keyof typeof MODEL_NAMES];

/** One model's figures, as written to `--json` (rating or top-N metrics null where the model has none). */
export interface ModelReport {
  name: ModelName;
  rmse: number | null;
  mae: number | null;
  precision10: number | null;
  recall10: number | null;
  ndcg10: number | null;
  coverage: number | null;
  /** Totals over the folds, model time only. */
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
  rows: TableRow[];
  models: ModelReport[];
}

export interface EvaluationOptions {
  folds?: number;
  /** Neighbourhood model configuration. */
  config?: Partial<RecommenderConfig>;
  /** Configuration of the baseline-only row (its own tuned regularisation). */
  baselineConfig?: Partial<RecommenderConfig>;
  coldStart?: ColdStartConfig;
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
  coldStart: DEFAULT_COLD_START_CONFIG,
  serverSize: 0,
  seed: 1,
  now: () => 0,
} as const satisfies Required<EvaluationOptions>;

const TOP_N = 10;

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

interface RankingTally {
  scores: RankingScores[];
  recommended: Set<number>;
}

function tallyRanking(
  tally: RankingTally,
  ranked: readonly number[],
  relevant: ReadonlySet<number>,
  count: number,
): void {
  tally.scores.push(rankingScores(ranked, relevant, count, TOP_N));
  for (const item of ranked) tally.recommended.add(item);
}

/**
 * Runs GUIDE §6: K folds by FNV-1a; per fold, rating prediction (RMSE/MAE over every test rating,
 * impossible predictions counted at their baseline) and top-N (users with a test rating ≥ 4; every
 * training-catalogue film they did not rate in training is a candidate; ties by ascending item id),
 * averaged over users within a fold, then over folds. Coverage = distinct recommended films / training catalogue.
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

  const time = {
    baselineFit: 0,
    baselinePredict: 0,
    neighboursFit: 0,
    neighboursPredict: 0,
    rank: 0,
    popularFit: 0,
    popularRank: 0,
  };
  const perFold = {
    baselineRmse: [] as number[],
    baselineMae: [] as number[],
    rmse: [] as number[],
    mae: [] as number[],
    neighbours: [] as { scores: RankingScores; coverage: number }[],
    popular: [] as { scores: RankingScores; coverage: number }[],
  };
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
    time.neighboursFit += settings.now() - started;
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
    time.neighboursPredict += settings.now() - started;
    perFold.rmse.push(errors.rmse());
    perFold.mae.push(errors.mae());

    // Most popular: score = training ratings per film, ties by ascending id.
    started = settings.now();
    const counts = new Map<number, number>();
    for (let e = 0; e < train.itemIds.length; e++)
      counts.set(train.itemIds[e]!, (counts.get(train.itemIds[e]!) ?? 0) + 1);
    const byPopularity = [...counts.keys()].sort((a, b) => counts.get(b)! - counts.get(a)! || a - b);
    const popular: PopularFilm[] = byPopularity.map((itemId) => ({ itemId }));
    time.popularFit += settings.now() - started;

    const neighbourTally: RankingTally = { scores: [], recommended: new Set() };
    const popularTally: RankingTally = { scores: [], recommended: new Set() };
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

      started = settings.now();
      const ranked = shippedRanking(model, userId, popular, serverOf.get(userId), settings.coldStart);
      time.rank += settings.now() - started;
      tallyRanking(neighbourTally, ranked, relevant, relevant.size);
    }
    const catalogue = counts.size;
    perFold.neighbours.push({
      scores: average(neighbourTally.scores),
      coverage: neighbourTally.recommended.size / catalogue,
    });
    perFold.popular.push({ scores: average(popularTally.scores), coverage: popularTally.recommended.size / catalogue });
  }

  const seconds = (ms: number): number => ms / 1000;
  const foldMean = (rows: { scores: RankingScores; coverage: number }[]) => ({
    precision10: mean(rows.map((row) => row.scores.precision)),
    recall10: mean(rows.map((row) => row.scores.recall)),
    ndcg10: mean(rows.map((row) => row.scores.ndcg)),
    coverage: mean(rows.map((row) => row.coverage)),
  });
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
    fitSeconds: seconds(time.neighboursFit),
    predictSeconds: seconds(time.neighboursPredict),
  };
  const topNRow = {
    ...noRating,
    ...foldMean(perFold.neighbours),
    fitSeconds: seconds(time.neighboursFit),
    predictSeconds: seconds(time.rank),
  };
  const popularRow = {
    ...noRating,
    ...foldMean(perFold.popular),
    fitSeconds: seconds(time.popularFit),
    predictSeconds: seconds(time.popularRank),
  };
  return {
    folds: settings.folds,
    foldSizes,
    rankingEvaluations,
    servers: servers?.length ?? null,
    rows: [
      { label: 'baseline', ...baselineRow },
      { label: 'neighbours (rating prediction)', ...ratingRow, ...noRanking },
      { label: 'neighbours (top-N)', ...topNRow },
      { label: 'most-popular', ...popularRow },
    ],
    models: [
      { name: MODEL_NAMES.baseline, ...baselineRow },
      {
        name: MODEL_NAMES.neighbours,
        ...ratingRow,
        ...foldMean(perFold.neighbours),
        predictSeconds: ratingRow.predictSeconds,
      },
      { name: MODEL_NAMES.mostPopular, ...popularRow },
    ],
  };
}

function average(scores: readonly RankingScores[]): RankingScores {
  return {
    precision: mean(scores.map((score) => score.precision)),
    recall: mean(scores.map((score) => score.recall)),
    ndcg: mean(scores.map((score) => score.ndcg)),
  };
}

/** The N most-rated films the user did not rate in training (ties already by ascending id). */
function topUnrated(model: RecommenderModel, userId: string, byPopularity: readonly number[]): number[] {
  const picks: number[] = [];
  for (const itemId of byPopularity) {
    if (picks.length === TOP_N) break;
    if (model.ratingOf(userId, itemId) === null) picks.push(itemId);
  }
  return picks;
}

/** The ranking the bot ships: neighbour picks blended with popular films as for a member of that size. */
function shippedRanking(
  model: RecommenderModel,
  userId: string,
  popular: readonly PopularFilm[],
  allowed: ReadonlySet<string> | undefined,
  coldStart: ColdStartConfig,
): number[] {
  const recommendation = model.recommend(userId, {
    count: TOP_N,
    explain: false,
    ...(allowed === undefined ? {} : { allowedNeighbours: allowed }),
  });
  return blendPicks(
    {
      neighbourPicks: recommendation.picks,
      ratingCount: recommendation.ratingCount,
      neighbourCount: recommendation.neighbourCount,
      popular,
      count: TOP_N,
      filter: (itemId) => model.ratingOf(userId, itemId) === null,
    },
    coldStart,
  ).map((pick) => pick.itemId);
}
