import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  BENCH_TARGETS,
  formatBenchReport,
  parseBenchArgs,
  runBenchCli,
  sizeResultSchema,
  type BenchReport,
  type SizeRunner,
} from '../../scripts/lib/bench/cli.js';
import { benchSize, percentile, type SizeResult } from '../../scripts/lib/bench/measure.js';
import { generateGuild } from '../../scripts/lib/bench/synthetic.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** Runs a size in this process (the script spawns a child instead). */
const inProcess: SizeRunner = async (members, args) =>
  benchSize({ members, queries: args.queries, updates: args.updates, seed: args.seed });

const expectFigures = (size: SizeResult): void => {
  for (const value of [
    size.buildSeconds,
    size.refitSeconds,
    size.peakRssMb,
    ...Object.values(size.topTen),
    ...Object.values(size.update),
  ]) {
    expect(value).toEqual(expect.any(Number));
    expect(Number.isFinite(value) && value >= 0).toBe(true);
  }
};

describe('synthetic guild', () => {
  const guild = generateGuild({ members: 300, seed: 4 });
  const { ratings } = guild;

  it('is the same for the same seed and differs for another', () => {
    // Byte comparison: a deep equality over ~30,000 entries would take most of this file's time.
    const same = (a: Int32Array | Float32Array, b: Int32Array | Float32Array): boolean =>
      Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength));
    const again = generateGuild({ members: 300, seed: 4 });
    expect(same(again.ratings.userCodes, ratings.userCodes)).toBe(true);
    expect(same(again.ratings.itemIds, ratings.itemIds)).toBe(true);
    expect(same(again.ratings.ratings, ratings.ratings)).toBe(true);
    expect(same(generateGuild({ members: 300, seed: 5 }).ratings.itemIds, ratings.itemIds)).toBe(false);
  });

  it('writes typed columns with half-star ratings and no film rated twice by a member', () => {
    expect(ratings.userCodes).toBeInstanceOf(Int32Array);
    expect(ratings.users).toHaveLength(300);
    const offScale = ratings.ratings.filter(
      (rating) => !(rating >= 0.5 && rating <= 5 && Number.isInteger(rating * 2)),
    );
    expect(offScale).toHaveLength(0);
    const pairs = new Set(Array.from(ratings.itemIds, (itemId, e) => `${ratings.userCodes[e]}:${itemId}`));
    expect(pairs.size).toBe(ratings.itemIds.length);
  });

  it('gives members about 100 ratings on average and the most popular film the most raters', () => {
    // Log-normal with mean 100: over 300 members the sample mean lands well inside 60..140 (fixed seed).
    expect(ratings.itemIds.length / 300).toBeGreaterThan(60);
    expect(ratings.itemIds.length / 300).toBeLessThan(140);
    const raters = (rank: number) => ratings.itemIds.filter((id) => id === guild.filmIds[rank]).length;
    expect(raters(0)).toBeGreaterThan(raters(99));
  });
});

