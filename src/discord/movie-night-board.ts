import {
  PermissionFlagsBits,
  Routes,
  messageLink,
  type Client,
  type GuildTextBasedChannel,
  type Message,
} from 'discord.js';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { MovieNightBoard } from '../services/movie-nights/index.js';
import { guildMembershipOf } from './members.js';
import {
  CALL_EMOJI,
  POLL_EMOJI,
  callMessage,
  pollMessage,
  resultMessage,
  type MessageContent,
} from './movie-night-card.js';

/** Users per page of Discord's reaction list (its maximum). */
const REACTORS_PAGE = 100;
const reactorsPage = z.array(z.looseObject({ id: z.string(), bot: z.boolean().optional() }));

export interface MovieNightBoardDeps {
  /** The bot's client (not yet logged in when the services are built: `isReady` says when it is). */
  client: Client;
  logger: Logger;
}

/**
 * Movie nights on Discord (the port of src/services/movie-nights/board.ts): channel messages posted and edited
 * through the REST API (never an interaction token), reactions seeded by the bot and read back through the REST API
 * (so reactions added while the bot was offline count), voice-channel members from the cached voice states
 * (GuildVoiceStates intent, not privileged).
 */
export function createMovieNightBoard({ client, logger }: MovieNightBoardDeps): MovieNightBoard {
  const log = logger.child({ component: 'movie-night-board' });

  async function textChannel(channelId: string): Promise<GuildTextBasedChannel> {
    const channel = await client.channels.fetch(channelId);
    if (!channel?.isTextBased() || channel.isDMBased())
      throw new Error(`channel ${channelId} is not a server text channel`);
    return channel;
  }

  async function send(channelId: string, message: MessageContent): Promise<Message> {
    return (await textChannel(channelId)).send(message);
  }

  async function edit(channelId: string, messageId: string, message: MessageContent): Promise<void> {
    await (await textChannel(channelId)).messages.edit(messageId, message);
  }

  /** Adds reactions in order; a failure is logged (voting by button still works), and the rest are not tried. */
  async function seed(message: Message, emoji: readonly string[]): Promise<void> {
    for (const name of emoji) {
      try {
        await message.react(name);
      } catch (error) {
        log.warn({ err: error, messageId: message.id, emoji: name }, 'could not add a movie-night reaction');
        return;
      }
    }
  }

  /** Everyone who reacted with `emoji`, page by page (Discord lists users by id), bots left out. */
  async function reactors(channelId: string, messageId: string, emoji: string): Promise<string[]> {
    const ids: string[] = [];
    let after: string | undefined;
    for (;;) {
      const query = new URLSearchParams({ limit: String(REACTORS_PAGE), ...(after ? { after } : {}) });
      const page = reactorsPage.parse(
        await client.rest.get(Routes.channelMessageReaction(channelId, messageId, encodeURIComponent(emoji)), {
          query,
        }),
      );
      for (const user of page) if (user.bot !== true) ids.push(user.id);
      if (page.length < REACTORS_PAGE) return ids;
      after = page.at(-1)?.id;
    }
  }

  return {
    isReady: () => client.isReady(),

    async voiceMembers(guildId, voiceChannelId) {
      const guild = client.guilds.cache.get(guildId);
      const channel = guild?.channels.cache.get(voiceChannelId);
      const me = guild?.members.me;
      if (!guild || !channel?.isVoiceBased() || !me) return null;
      if (!channel.permissionsFor(me).has(PermissionFlagsBits.ViewChannel)) return null;
      const inVoice = guild.voiceStates.cache.filter((state) => state.channelId === voiceChannelId);
      const ids: string[] = [];
      for (const state of inVoice.values()) {
        const member = state.member ?? (await guild.members.fetch(state.id).catch(() => null));
        if (member && !member.user.bot) ids.push(member.id);
      }
      return ids;
    },

    messageUrl: (guildId, channelId, messageId) => messageLink(channelId, messageId, guildId),

    isGuildMember(guildId) {
      const guild = client.guilds.cache.get(guildId);
      return guild ? guildMembershipOf(guild, log) : () => Promise.resolve(false);
    },

    async postCall(view) {
      const message = await send(view.channelId, callMessage(view));
      await seed(message, [CALL_EMOJI]);
      return message.id;
    },

    editCall: (view, messageId) => edit(view.channelId, messageId, callMessage(view)),

    async postPoll(view) {
      const message = await send(view.channelId, pollMessage(view));
      await seed(message, POLL_EMOJI.slice(0, view.picks.length));
      return message.id;
    },

    editPoll: (view, messageId) => edit(view.channelId, messageId, pollMessage(view)),

    async postResult(view) {
      return (await send(view.channelId, resultMessage(view))).id;
    },

    callReactors: (channelId, messageId) => reactors(channelId, messageId, CALL_EMOJI),

    async pollReactors(channelId, messageId, count) {
      const byPosition = new Map<number, string[]>();
      for (const [index, emoji] of POLL_EMOJI.slice(0, count).entries()) {
        byPosition.set(index + 1, await reactors(channelId, messageId, emoji));
      }
      return byPosition;
    },
  };
}
