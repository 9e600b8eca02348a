import { DiscordAPIError, RESTJSONErrorCodes, type Guild } from 'discord.js';
import type { Logger } from '../logger.js';

/**
 * Whether the user is in the guild now, asked of Discord's REST API (`force`): without the privileged
 * GuildMembers intent the bot never hears that someone left, so the cache may be stale.
 */
export async function isGuildMember(guild: Guild, userId: string): Promise<boolean> {
  try {
    await guild.members.fetch({ user: userId, force: true });
    return true;
  } catch (error) {
    if (
      error instanceof DiscordAPIError &&
      (error.code === RESTJSONErrorCodes.UnknownMember || error.code === RESTJSONErrorCodes.UnknownUser)
    ) {
      return false;
    }
    throw error;
  }
}

/**
 * Membership checks for naming members (GUIDE §9), asked once per member per reply; when Discord cannot
 * say, the member stays unnamed.
 */
export function nameableMemberCheck(guild: Guild, log: Logger): (userId: string) => Promise<boolean> {
  const answers = new Map<string, Promise<boolean>>();
  return (userId) => {
    let answer = answers.get(userId);
    if (!answer) {
      answer = isGuildMember(guild, userId).catch((error: unknown) => {
        log.warn({ err: error, memberId: userId }, 'membership check failed; not naming the member');
        return false;
      });
      answers.set(userId, answer);
    }
    return answer;
  };
}
