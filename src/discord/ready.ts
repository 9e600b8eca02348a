import { Events, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Config } from '../config.js';
import type { Logger } from '../logger.js';
import { syncCommands } from './command-sync.js';
import type { EventModule } from './guild-events.js';
import { inviteUrl } from './permissions.js';

export interface ReadyDeps {
  config: Pick<Config, 'discord'>;
  commands: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];
  logger: Logger;
}

/**
 * At ready, what an admin wants to see: who the bot is logged in as, in how many servers, the link that invites
 * it, and whether Discord has this version's slash commands (registering them unless told not to).
 */
export function announceReady({ config, commands, logger }: ReadyDeps): EventModule<Events.ClientReady> {
  return {
    name: Events.ClientReady,
    once: true,
    execute(client) {
      const servers = client.guilds.cache.size;
      logger.info(
        { user: client.user.tag, guilds: servers },
        `Logged in as ${client.user.tag} in ${servers} server${servers === 1 ? '' : 's'}`,
      );
      const applicationId = config.discord.applicationId ?? client.application.id;
      logger.info({ invite: inviteUrl(applicationId) }, `Invite Marquee to a server: ${inviteUrl(applicationId)}`);
      // Sharded, one process compares and registers the commands for all: the one running shard 0.
      const { shards } = client.options;
      if (Array.isArray(shards) && !(shards as readonly number[]).includes(0)) return;
      syncCommands({
        rest: client.rest,
        applicationId,
        devGuildId: config.discord.devGuildId,
        commands,
        autoRegister: config.discord.autoRegister,
        logger,
      }).catch((error: unknown) =>
        logger.warn(
          { err: error },
          'Could not check the slash commands registered with Discord: run `npm run register`',
        ),
      );
    },
  };
}
