/** `npm run demo` arguments: `--keep`, `--json FILE`, `--html FILE`, `--seed S`, `--help`. */
import { parseArgs } from 'node:util';

export interface DemoOptions {
  /** Keep the temp folder (database, bot log) and print where it is. */
  keep: boolean;
  /** Write the transcript as JSON to this file. */
  json?: string;
  /** Write the transcript as an HTML page to this file. */
  html?: string;
  /** Seeds the server's members and the bot's draws: one seed, one story. */
  seed: number;
  help: boolean;
}

export const DEFAULT_DEMO_SEED = 9;

export const DEMO_USAGE = `Usage: npm run demo -- [--keep] [--json FILE] [--html FILE] [--seed N]

Plays a short story with the real Marquee bot against a local Discord and a local TMDB, on a throwaway
SQLite database: no token, no network, no .env. Prints what members type and what the bot answers.

  --keep         keep the demo's folder (database and bot log) and print where it is
  --json FILE    also write the transcript as JSON
  --html FILE    also write the transcript as an HTML page
  --seed N       another server and story (a whole number; default ${DEFAULT_DEMO_SEED})
  --help         this text
`;

/** A mistake in the arguments, said in one sentence. */
export class DemoUsageError extends Error {}

export function parseDemoArgs(args: readonly string[]): DemoOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...args],
      options: {
        keep: { type: 'boolean', default: false },
        json: { type: 'string' },
        html: { type: 'string' },
        seed: { type: 'string' },
        help: { type: 'boolean', short: 'h', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new DemoUsageError(`The demo does not understand its arguments: ${(error as Error).message}`, {
      cause: error,
    });
  }
  const seed = values.seed === undefined ? DEFAULT_DEMO_SEED : Number(values.seed);
  if (!Number.isSafeInteger(seed)) throw new DemoUsageError(`--seed takes a whole number, not “${values.seed}”.`);
  for (const flag of ['json', 'html'] as const) {
    if (values[flag] === '') throw new DemoUsageError(`--${flag} needs a file name.`);
  }
  return {
    keep: values.keep,
    seed,
    help: values.help,
    ...(values.json === undefined ? {} : { json: values.json }),
    ...(values.html === undefined ? {} : { html: values.html }),
  };
}
