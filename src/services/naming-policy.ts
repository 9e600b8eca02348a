import { DEFAULT_USER_SETTINGS, type UsersRepository } from '../db/repositories/users.js';
import { MIN_MEMBERS_FOR_AGGREGATE } from '../format.js';

/**
 * Whether a user is in the guild where the request was made, now, as Discord says. Only the Discord layer can
 * ask (`guildMembership` in src/discord/members.ts), so a request carries the question in and the policy asks it.
 */
export type IsGuildMember = (userId: string) => Promise<boolean>;

export interface NamingPolicyDeps {
  /** Where each member's `showName` consent is stored (absent: Marquee's default, off). */
  users: Pick<UsersRepository, 'getMany'>;
}

/**
 * The one naming rule (GUIDE §9). A member is named to others (in the reason of someone's pick, among someone's
 * similar members) only with `showName` on and only while still a member of that guild. Members behind a pick
 * who are not named are shown as a count or an average only when at least MIN_MEMBERS_FOR_AGGREGATE of them
 * back it, so it never points at one or two people. Services return only what this allows; commands render it
 * as it is.
 */
export function createNamingPolicy({ users }: NamingPolicyDeps) {
  return {
    /** Of `userIds`, those who may be named here. Discord is asked only about members who allow their name. */
    async nameable(userIds: readonly string[], isGuildMember: IsGuildMember): Promise<ReadonlySet<string>> {
      const unique = [...new Set(userIds)];
      if (unique.length === 0) return new Set();
      const stored = await users.getMany(unique);
      const consenting = unique.filter((userId) => (stored.get(userId) ?? DEFAULT_USER_SETTINGS).showName);
      const inGuild = await Promise.all(consenting.map((userId) => isGuildMember(userId)));
      return new Set(consenting.filter((_, index) => inGuild[index]));
    },

    /** Whether a group of `members` unnamed people may be shown as a count or an average: members ≥ 3. */
    mayCount(members: number): boolean {
      return members >= MIN_MEMBERS_FOR_AGGREGATE;
    },
  };
}

export type NamingPolicy = ReturnType<typeof createNamingPolicy>;
