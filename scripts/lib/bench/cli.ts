import { spawn } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { availableParallelism, loadavg } from 'node:os';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { benchSize, type SizeResult } from './measure.js';

const USAGE =
  'usage: npm run bench -- [--sizes 1000,10000,50000] [--queries 500] [--updates 1000] [--seed 1] [--json out.json]\n' +
  '       (--size N runs one size in this process and prints its JSON: what the parent spawns per size)';

/** Issue 3's scale targets, checked at 10,000 members. */
export const BENCH_TARGETS = {
  members: 10_000,
  buildSeconds: 2,
  topTenP99Ms: 20,
  updateP99Ms: 1,
  peakRssMb: 300,
} as const;

const count = (minimum: number) => z.coerce.number().int().min(minimum);

const argsSchema = z.object({
  sizes: z.array(count(2)).min(1),
  size: count(2).optional(),
  queries: count(1),
  updates: count(1),
  seed: count(0),
  json: z.string().min(1).optional(),
});

export type BenchArgs = z.infer<typeof argsSchema>;

export function parseBenchArgs(argv: readonly string[]): BenchArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      sizes: { type: 'string', default: '1000,10000,50000' },
      size: { type: 'string' },
      queries: { type: 'string', default: '500' },
      updates: { type: 'string', default: '1000' },
      seed: { type: 'string', default: '1' },
      json: { type: 'string' },
    },
  });
  const parsed = argsSchema.safeParse({
    ...values,
    sizes: values.sizes.split(',').map((size) => size.trim().replaceAll('_', '')),
  });
  if (!parsed.success || positionals.length > 0) {
    throw new Error(
      `${parsed.success ? `unexpected argument ${positionals[0]}` : z.prettifyError(parsed.error)}\n${USAGE}`,
    );
  }
  return parsed.data;
}

const percentilesSchema = z.object({ p50: z.number(), p95: z.number(), p99: z.number(), max: z.number() });

/** What a child prints: parsed at the process boundary. */
export const sizeResultSchema = z.object({
  members: z.number(),
  ratings: z.number(),
  films: z.number(),
  maxMemberRatings: z.number(),
  generateSeconds: z.number(),
  buildSeconds: z.number(),
  queries: z.number(),
  topTen: percentilesSchema,
  meanNeighbours: z.number(),
  updates: z.number(),
  update: percentilesSchema,
  refitSeconds: z.number(),
  peakRssMb: z.number(),
}) satisfies z.ZodType<SizeResult>;

export interface SizeFailure {
  members: number;
  error: string;
}

export interface BenchReport {
  seed: number;
  queries: number;
  updates: number;
  node: string;
  cpus: number;
  /** 1-minute load average when the run started and ended (other work on the machine skews the figures). */
  loadAverage: { start: number; end: number };
  targets: typeof BENCH_TARGETS;
  sizes: SizeResult[];
  failures: SizeFailure[];
}

/** Runs one size somewhere (a fresh process in the script) and returns its figures. */
export type SizeRunner = (members: number, args: BenchArgs) => Promise<SizeResult>;

/**
 * Spawns `script --size N` with this process's Node and loader flags (tsx's), so each size starts from an
 * empty heap and its peak RSS is its own; reads the JSON it prints on stdout.
 */
