import { SnowflakeUtil } from 'discord.js';
import {
  ChannelType,
  GuildDefaultMessageNotifications,
  GuildExplicitContentFilter,
  GuildMFALevel,
  GuildNSFWLevel,
  GuildPremiumTier,
  GuildSystemChannelFlags,
  GuildVerificationLevel,
  Locale,
  MessageFlags,
  OverwriteType,
} from 'discord-api-types/v10';
import type {
  APIApplicationCommand,
  APIAttachment,
  APIChannel,
  APIDMChannel,
  APIEmbed,
  APIGuild,
  APIGuildMember,
  APIMessage,
  APIMessageTopLevelComponent,
  APIOverwrite,
  APIReaction,
  APIRole,
  APIUser,
  APIVoiceState,
  ChannelFlags,
  GatewayGuildCreateDispatchData,
  GuildMemberFlags,
  RoleFlags,
  GuildChannelType,
  ThreadChannelType,
} from 'discord-api-types/v10';
import {
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  computePermissions,
  toBits,
  type PermissionInput,
} from './permissions.js';

export interface FakeUserSpec {
  id: string;
  username?: string;
  globalName?: string | null;
  bot?: boolean;
  /** Off: the bot's direct messages to this user get 50007 Cannot send messages to this user (default on). */
  acceptsDms?: boolean;
}

export interface FakeMemberSpec extends FakeUserSpec {
  nick?: string | null;
  /** Role ids (besides @everyone, which every member has). */
  roles?: readonly string[];
  joinedAt?: string;
}

export interface FakeRoleSpec {
  id: string;
  name?: string;
  permissions?: PermissionInput;
}

export type FakeChannelType =
  ChannelType.GuildText | ChannelType.GuildVoice | ChannelType.GuildAnnouncement | ChannelType.GuildCategory;

export interface FakeChannelSpec {
  id: string;
  name?: string;
  /** Defaults to a text channel. */
  type?: FakeChannelType;
  parentId?: string;
  /** Sent to the client as a member overwrite for the bot, and enforced by the fake's REST routes. */
  deniedBotPermissions?: PermissionInput;
  allowedBotPermissions?: PermissionInput;
  /** Any further overwrites (roles, @everyone whose id is the guild id, members). */
  permissionOverwrites?: readonly APIOverwrite[];
}

export interface FakeVoiceStateSpec {
  userId: string;
  channelId: string;
  selfMute?: boolean;
  selfDeaf?: boolean;
}

export interface FakeGuildSpec {
  id: string;
  name?: string;
  /** The owner has every permission; defaults to a user who is not among `members`. */
  ownerId?: string;
  locale?: Locale;
  /** Permissions of @everyone; defaults to DEFAULT_EVERYONE_PERMISSIONS. */
  everyonePermissions?: PermissionInput;
  /** Permissions of the bot's managed role; defaults to the invite permissions (DEFAULT_BOT_PERMISSIONS). */
  botPermissions?: PermissionInput;
  roles?: readonly FakeRoleSpec[];
  channels: readonly FakeChannelSpec[];
  /** The bot's own member is added automatically. */
  members?: readonly FakeMemberSpec[];
  voiceStates?: readonly FakeVoiceStateSpec[];
}

/** A file a member attaches to a slash command's attachment option; `size` is what Discord states (default: its length). */
export interface FakeAttachmentSpec {
  name: string;
  data: Buffer;
  contentType?: string;
  size?: number;
}

/** A direct-message channel between the bot and one user. */
export interface DmChannelRecord {
  id: string;
  userId: string;
}

/** A file the bot uploaded (multipart `files[n]`). */
export interface UploadedFile {
  field: string;
  name: string;
  contentType: string;
  data: Buffer;
}

export interface ChannelRecord {
  id: string;
  guildId: string;
  name: string;
  type: FakeChannelType;
  parentId: string | null;
  position: number;
  overwrites: APIOverwrite[];
}

export interface MemberRecord {
  userId: string;
  nick: string | null;
  roles: string[];
  joinedAt: string;
}

export interface VoiceRecord {
  userId: string;
  channelId: string;
  selfMute: boolean;
  selfDeaf: boolean;
  sessionId: string;
}

export interface GuildRecord {
  id: string;
  name: string;
  ownerId: string;
  locale: Locale;
  joinedAt: string;
  roles: Map<string, APIRole>;
  botRoleId: string;
  channels: Map<string, ChannelRecord>;
  members: Map<string, MemberRecord>;
  voiceStates: Map<string, VoiceRecord>;
}

export interface ReactionRecord {
  emoji: { id: string | null; name: string };
  /** User ids in the order they reacted. */
  users: string[];
}

