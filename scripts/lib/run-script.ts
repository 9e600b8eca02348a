import { ConfigError } from '../../src/errors.js';

/**
 * Runs a script's body and turns failures into a message and a non-zero exit: a configuration problem
 * prints its list of settings (no stack trace), anything else its message.
 */
export async function runScript(main: () => Promise<void>): Promise<void> {
  try {
    await main();
  } catch (error) {
    console.error(error instanceof ConfigError ? error.message : `Error: ${(error as Error).message}`);
    process.exitCode = 1;
  }
}
