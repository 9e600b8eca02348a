import { Events, type Client } from 'discord.js';
import { commands as allCommands } from '../commands/index.js';
import type { Config } from './config.js';
import type { AppContext, CoreDeps } from './context.js';
import { createDatabase } from './db/database.js';
import { migrateUp } from './db/migrator.js';
import { createRepositories } from './db/repositories/index.js';
import { createDiscordClient } from './discord/client.js';
import type { Command } from './discord/command.js';
import { guildRemoved, guildsLeftWhileAway, listen } from './discord/guild-events.js';
import { createReactionHandler } from './discord/reactions.js';
import { createInteractionRouter } from './discord/router.js';
import type { Logger } from './logger.js';
import { createServices, type ServiceOptions } from './services/index.js';
import { createMovieCatalog } from './tmdb/catalog.js';
import { createTmdbClient } from './tmdb/client.js';

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: () => Date;
  commands?: readonly Command[];
  /** Budgets and sizes of the use cases (defaults in each service). */
  services?: ServiceOptions;
}

export interface App {
  ctx: AppContext;
  client: Client;
  commands: readonly Command[];
  /** Migrates the database up, then logs in to Discord. */
  start(): Promise<void>;
  /** Destroys the Discord client, lets interactions in progress finish, and closes the database. Safe to call twice. */
  stop(): Promise<void>;
}

/** The composition root: config → logger → database → repositories → TMDB → services → Discord client. */
export function createApp({ config, logger, clock = () => new Date(), commands = allCommands, services }: AppOptions): App {
  const database = createDatabase(config.database, logger.child({ component: 'db' }));
  const repos = createRepositories(database);
  const tmdb = createTmdbClient({
    baseUrl: config.tmdb.baseUrl,
    language: config.tmdb.language,
    region: config.tmdb.region,
    logger: logger.child({ component: 'tmdb' }),
    ...(config.tmdb.token ? { token: config.tmdb.token } : {}),
    ...(config.tmdb.apiKey ? { apiKey: config.tmdb.apiKey } : {}),
  });
  const catalog = createMovieCatalog({ client: tmdb, store: repos.movies, clock, logger });
  const core: CoreDeps = { config, logger, clock, database, repos, tmdb, catalog };
  const ctx: AppContext = { ...core, services: createServices(core, services) };

  const client = createDiscordClient({ apiBase: config.discord.apiBase });
  const route = createInteractionRouter(commands, { services: ctx.services, logger, clock });
  const onReaction = createReactionHandler(ctx);
  // Work that Discord started and the bot has not finished: stopping waits for it before closing the database.
  const inFlight = new Set<Promise<void>>();
  const track = (work: Promise<void>) => {
    inFlight.add(work);
    void work.finally(() => inFlight.delete(work));
  };
  client.on(Events.InteractionCreate, (interaction) => track(route(interaction)));
  client.on(Events.MessageReactionAdd, (reaction, user) => track(onReaction(reaction, user, 'add')));
  client.on(Events.MessageReactionRemove, (reaction, user) => track(onReaction(reaction, user, 'remove')));
  const guildEvents = { guilds: ctx.services.guilds, logger };
  listen(client, [guildRemoved(guildEvents), guildsLeftWhileAway(guildEvents)]);
  client.on(Events.Error, (error) => logger.error({ err: error }, 'discord client error'));

  let stopped = false;
  return {
    ctx,
    client,
    commands,
    async start() {
      await migrateUp(database, logger);
      await client.login(config.discord.token);
    },
    async stop() {
      if (stopped) return;
      stopped = true;
      await client.destroy();
      // Route and reaction handlers catch their own errors; each is bounded by its own budgets.
      await Promise.allSettled([...inFlight]);
      ctx.services.recommendations.stop();
      await database.close();
    },
  };
}
