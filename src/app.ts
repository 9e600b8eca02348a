import { Events, type Client } from 'discord.js';
import { commands as allCommands } from '../commands/index.js';
import type { Config } from './config.js';
import type { CoreDeps } from './context.js';
import { createDatabase, type Database } from './db/database.js';
import { migrateUp } from './db/migrator.js';
import { createRepositories, type Repositories } from './db/repositories/index.js';
import { createDiscordClient, gatewayProblem } from './discord/client.js';
import { timeAnswers } from './discord/answer-timing.js';
import { createCacheNotifications, type CacheNotifications } from './db/cache-notifications.js';
import type { Schedule } from './deadline.js';
import { createHealthCheck, type HealthReport } from './http/health.js';
import { createMetrics, type Metrics } from './http/metrics.js';
import { createHttpServer, type HttpServer } from './http/server.js';
import { answerShardManager } from './http/shard-ipc.js';
import { observedJobRuns } from './jobs/observed-runs.js';
import type { Command } from './discord/command.js';
import { guildRemoved, guildsLeftWhileAway, listen } from './discord/guild-events.js';
import { createMovieNightBoard } from './discord/movie-night-board.js';
import { movieNightsResume } from './discord/movie-night-events.js';
import { announceReady } from './discord/ready.js';
import { createReactionHandler } from './discord/reactions.js';
import { createInteractionRouter } from './discord/router.js';
import type { Logger } from './logger.js';
import {
  createBackgroundTasks,
  createJobs,
  createSystemClock,
  type BackgroundTasks,
  type Clock,
  type Jobs,
  type Scheduler,
} from './jobs/index.js';
import { createNightEventCalendar } from './discord/night-events.js';
import { createServices, type ServiceOptions, type Services } from './services/index.js';
import { createTmdbCacheService, tmdbDetailsSource } from './services/tmdb-cache.js';
import { createMovieCatalog } from './tmdb/catalog.js';
import { createTmdbClient } from './tmdb/client.js';
import { createTmdbStatus } from './tmdb/status.js';
import { preflight } from './preflight.js';

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: () => Date;
  commands?: readonly Command[];
  /** Budgets and sizes of the use cases (defaults in each service). */
  services?: ServiceOptions;
  /** Where work nobody waits for runs (default: in this process, right after the current work). */
  background?: BackgroundTasks;
  /**
   * Hear other processes' changes through PostgreSQL NOTIFY (default: on PostgreSQL). Off, caches follow them only
   * when they expire (CACHE_TTL_SECONDS): for tests of that safety net.
   */
  crossProcessCaches?: boolean;
  /**
   * Spawned by `npm run start:sharded` (discord.js ShardingManager): the shard comes from the environment the manager
   * set, and health and metrics are asked for by the manager (which serves HTTP_PORT) rather than served here.
   */
  spawnedByShardingManager?: boolean;
  /** For tests of `/healthz`: a database probe that fails on demand, a schedule that passes its timeout at once. */
  health?: { database?: () => Promise<unknown>; schedule?: Schedule };
  /**
   * The scheduled jobs' clock and scheduler (default: `clock` and node-cron), so a test can move time and tick; the
   * clock also times movie-night deadlines and card edits.
   */
  jobs?: { clock?: Clock; scheduler?: Scheduler };
}

export interface App {
  services: Services;
  /** For tests and scripts that inspect what the bot stored. */
  repos: Repositories;
  /** Work started for members that nobody waits for (tests await it with `whenIdle`). */
  background: BackgroundTasks;
  /** The scheduled jobs (tests await runs with `whenIdle`). */
  jobs: Jobs;
  database: Database;
  client: Client;
  commands: readonly Command[];
  metrics: Metrics;
  /** What `/healthz` answers now: every shard of this process ready, and the database answering `SELECT 1` in 1 s. */
  health(): Promise<HealthReport>;
  /** The port `/healthz` and `/metrics` listen on once started (undefined without HTTP_PORT). */
  readonly httpPort: number | undefined;
  /** Whether other processes' changes are being heard now (PostgreSQL only). */
  readonly listening: boolean;
  /**
   * `npm start`'s first-run checks, before anything touches the database: Discord takes the token, TMDB the key
   * (StartupError with one plain sentence otherwise; TMDB merely not answering is only logged).
   */
  preflight(): Promise<void>;
  /** Migrates the database up, logs in to Discord, then starts the scheduled jobs. */
  start(): Promise<void>;
  /**
   * Lets a running job finish (within `JOBS_STOP_TIMEOUT_MS`), destroys the Discord client, lets interactions in
   * progress finish, and closes the database. Safe to call twice.
   */
  stop(): Promise<void>;
}

