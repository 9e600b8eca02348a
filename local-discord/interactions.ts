import { randomBytes } from 'node:crypto';
import {
  ApplicationCommandOptionType,
  ApplicationCommandType,
  ApplicationIntegrationType,
  ComponentType,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  Locale,
} from 'discord-api-types/v10';
import type {
  APIApplicationCommand,
  APIApplicationCommandAutocompleteGuildInteraction,
  APIApplicationCommandInteractionDataBasicOption,
  APIApplicationCommandInteractionDataOption,
  APIApplicationCommandOption,
  APIApplicationCommandOptionChoice,
  APIChatInputApplicationCommandGuildInteraction,
  APIInteractionDataResolved,
  APIInteractionGuildMember,
  APIMessage,
  APIMessageComponentGuildInteraction,
} from 'discord-api-types/v10';
import type { DiscordErrorBody } from './errors.js';
import {
  newSnowflake,
  type ChannelRecord,
  type FakeAttachmentSpec,
  type FakeState,
  type GuildRecord,
  type UploadedFile,
} from './state.js';

/** One thing the bot did (or tried) for an interaction, in the order the fake received it. */
export interface InteractionEvent {
  kind: 'callback' | 'edit' | 'followup' | 'delete' | 'rejected';
  /** For `callback`: 4 reply, 5 deferred reply, 6 deferred update, 7 update, 8 autocomplete result, 9 modal. */
  callbackType?: InteractionResponseType;
  /** The JSON body (or multipart `payload_json`) as sent. */
  body: unknown;
  files: readonly UploadedFile[];
  /** The message as it stood right after this event (reply, deferred "thinking", update, edit, follow-up). */
  message?: APIMessage;
  /** For an autocomplete result. */
  choices?: readonly APIApplicationCommandOptionChoice[];
  /** For `rejected`: what Discord answered (late callback 10062, second acknowledgement 40060, bad body 50035…). */
  error?: DiscordErrorBody & { status: number };
  /** Milliseconds from the dispatch of INTERACTION_CREATE to this request. */
  elapsedMs: number;
}

export type MessageEvent = InteractionEvent & { message: APIMessage };
export type AutocompleteEvent = InteractionEvent & { choices: readonly APIApplicationCommandOptionChoice[] };

/** What each `waitFor` kind resolves with. */
export interface WaitKinds {
  /** Any interaction callback. */
  callback: InteractionEvent;
  /** Callback 4: a message reply. */
  reply: MessageEvent;
  /** Callback 5 or 6: deferred. */
  deferred: InteractionEvent;
  /** Callback 7: the component's message updated. */
  update: MessageEvent;
  /** Callback 8: autocomplete choices. */
  autocomplete: AutocompleteEvent;
  /** Callback 9: a modal. */
  modal: InteractionEvent;
  /** A PATCH of @original or of one of the interaction's messages through the webhook. */
  edit: MessageEvent;
  /** A follow-up message through the webhook. */
  followup: MessageEvent;
  /** The first thing the member can see: a reply, update, autocomplete result, modal, edit or follow-up. */
  answer: InteractionEvent;
}

export type WaitKind = keyof WaitKinds;

const MATCHERS: { [K in WaitKind]: (e: InteractionEvent) => boolean } = {
  callback: (e) => e.kind === 'callback',
  reply: (e) => e.kind === 'callback' && e.callbackType === InteractionResponseType.ChannelMessageWithSource,
  deferred: (e) =>
    e.kind === 'callback' &&
    (e.callbackType === InteractionResponseType.DeferredChannelMessageWithSource ||
      e.callbackType === InteractionResponseType.DeferredMessageUpdate),
  update: (e) => e.kind === 'callback' && e.callbackType === InteractionResponseType.UpdateMessage,
  autocomplete: (e) =>
    e.kind === 'callback' && e.callbackType === InteractionResponseType.ApplicationCommandAutocompleteResult,
  modal: (e) => e.kind === 'callback' && e.callbackType === InteractionResponseType.Modal,
  edit: (e) => e.kind === 'edit',
  followup: (e) => e.kind === 'followup',
  answer: (e) =>
    (e.kind === 'callback' &&
      e.callbackType !== InteractionResponseType.DeferredChannelMessageWithSource &&
      e.callbackType !== InteractionResponseType.DeferredMessageUpdate) ||
    e.kind === 'edit' ||
    e.kind === 'followup',
};

