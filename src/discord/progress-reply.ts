import type { AttachmentBuilder } from 'discord.js';
import { mention, truncate } from '../format.js';
import type { Logger } from '../logger.js';
import { MINUTE_MS, SECOND_MS } from '../time.js';
import type { ChatInput } from './command.js';
import { MESSAGE_LIMITS } from './limits.js';

export interface ProgressReplySettings {
  /** Discord lets the interaction's token edit the reply for this long after the interaction arrived. */
  tokenLifetimeMs: number;
  /** Edits through the token stop this long before it expires, so none lands after it. */
  tokenMarginMs: number;
  /** Progress edits at most this often (Discord rate-limits edits, and members need no more). */
  minEditIntervalMs: number;
}

export const PROGRESS_REPLY_DEFAULTS = {
  tokenLifetimeMs: 15 * MINUTE_MS,
  tokenMarginMs: MINUTE_MS,
  minEditIntervalMs: 2 * SECOND_MS,
} as const satisfies ProgressReplySettings;

export interface ProgressReplyOptions extends Partial<ProgressReplySettings> {
  /** The injected clock: throttling and the token's age are measured on it, so tests move time instead of waiting. */
  clock: () => Date;
  /** When the interaction arrived (its token's life starts then). */
  arrivedAt: Date;
  log: Logger;
}

/** The last word of long work: the member's own copy (the reply or a DM) and a short one for the channel. */
export interface FinalMessage {
  private: { content: string; files: AttachmentBuilder[] };
  /** Said in the channel, mentioning the member, when neither the reply nor a DM can reach them; no files. */
  public: string;
}

export type FinalRoute = 'reply' | 'dm' | 'channel' | 'none';

const LATE_NOTICE =
  'This reply can only change for 15 minutes: the summary will come as a direct message (or in this channel, if your direct messages are closed).';

/**
 * The reply of work that outlives an interaction (an import): progress edits at most every `minEditIntervalMs`, only
 * while the interaction's token lives, then one last edit saying where the summary will come; the summary itself
 * through the token while it lives, else as a DM, else in the channel. Never an edit through an expired token.
 */
export function createProgressReply(interaction: ChatInput, options: ProgressReplyOptions) {
  const { clock, arrivedAt, log } = options;
  const settings = { ...PROGRESS_REPLY_DEFAULTS, ...options };
  const lastTokenUse = arrivedAt.getTime() + settings.tokenLifetimeMs - settings.tokenMarginMs;
  const tokenLives = () => clock().getTime() < lastTokenUse;
  let lastEdit = arrivedAt.getTime();
  let editing: Promise<void> = Promise.resolve();
  let busy = false;
  let edited = false;
  let noticeSent = false;

  function edit(content: string): void {
    busy = true;
    edited = true;
    lastEdit = clock().getTime();
    editing = editing
      .then(() => interaction.editReply({ content: truncate(content, MESSAGE_LIMITS.content) }))
      .then(
        () => undefined,
        (error: unknown) => log.warn({ err: error }, 'could not edit the progress reply'),
      )
      .finally(() => {
        busy = false;
      });
  }

  return {
    /** The reply's first content, at once, unless progress already replaced it (later ones are throttled). */
    begin(content: string): void {
      if (!edited) edit(content);
    },

    /** Shows `content` if the last edit is old enough and none is on its way; past the token's life, says so once. */
    update(content: string): void {
      if (busy || noticeSent) return;
      if (!tokenLives()) {
        noticeSent = true;
        // Still inside the margin: the token takes this one last edit.
        edit(`${content}\n${LATE_NOTICE}`);
        return;
      }
      if (clock().getTime() - lastEdit >= settings.minEditIntervalMs) edit(content);
    },

    /** Delivers the summary by the first route that works; says which (logged by the caller). */
    async finish(message: FinalMessage): Promise<FinalRoute> {
      await editing;
      const content = truncate(message.private.content, MESSAGE_LIMITS.content);
      if (tokenLives()) {
        try {
          await interaction.editReply({ content, files: message.private.files });
          return 'reply';
        } catch (error) {
          log.warn({ err: error }, 'could not put the summary in the reply; trying a direct message');
        }
      }
      try {
        await interaction.user.send({ content, files: message.private.files, allowedMentions: { parse: [] } });
        return 'dm';
      } catch (error) {
        log.info({ err: error }, 'could not send the summary as a direct message; trying the channel');
      }
      try {
        const channel = interaction.channel ?? (await interaction.client.channels.fetch(interaction.channelId));
        if (channel?.isSendable()) {
          const userId = interaction.user.id;
          await channel.send({
            content: truncate(`${mention(userId)} ${message.public}`, MESSAGE_LIMITS.content),
            // Only the member it is for is pinged, whatever the text holds.
            allowedMentions: { parse: [], users: [userId] },
          });
          return 'channel';
        }
      } catch (error) {
        log.warn({ err: error }, 'could not send the summary to the channel either');
      }
      return 'none';
    },
  };
}

export type ProgressReply = ReturnType<typeof createProgressReply>;
