import type { Repositories } from '../db/repositories/index.js';

export interface MembersServiceDeps {
  repos: Pick<Repositories, 'guilds'>;
  clock: () => Date;
  /** Members seen within this many days form a server's neighbourhood. */
  activeDays: number;
}

const DAY_MS = 86_400_000;

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

    /** The bot left (or was removed from) the guild: its own data goes, members' ratings stay. */
    async forgetGuild(guildId: string): Promise<void> {
      await repos.guilds.delete(guildId);
    },
  };
}

export type MembersService = ReturnType<typeof createMembersService>;