export function createChildRunner(script: string): SizeRunner {
  return (members, args) =>
    new Promise((resolve, reject) => {
      const child = spawn(
        process.execPath,
        [
          ...process.execArgv,
          script,
          '--size',
          String(members),
          '--queries',
          String(args.queries),
          '--updates',
          String(args.updates),
          '--seed',
          String(args.seed),
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let output = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => (output += chunk));
      child.on('error', reject);
      child.on('close', (code, signal) => {
        if (code !== 0) {
          reject(new Error(signal === null ? `exit code ${code}` : `killed by ${signal}`));
          return;
        }
        try {
          resolve(sizeResultSchema.parse(JSON.parse(output)));
        } catch (error) {
          reject(new Error('unreadable output', { cause: error }));
        }
      });
    });
}

const grouped = (value: number): string => Math.round(value).toLocaleString('en-US');

export function formatBenchReport(report: BenchReport): string {
  const header = [
    'members',
    'ratings',
    'max/member',
    'build s',
    'top-10 p50 ms',
    'p95 ms',
    'p99 ms',
    'max ms',
    'update p50 ms',
    'p99 ms',
    'refit s',
    'peak MB',
  ];
  const rows: string[][] = report.sizes.map((size) => [
    grouped(size.members),
    grouped(size.ratings),
    grouped(size.maxMemberRatings),
    size.buildSeconds.toFixed(3),
    size.topTen.p50.toFixed(2),
    size.topTen.p95.toFixed(2),
    size.topTen.p99.toFixed(2),
    size.topTen.max.toFixed(2),
    size.update.p50.toFixed(4),
    size.update.p99.toFixed(4),
    size.refitSeconds.toFixed(3),
    size.peakRssMb.toFixed(0),
  ]);
  const targets = report.targets;
  rows.push([
    `target @ ${grouped(targets.members)}`,
    '',
    '',
    `≤ ${targets.buildSeconds}`,
    '',
    '',
    `≤ ${targets.topTenP99Ms}`,
    '',
    '',
    `≤ ${targets.updateP99Ms}`,
    '',
    `≤ ${targets.peakRssMb}`,
  ]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (cells: readonly string[]): string =>
    cells.map((cell, column) => cell.padStart(widths[column]!)).join('  ');
  const lines = [
    `Recommender benchmark: seed ${report.seed}, ${grouped(report.queries)} timed top-10 requests and ${grouped(report.updates)} ` +
      `updates per size, each size in a fresh process`,
    `node ${report.node}, ${report.cpus} CPUs, load average ${report.loadAverage.start.toFixed(2)} at start, ` +
      `${report.loadAverage.end.toFixed(2)} at end`,
    '',
    line(header),
    line(widths.map((width) => '-'.repeat(width))),
    ...rows.map(line),
  ];
  lines.push('(no group-pick column: the engine has no group pick to time)');
  const checked = report.sizes.find((size) => size.members === targets.members);
  if (checked !== undefined) {
    const verdict = (label: string, value: string, ok: boolean): string => `${label} ${value} ${ok ? 'ok' : 'MISSED'}`;
    lines.push(
      '',
      `targets at ${grouped(targets.members)} members: ` +
        [
          verdict('build', `${checked.buildSeconds.toFixed(2)} s`, checked.buildSeconds <= targets.buildSeconds),
          verdict('p99 top-10', `${checked.topTen.p99.toFixed(1)} ms`, checked.topTen.p99 <= targets.topTenP99Ms),
          verdict('p99 update', `${checked.update.p99.toFixed(3)} ms`, checked.update.p99 <= targets.updateP99Ms),
          verdict('peak', `${checked.peakRssMb.toFixed(0)} MB`, checked.peakRssMb <= targets.peakRssMb),
        ].join(', '),
    );
  }
  for (const failure of report.failures) lines.push(`${grouped(failure.members)} members FAILED: ${failure.error}`);
  return `${lines.join('\n')}\n`;
}

/**
 * `npm run bench`: each size through `runSize` (a fresh child process in the script), then one table and
 * optionally the JSON. With `--size N` it is the child: it benchmarks N members and prints the JSON.
 */
export async function runBenchCli(
  argv: readonly string[],
  write: (text: string) => void,
  runSize: SizeRunner,
): Promise<BenchReport | SizeResult> {
  const args = parseBenchArgs(argv);
  if (args.size !== undefined) {
    const result = benchSize({ members: args.size, queries: args.queries, updates: args.updates, seed: args.seed });
    write(`${JSON.stringify(result)}\n`);
    return result;
  }
  const start = loadavg()[0]!;
  const sizes: SizeResult[] = [];
  const failures: SizeFailure[] = [];
  for (const members of args.sizes) {
    try {
      sizes.push(await runSize(members, args));
    } catch (error) {
      failures.push({ members, error: (error as Error).message });
    }
  }
  const report: BenchReport = {
    seed: args.seed,
    queries: args.queries,
    updates: args.updates,
    node: process.version,
    cpus: availableParallelism(),
    loadAverage: { start, end: loadavg()[0]! },
    targets: BENCH_TARGETS,
    sizes,
    failures,
  };
  write(formatBenchReport(report));
  if (args.json !== undefined) await writeFile(args.json, `${JSON.stringify(report, null, 2)}\n`);
  return report;
}
