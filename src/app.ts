import { Events, type Client } from 'discord.js';
import { commands as allCommands } from '../commands/index.js';
import type { Config } from './config.js';
import type { CoreDeps } from './context.js';
import { createDatabase, type Database } from './db/database.js';
import { migrateUp } from './db/migrator.js';
import { createRepositories, type Repositories } from './db/repositories/index.js';
import { createDiscordClient } from './discord/client.js';
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
  type Scheduler,
} from './jobs/index.js';
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
  /** Waiting for jobs and movie-night deadlines (default: real timers reading `clock`); tests pass a manual clock. */
  timers?: Clock;
  /** What wakes the jobs (default: node-cron each minute); tests tick by hand. */
  scheduler?: Scheduler;
}

export interface App {
  services: Services;
  /** For tests and scripts that inspect what the bot stored. */
  repos: Repositories;
  /** Work started for members that nobody waits for (tests await it with `whenIdle`). */
  background: BackgroundTasks;
  database: Database;
  client: Client;
  commands: readonly Command[];
  /**
   * `npm start`'s first-run checks, before anything touches the database: Discord takes the token, TMDB the key
   * (StartupError with one plain sentence otherwise; TMDB merely not answering is only logged).
   */
  preflight(): Promise<void>;
  /** Migrates the database up, starts the scheduled jobs, then logs in to Discord. */
  start(): Promise<void>;
  /**
   * Destroys the Discord client, lets interactions in progress and a running job finish (the job within
   * `JOBS_STOP_TIMEOUT_MS`), and closes the database. Safe to call twice.
   */
  stop(): Promise<void>;
}

/** A running job gets this long to finish on shutdown, within Docker's 10 s grace and `SHUTDOWN_TIMEOUT_MS`. */
export const JOBS_STOP_TIMEOUT_MS = 5_000;
/** Background fetches in flight get this long on shutdown (they are told to stop first). */
export const BACKGROUND_STOP_TIMEOUT_MS = 2_000;

/** The composition root: config → logger → database → repositories → TMDB → services → jobs → Discord client. */
export function createApp({
  config,
  logger,
  clock = () => new Date(),
  commands = allCommands,
  services,
  background = createBackgroundTasks({ logger }),
  timers = createSystemClock(clock),
  scheduler,
}: AppOptions): App {
  const database = createDatabase(config.database, logger.child({ component: 'db' }));
  const repos = createRepositories(database);
  const tmdbLogger = logger.child({ component: 'tmdb' });
  const tmdbStatus = createTmdbStatus({ logger: tmdbLogger });
  const tmdb = createTmdbClient({
    baseUrl: config.tmdb.baseUrl,
    language: config.tmdb.language,
    region: config.tmdb.region,
    logger: tmdbLogger,
    status: tmdbStatus,
    ...(config.tmdb.token ? { token: config.tmdb.token } : {}),
    ...(config.tmdb.apiKey ? { apiKey: config.tmdb.apiKey } : {}),
  });
  const catalog = createMovieCatalog({ client: tmdb, store: repos.movies, clock, logger, status: tmdbStatus });
  const core: CoreDeps = { config, logger, clock, repos, catalog, tmdbStatus };
  const client = createDiscordClient({ apiBase: config.discord.apiBase });
  const movieNightBoard = createMovieNightBoard({ client, logger });
  const useCases = createServices(core, { background, movieNightBoard, timers }, services);
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
    jobRuns: repos.jobRuns,
    tmdbCache,
    recommendations: useCases.recommendations,
    movieNights: useCases.movieNights,
    logger,
    clock: timers,
    ...(scheduler ? { scheduler } : {}),
    stopTimeoutMs: JOBS_STOP_TIMEOUT_MS,
  });

  const route = createInteractionRouter(commands, { services: useCases, logger, clock });
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
    database,
    client,
    commands,
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
      await jobs.start();
      logger.info('Logging in to Discord…');
      await client.login(config.discord.token);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await client.destroy();
      // First, so no sweep or interaction waits on a card's edit interval or a deadline timer.
      await useCases.movieNights.stop();
      const { unfinished } = await jobs.stop();
      if (unfinished.length > 0) logger.warn({ jobs: unfinished }, 'jobs still running at shutdown were left');
      // Route and reaction handlers catch their own errors; each is bounded by its own budgets.
      await Promise.allSettled([...inFlight]);
      await background.stop(BACKGROUND_STOP_TIMEOUT_MS);
      useCases.recommendations.stop();
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
