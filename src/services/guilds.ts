import type { MembersService } from './members.js';

export interface GuildServiceDeps {
  members: Pick<MembersService, 'forgetGuild' | 'forgetGuildsLeftWhileAway'>;
  /** The recommender's per-guild state, dropped with the guild's data. */
  models: { guildForgotten(guildId: string): void };
}

/** The servers Marquee is in: when the bot leaves one, that server's own data goes; members' ratings stay theirs. */
export function createGuildService({ members, models }: GuildServiceDeps) {
  return {
    /** The bot left (or was removed from) these guilds. */
    async forget(guildIds: readonly string[]): Promise<void> {
      for (const guildId of guildIds) {
        models.guildForgotten(guildId);
        await members.forgetGuild(guildId);
      }
    },

    /**
     * Forgets the stored guilds this process is responsible for (`isOurs`) that the bot is no longer in: it
     * may have been removed while offline, when no GuildDelete could arrive. Returns the ids forgotten.
     */
    async forgetAbsent(present: ReadonlySet<string>, isOurs: (guildId: string) => boolean): Promise<string[]> {
      const gone = await members.forgetGuildsLeftWhileAway(present, isOurs);
      for (const guildId of gone) models.guildForgotten(guildId);
      return gone;
    },
  };
}

export type GuildService = ReturnType<typeof createGuildService>;
