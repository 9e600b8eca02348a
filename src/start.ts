import { createApp, type App } from './app.js';
import { loadConfig, type Config } from './config.js';
import { ConfigError, StartupError } from './errors.js';
import { chooseLogFormat } from './log-format.js';
import { createLogger } from './logger.js';
import { createShutdown, onShutdownSignals } from './shutdown.js';
import { explainDatabaseFailure, explainDiscordFailure } from './startup-errors.js';

/** Docker sends SIGKILL 10 s after SIGTERM: finish (or give up) before then. */
export const SHUTDOWN_TIMEOUT_MS = 9_000;

export interface StartDeps {
  env: Readonly<Record<string, string | undefined>>;
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Whether stdout is a terminal: LOG_FORMAT=auto then prints lines for people rather than JSON. */
  isTTY: boolean;
  /** `process.exit` in production: the bounded shutdown ends the process with it. */
  exit: (code: number) => void;
  /** `process`: SIGTERM and SIGINT start the shutdown. */
  signals: Parameters<typeof onShutdownSignals>[0];
  shutdownTimeoutMs?: number;
  /** For tests that need the app's own clock or budgets. */
  createApp?: typeof createApp;
}

export interface Started {
  /** 0 once the bot serves; 1 when it could not start (the reason already printed). */
  exitCode: number;
  app?: App;
  /** What SIGTERM runs; tests call it instead of sending a signal. */
  shutdown?: (signal: string) => Promise<void>;
}

const NEXT_STEP =
  'Copy .env.example to .env and fill it in (README.md, "Running the bot", says where each value comes from).\n';
/** For a first run without Discord settings: Marquee can be seen working before any token is made. */
const TRY_THE_DEMO =
  'To see Marquee work without a token first, run `npm run demo`: the real bot plays a short story against a local Discord and TMDB, offline.\n';

/** What to do next after a configuration problem; the demo is offered when Discord's settings are among them. */
function nextSteps(problems: readonly string[]): string {
  return problems.some((problem) => problem.startsWith('DISCORD_')) ? `${NEXT_STEP}${TRY_THE_DEMO}` : NEXT_STEP;
}

/** An expected first-run failure as one sentence; null for anything unexpected (which keeps its stack trace). */
function explain(error: unknown, config: Config): StartupError | null {
  if (error instanceof StartupError) return error;
  return explainDatabaseFailure(error, config.database) ?? explainDiscordFailure(error, config.discord.apiBase);
}

/**
 * `npm start`: settings, first-run checks (Discord, TMDB), migrations, jobs, login; then serving until SIGTERM or
 * SIGINT, which drain within `shutdownTimeoutMs`. Expected failures print one plain sentence (no stack trace),
 * before or after migrating.
 */
export async function startMarquee(deps: StartDeps): Promise<Started> {
  const { env, stdout, stderr, isTTY, exit, signals, shutdownTimeoutMs = SHUTDOWN_TIMEOUT_MS } = deps;
  let config: Config;
  try {
    config = loadConfig(env, ['discord', 'tmdb']);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    stderr.write(`${ConfigError.explain(error.problems, 'npm start')}\n\n${nextSteps(error.problems)}`);
    return { exitCode: 1 };
  }
  const format = chooseLogFormat(config.logFormat, isTTY);
  const logger = createLogger({ level: config.logLevel, destination: stdout, format, colors: isTTY });
  let app: App;
  try {
    // ShardingManager (`npm run start:sharded`) marks the processes it spawns so; discord.js reads their shard from it.
    const spawnedByShardingManager = env.SHARDING_MANAGER !== undefined;
    app = (deps.createApp ?? createApp)({ config, logger, spawnedByShardingManager });
  } catch (error) {
    // E.g. the SQLite file's folder cannot be created.
    const expected = explain(error, config);
    if (!expected) throw error;
    stderr.write(`${expected.message}\n`);
    return { exitCode: 1 };
  }
  const shutdown = createShutdown({
    steps: [{ name: 'bot', run: () => app.stop() }],
    timeoutMs: shutdownTimeoutMs,
    exit,
    logger,
  });
  onShutdownSignals(signals, shutdown);

  try {
    await app.preflight();
    await app.start();
    return { exitCode: 0, app, shutdown };
  } catch (error) {
    const expected = explain(error, config);
    if (expected) stderr.write(`${expected.message}\n`);
    else logger.fatal({ err: error }, 'could not start');
    await app.stop().catch((stopError: unknown) => logger.warn({ err: stopError }, 'could not stop cleanly'));
    return { exitCode: 1, app };
  }
}
