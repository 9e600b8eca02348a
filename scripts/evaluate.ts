/**
 * Offline evaluation of the recommender (GUIDE §6):
 *   npm run evaluate -- <movielens-dir> [--folds 5] [--json out.json] [--server-size N] [--seed 1] [--groups]
 * Reads ratings.csv or ml-100k u.data; prints baseline, neighbours (rating prediction), the shipped blend, each
 * source alone, the blend on the weak stand-in and most-popular with fit/predict seconds (model time, totals over
 * folds), and the median time to rank one member; `--groups` adds the group strategies' table (issue 13), written
 * under `groups` in the JSON.
 */
import { performance } from 'node:perf_hooks';
import { runEvaluateCli } from './lib/evaluation/cli.js';

try {
  await runEvaluateCli(process.argv.slice(2), (text) => process.stdout.write(text), { now: () => performance.now() });
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