export type FakeInteraction =
  | APIChatInputApplicationCommandGuildInteraction
  | APIApplicationCommandAutocompleteGuildInteraction
  | APIMessageComponentGuildInteraction;

export interface InteractionRecord {
  id: string;
  token: string;
  type: InteractionType;
  /** `/watched add` or `button privacy:confirm`, for messages. */
  label: string;
  guildId: string;
  channelId: string;
  userId: string;
  payload: FakeInteraction;
  dispatchedAt: number;
  acknowledged: boolean;
  /** Target of `@original`: the reply, or for a component the message it sits on until the bot replies anew. */
  originalMessageId: string | undefined;
  messageIds: Set<string>;
  events: InteractionEvent[];
}

export interface InteractionHandle {
  readonly id: string;
  readonly token: string;
  /** The INTERACTION_CREATE payload the client received. */
  readonly payload: FakeInteraction;
  readonly events: readonly InteractionEvent[];
  readonly callbacks: readonly InteractionEvent[];
  readonly edits: readonly InteractionEvent[];
  readonly followups: readonly InteractionEvent[];
  /** The current state of `@original` (undefined before a reply or deferral). */
  readonly original: APIMessage | undefined;
  /** The latest autocomplete choices sent, if any. */
  readonly choices: readonly APIApplicationCommandOptionChoice[] | undefined;
  readonly acknowledged: boolean;
  /**
   * Resolves with the first event (already recorded or still to come) of that kind, or matching the predicate;
   * rejects after `timeoutMs` (default 5000) with what the bot did meanwhile.
   */
  waitFor<K extends WaitKind>(kind: K, timeoutMs?: number): Promise<WaitKinds[K]>;
  waitFor(predicate: (event: InteractionEvent) => boolean, timeoutMs?: number): Promise<InteractionEvent>;
}

export type Waiter = <T>(
  check: () => T | undefined | null | false,
  options: { timeoutMs?: number | undefined; describe: () => string },
) => Promise<T>;

export function describeEvents(record: InteractionRecord): string {
  if (record.events.length === 0) return 'the bot sent nothing for it';
  return `the bot did: ${record.events
    .map((e) => {
      const what = e.kind === 'callback' ? `callback type ${String(e.callbackType)}` : e.kind;
      const error = e.error ? ` (${String(e.error.status)} ${String(e.error.code)} ${e.error.message})` : '';
      return `${what}${error} at ${Math.round(e.elapsedMs)} ms`;
    })
    .join('; ')}`;
}

export function createHandle(
  record: InteractionRecord,
  state: FakeState,
  waitUntil: Waiter,
  context: () => string,
): InteractionHandle {
  function waitFor(
    what: WaitKind | ((event: InteractionEvent) => boolean),
    timeoutMs?: number,
  ): Promise<InteractionEvent> {
    const match = typeof what === 'function' ? what : MATCHERS[what];
    const wanted = typeof what === 'function' ? 'an event matching the predicate' : `'${what}'`;
    return waitUntil(() => record.events.find(match), {
      timeoutMs,
      describe: () => `${wanted} for interaction ${record.label} (${record.id}); ${describeEvents(record)}${context()}`,
    });
  }
  const handle = {
    id: record.id,
    token: record.token,
    payload: record.payload,
    get events() {
      return record.events;
    },
    get callbacks() {
      return record.events.filter((e) => e.kind === 'callback');
    },
    get edits() {
      return record.events.filter((e) => e.kind === 'edit');
    },
    get followups() {
      return record.events.filter((e) => e.kind === 'followup');
    },
    get original() {
      const message = record.originalMessageId ? state.messages.get(record.originalMessageId) : undefined;
      return message ? state.apiMessage(message) : undefined;
    },
    get choices() {
      return record.events.findLast((e) => e.choices !== undefined)?.choices;
    },
    get acknowledged() {
      return record.acknowledged;
    },
    waitFor,
  };
  // One implementation serves both overloads of waitFor; TypeScript cannot check overloads on object literals.
  return handle as InteractionHandle;
}

