import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import {
  runEvaluation,
  runGroupEvaluation,
  type EvaluationOptions,
  type EvaluationReport,
  type GroupEvaluationReport,
} from '../../../src/recommender/evaluation/index.js';
import { formatGroupReport } from './group-report.js';
import { readMovieLens } from './movielens.js';

const USAGE =
  'usage: npm run evaluate -- <movielens-dir> [--folds 5] [--json out.json] [--server-size N] [--seed 1] [--groups]';

const argsSchema = z.object({
  directory: z.string().min(1),
  folds: z.coerce.number().int().min(2).max(255),
  json: z.string().min(1).optional(),
  serverSize: z.coerce.number().int().min(2).optional(),
  seed: z.coerce.number().int().min(0),
  /** Also evaluate the group strategies (issue 13) on the whole data set. */
  groups: z.boolean(),
});

export type EvaluateArgs = z.infer<typeof argsSchema>;

export function parseEvaluateArgs(argv: readonly string[]): EvaluateArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      folds: { type: 'string', default: '5' },
      json: { type: 'string' },
      'server-size': { type: 'string' },
      seed: { type: 'string', default: '1' },
      groups: { type: 'boolean', default: false },
    },
  });
  const parsed = argsSchema.safeParse({
    directory: positionals[0],
    folds: values.folds,
    json: values.json,
    serverSize: values['server-size'],
    seed: values.seed,
    groups: values.groups,
  });
  if (!parsed.success || positionals.length !== 1) {
    throw new Error(`${parsed.success ? 'expected one directory' : z.prettifyError(parsed.error)}\n${USAGE}`);
  }
  return parsed.data;
}

const figure = (value: number | null, digits = 4): string => (value === null ? '—' : value.toFixed(digits));

export function formatReport(dataset: string, report: EvaluationReport): string {
  const header = ['model', 'RMSE', 'MAE', 'P@10', 'R@10', 'NDCG@10', 'coverage', 'fit s', 'predict s'];
  const rows = report.rows.map((row) => [
    row.label,
    figure(row.rmse),
    figure(row.mae),
    figure(row.precision10),
    figure(row.recall10),
    figure(row.ndcg10),
    figure(row.coverage),
    row.fitSeconds.toFixed(3),
    row.predictSeconds.toFixed(3),
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  const servers = report.servers === null ? '' : `, ${report.servers} servers per fold`;
  return [
    `${dataset}: ${report.folds} folds (sizes ${report.foldSizes.join(', ')}), ${report.rankingEvaluations} user-fold top-N evaluations${servers}`,
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    `median time to rank one member (shipped blend, every catalogue film): ${report.medianRankMs.toFixed(3)} ms`,
    "The stand-in lists are learned from the whole training split, as TMDB's are from its users: an upper bound.",
    '',
  ].join('\n');
}

/** Runs the evaluation described by `argv`; writes the table through `write` and the JSON file if asked. */
export async function runEvaluateCli(
  argv: readonly string[],
  write: (text: string) => void,
  options: Pick<EvaluationOptions, 'config' | 'baselineConfig' | 'now'> = {},
): Promise<EvaluationReport & { groups?: GroupEvaluationReport }> {
  const args = parseEvaluateArgs(argv);
  const data = await readMovieLens(args.directory);
  const dataset = basename(resolve(args.directory));
  const report = runEvaluation(data, {
    ...options,
    folds: args.folds,
    seed: args.seed,
    ...(args.serverSize === undefined ? {} : { serverSize: args.serverSize }),
  });
  write(formatReport(args.serverSize === undefined ? dataset : `${dataset} (servers of ${args.serverSize})`, report));
  const groups = args.groups
    ? runGroupEvaluation(data, {
        folds: args.folds,
        seed: args.seed,
        ...(options.config === undefined ? {} : { config: options.config }),
        ...(options.now === undefined ? {} : { now: options.now }),
      })
    : undefined;
  if (groups !== undefined) write(`\n${formatGroupReport(dataset, groups)}`);
  if (args.json !== undefined) {
    const json = {
      dataset,
      folds: report.folds,
      serverSize: report.serverSize,
      seed: report.seed,
      models: report.models,
      ...(groups === undefined ? {} : { groups }),
    };
    await writeFile(args.json, `${JSON.stringify(json, null, 2)}\n`);
  }
  return groups === undefined ? report : { ...report, groups };
}
