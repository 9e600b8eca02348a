import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runEvaluateCli } from '../../scripts/lib/evaluation/cli.js';
import { readMovieLens } from '../../scripts/lib/evaluation/movielens.js';
import {
  runGroupEvaluation,
  type GroupEvaluationReport,
  type GroupRow,
} from '../../src/recommender/evaluation/index.js';
import { ALL_GROUP_STRATEGIES } from '../../src/recommender/index.js';
import { writeGroupFixture } from '../fixtures/movielens/made-up-group-ratings.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const withoutTime = ({ seconds: _, ...report }: GroupEvaluationReport) => report;

describe('evaluate --groups', () => {
  let directory: string;
  let dataset: string;
  beforeAll(async () => {
    directory = await mkdtemp(join(tmpdir(), 'marquee-evaluate-groups-'));
    dataset = await writeGroupFixture(directory);
  });
  afterAll(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('prints every strategy by size and composition, the default rule and the calibration, and adds `groups` to the JSON', async () => {
    let printed = '';
    const out = join(directory, 'out.json');
    const report = await runEvaluateCli([dataset, '--groups', '--json', out], (text) => (printed += text));
    for (const text of [...ALL_GROUP_STRATEGIES, 'random', 'similar', 'Default rule', 'Calibration refit']) {
      expect(printed).toContain(text);
    }
    const json = JSON.parse(await readFile(out, 'utf8')) as {
      models: { name: string }[];
      groups: { rows: GroupRow[]; groupsPerFold: number; rule: { chosen: string | null } };
    };
    // `models` as without --groups.
    const withoutGroups = await runEvaluateCli([dataset], () => undefined);
    expect(json.models.map((model) => model.name)).toEqual(withoutGroups.models.map((model) => model.name));
    expect(json.models.map((model) => model.name)).toEqual(
      expect.arrayContaining(['baseline', 'neighbours', 'most-popular']),
    );
    expect(json.groups.groupsPerFold).toBe(200);
    // 4 sizes × 2 compositions × 6 strategies.
    expect(json.groups.rows).toHaveLength(48);
    const rows = report.groups!.rows;
    // 40 users: 200 random pairs per fold are always found.
    expect(rows.find((row) => row.size === 2 && row.composition === 'random')!.groups).toBe(1_000);
    for (const row of rows) {
      expect(row.groups).toBeGreaterThan(0);
      expect(row.groups).toBeLessThanOrEqual(1_000);
      expect(row.worstPercentile.mean).toBeLessThanOrEqual(row.meanPercentile.mean);
      for (const figure of [row.meanPercentile, row.worstPercentile, row.meanRecall50, row.worstRecall50]) {
        expect(figure.mean).toBeGreaterThanOrEqual(0);
        expect(figure.mean).toBeLessThanOrEqual(1);
      }
      if (row.strategy === 'average') expect(row.worstPercentileGain).toEqual({ mean: 0, se: 0 });
    }
  });

  it('draws the same groups and figures for the same seed, and others for another', async () => {
    const data = await readMovieLens(dataset);
    const options = { groupsPerFold: 20, sizes: [3] };
    const first = runGroupEvaluation(data, options);
    expect(withoutTime(runGroupEvaluation(data, options))).toEqual(withoutTime(first));
    expect(runGroupEvaluation(data, { ...options, seed: 2 }).rows).not.toEqual(first.rows);
  });

  it('runs as a command', async () => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', 'scripts/evaluate.ts', dataset, '--folds', '2', '--groups'],
      { cwd: ROOT },
    );
    expect(stdout).toMatch(/2 folds × 200 seeded groups/);
    expect(stdout).toContain('average_without_misery');
  });
});
