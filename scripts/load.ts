/**
 * Load benchmark (GUIDE §7, issue 12): the real bot, in its own process, against the local fake Discord and a
 * local fake TMDB on 127.0.0.1, with members sending /rate, /watched add and /recommend at once.
 *   npm run load -- [--db sqlite,postgres] [--runs 3] [--postgres-url URL] [--json out.json] [--quick] [--keep DIR]
 * PostgreSQL needs a server where a fresh database may be created: --postgres-url, or TEST_DATABASE_URL.
 */
import { runLoadCli } from './lib/load/cli.js';

try {
  const { text } = await runLoadCli(process.argv.slice(2), process.env, (line) => process.stderr.write(line));
  process.stdout.write(text);
} catch (error) {
  console.error(error instanceof Error ? error.message : error);
  process.exitCode = 1;
}
