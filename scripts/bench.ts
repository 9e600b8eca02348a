/**
 * Recommender benchmark (GUIDE §7, issue 3):
 *   npm run bench -- [--sizes 1000,10000,50000] [--queries 500] [--updates 1000] [--seed 1] [--json out.json]
 * Each size runs in a fresh child process (this script with --size N) so build time, latencies and peak
 * memory are that size's alone; the parent prints one table with the targets beside it.
 */
import { fileURLToPath } from 'node:url';
import { createChildRunner, runBenchCli } from './lib/bench/cli.js';

try {
  const report = await runBenchCli(
    process.argv.slice(2),
    (text) => process.stdout.write(text),
    createChildRunner(fileURLToPath(import.meta.url)),
  );
  if ('failures' in report && report.failures.length > 0) process.exitCode = 1;
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
