/**
 * Offline demo: the real bot against a local Discord and a local TMDB on a throwaway SQLite file, playing a short
 * story and printing its transcript. No token, no network, no .env.
 *   npm run demo -- [--keep] [--json FILE] [--html FILE] [--seed N]
 */
import { runDemo } from './demo/run.js';

const stop = new AbortController();
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => stop.abort());
const { exitCode } = await runDemo(process.argv.slice(2), {
  stdout: process.stdout,
  stderr: process.stderr,
  signal: stop.signal,
});
process.exitCode = exitCode;