export type OptionValue = string | number | boolean;

/**
 * Option values by name (types come from the registered command when there is one, else from the JS value:
 * integer → Integer, other number → Number, boolean → Boolean, string → String), or raw options as Discord sends them.
 */
export type OptionsInput =
  Readonly<Record<string, OptionValue>> | readonly APIApplicationCommandInteractionDataBasicOption[];

export interface InteractionWhere {
  userId: string;
  channelId: string;
  /** Optional: derived from the channel. */
  guildId?: string;
  /** The member's client locale; defaults to en-US. */
  locale?: Locale;
}

export interface SlashSpec extends InteractionWhere {
  name: string;
  subcommandGroup?: string;
  subcommand?: string;
  options?: OptionsInput;
  /** Merged over what the fake resolves itself (users, members, channels and roles named by options). */
  resolved?: APIInteractionDataResolved;
  /**
   * Files for attachment options, by option name: each is served by the fake at the `url` the interaction carries
   * (as Discord's CDN serves it), and resolved in `data.resolved.attachments`.
   */
  attachments?: Readonly<Record<string, FakeAttachmentSpec>>;
}

export interface AutocompleteSpec extends SlashSpec {
  /** The option being typed; not needed when raw options carry `focused: true`. */
  focused?: string;
}

export interface ComponentSpec {
  userId: string;
  /** The message carrying the component (a reply, follow-up or channel message the fake knows). */
  messageId: string;
  customId: string;
  /** Optional: derived from the message, checked when given. */
  channelId?: string;
  guildId?: string;
  locale?: Locale;
}

export interface SelectSpec extends ComponentSpec {
  values: readonly string[];
}

interface Where {
  guild: GuildRecord;
  channel: ChannelRecord;
}

export function findCommand(state: FakeState, guildId: string, name: string): APIApplicationCommand | undefined {
  const isChatInput = (c: APIApplicationCommand): boolean =>
    c.type === ApplicationCommandType.ChatInput && c.name === name;
  return state.commands.guilds.get(guildId)?.find(isChatInput) ?? state.commands.global.find(isChatInput);
}

function inferType(value: OptionValue): ApplicationCommandOptionType {
  if (typeof value === 'boolean') return ApplicationCommandOptionType.Boolean;
  if (typeof value === 'number') {
    return Number.isInteger(value) ? ApplicationCommandOptionType.Integer : ApplicationCommandOptionType.Number;
  }
  return ApplicationCommandOptionType.String;
}

/** The options a command declares at the level where values sit (inside the subcommand, if any). */
function leafDefinitions(
  command: APIApplicationCommand | undefined,
  spec: SlashSpec,
): readonly APIApplicationCommandOption[] | undefined {
  if (!command) return undefined;
  let level: readonly APIApplicationCommandOption[] = command.options ?? [];
  for (const [name, type] of [
    [spec.subcommandGroup, ApplicationCommandOptionType.SubcommandGroup],
    [spec.subcommand, ApplicationCommandOptionType.Subcommand],
  ] as const) {
    if (name === undefined) continue;
    const found = level.find((o) => o.name === name && o.type === type);
    if (!found || !('options' in found)) {
      throw new Error(
        `fake-discord: the registered /${command.name} has no ${type === 1 ? 'subcommand' : 'group'} '${name}'`,
      );
    }
    level = found.options ?? [];
  }
  return level;
}

