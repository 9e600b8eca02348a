import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseEvaluateArgs, runEvaluateCli } from '../../scripts/lib/evaluation/cli.js';
import { writeMovieLensFixtures } from '../fixtures/movielens/made-up-ratings.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('evaluate script', () => {
  let directory: string;
  let latest: string;
  let hundredK: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'marquee-evaluate-'));
    ({ latest, hundredK } = await writeMovieLensFixtures(directory));
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('prints a table with a row per source and the shipped blend, and writes the JSON other tools read', async () => {
    let printed = '';
    const out = join(directory, 'out.json');
    const report = await runEvaluateCli([latest, '--json', out], (text) => (printed += text));
    for (const label of [
      'baseline',
      'neighbours (rating prediction)',
      'shipped blend (top-N)',
      'source:similar-films',
      'source:neighbours (top-N)',
      'source:server-favourites',
      'source:popular',
      'weak stand-in',
      'most-popular',
      'median time to rank one member',
      'upper bound',
    ]) {
      expect(printed).toContain(label);
    }
    // The fixture holds 99 ratings, each in exactly one fold.
    expect(report.foldSizes.reduce((a, b) => a + b)).toBe(99);
    const json = JSON.parse(await readFile(out, 'utf8')) as {
      dataset: string;
      folds: number;
      serverSize: number | null;
      seed: number;
      models: Record<string, unknown>[];
    };
    expect(json.dataset).toBe('latest-format');
    expect(json.folds).toBe(5);
    expect({ serverSize: json.serverSize, seed: json.seed }).toEqual({ serverSize: null, seed: 1 });
    // baseline, neighbours (rating prediction and the shipped ranking's top-N) and most-popular as before, then a
    // row per source and the blend on the weak stand-in.
    expect(json.models.map((model) => model.name)).toEqual([
      'baseline',
      'neighbours',
      'most-popular',
      'source:similar-films',
      'source:neighbours',
      'source:server-favourites',
      'source:popular',
      'weak-stand-in',
    ]);
    for (const model of json.models) {
      expect(Object.keys(model).sort()).toEqual(
        ['coverage', 'fitSeconds', 'mae', 'name', 'ndcg10', 'precision10', 'predictSeconds', 'recall10', 'rmse'].sort(),
      );
    }
    expect(json.models[2]).toMatchObject({ rmse: null, mae: null });
    expect(json.models[0]).toMatchObject({ ndcg10: null });
    expect(json.models[1]!.rmse).toEqual(expect.any(Number));
    expect(json.models[1]!.ndcg10).toEqual(expect.any(Number));
  });

  it('reads ml-100k u.data like ratings.csv', async () => {
    const fromCsv = await runEvaluateCli([latest], () => {});
    const fromData = await runEvaluateCli([hundredK], () => {});
    expect(fromData.models.map(({ fitSeconds: _, predictSeconds: __, ...figures }) => figures)).toEqual(
      fromCsv.models.map(({ fitSeconds: _, predictSeconds: __, ...figures }) => figures),
    );
  });

  it('evaluates within sampled servers', async () => {
    const out = join(directory, 'servers.json');
    const report = await runEvaluateCli([latest, '--server-size', '4', '--seed', '2', '--json', out], () => {});
    // 12 users make 3 servers of 4.
    expect(report.servers).toBe(3);
    expect(JSON.parse(await readFile(out, 'utf8'))).toMatchObject({ serverSize: 4, seed: 2 });
  });

  it('rejects a missing directory argument with the usage', () => {
    expect(() => parseEvaluateArgs(['--folds', '5'])).toThrow(/usage/);
  });

  it('runs as a command', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/evaluate.ts', latest, '--folds', '3'],
      {
        cwd: ROOT,
      },
    );
    expect(stdout).toMatch(/3 folds/);
    expect(stdout).toContain('most-popular');
  });
});
