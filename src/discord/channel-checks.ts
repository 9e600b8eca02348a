import { ChannelType, type Guild, type GuildBasedChannel, type PermissionsBitField } from 'discord.js';
import { UserFacingError } from '../errors.js';
import {
  ALL_BOT_CHANNEL_PERMISSIONS,
  formatPermissionList,
  missingPermissions,
  type BotChannelPermission,
  type MissingPermission,
} from './permissions.js';
import type { ChatInput } from './command.js';

/** Channels a movie night can be posted in: text and announcement channels (threads archive themselves). */
const TEXT_CHANNEL_TYPES: ReadonlySet<ChannelType> = new Set([ChannelType.GuildText, ChannelType.GuildAnnouncement]);
const VOICE_CHANNEL_TYPES: ReadonlySet<ChannelType> = new Set([ChannelType.GuildVoice, ChannelType.GuildStageVoice]);

/**
 * What the bot needs where a movie night is posted: the message and its card (View Channel, Send Messages, Embed
 * Links), the number and 🍿 reactions it seeds (Add Reactions), and reading those reactions back through the REST API
 * after a restart (Read Message History).
 */
export const NIGHT_CHANNEL_PERMISSIONS: readonly BotChannelPermission[] = ALL_BOT_CHANNEL_PERMISSIONS;

/** The guild's channel as the client caches it (from GUILD_CREATE), fetched when missing. */
async function guildChannel(guild: Guild, channelId: string): Promise<GuildBasedChannel | null> {
  return guild.channels.cache.get(channelId) ?? (await guild.channels.fetch(channelId).catch(() => null));
}

/** The bot's own permissions in a channel, computed from the cached roles and overwrites as Discord does. */
async function botPermissionsIn(guild: Guild, channel: GuildBasedChannel): Promise<Readonly<PermissionsBitField>> {
  const me = guild.members.me ?? (await guild.members.fetchMe());
  return channel.permissionsFor(me);
}

/**
 * Whether the bot can still post a movie night in a channel: `gone` when the channel was deleted (the Guilds intent
 * keeps every channel of the guild cached, visible to the bot or not), else the permissions it lacks there.
 */
export async function nightChannelState(guild: Guild, channelId: string): Promise<'gone' | MissingPermission[]> {
  const channel = guild.channels.cache.get(channelId);
  if (!channel) return 'gone';
  return missingPermissions(await botPermissionsIn(guild, channel), NIGHT_CHANNEL_PERMISSIONS);
}

/** A channel option as Discord resolved it: its id and type, whether or not the bot can see the channel. */
export interface ChannelOption {
  id: string;
  type: ChannelType;
}

/** The bot's missing permissions in the channel; every wanted one when the bot cannot even fetch it. */
async function missingIn(
  guild: Guild,
  channelId: string,
  wanted: readonly BotChannelPermission[],
): Promise<MissingPermission[]> {
  const channel = await guildChannel(guild, channelId);
  return missingPermissions(channel ? await botPermissionsIn(guild, channel) : 0n, wanted);
}

/** Refuses a channel that is not a text channel, or one the bot cannot post a movie night in (naming what it lacks). */
export async function requirePostableTextChannel(interaction: ChatInput, option: ChannelOption): Promise<void> {
  if (!TEXT_CHANNEL_TYPES.has(option.type)) {
    throw new UserFacingError('channel-not-text', `<#${option.id}> is not a text channel: pick one members chat in.`);
  }
  const missing = await missingIn(interaction.guild, option.id, NIGHT_CHANNEL_PERMISSIONS);
  if (missing.length > 0) {
    throw new UserFacingError(
      'bot-channel-permissions',
      `Marquee cannot post movie nights in <#${option.id}>: it lacks ${formatPermissionList(missing)} there. A server admin can grant them in the channel's settings (Permissions), or pick another channel.`,
    );
  }
}

/** Refuses a channel that is not a voice channel, or one the bot cannot see (it could not tell who is in it). */
export async function requireVisibleVoiceChannel(interaction: ChatInput, option: ChannelOption): Promise<void> {
  if (!VOICE_CHANNEL_TYPES.has(option.type)) {
    throw new UserFacingError(
      'channel-not-voice',
      `<#${option.id}> is not a voice channel: pick one members watch in.`,
    );
  }
  if ((await missingIn(interaction.guild, option.id, ['ViewChannel'])).length > 0) {
    throw new UserFacingError(
      'bot-channel-permissions',
      `Marquee cannot see <#${option.id}>, so it could not tell who is in it: a server admin can give it View Channel there, or pick another voice channel.`,
    );
  }
}