describe('bench measurements', () => {
  it('takes nearest-rank percentiles', () => {
    const sorted = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];
    // p50: rank ⌈0.5·10⌉ = 5 → 5; p95: ⌈9.5⌉ = 10 → 10; p10: ⌈1⌉ = 1 → 1.
    expect([percentile(sorted, 50), percentile(sorted, 95), percentile(sorted, 10)]).toEqual([5, 10, 1]);
  });

  it('parses sizes, counts and the child flag', () => {
    expect(parseBenchArgs([])).toMatchObject({ sizes: [1_000, 10_000, 50_000], queries: 500, seed: 1 });
    expect(parseBenchArgs(['--sizes', '1000, 10_000', '--queries', '20', '--seed', '3'])).toMatchObject({
      sizes: [1_000, 10_000],
      queries: 20,
      seed: 3,
    });
    expect(parseBenchArgs(['--size', '200']).size).toBe(200);
    expect(() => parseBenchArgs(['--sizes', '1000,lots'])).toThrow(/usage/);
    expect(() => parseBenchArgs(['--queries', '0'])).toThrow(/usage/);
  });

  it('prints its figures as JSON the parent can read when run as a child', async () => {
    let printed = '';
    await runBenchCli(['--size', '200', '--queries', '5', '--updates', '5'], (text) => (printed += text), inProcess);
    const size = sizeResultSchema.parse(JSON.parse(printed));
    expect(size).toMatchObject({ members: 200, queries: 5, updates: 5 });
    expect(size.ratings).toBeGreaterThan(0);
    expect(size.meanNeighbours).toBeGreaterThan(0);
    expectFigures(size);
  });

  it('lists a failed size under the table and keeps the others', async () => {
    let printed = '';
    const failing: SizeRunner = async (members, args) => {
      if (members === 300) throw new Error('exit code 134');
      return inProcess(members, args);
    };
    const report = (await runBenchCli(
      ['--sizes', '200,300', '--queries', '3', '--updates', '3'],
      (text) => (printed += text),
      failing,
    )) as BenchReport;
    expect(report.sizes.map((size) => size.members)).toEqual([200]);
    expect(report.failures).toEqual([{ members: 300, error: 'exit code 134' }]);
    expect(printed).toContain('300 members FAILED: exit code 134');
  });
});

describe('bench table', () => {
  const size = (overrides: Partial<SizeResult>): SizeResult => ({
    members: 10_000,
    ratings: 1_000_000,
    films: 20_000,
    maxMemberRatings: 5_000,
    generateSeconds: 1,
    buildSeconds: 1,
    queries: 10,
    topTen: { p50: 1, p95: 2, p99: 3, max: 4 },
    meanNeighbours: 40,
    updates: 10,
    update: { p50: 0.01, p95: 0.02, p99: 0.03, max: 0.04 },
    refitSeconds: 0.1,
    peakRssMb: 150,
    ...overrides,
  });
  const report = (sizes: SizeResult[]): BenchReport => ({
    seed: 1,
    queries: 10,
    updates: 10,
    node: 'v20',
    cpus: 2,
    loadAverage: { start: 1, end: 1 },
    targets: BENCH_TARGETS,
    sizes,
    failures: [],
  });

  it('prints the targets beside the figures and checks them at 10,000 members', () => {
    const table = formatBenchReport(report([size({})]));
    expect(table).toContain('target @ 10,000');
    expect(table).toContain('1,000,000');
    expect(table).toMatch(
      /targets at 10,000 members: build 1\.00 s ok, p99 top-10 3\.0 ms ok, p99 update 0\.030 ms ok, peak 150 MB ok/,
    );
  });

  it('flags a missed target', () => {
    const table = formatBenchReport(report([size({ topTen: { p50: 10, p95: 20, p99: 25, max: 30 }, peakRssMb: 400 })]));
    expect(table).toContain('p99 top-10 25.0 ms MISSED');
    expect(table).toContain('peak 400 MB MISSED');
  });

  it('has no verdict line without the 10,000-member size', () => {
    expect(formatBenchReport(report([size({ members: 1_000 })]))).not.toContain('targets at');
  });
});

describe('bench script', () => {
  let directory: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'marquee-bench-'));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('runs each size in a child process, prints one table and writes the JSON', async () => {
    const out = join(directory, 'bench.json');
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/bench.ts', '--sizes', '200,250', '--queries', '5', '--updates', '5', '--json', out],
      { cwd: ROOT },
    );
    expect(stdout).toContain('top-10 p50 ms');
    expect(stdout).toMatch(/^\s+200\s+[\d,]+/m);
    expect(stdout).toMatch(/^\s+250\s+[\d,]+/m);
    expect(stdout).toContain('target @ 10,000');
    const json = JSON.parse(await readFile(out, 'utf8')) as BenchReport;
    expect(json).toMatchObject({ seed: 1, queries: 5, updates: 5, failures: [] });
    expect(json.sizes.map((size) => sizeResultSchema.parse(size).members)).toEqual([200, 250]);
    json.sizes.forEach(expectFigures);
  });
});
