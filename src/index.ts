import { loadDotEnv } from './config.js';
import { startMarquee } from './start.js';

/** `npm start`: the settings from .env (real environment variables win), then the bot until SIGTERM/SIGINT. */
loadDotEnv();
const { exitCode } = await startMarquee({
  env: process.env,
  stdout: process.stdout,
  stderr: process.stderr,
  isTTY: process.stdout.isTTY === true,
  exit: (code) => process.exit(code),
  signals: process,
});
if (exitCode !== 0) process.exitCode = exitCode;
