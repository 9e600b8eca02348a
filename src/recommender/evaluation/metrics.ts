/** Ratings at or above this are relevant in top-N evaluation (GUIDE §6). */
export const RELEVANT_RATING = 4;

export interface RankingScores {
  precision: number;
  recall: number;
  ndcg: number;
}

/**
 * precision@N = hits/N; recall@N = hits/#relevant; NDCG@N = DCG/IDCG with binary gains,
 * DCG = Σ_{hit at rank r} 1/log2(r+1), IDCG = Σ_{r=1..min(#relevant, N)} 1/log2(r+1).
 * `relevantCount` counts every relevant test item, including ones the model could never rank.
 */
export function rankingScores(
  ranked: readonly number[],
  relevant: ReadonlySet<number>,
  relevantCount: number,
  n = 10,
): RankingScores {
  if (relevantCount <= 0) return { precision: 0, recall: 0, ndcg: 0 };
  let hits = 0;
  let dcg = 0;
  for (let r = 1; r <= Math.min(n, ranked.length); r++) {
    if (!relevant.has(ranked[r - 1]!)) continue;
    hits++;
    dcg += 1 / Math.log2(r + 1);
  }
  let ideal = 0;
  for (let r = 1; r <= Math.min(relevantCount, n); r++) ideal += 1 / Math.log2(r + 1);
  return { precision: hits / n, recall: hits / relevantCount, ndcg: dcg / ideal };
}

/** Running sums for RMSE = √(Σ(r̂−r)²/n) and MAE = Σ|r̂−r|/n. */
export interface ErrorAccumulator {
  add(predicted: number, actual: number): void;
  readonly count: number;
  rmse(): number;
  mae(): number;
}

export function createErrorAccumulator(): ErrorAccumulator {
  let squared = 0;
  let absolute = 0;
  let count = 0;
  return {
    add(predicted, actual) {
      const error = predicted - actual;
      squared += error * error;
      absolute += Math.abs(error);
      count++;
    },
    get count() {
      return count;
    },
    rmse: () => (count === 0 ? Number.NaN : Math.sqrt(squared / count)),
    mae: () => (count === 0 ? Number.NaN : absolute / count),
  };
}

/** Arithmetic mean (NaN for none). */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
}
