import { createApp } from './app.js';
import { loadConfig, loadDotEnv } from './config.js';
import { ConfigError } from './errors.js';
import { createLogger } from './logger.js';
import { createShutdown, onShutdownSignals } from './shutdown.js';

/** Docker sends SIGKILL 10 s after SIGTERM: finish (or give up) before then. */
const SHUTDOWN_TIMEOUT_MS = 9_000;

/** `npm start`: migrate, log in, serve until SIGINT/SIGTERM. */
async function main(): Promise<void> {
  loadDotEnv();
  let config;
  try {
    config = loadConfig(process.env, ['discord', 'tmdb']);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(
      `${error.message}\n\nCopy .env.example to .env and fill it in (README.md, "Running the bot", says where each value comes from).\n` +
        'Without a Discord token you can still try Marquee offline: `npm test` runs the whole bot against a local fake Discord.\n',
    );
    process.exitCode = 1;
    return;
  }
  const logger = createLogger({ level: config.logLevel });
  const app = createApp({ config, logger });

  const shutdown = createShutdown({
    steps: [{ name: 'bot', run: () => app.stop() }],
    timeoutMs: SHUTDOWN_TIMEOUT_MS,
    exit: (code) => process.exit(code),
    logger,
  });
  onShutdownSignals(process, shutdown);

  try {
    await app.start();
  } catch (error) {
    logger.fatal({ err: error }, 'could not start');
    await app.stop().catch(() => undefined);
    process.exitCode = 1;
  }
}

await main();
