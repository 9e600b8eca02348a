/**
 * Picks that learn from reactions against picks that do not, on MovieLens (issue 10):
 *   npm run simulate -- <movielens-dir> [--server-size 10] [--rounds 10] [--picks 5] [--seed 1] [--json out.json]
 * Prints per round, with learning on and off, the 👍 and 👎 rates and NDCG@10, and the totals
 * (src/recommender/evaluation/simulation.ts says how members are simulated).
 */
import { runSimulateCli } from './lib/simulation/cli.js';

try {
  await runSimulateCli(process.argv.slice(2), (text) => process.stdout.write(text));
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
