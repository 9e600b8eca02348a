/**
 * npm run seed -- [--guild ID] [--users N] [--ratings-per-user M] [--source catalogue|tmdb] [--seed S] [--as-of YYYY-MM-DD] [--database-url URL]
 * Seeds a guild with Faker-named members whose ratings and diaries follow a taste model (src/seed/); a progress bar on
 * a terminal. Seeding twice with the same flags stores what seeding once does.
 */
import { loadDotEnv } from '../src/config.js';
import { runSeedCli } from './lib/seed/cli.js';
import { runScript } from './lib/run-script.js';

await runScript(async () => {
  loadDotEnv();
  await runSeedCli(process.argv.slice(2), {
    env: process.env,
    print: (text) => console.log(text),
    terminal: process.stderr.isTTY ? process.stderr : null,
  });
}, 'npm run seed');