/** A running job gets this long to finish on shutdown, within Docker's 10 s grace and `SHUTDOWN_TIMEOUT_MS`. */
export const JOBS_STOP_TIMEOUT_MS = 5_000;
/** Background fetches in flight get this long on shutdown (they are told to stop first). */
export const BACKGROUND_STOP_TIMEOUT_MS = 2_000;
/** Running imports get this long to finish their current batch and tell their member (they are told to stop first). */
export const IMPORTS_STOP_TIMEOUT_MS = 2_000;

/** The composition root: config → logger → database → repositories → TMDB → services → jobs → Discord client. */
export function createApp({
  config,
  logger,
  clock = () => new Date(),
  commands = allCommands,
  services,
  background = createBackgroundTasks({ logger }),
  crossProcessCaches = config.database.dialect === 'postgres',
  spawnedByShardingManager = false,
  health: healthOptions = {},
  jobs: jobOptions = {},
}: AppOptions): App {
  const database = createDatabase(config.database, logger.child({ component: 'db' }));
  const repos = createRepositories(database);
  // Filled in below: the gauges read them only when /metrics is asked for.
  const gauges = { tmdbQueueLength: () => 0, cachedModels: () => 0 };
  const metrics = createMetrics({
    tmdbQueueLength: () => gauges.tmdbQueueLength(),
    cachedModels: () => gauges.cachedModels(),
    // Read from the database: every process sharing it reports the same count.
    openPolls: () => repos.movieNights.countOpen(),
  });
  const tmdbLogger = logger.child({ component: 'tmdb' });
  const tmdbStatus = createTmdbStatus({ logger: tmdbLogger });
  const tmdb = createTmdbClient({
    baseUrl: config.tmdb.baseUrl,
    language: config.tmdb.language,
    region: config.tmdb.region,
    logger: tmdbLogger,
    status: tmdbStatus,
    metrics: metrics.port,
    ...(config.tmdb.token ? { token: config.tmdb.token } : {}),
    ...(config.tmdb.apiKey ? { apiKey: config.tmdb.apiKey } : {}),
  });
  const catalog = createMovieCatalog({
    client: tmdb,
    store: repos.movies,
    clock,
    logger,
    status: tmdbStatus,
    metrics: metrics.port,
  });
  const core: CoreDeps = { config, logger, clock, repos, catalog, tmdbStatus };
  const client = createDiscordClient({
    apiBase: config.discord.apiBase,
    shards: spawnedByShardingManager ? undefined : config.sharding,
  });
  const timers = jobOptions.clock ?? createSystemClock(clock);
  const movieNightBoard = createMovieNightBoard({ client, logger });
  const nightEvents = createNightEventCalendar(client.rest);
  // Other processes may share PostgreSQL: their changes arrive by NOTIFY, and caches expire as the safety net.
  const shared = config.database.dialect === 'postgres';
  const notifications: CacheNotifications | undefined =
    config.database.dialect === 'postgres' && crossProcessCaches
      ? createCacheNotifications({
          url: config.database.url,
          logger,
          handler: {
            heard: (event) => useCases.recommendations.heard(event),
            lost: () => useCases.recommendations.lost(),
          },
        })
      : undefined;
  const useCases = createServices(
    core,
    {
      background,
      nightEvents,
      movieNightBoard,
      timers,
      metrics: metrics.port,
      ...(notifications ? { cacheEvents: notifications } : {}),
    },
    {
      ...services,
      recommendations: {
        cacheTtlMs: shared ? config.cacheTtlMs : Number.POSITIVE_INFINITY,
        ...services?.recommendations,
      },
    },
  );
  gauges.tmdbQueueLength = () => tmdb.queueLength();
  gauges.cachedModels = () => useCases.recommendations.cachedModels();
  const tmdbCache = createTmdbCacheService({
    store: {
      deleteUnreferencedFetchedBefore: (cutoff, limit) =>
        repos.movieCache.deleteUnreferencedFetchedBefore(cutoff, limit),
      referencedFetchedBefore: (cutoff, limit) => repos.movieCache.referencedFetchedBefore(cutoff, limit),
      upsertDetails: (movie, fetchedAt) => repos.movies.upsertDetails(movie, fetchedAt),
    },
    tmdb: tmdbDetailsSource(tmdb),
    clock,
    logger,
  });
  const jobs = createJobs({
    jobRuns: observedJobRuns(repos.jobRuns, metrics.port),
    tmdbCache,
    recommendations: useCases.recommendations,
    schedules: useCases.schedules,
    movieNights: useCases.movieNights,
    logger,
    clock: timers,
    ...(jobOptions.scheduler ? { scheduler: jobOptions.scheduler } : {}),
    stopTimeoutMs: JOBS_STOP_TIMEOUT_MS,
  });

  const route = createInteractionRouter(commands, { services: useCases, logger, clock, metrics: metrics.port });
  timeAnswers(client, metrics.port);
  const health = createHealthCheck({
    gateway: () => gatewayProblem(client),
    database: healthOptions.database ?? (() => database.sequelize.query('SELECT 1')),
    ...(healthOptions.schedule ? { schedule: healthOptions.schedule } : {}),
  });
  const { port: httpPort } = config.http;
  const http: HttpServer | undefined =
    httpPort === undefined || spawnedByShardingManager
      ? undefined
      : createHttpServer({
          host: config.http.host,
          port: httpPort,
          logger,
          health: async () => {
            const report = await health();
            return { ok: report.status === 'ok', body: report };
          },
          metrics: () => metrics.render(),
        });
  let listeningPort: number | undefined;
  const stopAnswering = spawnedByShardingManager ? answerShardManager({ health, metrics, logger }) : undefined;
  const onReaction = createReactionHandler({ services: useCases, logger });
  // Work that Discord started and the bot has not finished: stopping waits for it before closing the database.
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  client.on(Events.InteractionCreate, (interaction) => track(route(interaction)));
  client.on(Events.MessageReactionAdd, (reaction, user) => track(onReaction(reaction, user, 'add')));
  client.on(Events.MessageReactionRemove, (reaction, user) => track(onReaction(reaction, user, 'remove')));
  const guildEvents = { guilds: useCases.guilds, logger };
  const definitions = commands.map((command) => command.data.toJSON());
  listen(client, [
    announceReady({ config, commands: definitions, logger }),
    guildRemoved(guildEvents),
    guildsLeftWhileAway(guildEvents),
    movieNightsResume({ movieNights: useCases.movieNights, logger }),
  ]);
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));

  let stopped = false;
  return {
    services: useCases,
    repos,
    background,
    jobs,
    database,
    client,
    commands,
    metrics,
    health,
    get httpPort() {
      return listeningPort;
    },
    get listening() {
      return notifications?.listening ?? false;
    },
    async preflight() {
      client.rest.setToken(config.discord.token ?? '');
      await preflight({
        config,
        discordGet: (route) => client.rest.get(route),
        tmdbCheck: (signal) => tmdb.configuration({ signal, priority: 'interactive', retries: 0 }),
        logger,
      });
    },
    async start() {
      logger.info(`Migrating the database (${describeTarget(config.database)})…`);
      await migrateUp(database, logger);
      // Before logging in, so /healthz answers 503 (not a refused connection) while the shards connect.
      if (http) listeningPort = await http.start();
      await notifications?.start();
      logger.info('Logging in to Discord…');
      await client.login(config.discord.token);
      // After the login: a scheduled night caught up at once posts through the client.
      await jobs.start();
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      // First, while the client can still send each member the summary of what was imported.
      await useCases.imports.stop(IMPORTS_STOP_TIMEOUT_MS);
      // So no sweep or interaction waits on a card's edit interval or a deadline timer.
      await useCases.movieNights.stop();
      // Then jobs: a night being posted wraps up through the client, which cannot send once destroyed.
      const { unfinished } = await jobs.stop();
      if (unfinished.length > 0) logger.warn({ jobs: unfinished }, 'jobs still running at shutdown were left');
      await client.destroy();
      // Route and reaction handlers catch their own errors; each is bounded by its own budgets.
      await Promise.allSettled([...inFlight]);
      await background.stop(BACKGROUND_STOP_TIMEOUT_MS);
      useCases.recommendations.stop();
      await notifications?.stop();
      await http?.stop();
      stopAnswering?.();
      await database.close();
    },
  };
}

/** Where the data lives, for the log: the SQLite file, or the PostgreSQL host and database (never the password). */
function describeTarget(target: Config['database']): string {
  if (target.dialect === 'sqlite') return `SQLite ${target.storage}`;
  const url = new URL(target.url);
  return `PostgreSQL ${url.hostname}:${url.port || '5432'}${url.pathname}`;
}
