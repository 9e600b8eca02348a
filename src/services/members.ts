import type { Repositories } from '../db/repositories/index.js';
import { TOMBSTONE_RETENTION_MS } from '../db/repositories/tombstones.js';
import { DAY_MS } from '../time.js';

export interface MembersServiceDeps {
  repos: Pick<Repositories, 'guilds' | 'tombstones' | 'unitOfWork'>;
  clock: () => Date;
  /** Members seen within this many days form a server's neighbourhood. */
  activeDays: number;
}

/** Who counts as a member of a server for Marquee: those who used it there recently. */
export function createMembersService({ repos, clock, activeDays }: MembersServiceDeps) {
  /** The start of the activity window: members last seen before it are no longer neighbours. */
  function activeSince(): Date {
    return new Date(clock().getTime() - activeDays * DAY_MS);
  }

  /** Forgets one guild: a tombstone, then its own data, in one unit of work. */
  async function forget(guildId: string): Promise<void> {
    await repos.unitOfWork(async (tx) => {
      await repos.tombstones.forgetGuild(guildId, clock(), { tx });
      await repos.guilds.delete(guildId, { tx });
    });
  }

  return {
    /**
     * Records that the member used Marquee in the guild at `at`, when their interaction arrived (every
     * command calls this, possibly after it answered). Writes nothing when the member deleted their data,
     * or the bot left the guild, at or after `at`: a command that raced `/privacy delete` or the guild's
     * removal must not bring them back. A stamp older than the tombstones kept is refused as well.
     * Returns whether it recorded anything.
     */
    async seen(guildId: string, userId: string, at: Date): Promise<boolean> {
      if (clock().getTime() - at.getTime() >= TOMBSTONE_RETENTION_MS) return false;
      return repos.unitOfWork(async (tx) => {
        if (await repos.tombstones.forgottenSince(at, { guildId, userId }, { tx })) return false;
        await repos.guilds.touchMember(guildId, userId, at, { tx });
        return true;
      });
    },

    activeSince,

    async activeMemberIds(guildId: string): Promise<string[]> {
      return repos.guilds.activeMemberIds(guildId, activeSince());
    },

    /**
     * Forgets the guilds this process is responsible for (`isOurs`) that the bot is no longer in: it may
     * have been removed while offline, when no GuildDelete could arrive. Returns the ids forgotten. Runs at
     * every start, so it also prunes expired tombstones when no forgetting wrote any for a while.
     */
    async forgetGuildsLeftWhileAway(
      present: ReadonlySet<string>,
      isOurs: (guildId: string) => boolean,
    ): Promise<string[]> {
      await repos.tombstones.prune(clock());
      const gone = (await repos.guilds.ids()).filter((guildId) => isOurs(guildId) && !present.has(guildId));
      for (const guildId of gone) await forget(guildId);
      return gone;
    },

    /** The bot left (or was removed from) the guild: its own data goes, members' ratings stay. */
    async forgetGuild(guildId: string): Promise<void> {
      await forget(guildId);
    },
  };
}

export type MembersService = ReturnType<typeof createMembersService>;