export function buildCommandOptions(
  state: FakeState,
  where: Where,
  command: APIApplicationCommand | undefined,
  spec: AutocompleteSpec,
): { options: APIApplicationCommandInteractionDataOption[]; resolved: APIInteractionDataResolved } {
  const resolved: Required<Pick<APIInteractionDataResolved, 'users' | 'members' | 'channels' | 'roles'>> = {
    users: {},
    members: {},
    channels: {},
    roles: {},
  };
  const definitions = leafDefinitions(command, spec);
  let leaf: APIApplicationCommandInteractionDataBasicOption[];
  if (Array.isArray(spec.options)) {
    leaf = [...(spec.options as readonly APIApplicationCommandInteractionDataBasicOption[])];
  } else {
    const values = (spec.options ?? {}) as Readonly<Record<string, OptionValue>>;
    leaf = Object.entries(values).map(([name, value]) => {
      const definition = definitions?.find((d) => d.name === name);
      if (definitions && !definition)
        throw new Error(`fake-discord: the registered /${spec.name} has no option '${name}'`);
      const type = definition?.type ?? inferType(value);
      const focused = spec.focused === name;
      // A focused value is what the member has typed so far: always text for a string option.
      const sent = focused && type === ApplicationCommandOptionType.String ? String(value) : value;
      return {
        name,
        type,
        value: sent,
        ...(focused ? { focused: true } : {}),
      } as APIApplicationCommandInteractionDataBasicOption;
    });
  }
  for (const option of leaf) resolveOption(state, where, spec.userId, option, resolved);
  const attachments: NonNullable<APIInteractionDataResolved['attachments']> = {};
  for (const [name, file] of Object.entries(spec.attachments ?? {})) {
    const definition = definitions?.find((d) => d.name === name);
    if (definitions && definition?.type !== ApplicationCommandOptionType.Attachment) {
      throw new Error(`fake-discord: the registered /${spec.name} has no attachment option '${name}'`);
    }
    const attachment = state.addUpload(where.channel.id, file);
    attachments[attachment.id] = attachment;
    leaf.push({ name, type: ApplicationCommandOptionType.Attachment, value: attachment.id });
  }

  let options: APIApplicationCommandInteractionDataOption[] = leaf;
  if (spec.subcommand !== undefined) {
    options = [{ type: ApplicationCommandOptionType.Subcommand, name: spec.subcommand, options: leaf }];
  }
  if (spec.subcommandGroup !== undefined) {
    if (spec.subcommand === undefined) throw new Error('fake-discord: a subcommand group needs a subcommand');
    options = [
      {
        type: ApplicationCommandOptionType.SubcommandGroup,
        name: spec.subcommandGroup,
        options: [{ type: ApplicationCommandOptionType.Subcommand, name: spec.subcommand, options: leaf }],
      },
    ];
  }
  return {
    options,
    resolved: {
      ...resolved,
      ...spec.resolved,
      users: { ...resolved.users, ...spec.resolved?.users },
      members: { ...resolved.members, ...spec.resolved?.members },
      channels: { ...resolved.channels, ...spec.resolved?.channels },
      roles: { ...resolved.roles, ...spec.resolved?.roles },
      ...(Object.keys(attachments).length > 0
        ? { attachments: { ...attachments, ...spec.resolved?.attachments } }
        : {}),
    },
  };
}

type ResolvedMaps = Required<Pick<APIInteractionDataResolved, 'users' | 'members' | 'channels' | 'roles'>>;

/** Fills `resolved` the way Discord does for user, mentionable, channel and role options. */
function resolveOption(
  state: FakeState,
  { guild, channel }: Where,
  invokerId: string,
  option: APIApplicationCommandInteractionDataBasicOption,
  resolved: ResolvedMaps,
): void {
  if (!('value' in option) || typeof option.value !== 'string' || ('focused' in option && option.focused)) return;
  const id = option.value;
  const isUser =
    option.type === ApplicationCommandOptionType.User ||
    (option.type === ApplicationCommandOptionType.Mentionable && !guild.roles.has(id));
  if (isUser) {
    // An id nobody knows still resolves to a user: only membership is what a crafted payload can get wrong.
    resolved.users[id] = state.users.get(id) ?? {
      id,
      username: `unknown${id.slice(-4)}`,
      discriminator: '0',
      global_name: null,
      avatar: null,
    };
    const member = guild.members.get(id);
    if (member) {
      const { user: _user, deaf: _deaf, mute: _mute, ...rest } = state.apiMember(member);
      resolved.members[id] = { ...rest, permissions: state.permissionsOf(guild, id, channel).toString() };
    }
  } else if (
    option.type === ApplicationCommandOptionType.Role ||
    option.type === ApplicationCommandOptionType.Mentionable
  ) {
    const role = guild.roles.get(id);
    if (role) resolved.roles[id] = role;
  } else if (option.type === ApplicationCommandOptionType.Channel) {
    const target = guild.channels.get(id);
    if (target) {
      resolved.channels[id] = {
        id,
        name: target.name,
        type: target.type,
        permissions: state.permissionsOf(guild, invokerId, target).toString(),
      };
    }
  }
}

