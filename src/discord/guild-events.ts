import { Events, ShardClientUtil, type Client, type ClientEvents } from 'discord.js';
import type { Logger } from '../logger.js';
import type { GuildService } from '../services/guilds.js';

/** A typed listener module, as the discord.js TypeScript template writes its events. */
export interface EventModule<Name extends keyof ClientEvents> {
  name: Name;
  once?: boolean;
  execute(...args: ClientEvents[Name]): void;
}

export interface GuildEventDeps {
  guilds: Pick<GuildService, 'forget' | 'forgetAbsent'>;
  logger: Logger;
}

/** GuildDelete fires when the bot is removed (an outage emits GuildUnavailable instead): the guild's data goes. */
export function guildRemoved({ guilds, logger }: GuildEventDeps): EventModule<Events.GuildDelete> {
  return {
    name: Events.GuildDelete,
    execute(guild) {
      guilds
        .forget([guild.id])
        .then(() => logger.info({ guildId: guild.id }, 'left guild; its data was deleted'))
        .catch((error: unknown) => logger.error({ err: error, guildId: guild.id }, 'could not delete guild data'));
    },
  };
}

/**
 * On READY, which lists every guild of this process's shards: a stored guild of our shards that is missing
 * was left while the bot was offline, so its data goes too. Our shards are the client's (`SHARD_IDS` of
 * `SHARD_COUNT`, or the one ShardingManager gave this process): another host's guilds are never touched.
 */
export function guildsLeftWhileAway({ guilds, logger }: GuildEventDeps): EventModule<Events.ClientReady> {
  return {
    name: Events.ClientReady,
    once: true,
    execute(ready) {
      const { shards, shardCount = 1 } = ready.options;
      const ourShards = new Set(Array.isArray(shards) ? shards : [0]);
      guilds
        .forgetAbsent(new Set(ready.guilds.cache.keys()), (guildId) =>
          ourShards.has(ShardClientUtil.shardIdForGuildId(guildId, shardCount)),
        )
        .then((gone) => {
          if (gone.length > 0) logger.info({ guildIds: gone }, 'deleted data of guilds left while offline');
        })
        .catch((error: unknown) => logger.error({ err: error }, 'could not check for guilds left while offline'));
    },
  };
}

/** Registers listener modules on the client. */
export function listen(client: Client, modules: readonly EventModule<keyof ClientEvents>[]): void {
  for (const module of modules) {
    const listener = (...args: ClientEvents[keyof ClientEvents]) => module.execute(...args);
    if (module.once) client.once(module.name, listener);
    else client.on(module.name, listener);
  }
}