export interface MessageRecord {
  message: APIMessage;
  /** Empty for a direct message. */
  guildId: string;
  /** Ephemeral messages exist only for their interaction: not in channel history, not fetchable by channel. */
  ephemeral: boolean;
  files: Map<string, UploadedFile>;
  reactions: Map<string, ReactionRecord>;
}

export const DEFAULT_OWNER_ID = '190000000000000001';

export function newSnowflake(): string {
  return SnowflakeUtil.generate().toString();
}

export function compareSnowflakes(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

export function apiUserFrom(spec: FakeUserSpec): APIUser {
  const username = spec.username ?? `user${spec.id.slice(-4)}`;
  return {
    id: spec.id,
    username,
    discriminator: '0',
    global_name: spec.globalName === undefined ? username : spec.globalName,
    avatar: null,
    ...(spec.bot ? { bot: true } : {}),
  };
}

/** Unicode emoji as Discord accepts them (pictographs, flags, keycaps); custom emoji come as `name:id`. */
const UNICODE_EMOJI = /\p{Extended_Pictographic}|\p{Regional_Indicator}|\u20E3/u;

export function parseEmoji(raw: string): { key: string; emoji: ReactionRecord['emoji'] } | undefined {
  const custom = /^(?:a:)?([\w~]{2,32}):(\d{1,20})$/.exec(raw);
  if (custom) {
    const [, name = '', id = ''] = custom;
    return { key: `${name}:${id}`, emoji: { id, name } };
  }
  return UNICODE_EMOJI.test(raw) ? { key: raw, emoji: { id: null, name: raw } } : undefined;
}

export interface FakeStateOptions {
  applicationId: string;
  botUserId: string;
  botUsername: string;
  origin: () => string;
}

export type FakeState = ReturnType<typeof createFakeState>;

export function createFakeState({ applicationId, botUserId, botUsername, origin }: FakeStateOptions) {
  const bot = apiUserFrom({ id: botUserId, username: botUsername, globalName: null, bot: true });
  const users = new Map<string, APIUser>([[bot.id, bot]]);
  const guilds = new Map<string, GuildRecord>();
  const channelGuild = new Map<string, string>();
  const messages = new Map<string, MessageRecord>();
  const commands = { global: [] as APIApplicationCommand[], guilds: new Map<string, APIApplicationCommand[]>() };
  /** Files members attached to interactions, served like Discord's CDN serves attachments. */
  const uploads = new Map<string, UploadedFile>();
  const dmChannels = new Map<string, DmChannelRecord>();
  const dmsClosed = new Set<string>();

  function addUser(spec: FakeUserSpec): APIUser {
    if (spec.acceptsDms === false) dmsClosed.add(spec.id);
    const existing = users.get(spec.id);
    if (existing && spec.username === undefined && spec.globalName === undefined) return existing;
    const user = apiUserFrom(spec);
    users.set(user.id, user);
    return user;
  }

  /** The bot's DM channel with the user (`POST /users/@me/channels`), opened once. */
  function openDm(userId: string): DmChannelRecord {
    const existing = [...dmChannels.values()].find((dm) => dm.userId === userId);
    if (existing) return existing;
    const dm = { id: newSnowflake(), userId };
    dmChannels.set(dm.id, dm);
    return dm;
  }

  function apiDmChannel(dm: DmChannelRecord): APIDMChannel {
    return {
      id: dm.id,
      type: ChannelType.DM,
      name: null,
      recipients: [users.get(dm.userId) ?? apiUserFrom({ id: dm.userId })],
      last_message_id: null,
      flags: 0 as ChannelFlags,
    };
  }

  function addMember(guild: GuildRecord, spec: FakeMemberSpec): MemberRecord {
    addUser(spec);
    const member: MemberRecord = {
      userId: spec.id,
      nick: spec.nick ?? null,
      roles: [...(spec.roles ?? [])],
      joinedAt: spec.joinedAt ?? new Date().toISOString(),
    };
    guild.members.set(spec.id, member);
    return member;
  }

  function addGuild(spec: FakeGuildSpec): GuildRecord {
    if (guilds.has(spec.id)) throw new Error(`fake-discord: guild ${spec.id} already exists`);
    const botRoleId = newSnowflake();
    const role = (id: string, name: string, permissions: bigint, position: number, managed = false): APIRole => ({
      id,
      name,
      color: 0,
      colors: { primary_color: 0, secondary_color: null, tertiary_color: null },
      hoist: false,
      position,
      permissions: permissions.toString(),
      managed,
      mentionable: false,
      flags: 0 as RoleFlags,
      ...(managed ? { tags: { bot_id: botUserId } } : {}),
    });
    const guild: GuildRecord = {
      id: spec.id,
      name: spec.name ?? `Guild ${spec.id}`,
      ownerId: spec.ownerId ?? DEFAULT_OWNER_ID,
      locale: spec.locale ?? Locale.EnglishUS,
      joinedAt: new Date().toISOString(),
      roles: new Map(),
      botRoleId,
      channels: new Map(),
      members: new Map(),
      voiceStates: new Map(),
    };
    guild.roles.set(
      spec.id,
      role(spec.id, '@everyone', toBits(spec.everyonePermissions ?? DEFAULT_EVERYONE_PERMISSIONS), 0),
    );
    guild.roles.set(
      botRoleId,
      role(botRoleId, botUsername, toBits(spec.botPermissions ?? DEFAULT_BOT_PERMISSIONS), 1, true),
    );
    (spec.roles ?? []).forEach((r, i) => {
      guild.roles.set(r.id, role(r.id, r.name ?? `role-${r.id}`, toBits(r.permissions ?? []), i + 2));
    });
    spec.channels.forEach((c, position) => {
      const overwrites = [...(c.permissionOverwrites ?? [])];
      if (c.deniedBotPermissions !== undefined || c.allowedBotPermissions !== undefined) {
        overwrites.push({
          id: botUserId,
          type: OverwriteType.Member,
          allow: toBits(c.allowedBotPermissions ?? 0n).toString(),
          deny: toBits(c.deniedBotPermissions ?? 0n).toString(),
        });
      }
      if (channelGuild.has(c.id)) throw new Error(`fake-discord: channel ${c.id} is declared twice`);
      guild.channels.set(c.id, {
        id: c.id,
        guildId: spec.id,
        name: c.name ?? `channel-${c.id}`,
        type: c.type ?? ChannelType.GuildText,
        parentId: c.parentId ?? null,
        position,
        overwrites,
      });
      channelGuild.set(c.id, spec.id);
    });
    addMember(guild, { id: botUserId, username: botUsername, globalName: null, bot: true, roles: [botRoleId] });
    for (const m of spec.members ?? []) addMember(guild, m);
    for (const v of spec.voiceStates ?? []) setVoiceState(guild, v.userId, v.channelId, v);
    guilds.set(guild.id, guild);
    return guild;
  }

  function removeGuild(guildId: string): GuildRecord | undefined {
    const guild = guilds.get(guildId);
    if (!guild) return undefined;
    guilds.delete(guildId);
    for (const id of guild.channels.keys()) channelGuild.delete(id);
    commands.guilds.delete(guildId);
    return guild;
  }

  function setVoiceState(
    guild: GuildRecord,
    userId: string,
    channelId: string | null,
    flags: { selfMute?: boolean; selfDeaf?: boolean } = {},
  ): VoiceRecord | undefined {
    if (channelId === null) {
      guild.voiceStates.delete(userId);
      return undefined;
    }
    const channel = guild.channels.get(channelId);
    if (channel?.type !== ChannelType.GuildVoice) {
      throw new Error(`fake-discord: ${channelId} is not a voice channel of guild ${guild.id}`);
    }
    if (!guild.members.has(userId))
      throw new Error(`fake-discord: user ${userId} is not a member of guild ${guild.id}`);
    const record: VoiceRecord = {
      userId,
      channelId,
      selfMute: flags.selfMute ?? false,
      selfDeaf: flags.selfDeaf ?? false,
      sessionId: newSnowflake(),
    };
    guild.voiceStates.set(userId, record);
    return record;
  }

  function findChannel(channelId: string): { guild: GuildRecord; channel: ChannelRecord } | undefined {
    const guild = guilds.get(channelGuild.get(channelId) ?? '');
    const channel = guild?.channels.get(channelId);
    return guild && channel ? { guild, channel } : undefined;
  }

  function permissionGuild(guild: GuildRecord) {
    return {
      id: guild.id,
      ownerId: guild.ownerId,
      rolePermissions: new Map([...guild.roles].map(([id, r]) => [id, BigInt(r.permissions)])),
    };
  }

  /** A member's permissions in a channel (or guild-wide without one). */
  function permissionsOf(guild: GuildRecord, userId: string, channel?: ChannelRecord): bigint {
    const member = guild.members.get(userId);
    if (!member) return 0n;
    return computePermissions(permissionGuild(guild), { userId, roleIds: member.roles }, channel?.overwrites ?? []);
  }

  function apiMember(member: MemberRecord): APIGuildMember {
    return {
      user: users.get(member.userId) ?? apiUserFrom({ id: member.userId }),
      nick: member.nick,
      avatar: null,
      banner: null,
      roles: [...member.roles],
      joined_at: member.joinedAt,
      premium_since: null,
      deaf: false,
      mute: false,
      flags: 0 as GuildMemberFlags,
      pending: false,
      communication_disabled_until: null,
    };
  }

  type GuildChannel = APIChannel & { type: Exclude<GuildChannelType, ThreadChannelType> };

  function apiChannel(channel: ChannelRecord): GuildChannel {
    const base = {
      id: channel.id,
      guild_id: channel.guildId,
      name: channel.name,
      position: channel.position,
      permission_overwrites: channel.overwrites.map((o) => ({ ...o })),
      parent_id: channel.parentId,
      nsfw: false,
      flags: 0 as ChannelFlags,
    };
    switch (channel.type) {
      case ChannelType.GuildVoice:
        return {
          ...base,
          type: channel.type,
          bitrate: 64_000,
          user_limit: 0,
          rtc_region: null,
          last_message_id: null,
          rate_limit_per_user: 0,
        };
      case ChannelType.GuildCategory:
        return { ...base, type: channel.type, parent_id: null };
      case ChannelType.GuildAnnouncement:
        return { ...base, type: channel.type, topic: null, last_message_id: null, default_auto_archive_duration: 1440 };
      default:
        return { ...base, type: channel.type, topic: null, last_message_id: null, rate_limit_per_user: 0 };
    }
  }

  function apiVoiceState(guild: GuildRecord, v: VoiceRecord): APIVoiceState {
    const member = guild.members.get(v.userId);
    return {
      guild_id: guild.id,
      channel_id: v.channelId,
      user_id: v.userId,
      ...(member ? { member: apiMember(member) } : {}),
      session_id: v.sessionId,
      deaf: false,
      mute: false,
      self_deaf: v.selfDeaf,
      self_mute: v.selfMute,
      self_video: false,
      suppress: false,
      request_to_speak_timestamp: null,
    };
  }

  function apiGuild(guild: GuildRecord): APIGuild {
    return {
      id: guild.id,
      name: guild.name,
      icon: null,
      splash: null,
      discovery_splash: null,
      banner: null,
      description: null,
      owner_id: guild.ownerId,
      afk_channel_id: null,
      afk_timeout: 300,
      verification_level: GuildVerificationLevel.None,
      default_message_notifications: GuildDefaultMessageNotifications.OnlyMentions,
      explicit_content_filter: GuildExplicitContentFilter.Disabled,
      roles: [...guild.roles.values()],
      emojis: [],
      stickers: [],
      features: [],
      mfa_level: GuildMFALevel.None,
      application_id: null,
      system_channel_id: null,
      system_channel_flags: GuildSystemChannelFlags.SuppressJoinNotifications,
      rules_channel_id: null,
      vanity_url_code: null,
      premium_tier: GuildPremiumTier.None,
      premium_subscription_count: 0,
      preferred_locale: guild.locale,
      public_updates_channel_id: null,
      nsfw_level: GuildNSFWLevel.Default,
      premium_progress_bar_enabled: false,
      hub_type: null,
      safety_alerts_channel_id: null,
      incidents_data: null,
    };
  }

  function guildCreate(guild: GuildRecord): GatewayGuildCreateDispatchData {
    return {
      ...apiGuild(guild),
      joined_at: guild.joinedAt,
      large: false,
      unavailable: false,
      member_count: guild.members.size,
      voice_states: [...guild.voiceStates.values()].map((v) => apiVoiceState(guild, v)),
      members: [...guild.members.values()].map((m) => apiMember(m)),
      channels: [...guild.channels.values()].map(apiChannel),
      threads: [],
      presences: [],
      stage_instances: [],
      guild_scheduled_events: [],
      soundboard_sounds: [],
    };
  }

  /** The message as Discord returns it, with reactions counted and `me` from the bot's point of view. */
  function apiMessage(record: MessageRecord): APIMessage {
    const reactions: APIReaction[] = [...record.reactions.values()]
      .filter((r) => r.users.length > 0)
      .map((r) => ({
        emoji: { ...r.emoji },
        count: r.users.length,
        count_details: { burst: 0, normal: r.users.length },
        me: r.users.includes(botUserId),
        me_burst: false,
        burst_colors: [],
      }));
    const copy = structuredClone(record.message);
    return reactions.length > 0 ? { ...copy, reactions } : copy;
  }

  /** Messages of a channel's history (no ephemeral ones), oldest first. */
  function channelMessages(channelId: string): MessageRecord[] {
    return [...messages.values()]
      .filter((m) => m.message.channel_id === channelId && !m.ephemeral)
      .sort((a, b) => compareSnowflakes(a.message.id, b.message.id));
  }

  function toAttachments(
    channelId: string,
    files: readonly UploadedFile[],
    into: Map<string, UploadedFile>,
  ): APIAttachment[] {
    return files.map((file) => {
      const id = newSnowflake();
      into.set(id, file);
      const url = `${origin()}/attachments/${channelId}/${id}/${encodeURIComponent(file.name)}`;
      return { id, filename: file.name, size: file.data.length, url, proxy_url: url, content_type: file.contentType };
    });
  }

  interface MessageContent {
    content?: string | null | undefined;
    embeds?: unknown[] | null | undefined;
    components?: unknown[] | null | undefined;
    attachments?: { id: string | number }[] | null | undefined;
    flags?: number | null | undefined;
  }

  interface CreateMessage {
    channelId: string;
    authorId: string;
    body: MessageContent;
    files?: readonly UploadedFile[];
    flags?: number;
    extra?: Partial<APIMessage>;
  }

  /** A file attached to an interaction's attachment option: stored and given the URL Discord's CDN would serve it at. */
  function addUpload(channelId: string, spec: FakeAttachmentSpec): APIAttachment {
    const file = { field: 'attachment', name: spec.name, contentType: spec.contentType ?? 'text/csv', data: spec.data };
    const [attachment] = toAttachments(channelId, [file], uploads);
    if (!attachment) throw new Error('fake-discord: the upload made no attachment');
    return spec.size === undefined ? attachment : { ...attachment, size: spec.size };
  }

  function createMessage({
    channelId,
    authorId,
    body,
    files = [],
    flags = 0,
    extra = {},
  }: CreateMessage): MessageRecord {
    const found = findChannel(channelId);
    if (!found && !dmChannels.has(channelId)) throw new Error(`fake-discord: unknown channel ${channelId}`);
    const id = newSnowflake();
    const stored = new Map<string, UploadedFile>();
    const author = users.get(authorId) ?? apiUserFrom({ id: authorId });
    const message: APIMessage = {
      id,
      channel_id: channelId,
      author,
      content: body.content ?? '',
      timestamp: new Date().toISOString(),
      edited_timestamp: null,
      tts: false,
      mention_everyone: false,
      mentions: [],
      mention_roles: [],
      attachments: toAttachments(channelId, files, stored),
      // Shapes were checked against Discord's limits by validation.ts before reaching here.
      embeds: (body.embeds ?? []) as APIEmbed[],
      components: (body.components ?? []) as APIMessageTopLevelComponent[],
      pinned: false,
      type: 0,
      flags: flags | (body.flags ?? 0),
      ...extra,
    };
    const record: MessageRecord = {
      message,
      guildId: found?.guild.id ?? '',
      ephemeral: ((message.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
      files: stored,
      reactions: new Map(),
    };
    messages.set(id, record);
    return record;
  }

  function editMessage(record: MessageRecord, body: MessageContent, files: readonly UploadedFile[] = []): void {
    const m = record.message;
    if (body.content !== undefined) m.content = body.content ?? '';
    if (body.embeds !== undefined) m.embeds = (body.embeds ?? []) as APIEmbed[];
    if (body.components !== undefined) m.components = (body.components ?? []) as APIMessageTopLevelComponent[];
    if (body.attachments !== undefined || files.length > 0) {
      const keep = body.attachments ? new Set(body.attachments.map((a) => String(a.id))) : undefined;
      const kept = keep ? m.attachments.filter((a) => keep.has(a.id)) : m.attachments;
      for (const a of m.attachments) if (!kept.includes(a)) record.files.delete(a.id);
      m.attachments = [...kept, ...toAttachments(m.channel_id, files, record.files)];
    }
    // Editing settles a deferred "is thinking…" message.
    m.flags = (m.flags ?? 0) & ~MessageFlags.Loading;
    m.edited_timestamp = new Date().toISOString();
  }

  return {
    applicationId,
    bot,
    users,
    guilds,
    messages,
    commands,
    addUser,
    addMember,
    addGuild,
    removeGuild,
    setVoiceState,
    findChannel,
    permissionsOf,
    apiMember,
    apiChannel,
    apiVoiceState,
    apiGuild,
    guildCreate,
    apiMessage,
    channelMessages,
    createMessage,
    editMessage,
    uploads,
    addUpload,
    dmChannels,
    dmsClosed,
    openDm,
    apiDmChannel,
  };
}
