import { Events, ShardClientUtil, type Client } from 'discord.js';
import { commands as allCommands } from '../commands/index.js';
import type { Config } from './config.js';
import type { AppContext, CoreDeps } from './context.js';
import { createDatabase } from './db/database.js';
import { migrateUp } from './db/migrator.js';
import { createRepositories } from './db/repositories/index.js';
import { createDiscordClient } from './discord/client.js';
import type { Command } from './discord/command.js';
import { createReactionHandler } from './discord/reactions.js';
import { createInteractionRouter } from './discord/router.js';
import type { Logger } from './logger.js';
import { createServices } from './services/index.js';
import { createMovieCatalog } from './tmdb/catalog.js';
import { createTmdbClient } from './tmdb/client.js';

export interface AppOptions {
  config: Config;
  logger: Logger;
  clock?: () => Date;
  commands?: readonly Command[];
}

export interface App {
  ctx: AppContext;
  client: Client;
  commands: readonly Command[];
  /** Migrates the database up, then logs in to Discord. */
  start(): Promise<void>;
  /** Destroys the Discord client and closes the database. Safe to call twice. */
  stop(): Promise<void>;
}

/** The composition root: config → logger → database → repositories → TMDB → services → Discord client. */
export function createApp({ config, logger, clock = () => new Date(), commands = allCommands }: AppOptions): App {
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
  const ctx: AppContext = { ...core, services: createServices(core) };

  const client = createDiscordClient({ apiBase: config.discord.apiBase });
  const route = createInteractionRouter(commands, ctx);
  const onReaction = createReactionHandler(ctx);
  client.on(Events.InteractionCreate, (interaction) => void route(interaction));
  client.on(Events.MessageReactionAdd, (reaction, user) => void onReaction(reaction, user, 'add'));
  client.on(Events.MessageReactionRemove, (reaction, user) => void onReaction(reaction, user, 'remove'));
  // GuildDelete fires when the bot is removed (an outage emits GuildUnavailable instead).
  client.on(Events.GuildDelete, (guild) => {
    ctx.services.recommendations.guildForgotten(guild.id);
    ctx.services.members
      .forgetGuild(guild.id)
      .then(() => logger.info({ guildId: guild.id }, 'left guild; its data was deleted'))
      .catch((error: unknown) => logger.error({ err: error, guildId: guild.id }, 'could not delete guild data'));
  });
  client.once(Events.ClientReady, (ready) => {
    logger.info({ user: ready.user.tag, guilds: ready.guilds.cache.size }, 'ready');
    // READY lists every guild of this shard, so a stored guild of our shards that is missing was left while offline.
    const shardCount = ready.shard?.count ?? 1;
    const ourShards = new Set(ready.shard?.ids ?? [0]);
    ctx.services.members
      .forgetGuildsLeftWhileAway(new Set(ready.guilds.cache.keys()), (guildId) =>
        ourShards.has(ShardClientUtil.shardIdForGuildId(guildId, shardCount)),
      )
      .then((gone) => {
        for (const guildId of gone) ctx.services.recommendations.guildForgotten(guildId);
        if (gone.length > 0) logger.info({ guildIds: gone }, 'deleted data of guilds left while offline');
      })
      .catch((error: unknown) => logger.error({ err: error }, 'could not check for guilds left while offline'));
  });
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
      ctx.services.recommendations.stop();
      await client.destroy();
      await database.close();
    },
  };
}
