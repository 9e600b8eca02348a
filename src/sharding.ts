import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import { REST, Routes, ShardingManager, type Shard } from 'discord.js';
import { z } from 'zod';
import { loadConfig, type Config } from './config.js';
import { ConfigError, StartupError } from './errors.js';
import { createHttpServer, type HttpServer } from './http/server.js';
import { askShards } from './http/shard-ipc.js';
import { chooseLogFormat } from './log-format.js';
import { createLogger, type Logger } from './logger.js';
import { createShutdown, onShutdownSignals } from './shutdown.js';
import { SHUTDOWN_TIMEOUT_MS, type StartDeps } from './start.js';
import { explainDiscordFailure } from './startup-errors.js';

/** How long a shard process may take from spawn to ready (login, guilds) before the start is given up. */
const SHARD_READY_TIMEOUT_MS = 60_000;

export const SQLITE_CANNOT_SHARD =
  'npm run start:sharded runs one process per shard, all sharing the database: one SQLite file cannot be shared, so set DATABASE_URL to postgres://… (README.md, "PostgreSQL").';

const gatewayBotSchema = z.looseObject({ shards: z.number().int().min(1) });

/** `SHARD_COUNT=auto`: as many shards as Discord recommends for the bot (`GET /gateway/bot`, through DISCORD_API_BASE). */
async function recommendedShardCount(config: Config): Promise<number> {
  const rest = new REST(config.discord.apiBase ? { api: config.discord.apiBase } : {});
  rest.setToken(config.discord.token ?? '');
  try {
    return gatewayBotSchema.parse(await rest.get(Routes.gatewayBot())).shards;
  } catch (error) {
    throw explainDiscordFailure(error, config.discord.apiBase) ?? error;
  }
}

/** The bot's entry the manager spawns once per shard: the compiled `index.js`, or `index.ts` through tsx. */
function shardEntry(): { file: string; execArgv: string[] } {
  const compiled = import.meta.url.endsWith('.js');
  return {
    file: fileURLToPath(new URL(compiled ? './index.js' : './index.ts', import.meta.url)),
    // tsx by absolute URL: the working directory need not be the project's.
    execArgv: compiled ? [] : ['--import', import.meta.resolve('tsx')],
  };
}

/** Ends every shard process with SIGTERM (each drains as `npm start` does) and waits for them to exit. */
async function stopShards(manager: ShardingManager): Promise<void> {
  manager.respawn = false;
  const exits = [...manager.shards.values()].map(async (shard: Shard) => {
    const child = shard.process;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = once(child, 'exit');
    child.kill('SIGTERM');
    await exited;
  });
  await Promise.all(exits);
}

export interface ShardedStart {
  exitCode: number;
  manager?: ShardingManager;
  /** What SIGTERM runs; tests call it instead of sending a signal. */
  shutdown?: (signal: string) => Promise<void>;
}

/**
 * `npm run start:sharded`: discord.js's ShardingManager spawns one bot process per shard (SHARD_COUNT, a number or
 * `auto`; SHARD_IDS to run only some of them on this host), all sharing PostgreSQL. A shard process that dies is
 * respawned. With HTTP_PORT, the manager serves `/healthz` (every shard process healthy) and `/metrics` (their series
 * added up), asking each process over the IPC channel. SIGTERM ends every shard process (each drains its work) within
 * Docker's 10 s.
 */
export async function startShardingManager(deps: Omit<StartDeps, 'createApp'>): Promise<ShardedStart> {
  const { env, stdout, stderr, isTTY, exit, signals, shutdownTimeoutMs = SHUTDOWN_TIMEOUT_MS } = deps;
  let config: Config;
  try {
    config = loadConfig(env, ['discord', 'tmdb']);
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    stderr.write(`${ConfigError.explain(error.problems, 'npm run start:sharded')}\n`);
    return { exitCode: 1 };
  }
  if (config.database.dialect === 'sqlite') {
    stderr.write(`${SQLITE_CANNOT_SHARD}\n`);
    return { exitCode: 1 };
  }
  const logger: Logger = createLogger({
    level: config.logLevel,
    destination: stdout,
    format: chooseLogFormat(config.logFormat, isTTY),
    colors: isTTY,
  }).child({ component: 'sharding' });

  let totalShards: number;
  try {
    const count = config.sharding?.count ?? 'auto';
    totalShards = count === 'auto' ? await recommendedShardCount(config) : count;
  } catch (error) {
    if (!(error instanceof StartupError)) throw error;
    stderr.write(`${error.message}\n`);
    return { exitCode: 1 };
  }
  const { file, execArgv } = shardEntry();
  const shardList = config.sharding?.ids ?? 'auto';
  const manager = new ShardingManager(file, {
    totalShards,
    shardList,
    mode: 'process',
    respawn: true,
    execArgv,
    ...(config.discord.token ? { token: config.discord.token } : {}),
  });
  manager.on('shardCreate', (shard) => {
    logger.info({ shard: shard.id }, `Starting shard ${shard.id} of ${totalShards}`);
    shard.on('death', () => {
      if (manager.respawn) logger.warn({ shard: shard.id }, `Shard ${shard.id} exited; respawning it`);
    });
  });

  const ask = askShards(() => [...manager.shards.values()]);
  const http: HttpServer | undefined =
    config.http.port === undefined
      ? undefined
      : createHttpServer({
          host: config.http.host,
          port: config.http.port,
          logger,
          health: async () => {
            const report = await ask.health();
            return { ok: report.status === 'ok', body: report };
          },
          metrics: () => ask.metrics(),
        });
  const shutdown = createShutdown({
    steps: [
      { name: 'shards', run: () => stopShards(manager) },
      { name: 'http', run: () => http?.stop() },
    ],
    timeoutMs: shutdownTimeoutMs,
    exit,
    logger,
  });
  onShutdownSignals(signals, shutdown);

  try {
    await http?.start();
    const ids = shardList === 'auto' ? `all ${totalShards}` : shardList.join(', ');
    logger.info({ totalShards, shardList }, `Spawning shards ${ids} (one process each)…`);
    await manager.spawn({ amount: totalShards, timeout: SHARD_READY_TIMEOUT_MS });
    logger.info(`Every shard of this host is ready (${manager.shards.size} processes)`);
    return { exitCode: 0, manager, shutdown };
  } catch (error) {
    logger.fatal({ err: error }, 'could not start the shards');
    await stopShards(manager).catch(() => undefined);
    await http?.stop().catch(() => undefined);
    return { exitCode: 1, manager };
  }
}
