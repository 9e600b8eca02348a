import { describe, expect, it } from 'vitest';
import { parseLoadArgs, QUICK_LOAD, runLoadCli } from '../../scripts/lib/load/cli.js';
import {
  formatRuns,
  median,
  medianScenario,
  percentile,
  type RunResult,
  type ScenarioResult,
} from '../../scripts/lib/load/stats.js';

const scenario = (overrides: Partial<ScenarioResult> = {}): ScenarioResult => ({
  scenario: '10 /rate',
  sent: 10,
  acknowledged: 10,
  answered: 10,
  succeeded: 10,
  perSecond: 5,
  callbackMs: { p50: 1, p95: 2, p99: 3 },
  answerMs: { p50: 10, p95: 20, p99: 30 },
  errors: {},
  rowsStored: 10,
  rowsExpected: 10,
  ...overrides,
});

describe('load benchmark figures', () => {
  it('takes nearest-rank percentiles and medians', () => {
    const values = Array.from({ length: 100 }, (_, index) => 100 - index);
    expect([percentile(values, 50), percentile(values, 95), percentile(values, 99)]).toEqual([50, 95, 99]);
    expect(percentile([], 50)).toBeNaN();
    expect(median([3, 1, 2])).toBe(2);
    expect(median([4, 1, 2, 3])).toBe(2.5);
  });

  it('reports each figure of a scenario as its median over runs, and sums the errors', () => {
    const row = medianScenario([
      scenario({ answerMs: { p50: 10, p95: 900, p99: 30 }, errors: { 'no answer': 1 } }),
      scenario({ answerMs: { p50: 30, p95: 20, p99: 10 }, rowsStored: 9 }),
      scenario({ answerMs: { p50: 20, p95: 40, p99: 20 }, errors: { 'no answer': 2 } }),
    ]);
    expect(row.answerMs).toEqual({ p50: 20, p95: 40, p99: 20 });
    expect(row.rowsStored).toBe(10);
    expect(row.errors).toEqual({ 'no answer': 3 });
  });

  it('prints one table per database with the ramp and the shutdown', () => {
    const run: RunResult = {
      database: 'sqlite',
      scenarios: [scenario()],
      ramp: [{ members: 2, sent: 2, answered: 2, callbackP99Ms: 4 }],
      shutdown: { exitMs: 800, exitCode: 0, confirmed: 5, confirmedStored: 5, halfWritten: 0 },
      botErrors: 0,
    };
    const text = formatRuns([run, run, run]);
    expect(text).toContain('sqlite: medians of 3 runs');
    expect(text).toContain('| 10 /rate | 10 | 10 | 10 | 5.0 | 1 / 2 / 3 | 10 / 20 / 30 | 0.0 | 10 / 10 |');
    expect(text).toContain('2: 2/2 (callback p99 4 ms)');
    expect(text).toContain('exit after 800 ms (codes 0, 0, 0); confirmed ratings stored 5/5; half-written 0');
  });

  it('asks for a PostgreSQL server when PostgreSQL is wanted', () => {
    expect(() => parseLoadArgs(['--db', 'postgres'], {})).toThrow(/--postgres-url/);
    expect(parseLoadArgs(['--db', 'postgres'], { TEST_DATABASE_URL: 'postgres://u@h/db' }).postgresUrl).toBe(
      'postgres://u@h/db',
    );
    expect(() => parseLoadArgs(['--db', 'mysql'], {})).toThrow();
  });
});

describe('npm run load', () => {
  it('runs the real bot in its own process on a small load and stores every confirmed rating', async () => {
    const progress: string[] = [];
    const { text, runs } = await runLoadCli(['--db', 'sqlite', '--runs', '1', '--quick'], {}, (line) =>
      progress.push(line),
    );
    const [run] = runs;
    expect(progress).toEqual(['sqlite: run 1 of 1…\n']);
    expect(text).toContain('sqlite: medians of 1 run');
    // Counts only: timings on a shared machine are printed, never asserted.
    expect(run?.scenarios.map((row) => [row.sent, row.succeeded, row.rowsStored, row.rowsExpected])).toEqual([
      [QUICK_LOAD.burst.ratings, QUICK_LOAD.burst.ratings, QUICK_LOAD.burst.ratings, QUICK_LOAD.burst.ratings],
      [
        QUICK_LOAD.mixedMembers * 3,
        QUICK_LOAD.mixedMembers * 3,
        QUICK_LOAD.mixedMembers * 2,
        QUICK_LOAD.mixedMembers * 2,
      ],
    ]);
    expect(run?.ramp.map((step) => step.answered)).toEqual(QUICK_LOAD.ramp);
    expect(run?.shutdown.exitCode).toBe(0);
    expect(run?.shutdown.confirmedStored).toBe(run?.shutdown.confirmed);
    expect(run?.shutdown.halfWritten).toBe(0);
    expect(run?.botErrors).toBe(0);
  }, 120_000);
});
