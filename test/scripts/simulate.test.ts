import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseSimulateArgs, roundsWorseThanNoise, runSimulateCli } from '../../scripts/lib/simulation/cli.js';
import { writeMovieLensFixtures } from '../fixtures/movielens/made-up-ratings.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('simulate script', () => {
  let directory: string;
  let latest: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'marquee-simulate-'));
    ({ latest } = await writeMovieLensFixtures(directory));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  const args = ['--server-size', '4', '--rounds', '3', '--picks', '2', '--seed', '2'];

  it('prints a row per round with learning on and off, the totals, and writes the JSON the issue names', async () => {
    let printed = '';
    const out = join(directory, 'simulation.json');
    const report = await runSimulateCli([latest, ...args, '--json', out], (text) => (printed += text));

    // 12 users make 3 servers of 4, each simulated in one fold.
    expect(report.servers).toBe(3);
    expect(report.members).toBe(12);
    for (const label of ['round', 'on 👍', 'off NDCG@10', 'total', '👍 in total', 'target ≥ +10 %', 'upper bound']) {
      expect(printed).toContain(label);
    }
    expect(printed.split('\n').filter((line) => /^[123] /.test(line))).toHaveLength(3);
    const json = JSON.parse(await readFile(out, 'utf8')) as {
      rounds: { round: number; on: Record<string, number>; off: Record<string, number> }[];
    };
    expect(json.rounds.map(({ round }) => round)).toEqual([1, 2, 3]);
    for (const { on, off } of json.rounds) {
      for (const arm of [on, off]) {
        expect(Object.keys(arm).sort()).toEqual(['ndcg10', 'thumbsDown', 'thumbsUp']);
        for (const value of Object.values(arm)) expect(value).toBeGreaterThanOrEqual(0);
        expect(arm.thumbsUp! + arm.thumbsDown!).toBeLessThanOrEqual(1);
      }
    }
    // Nothing was learnt before the first reactions: both arms pick the same films in round 1.
    expect(json.rounds[0]!.on).toEqual(json.rounds[0]!.off);
    // At most 2 picks a round for each of the 12 members, in each arm.
    expect(report.totals.on.counts.shown).toBeLessThanOrEqual(12 * 3 * 2);
    expect(report.totals.off.counts.shown).toBeLessThanOrEqual(12 * 3 * 2);
  });

  it('gives the same figures for the same seed', async () => {
    const first = await runSimulateCli([latest, ...args], () => {});
    const second = await runSimulateCli([latest, ...args], () => {});
    expect(second).toEqual(first);
  });

  it('calls a round worse than off only when the gap is more than two standard errors', async () => {
    const report = await runSimulateCli([latest, ...args], () => {});
    const at = (mean: number, se: number) => ({
      ...report,
      rounds: [{ ...report.rounds[0]!, thumbsUpDifference: { mean, se } }],
    });
    expect(roundsWorseThanNoise(at(-0.03, 0.01))).toEqual([1]);
    expect(roundsWorseThanNoise(at(-0.02, 0.01))).toEqual([]);
    expect(roundsWorseThanNoise(at(0.05, 0.01))).toEqual([]);
  });

  it('rejects a missing directory or a bad option with the usage', () => {
    expect(() => parseSimulateArgs(['--rounds', '3'])).toThrow(/usage: npm run simulate/);
    expect(() => parseSimulateArgs([latest, '--picks', '0'])).toThrow(/usage/);
  });

  it('runs as a command', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/simulate.ts', latest, ...args],
      { cwd: ROOT },
    );
    expect(stdout).toMatch(/3 servers of 4/);
    expect(stdout).toContain('Rounds where on earned fewer 👍 than off');
  });
});
