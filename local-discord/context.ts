import { GatewayDispatchEvents, GatewayIntentBits, ReactionType } from 'discord-api-types/v10';
import type {
  GatewayMessageReactionAddDispatchData,
  GatewayMessageReactionRemoveDispatchData,
  GatewayVoiceStateUpdateDispatchData,
} from 'discord-api-types/v10';
import type { DiscordErrorBody } from './errors.js';
import type { InteractionRecord } from './interactions.js';
import type { ScheduledEventStore } from './scheduled-events.js';
import type { FakeState, GuildRecord, MessageRecord, ReactionRecord, UploadedFile } from './state.js';

export interface RecordedRequest {
  method: string;
  /** Decoded path without `/api/v10`, e.g. `/channels/1/messages/2/reactions/👍/@me`. */
  path: string;
  query: Record<string, string>;
  /** JSON body, or the multipart `payload_json`. */
  body: unknown;
  files: readonly UploadedFile[];
  status: number;
  /** Discord's error body when the fake refused the request. */
  error?: DiscordErrorBody;
  at: number;
}

export interface RateLimitRule {
  method: string | undefined;
  matches: (path: string) => boolean;
  retryAfterSeconds: number;
  global: boolean;
  remaining: number;
  hits: number;
}

/** What the REST routes, the gateway and the test helpers share. */
export interface FakeContext {
  state: FakeState;
  token: string;
  interactionDeadlineMs: number;
  /** What `GET /gateway/bot` recommends as `shards`. */
  recommendedShards: number;
  now: () => number;
  origin: () => string;
  /** Sends a dispatch to every identified session whose intents include `intent`; returns how many got it. */
  dispatch: (event: GatewayDispatchEvents, data: unknown, intent?: GatewayIntentBits) => number;
  interactions: Map<string, InteractionRecord>;
  requests: RecordedRequest[];
  rateLimits: RateLimitRule[];
  /** Guild scheduled events (the Events list). */
  scheduledEvents: ScheduledEventStore;
  /** Wakes up whoever waits on the fake's state. */
  changed: () => void;
}

/** Adds a reaction (bot or member) and tells the gateway; false when that user had already reacted so. */
export function addReaction(
  ctx: FakeContext,
  record: MessageRecord,
  key: string,
  emoji: ReactionRecord['emoji'],
  userId: string,
): boolean {
  const reaction = record.reactions.get(key) ?? { emoji, users: [] };
  record.reactions.set(key, reaction);
  if (reaction.users.includes(userId)) return false;
  reaction.users.push(userId);
  const guild = ctx.state.guilds.get(record.guildId);
  const member = guild?.members.get(userId);
  const data: GatewayMessageReactionAddDispatchData = {
    user_id: userId,
    channel_id: record.message.channel_id,
    message_id: record.message.id,
    guild_id: record.guildId,
    ...(member ? { member: ctx.state.apiMember(member) } : {}),
    emoji: { ...emoji },
    message_author_id: record.message.author.id,
    burst: false,
    burst_colors: [],
    type: ReactionType.Normal,
  };
  ctx.dispatch(GatewayDispatchEvents.MessageReactionAdd, data, GatewayIntentBits.GuildMessageReactions);
  return true;
}

export function removeReaction(ctx: FakeContext, record: MessageRecord, key: string, userId: string): boolean {
  const reaction = record.reactions.get(key);
  const index = reaction?.users.indexOf(userId) ?? -1;
  if (!reaction || index < 0) return false;
  reaction.users.splice(index, 1);
  if (reaction.users.length === 0) record.reactions.delete(key);
  const data: GatewayMessageReactionRemoveDispatchData = {
    user_id: userId,
    channel_id: record.message.channel_id,
    message_id: record.message.id,
    guild_id: record.guildId,
    emoji: { ...reaction.emoji },
    burst: false,
    type: ReactionType.Normal,
  };
  ctx.dispatch(GatewayDispatchEvents.MessageReactionRemove, data, GatewayIntentBits.GuildMessageReactions);
  return true;
}

export function voiceStateData(
  ctx: FakeContext,
  guild: GuildRecord,
  userId: string,
): GatewayVoiceStateUpdateDispatchData {
  const record = guild.voiceStates.get(userId);
  if (record) return ctx.state.apiVoiceState(guild, record);
  const member = guild.members.get(userId);
  return {
    guild_id: guild.id,
    channel_id: null,
    user_id: userId,
    ...(member ? { member: ctx.state.apiMember(member) } : {}),
    session_id: '',
    deaf: false,
    mute: false,
    self_deaf: false,
    self_mute: false,
    self_video: false,
    suppress: false,
    request_to_speak_timestamp: null,
  };
}
