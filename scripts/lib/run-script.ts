import { ConfigError } from '../../src/errors.js';

/**
 * Runs a script's body and turns failures into a message and a non-zero exit: a configuration problem
 * prints its list of settings, naming the script (no stack trace), anything else its message.
 */
export async function runScript(main: () => Promise<void>, name = 'This script'): Promise<void> {
  try {
    await main();
  } catch (error) {
    console.error(
      error instanceof ConfigError ? ConfigError.explain(error.problems, name) : `Error: ${(error as Error).message}`,
    );
    process.exitCode = 1;
  }
}
