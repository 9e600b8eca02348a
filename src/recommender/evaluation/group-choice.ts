import { GROUP_STRATEGIES, type GroupStrategy } from '../group-strategies.js';
import type { GroupRow } from './group-protocol.js';
import { GROUP_COMPOSITIONS } from './group-sampling.js';

/** One strategy against the rule, at each size the rule reads. */
export interface StrategyVerdict {
  strategy: GroupStrategy;
  /** Per size: the paired worst-member gain over average in standard errors, and the mean as a share of average's. */
  sizes: { size: number; gainInErrors: number; meanShare: number; passes: boolean }[];
  qualifies: boolean;
}

export interface DefaultRule {
  sizes: number[];
  verdicts: StrategyVerdict[];
  /** The qualifying strategy with the largest smallest gain in standard errors, or null when none qualifies. */
  chosen: GroupStrategy | null;
}

export interface DefaultRuleOptions {
  sizes?: readonly number[];
  /** The gain must exceed this many standard errors... */
  standardErrors?: number;
  /** ...with the mean member score at least (1 − this) × average's. */
  meanTolerance?: number;
}

const RULE_DEFAULTS = {
  sizes: [4, 8],
  standardErrors: 2,
  meanTolerance: 0.02,
} as const satisfies Required<DefaultRuleOptions>;

/**
 * Issue 13's rule for the default strategy, on random groups of each size: the worst-member mean percentile beats
 * average's by more than `standardErrors` standard errors of the paired difference over the same groups, and the
 * mean member score stays within `meanTolerance` of average's. A size without groups fails.
 */
export function defaultStrategyRule(rows: readonly GroupRow[], options: DefaultRuleOptions = {}): DefaultRule {
  const { sizes, standardErrors, meanTolerance } = { ...RULE_DEFAULTS, ...options };
  const random = rows.filter((row) => row.composition === GROUP_COMPOSITIONS.random);
  const strategies = [...new Set(random.map((row) => row.strategy))].filter(
    (strategy) => strategy !== GROUP_STRATEGIES.average,
  );
  const verdicts = strategies.map((strategy): StrategyVerdict => {
    const perSize = sizes.map((size) => {
      const row = random.find((candidate) => candidate.size === size && candidate.strategy === strategy);
      const base = random.find(
        (candidate) => candidate.size === size && candidate.strategy === GROUP_STRATEGIES.average,
      );
      if (row === undefined || base === undefined || row.groups === 0) {
        return { size, gainInErrors: Number.NaN, meanShare: Number.NaN, passes: false };
      }
      const { mean, se } = row.worstPercentileGain;
      const gainInErrors = se > 0 ? mean / se : mean > 0 ? Infinity : 0;
      const meanShare = row.meanPercentile.mean / base.meanPercentile.mean;
      return { size, gainInErrors, meanShare, passes: gainInErrors > standardErrors && meanShare >= 1 - meanTolerance };
    });
    return { strategy, sizes: perSize, qualifies: perSize.every((entry) => entry.passes) };
  });
  const qualifying = verdicts
    .filter((verdict) => verdict.qualifies)
    .map((verdict) => ({ verdict, margin: Math.min(...verdict.sizes.map((entry) => entry.gainInErrors)) }))
    .sort((a, b) => b.margin - a.margin);
  return { sizes: [...sizes], verdicts, chosen: qualifying[0]?.verdict.strategy ?? null };
}
