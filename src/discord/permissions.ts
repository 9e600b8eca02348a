import { PermissionsBitField } from 'discord.js';

/**
 * The channel permissions Marquee uses, with the names Discord shows in its settings. Order is the order
 * members read them in: first what any reply needs, then what feedback needs. (The
 * export file is an interaction reply, which needs no Attach Files.)
 */
export const BOT_CHANNEL_PERMISSIONS = {
  ViewChannel: 'View Channel',
  SendMessages: 'Send Messages',
  EmbedLinks: 'Embed Links',
  AddReactions: 'Add Reactions',
  ReadMessageHistory: 'Read Message History',
} as const;

export type BotChannelPermission = keyof typeof BOT_CHANNEL_PERMISSIONS;
export type BotChannelPermissionName = (typeof BOT_CHANNEL_PERMISSIONS)[BotChannelPermission];

export const ALL_BOT_CHANNEL_PERMISSIONS = Object.keys(BOT_CHANNEL_PERMISSIONS) as readonly BotChannelPermission[];

/** The invite link's permissions: every channel permission Marquee uses (85056). */
export const INVITE_PERMISSIONS = new PermissionsBitField([...ALL_BOT_CHANNEL_PERMISSIONS]).bitfield;

/** The link that adds the bot to a server, with the commands and the permissions it uses. */
export function inviteUrl(applicationId: string): string {
  const query = `client_id=${applicationId}&scope=bot+applications.commands&permissions=${INVITE_PERMISSIONS}`;
  return `https://discord.com/oauth2/authorize?${query}`;
}

/** 👍/👎 on a card: the bot adds the reactions, and reads them back on messages it may no longer have cached. */
export const FEEDBACK_PERMISSIONS = [
  'AddReactions',
  'ReadMessageHistory',
] as const satisfies readonly BotChannelPermission[];

export interface MissingPermission {
  flag: BotChannelPermission;
  name: BotChannelPermissionName;
}

/**
 * Which of `wanted` the bot lacks, given its permissions in a channel (`interaction.appPermissions`, or
 * `channel.permissionsFor(guild.members.me)`). Administrator implies every permission, as Discord applies it.
 */
export function missingPermissions(
  permissions: Readonly<PermissionsBitField> | bigint,
  wanted: readonly BotChannelPermission[] = ALL_BOT_CHANNEL_PERMISSIONS,
): MissingPermission[] {
  const field = typeof permissions === 'bigint' ? new PermissionsBitField(permissions) : permissions;
  return ALL_BOT_CHANNEL_PERMISSIONS.filter((flag) => wanted.includes(flag) && !field.has(flag)).map((flag) => ({
    flag,
    name: BOT_CHANNEL_PERMISSIONS[flag],
  }));
}

const listFormat = new Intl.ListFormat('en', { style: 'long', type: 'conjunction' });

/** "Add Reactions and Read Message History": the missing permissions as a phrase for a message. */
export function formatPermissionList(missing: readonly MissingPermission[]): string {
  return listFormat.format(missing.map(({ name }) => name));
}
