import { DiscordAPIError, RESTJSONErrorCodes, type BaseInteraction, type Guild } from 'discord.js';
import type { Logger } from '../logger.js';

/** Answers "is this user in this guild now?" for one interaction; each user is asked about at most once. */
export type GuildMembership = (userId: string) => Promise<boolean>;

async function fetchIsMember(guild: Guild, userId: string): Promise<boolean> {
  try {
    // `force`: without the privileged GuildMembers intent the bot never hears that someone left, so the cache may be stale.
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
 * The one membership check (GUIDE §9: only members of this server are named or shown here). The member who
 * acted is in the guild; a user option Discord resolved to a member is in it at that moment; anyone else is
 * asked of Discord's REST API. When Discord cannot say, the answer is "no": the member stays unnamed and hidden.
 */
export function guildMembership(interaction: BaseInteraction<'cached'>, log: Logger): GuildMembership {
  const resolvedMembers = interaction.isChatInputCommand() ? interaction.options.resolved?.members : undefined;
  const answers = new Map<string, Promise<boolean>>();
  return (userId) => {
    if (userId === interaction.user.id || resolvedMembers?.has(userId)) return Promise.resolve(true);
    let answer = answers.get(userId);
    if (!answer) {
      answer = fetchIsMember(interaction.guild, userId).catch((error: unknown) => {
        log.warn({ err: error, memberId: userId }, 'membership check failed; treating the user as not in the server');
        return false;
      });
      answers.set(userId, answer);
    }
    return answer;
  };
}
