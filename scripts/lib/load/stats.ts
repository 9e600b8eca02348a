/** Figures of the load benchmark: percentiles of one run, medians over runs, and the printed table. */

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
}

/** Nearest-rank percentile (0-100) of values; NaN for none. */
export function percentile(values: readonly number[], rank: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((rank / 100) * sorted.length) - 1));
  return sorted[index] ?? Number.NaN;
}

export function percentiles(values: readonly number[]): Percentiles {
  return { p50: percentile(values, 50), p95: percentile(values, 95), p99: percentile(values, 99) };
}

/** The median of values (the mean of the middle two for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  const present = values.filter((value) => !Number.isNaN(value));
  if (present.length === 0) return Number.NaN;
  const sorted = [...present].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1
    ? (sorted[middle] ?? Number.NaN)
    : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
}

/** What one scenario of one run measured. */
export interface ScenarioResult {
  scenario: string;
  sent: number;
  /** Interactions whose first callback reached the fake Discord within Discord's 3 s. */
  acknowledged: number;
  /** Interactions that got their final answer (any text), and those whose answer was the expected one. */
  answered: number;
  succeeded: number;
  /** Answers per second, from the first dispatch to the last answer. */
  perSecond: number;
  callbackMs: Percentiles;
  answerMs: Percentiles;
  /** Anything but the expected answer, by first words of what the member saw (or "no answer"). */
  errors: Record<string, number>;
  rowsStored: number;
  rowsExpected: number;
}

export interface RampStep {
  members: number;
  sent: number;
  answered: number;
  callbackP99Ms: number;
}

export interface ShutdownResult {
  /** From SIGTERM to the process's exit. */
  exitMs: number;
  exitCode: number | null;
  /** Ratings the bot had confirmed to members, and how many of them are stored with those stars. */
  confirmed: number;
  confirmedStored: number;
  /** Ratings stored without the diary entry their unit of work writes with them. */
  halfWritten: number;
}

export interface RunResult {
  database: string;
  scenarios: ScenarioResult[];
  ramp: RampStep[];
  shutdown: ShutdownResult;
  /** Error-level lines the bot logged. */
  botErrors: number;
}

const number = (value: number, digits = 0): string => (Number.isNaN(value) ? '-' : value.toFixed(digits));
const triple = ({ p50, p95, p99 }: Percentiles): string => `${number(p50)} / ${number(p95)} / ${number(p99)}`;

function medianPercentiles(values: readonly Percentiles[]): Percentiles {
  return {
    p50: median(values.map((value) => value.p50)),
    p95: median(values.map((value) => value.p95)),
    p99: median(values.map((value) => value.p99)),
  };
}

/** One scenario's figures as the median over runs (each figure on its own); errors summed over runs. */
export function medianScenario(runs: readonly ScenarioResult[]): ScenarioResult {
  const first = runs[0];
  if (!first) throw new Error('no runs');
  const errors: Record<string, number> = {};
  for (const run of runs)
    for (const [what, count] of Object.entries(run.errors)) errors[what] = (errors[what] ?? 0) + count;
  const pick = (read: (run: ScenarioResult) => number) => median(runs.map(read));
  return {
    scenario: first.scenario,
    sent: pick((run) => run.sent),
    acknowledged: pick((run) => run.acknowledged),
    answered: pick((run) => run.answered),
    succeeded: pick((run) => run.succeeded),
    perSecond: pick((run) => run.perSecond),
    callbackMs: medianPercentiles(runs.map((run) => run.callbackMs)),
    answerMs: medianPercentiles(runs.map((run) => run.answerMs)),
    errors,
    rowsStored: pick((run) => run.rowsStored),
    rowsExpected: pick((run) => run.rowsExpected),
  };
}

/** The table for one database: medians of its runs. */
export function formatRuns(runs: readonly RunResult[]): string {
  const first = runs[0];
  if (!first) return '';
  const lines = [
    `${first.database}: medians of ${runs.length} run${runs.length === 1 ? '' : 's'}`,
    '',
    '| scenario | sent | acked ≤3 s | answered ok | answers/s | callback ms p50 / p95 / p99 | answer ms p50 / p95 / p99 | errors | rows stored / expected |',
    '|---|---|---|---|---|---|---|---|---|',
  ];
  for (const [index, scenario] of first.scenarios.entries()) {
    const row = medianScenario(runs.map((run) => run.scenarios[index] ?? scenario));
    const errors = Object.values(row.errors).reduce((sum, count) => sum + count, 0) / runs.length;
    lines.push(
      `| ${row.scenario} | ${number(row.sent)} | ${number(row.acknowledged)} | ${number(row.succeeded)} | ${number(row.perSecond, 1)} | ${triple(row.callbackMs)} | ${triple(row.answerMs)} | ${number(errors, 1)} | ${number(row.rowsStored)} / ${number(row.rowsExpected)} |`,
    );
  }
  const steps = first.ramp.map((step, index) => {
    const answered = median(runs.map((run) => run.ramp[index]?.answered ?? Number.NaN));
    const p99 = median(runs.map((run) => run.ramp[index]?.callbackP99Ms ?? Number.NaN));
    return `${step.members}: ${number(answered)}/${step.sent} (callback p99 ${number(p99)} ms)`;
  });
  lines.push('', `ramp (members at once: answered/sent): ${steps.join(', ')}`);
  const shutdown = (read: (result: ShutdownResult) => number) => median(runs.map((run) => read(run.shutdown)));
  const codes = runs.map((run) => String(run.shutdown.exitCode)).join(', ');
  lines.push(
    `SIGTERM during a burst: exit after ${number(shutdown((s) => s.exitMs))} ms (codes ${codes}); ` +
      `confirmed ratings stored ${number(shutdown((s) => s.confirmedStored))}/${number(shutdown((s) => s.confirmed))}; ` +
      `half-written ${number(shutdown((s) => s.halfWritten))}`,
  );
  lines.push(`error-level lines in the bot's log: ${runs.map((run) => run.botErrors).join(', ')}`);
  const errorKinds = Object.entries(
    runs
      .flatMap((run) => run.scenarios)
      .reduce<Record<string, number>>((all, scenario) => {
        for (const [what, count] of Object.entries(scenario.errors)) all[what] = (all[what] ?? 0) + count;
        return all;
      }, {}),
  );
  if (errorKinds.length > 0) {
    lines.push('errors over all runs:', ...errorKinds.map(([what, count]) => `  ${count} × ${what}`));
  }
  return `${lines.join('\n')}\n`;
}
