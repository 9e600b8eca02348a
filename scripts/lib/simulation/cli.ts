import { writeFile } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { runSimulation, type SimulationReport } from '../../../src/recommender/evaluation/index.js';
import { readMovieLens } from '../evaluation/movielens.js';

const USAGE =
  'usage: npm run simulate -- <movielens-dir> [--server-size 10] [--rounds 10] [--picks 5] [--seed 1] [--json out.json]';

const argsSchema = z.object({
  directory: z.string().min(1),
  serverSize: z.coerce.number().int().min(2),
  rounds: z.coerce.number().int().min(1).max(1_000),
  picks: z.coerce.number().int().min(1).max(100),
  seed: z.coerce.number().int().min(0),
  json: z.string().min(1).optional(),
});

export type SimulateArgs = z.infer<typeof argsSchema>;

export function parseSimulateArgs(argv: readonly string[]): SimulateArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      'server-size': { type: 'string', default: '10' },
      rounds: { type: 'string', default: '10' },
      picks: { type: 'string', default: '5' },
      seed: { type: 'string', default: '1' },
      json: { type: 'string' },
    },
  });
  const parsed = argsSchema.safeParse({
    directory: positionals[0],
    serverSize: values['server-size'],
    rounds: values.rounds,
    picks: values.picks,
    seed: values.seed,
    json: values.json,
  });
  if (!parsed.success || positionals.length !== 1) {
    throw new Error(`${parsed.success ? 'expected one directory' : z.prettifyError(parsed.error)}\n${USAGE}`);
  }
  return parsed.data;
}

const figure = (value: number): string => value.toFixed(4);
const signed = (value: number): string => `${value >= 0 ? '+' : '−'}${Math.abs(value).toFixed(4)}`;
const percent = (value: number): string => `${value >= 0 ? '+' : '−'}${Math.abs(value * 100).toFixed(1)} %`;

/** A difference is noise unless it lies more than this many standard errors from 0. */
export const NOISE_SE = 2;

/** Rounds where learning on earned fewer 👍 per pick than off by more than the noise (2 standard errors). */
export function roundsWorseThanNoise(report: SimulationReport): number[] {
  return report.rounds
    .filter(({ thumbsUpDifference: { mean, se } }) => mean < -NOISE_SE * se)
    .map(({ round }) => round);
}

export function formatSimulation(dataset: string, report: SimulationReport): string {
  const header = ['round', 'on 👍', 'on 👎', 'on NDCG@10', 'off 👍', 'off 👎', 'off NDCG@10', `Δ 👍 ± ${NOISE_SE} SE`];
  const rows = report.rounds.map(({ round, on, off, thumbsUpDifference: { mean, se } }) => [
    String(round),
    figure(on.thumbsUp),
    figure(on.thumbsDown),
    figure(on.ndcg10),
    figure(off.thumbsUp),
    figure(off.thumbsDown),
    figure(off.ndcg10),
    `${signed(mean)} ± ${(NOISE_SE * se).toFixed(4)}`,
  ]);
  const { on, off, thumbsUpGain } = report.totals;
  rows.push([
    'total',
    figure(on.thumbsUp),
    figure(on.thumbsDown),
    figure(on.ndcg10),
    figure(off.thumbsUp),
    figure(off.thumbsDown),
    figure(off.ndcg10),
    signed(on.thumbsUp - off.thumbsUp),
  ]);
  const counts = { on: on.counts, off: off.counts };
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (column === 0 ? cell.padEnd(widths[column]!) : cell.padStart(widths[column]!)))
      .join('  ');
  const worse = roundsWorseThanNoise(report);
  return [
    `${dataset}: ${report.servers} servers of ${report.serverSize} (${report.members} members simulated, each once, over ${report.folds} folds), ` +
      `${report.rounds.length} rounds of ${report.picks} picks, at most ${report.startingRatings} starting ratings each, seed ${report.seed}`,
    '👍/👎: reactions per pick shown; NDCG@10 of the ranking the picks came from, against the test films rated ≥ 4 not yet shown.',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
    `👍 in total: learning on ${counts.on.thumbsUp} of ${counts.on.shown} picks, off ${counts.off.thumbsUp} of ${counts.off.shown}: ${percent(thumbsUpGain)} with learning (target ≥ +10 %)`,
    `👎 in total: on ${counts.on.thumbsDown}, off ${counts.off.thumbsDown}`,
    `Rounds where on earned fewer 👍 than off by more than ${NOISE_SE} standard errors: ${worse.length === 0 ? 'none' : worse.join(', ')}`,
    "TMDB's lists stand in from the training ratings of the members not simulated in the fold: an upper bound for the real lists' quality.",
    '',
  ].join('\n');
}

/** The JSON of `--json`: the rounds as the issue names them, with the totals and the settings beside them. */
export function simulationJson(dataset: string, report: SimulationReport) {
  return {
    dataset,
    serverSize: report.serverSize,
    servers: report.servers,
    members: report.members,
    picks: report.picks,
    seed: report.seed,
    rounds: report.rounds.map(({ round, on, off, thumbsUpDifference }) => ({ round, on, off, thumbsUpDifference })),
    totals: report.totals,
  };
}

/** Runs the simulation `argv` describes; writes the table through `write` and the JSON file if asked. */
export async function runSimulateCli(
  argv: readonly string[],
  write: (text: string) => void,
): Promise<SimulationReport> {
  const args = parseSimulateArgs(argv);
  const data = await readMovieLens(args.directory);
  const dataset = basename(resolve(args.directory));
  const report = runSimulation(data, {
    serverSize: args.serverSize,
    rounds: args.rounds,
    picks: args.picks,
    seed: args.seed,
  });
  write(formatSimulation(dataset, report));
  if (args.json !== undefined)
    await writeFile(args.json, `${JSON.stringify(simulationJson(dataset, report), null, 2)}\n`);
  return report;
}
