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
 * acted is in the guild; a user option Discord resolved to a member is in it at that moment, and one it
 * resolved to a user only is not; anyone else is asked of Discord's REST API (so a command's own options
 * never cost a request before its deferral). When Discord cannot say, the answer is "no": the member stays
 * unnamed and hidden.
 */
export function guildMembership(interaction: BaseInteraction<'cached'>, log: Logger): GuildMembership {
  const resolved = interaction.isChatInputCommand() ? interaction.options.resolved : null;
  const ask = guildMembershipOf(interaction.guild, log);
  return (userId) => {
    if (userId === interaction.user.id || resolved?.members?.has(userId)) return Promise.resolve(true);
    // A user option Discord resolved to a user but not to a member names someone outside the guild.
    if (resolved?.users?.has(userId)) return Promise.resolve(false);
    return ask(userId);
  };
}

/**
 * The same check outside an interaction (a movie-night card edited later): Discord's REST API is asked about each
 * user at most once per membership; when it cannot say, the answer is "no".
 */
export function guildMembershipOf(guild: Guild, log: Logger): GuildMembership {
  const answers = new Map<string, Promise<boolean>>();
  return (userId) => {
    let answer = answers.get(userId);
    if (!answer) {
      answer = fetchIsMember(guild, userId).catch((error: unknown) => {
        log.warn({ err: error, memberId: userId }, 'membership check failed; treating the user as not in the server');
        return false;
      });
      answers.set(userId, answer);
    }
    return answer;
  };
}
