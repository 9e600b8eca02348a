/**
 * What the offline demo records as its story plays: scenes, what members do, and the messages the bot sent as the
 * local Discord holds them. The text transcript (terminal), the HTML page (`--html`) and the JSON file (`--json`)
 * are three renderings of this one record.
 */
import type { APIActionRowComponent, APIComponentInMessageActionRow, APIEmbed } from 'discord-api-types/v10';

export interface TranscriptMessage {
  /** The local Discord's message id (ephemeral messages have one too). */
  id: string;
  /** Display name of the author: the bot's name or the member's. */
  author: string;
  bot: boolean;
  /** Only the member it answered can see it ("Only you can see this" in Discord). */
  ephemeral: boolean;
  /** For an ephemeral message: the display name of the member who sees it. */
  visibleTo?: string;
  content: string;
  embeds: APIEmbed[];
  components: APIActionRowComponent<APIComponentInMessageActionRow>[];
  /** Reactions with how many members (bot included) reacted, in Discord's order. */
  reactions: { emoji: string; count: number }[];
  /** True when this entry shows a message already shown before, edited in place (a panel's next page, a closed poll). */
  edited: boolean;
}

export type TranscriptEntry =
  /** A heading for a step of the story ("A new member asks for picks"). */
  | {
      kind: 'scene';
      title: string;
      /** A stable name for the step ("onboarding"), the page's anchor; titles vary by seed. */ id: string;
    }
  /** What a member typed or did, as they would describe it: "/rate film: Alien (1979) stars: 4.5", "clicks Next", "reacts 👎". */
  | { kind: 'action'; member: string; text: string }
  | { kind: 'message'; message: TranscriptMessage };

export interface Transcript {
  guildName: string;
  channelName: string;
  botName: string;
  entries: TranscriptEntry[];
  /** Display names by user id, for the `<@id>` mentions in messages (kept as Discord holds them). */
  memberNames?: Record<string, string>;
  /** When the story was played (ISO 8601): what `<t:…:R>` timestamps in messages are relative to. */
  recordedAt?: string;
  /** What a reader should know before the story, e.g. that the local TMDB's figures are the demo server's own. */
  notes?: string[];
}
