import type { Estimate, GroupEvaluationReport } from '../../../src/recommender/evaluation/index.js';

const plusMinus = (value: Estimate, digits: number): string =>
  `${value.mean.toFixed(digits)} ±${Number.isNaN(value.se) ? '—' : value.se.toFixed(digits)}`;
const signed = (value: Estimate, digits: number): string =>
  `${value.mean >= 0 ? '+' : ''}${value.mean.toFixed(digits)} ±${Number.isNaN(value.se) ? '—' : value.se.toFixed(digits)}`;

/** The `--groups` table, the default-strategy rule's verdicts and the refit calibration, as printed. */
export function formatGroupReport(dataset: string, report: GroupEvaluationReport): string {
  const header = [
    'size',
    'composition',
    'strategy',
    'groups',
    'mean pct',
    'worst pct',
    'Δ worst pct',
    'mean R@50',
    'worst R@50',
    'Δ worst R@50',
    'NDCG@10',
  ];
  const rows = report.rows.map((row) => {
    const base = row.strategy === 'average';
    return [
      String(row.size),
      row.composition,
      row.strategy,
      String(row.groups),
      plusMinus(row.meanPercentile, 4),
      plusMinus(row.worstPercentile, 4),
      base ? '—' : signed(row.worstPercentileGain, 5),
      plusMinus(row.meanRecall50, 4),
      plusMinus(row.worstRecall50, 4),
      base ? '—' : signed(row.worstRecall50Gain, 5),
      row.ndcg10.toFixed(4),
    ];
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column < 3 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  const { rule, calibration } = report;
  const verdicts = rule.verdicts.map((verdict) => {
    const sizes = verdict.sizes.map(
      ({ size, gainInErrors, meanShare }) =>
        `${size}: ${gainInErrors >= 0 ? '+' : ''}${gainInErrors.toFixed(1)} SE, mean ${(100 * meanShare).toFixed(1)} %`,
    );
    return `  ${verdict.strategy.padEnd(24)}${sizes.join('; ')}  ${verdict.qualifies ? 'qualifies' : '—'}`;
  });
  const knots = calibration.percentiles.map((p, k) => `${p.toFixed(3)} → ${calibration.offsets[k]!.toFixed(3)}`);
  return [
    `${dataset}, groups: ${report.folds} folds × ${report.groupsPerFold} seeded groups per size and composition ` +
      `(seed ${report.seed}); candidates: the training catalogue minus films a member rated.`,
    `Per member: mean percentile (1 = top) of their relevant test films in the group's whole ranking, and recall@50;`,
    `worst = the least served member; ± standard error over groups; Δ = paired difference with average, same groups.`,
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    '',
    `Default rule (random groups of ${rule.sizes.join(' and ')}: Δ worst pct > 2 SE and mean pct ≥ 98 % of average's):`,
    ...verdicts,
    `  → ${rule.chosen ?? 'no strategy qualifies'}`,
    '',
    `Calibration refit on ${calibration.samples} held-out ratings (percentile → stars over μ + b_u, isotonic): ` +
      `${knots.join(', ')}; RMSE ${calibration.rmse.toFixed(4)} (μ + b_u alone ${calibration.levelRmse.toFixed(4)})`,
    `Model time ${report.seconds.toFixed(1)} s`,
    '',
  ].join('\n');
}
