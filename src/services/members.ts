import type { Repositories } from '../db/repositories/index.js';
import { DAY_MS } from '../time.js';

export interface MembersServiceDeps {
  repos: Pick<Repositories, 'guilds'>;
  clock: () => Date;
  /** Members seen within this many days form a server's neighbourhood. */
  activeDays: number;
}

/** Who counts as a member of a server for Marquee: those who used it there recently. */
export function createMembersService({ repos, clock, activeDays }: MembersServiceDeps) {
  return {
    /** Records that the member used Marquee in the guild now (every command calls this). */
    async seen(guildId: string, userId: string): Promise<void> {
      await repos.guilds.touchMember(guildId, userId, clock());
    },

    /** The start of the activity window: members last seen before it are no longer neighbours. */
    activeSince(): Date {
      return new Date(clock().getTime() - activeDays * DAY_MS);
    },

    async activeMemberIds(guildId: string): Promise<string[]> {
      return repos.guilds.activeMemberIds(guildId, this.activeSince());
    },

    /**
     * Forgets the guilds this process is responsible for (`isOurs`) that the bot is no longer in: it may
     * have been removed while offline, when no GuildDelete could arrive. Returns the ids forgotten.
     */
    async forgetGuildsLeftWhileAway(present: ReadonlySet<string>, isOurs: (guildId: string) => boolean): Promise<string[]> {
      const gone = (await repos.guilds.ids()).filter((guildId) => isOurs(guildId) && !present.has(guildId));
      for (const guildId of gone) await repos.guilds.delete(guildId);
      return gone;
    },

    /** The bot left (or was removed from) the guild: its own data goes, members' ratings stay. */
    async forgetGuild(guildId: string): Promise<void> {
      await repos.guilds.delete(guildId);
    },
  };
}

export type MembersService = ReturnType<typeof createMembersService>;