export function newToken(id: string): string {
  return Buffer.from(`interaction:${id}:${randomBytes(32).toString('base64url')}`).toString('base64url');
}

/** Fields every guild interaction carries: member with permissions, app_permissions, locales, channel, context. */
export function baseInteraction(
  state: FakeState,
  { guild, channel }: Where,
  userId: string,
  locale: Locale | undefined,
) {
  const member = guild.members.get(userId);
  if (!member) {
    throw new Error(
      `fake-discord: user ${userId} is not a member of guild ${guild.id}; add them to the guild's members`,
    );
  }
  const id = newSnowflake();
  const apiMember: APIInteractionGuildMember = {
    ...state.apiMember(member),
    user: state.apiMember(member).user,
    permissions: state.permissionsOf(guild, userId, channel).toString(),
  };
  return {
    id,
    application_id: state.applicationId,
    token: newToken(id),
    version: 1 as const,
    guild_id: guild.id,
    guild: { id: guild.id, locale: guild.locale, features: [] },
    channel_id: channel.id,
    channel: state.apiChannel(channel),
    member: apiMember,
    app_permissions: state.permissionsOf(guild, state.bot.id, channel).toString(),
    locale: locale ?? Locale.EnglishUS,
    guild_locale: guild.locale,
    entitlements: [],
    authorizing_integration_owners: { [ApplicationIntegrationType.GuildInstall]: guild.id },
    context: InteractionContextType.Guild,
    // 10 MiB: 10 × 1024 × 1024.
    attachment_size_limit: 10_485_760,
  };
}

export function chatInputPayload(
  state: FakeState,
  where: Where,
  spec: SlashSpec,
): APIChatInputApplicationCommandGuildInteraction {
  const command = findCommand(state, where.guild.id, spec.name);
  const { options, resolved } = buildCommandOptions(state, where, command, spec);
  const hasResolved = Object.values(resolved).some(
    (map: object | undefined) => map !== undefined && Object.keys(map).length > 0,
  );
  return {
    ...baseInteraction(state, where, spec.userId, spec.locale),
    type: InteractionType.ApplicationCommand,
    data: {
      id: command?.id ?? newSnowflake(),
      name: spec.name,
      type: ApplicationCommandType.ChatInput,
      options,
      ...(hasResolved ? { resolved } : {}),
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
    },
  };
}

export function autocompletePayload(
  state: FakeState,
  where: Where,
  spec: AutocompleteSpec,
): APIApplicationCommandAutocompleteGuildInteraction {
  const command = findCommand(state, where.guild.id, spec.name);
  const { options } = buildCommandOptions(state, where, command, spec);
  const flat = JSON.stringify(options);
  if (!flat.includes('"focused":true')) {
    throw new Error(
      'fake-discord: an autocomplete needs a focused option (`focused: name`, or `focused: true` in raw options)',
    );
  }
  return {
    ...baseInteraction(state, where, spec.userId, spec.locale),
    type: InteractionType.ApplicationCommandAutocomplete,
    data: {
      id: command?.id ?? newSnowflake(),
      name: spec.name,
      type: ApplicationCommandType.ChatInput,
      options,
      ...(command?.guild_id ? { guild_id: command.guild_id } : {}),
    },
  };
}

export function componentPayload(
  state: FakeState,
  where: Where,
  message: APIMessage,
  spec: ComponentSpec & { values?: readonly string[] },
): APIMessageComponentGuildInteraction {
  const base = {
    ...baseInteraction(state, where, spec.userId, spec.locale),
    type: InteractionType.MessageComponent as const,
    message,
  };
  if (spec.values === undefined) {
    return { ...base, data: { custom_id: spec.customId, component_type: ComponentType.Button } };
  }
  return {
    ...base,
    data: { custom_id: spec.customId, component_type: ComponentType.StringSelect, values: [...spec.values] },
  };
}
