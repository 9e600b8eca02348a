/**
 * A fake Discord for end-to-end tests with the real discord.js Client (GUIDE §5.4): REST on `node:http`, the gateway
 * on `ws`, one process-local state that outlives clients (so a restarted bot sees old messages and reactions).
 *
 * ```ts
 * const fake = await startFakeDiscord({ guilds: [{ id: GUILD, channels: [{ id: TEXT }], members: [{ id: ALICE }] }] });
 * const client = await fake.login(createDiscordClient({ apiBase: fake.apiBase }));
 * client.on(Events.InteractionCreate, router);
 * const handle = fake.slash({ channelId: TEXT, userId: ALICE, name: 'rate', options: { movie: '603', stars: 4.5 } });
 * expect((await handle.waitFor('edit')).message.embeds[0]?.title).toBe('The Matrix (1999)');
 * await fake.close(); // destroys the clients it logged in
 * ```
 *
 * A slash command can carry files for its attachment options (`attachments: { file: { name, data } }`), served at the
 * URL the interaction names as Discord's CDN would; the bot's direct messages are kept per user (`directMessagesTo`).
 */
import { EventEmitter, once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { Events, type Client } from 'discord.js';
import { GatewayCloseCodes, GatewayDispatchEvents, GatewayIntentBits } from 'discord-api-types/v10';
import type {
  APIApplicationCommand,
  APIEmbed,
  APIGuildScheduledEvent,
  APIMessage,
  APIMessageTopLevelComponent,
  RESTPostAPIApplicationCommandsJSONBody,
} from 'discord-api-types/v10';
import {
  addReaction,
  removeReaction,
  voiceStateData,
  type FakeContext,
  type RecordedRequest,
  type RateLimitRule,
} from './context.js';
import { createGateway, type IdentifyRecord } from './gateway.js';
import {
  autocompletePayload,
  chatInputPayload,
  componentPayload,
  createHandle,
  type AutocompleteSpec,
  type ComponentSpec,
  type FakeInteraction,
  type InteractionHandle,
  type InteractionRecord,
  type SelectSpec,
  type SlashSpec,
  type Waiter,
} from './interactions.js';
import { createRestHandler, matchPattern, overwriteCommands } from './rest.js';
import { createScheduledEventStore } from './scheduled-events.js';
import {
  createFakeState,
  parseEmoji,
  type FakeGuildSpec,
  type FakeMemberSpec,
  type FakeUserSpec,
  type UploadedFile,
} from './state.js';

export type { RecordedRequest } from './context.js';
export {
  fakeFilms,
  startFakeTmdb,
  startLocalTmdb,
  type FakeFilm,
  type FakeTmdb,
  type FakeTmdbMode,
  type FakeTmdbOptions,
  type LocalTmdb,
  type LocalTmdbCatalogue,
  type LocalTmdbOptions,
  type TmdbFilm,
} from './tmdb.js';
export { catalogueTmdb, figureFilm, startCatalogueTmdb, type CatalogueTmdbOptions } from './catalogue-tmdb.js';
export {
  computeDemoFigures,
  type DemoFigures,
  type DemoRating,
  type FigureFilm,
  type FilmFigures,
} from './catalogue-figures.js';
export { shardOfGuild, type IdentifyRecord } from './gateway.js';
export type {
  AutocompleteEvent,
  AutocompleteSpec,
  ComponentSpec,
  InteractionEvent,
  InteractionHandle,
  MessageEvent,
  OptionsInput,
  SelectSpec,
  SlashSpec,
  WaitKind,
  WaitKinds,
} from './interactions.js';
export {
  DEFAULT_BOT_PERMISSIONS,
  DEFAULT_EVERYONE_PERMISSIONS,
  type PermissionInput,
  type PermissionName,
} from './permissions.js';
export {
  DEFAULT_OWNER_ID,
  type FakeAttachmentSpec,
  type FakeChannelSpec,
  type FakeGuildSpec,
  type FakeMemberSpec,
  type FakeRoleSpec,
  type FakeUserSpec,
  type FakeVoiceStateSpec,
  type UploadedFile,
} from './state.js';

export interface FakeDiscordOptions {
  applicationId?: string;
  /** Defaults to the application id, as for every bot created since 2022. */
  botUserId?: string;
  botUsername?: string;
  token?: string;
  guilds?: readonly FakeGuildSpec[];
  /** Users known to Discord but in none of the guilds (GET /users/:id works, GET member gives 10007). */
  users?: readonly FakeUserSpec[];
  /** Global commands registered before the bot starts: interactions then get option types from them. */
  commands?: readonly RESTPostAPIApplicationCommandsJSONBody[];
  /** Interaction callbacks later than this get 10062 Unknown interaction, as on Discord (3 s). */
  interactionDeadlineMs?: number;
  /** Milliseconds on a monotonic clock; tests inject one to pass the deadline without waiting. */
  now?: () => number;
  heartbeatIntervalMs?: number;
  /** Off: an IDENTIFY asking for GuildMembers, GuildPresences or MessageContent is closed with 4014. */
  allowPrivilegedIntents?: boolean;
  /** `shards` in `GET /gateway/bot`: what `SHARD_COUNT=auto` and `ShardingManager` with `'auto'` take. */
  recommendedShards?: number;
}

const DEFAULTS = {
  applicationId: '1100000000000000001',
  botUserId: '1100000000000000001',
  botUsername: 'Marquee',
  token: 'fake-bot-token.for-tests.only',
  guilds: [],
  users: [],
  commands: [],
  interactionDeadlineMs: 3_000,
  now: () => performance.now(),
  // Discord's usual interval; the client's first heartbeat waits a random part of it, so tests never wait on it.
  heartbeatIntervalMs: 41_250,
  allowPrivilegedIntents: false,
  recommendedShards: 1,
} as const satisfies Required<FakeDiscordOptions>;

export interface ReactionSpec {
  userId: string;
  messageId: string;
  /** Optional: derived from the message, checked when given. */
  channelId?: string;
  guildId?: string;
  /** A unicode emoji (`'👍'`) or a custom one as `name:id`. */
  emoji: string;
}

export interface VoiceStateSpec {
  guildId: string;
  userId: string;
  /** null: the member left voice. */
  channelId: string | null;
  selfMute?: boolean;
  selfDeaf?: boolean;
}

export interface CreateMessageSpec {
  channelId: string;
  /** A member of the channel's guild, or the bot. */
  authorId: string;
  content?: string;
  embeds?: APIEmbed[];
  components?: APIMessageTopLevelComponent[];
}

export interface RateLimitSpec {
  /** Any method when omitted. */
  method?: string;
  /** Matched against the decoded path without `/api/v10`: `'/channels/:id/messages'` (`:x` = any segment) or a RegExp. */
  path: string | RegExp;
  /** Default 0.1 s, so the retry is quick. */
  retryAfterSeconds?: number;
  /** How many matching requests get a 429; default 1. */
  times?: number;
  global?: boolean;
}

export interface RateLimitInjection {
  /** 429s served so far. */
  readonly hits: number;
  readonly remaining: number;
}

export interface WaitOptions {
  /** Default 5000. */
  timeoutMs?: number;
  /** Named in the timeout error. */
  description?: string;
}

export interface FakeDiscord {
  /** REST base without version, for `createDiscordClient({ apiBase })`: `http://127.0.0.1:PORT/api`. */
  readonly apiBase: string;
  readonly gatewayUrl: string;
  readonly token: string;
  readonly applicationId: string;
  readonly botUserId: string;

  /** Logs the client in with the fake's token and resolves once it is ready (guilds cached); `close()` destroys it. */
  login(client: Client): Promise<Client>;

  /** Dispatches a slash command (INTERACTION_CREATE type 2) and returns a handle on what the bot does with it. */
  slash(spec: SlashSpec): InteractionHandle;
  /** Dispatches an autocomplete (type 4); the answer is `handle.waitFor('autocomplete')` / `handle.choices`. */
  autocomplete(spec: AutocompleteSpec): InteractionHandle;
  /** A button click (type 3, component_type 2) on a message the fake knows. */
  button(spec: ComponentSpec): InteractionHandle;
  /** A string select (type 3, component_type 3) with the chosen values. */
  selectMenu(spec: SelectSpec): InteractionHandle;

  /** A member reacts: stored, then MESSAGE_REACTION_ADD (with member) is dispatched. */
  reactionAdd(spec: ReactionSpec): void;
  reactionRemove(spec: ReactionSpec): void;
  voiceStateUpdate(spec: VoiceStateSpec): void;
  /**
   * The bot joins a guild: GUILD_CREATE. With `announce: false` the guild exists (REST serves it, interactions
   * come from it) but the gateway never told the client, as when a GUILD_CREATE is late or lost.
   */
  addGuild(spec: FakeGuildSpec, options?: { announce?: boolean }): void;
  /** The bot is removed from a guild: GUILD_DELETE without `unavailable`. */
  removeGuild(guildId: string): void;
  /** Membership changes are state only (their events need the privileged GuildMembers intent). */
  addMember(guildId: string, member: FakeMemberSpec): void;
  removeMember(guildId: string, userId: string): void;
  /** A message already in a channel (e.g. posted before the bot restarted); no event is dispatched. */
  createMessage(spec: CreateMessageSpec): APIMessage;
  /** Registers commands as `PUT /applications/:app[/guilds/:guild]/commands` would. */
  registerCommands(
    commands: readonly RESTPostAPIApplicationCommandsJSONBody[],
    guildId?: string,
  ): APIApplicationCommand[];
  /** The next `times` matching REST calls get a 429 with the headers discord.js honours; later ones succeed. */
  inject429(spec: RateLimitSpec): RateLimitInjection;

  /** Every REST call, in order (429s and refusals included, with `status` and `error`). */
  readonly requests: readonly RecordedRequest[];
  /** Calls to routes the fake does not serve (404 `{ code: 0 }`). */
  readonly unhandledRequests: readonly RecordedRequest[];
  requestsTo(method: string, path: string | RegExp): RecordedRequest[];
  /** A channel's history as Discord would return it (no ephemeral messages), oldest first. */
  messagesIn(channelId: string): APIMessage[];
  /** The bot's direct messages to a user, oldest first (files through `filesOf`). */
  directMessagesTo(userId: string): APIMessage[];
  /** Any message by id, ephemeral ones included. */
  message(messageId: string): APIMessage | undefined;
  /** Files uploaded with a message (JSON export, …). */
  filesOf(messageId: string): UploadedFile[];
  /** emoji (`'👍'` or `name:id`) → user ids in the order they reacted. */
  reactionsOn(messageId: string): Record<string, string[]>;
  /** Registered commands: global without an argument. */
  commands(guildId?: string): APIApplicationCommand[];
  /** The guild's scheduled events (its Events list), as Discord returns them. */
  scheduledEvents(guildId: string): APIGuildScheduledEvent[];
  /** Accepted IDENTIFYs (intents and shard included), one per login or re-identify. */
  readonly identifies: readonly IdentifyRecord[];
  readonly openSessions: number;
  /**
   * Closes the gateway sessions of one shard (or all) with `code` (default 4000, after which a client reconnects, as
   * after a Discord outage); returns how many were closed.
   */
  closeSessions(options?: { shardId?: number; code?: number }): number;
  /** Until `resumeGateway`, new gateway connections get no HELLO: a client that reconnects stays not ready. */
  pauseGateway(): void;
  resumeGateway(): void;

  /** Resolves with the first truthy value of `check`, re-evaluated after every request and event and every 10 ms. */
  waitUntil<T>(check: () => T | undefined | null | false, options?: WaitOptions): Promise<T>;
  waitForRequest(method: string, path: string | RegExp, options?: WaitOptions): Promise<RecordedRequest>;

  /** Destroys the clients logged in through `login`, then stops the gateway and the HTTP server. */
  close(): Promise<void>;
}

function pathMatcher(path: string | RegExp): (candidate: string) => boolean {
  return typeof path === 'string'
    ? (candidate) => matchPattern(path, candidate) !== undefined
    : (candidate) => path.test(candidate);
}

/** Starts a fake Discord (REST + gateway) on a free loopback port. */
export async function startFakeDiscord(options: FakeDiscordOptions = {}): Promise<FakeDiscord> {
  const config = { ...DEFAULTS, ...options };
  const botUserId = options.botUserId ?? config.applicationId;
  let origin = '';
  const state = createFakeState({
    applicationId: config.applicationId,
    botUserId,
    botUsername: config.botUsername,
    origin: () => origin,
  });
  for (const user of config.users) state.addUser(user);
  for (const guild of config.guilds) state.addGuild(guild);
  if (config.commands.length > 0) overwriteCommands(state, state.commands.global, undefined, config.commands);

  const changes = new EventEmitter();
  changes.setMaxListeners(0);
  const changed = (): void => {
    changes.emit('change');
  };

  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  origin = `http://127.0.0.1:${String(port)}`;
  const gatewayUrl = `ws://127.0.0.1:${String(port)}`;

  const gateway = createGateway({
    server,
    state,
    token: config.token,
    url: () => gatewayUrl,
    heartbeatIntervalMs: config.heartbeatIntervalMs,
    allowPrivilegedIntents: config.allowPrivilegedIntents,
    changed,
  });
  const ctx: FakeContext = {
    state,
    token: config.token,
    interactionDeadlineMs: config.interactionDeadlineMs,
    recommendedShards: config.recommendedShards,
    now: config.now,
    origin: () => origin,
    dispatch: (event, data, intent) => gateway.dispatch(event, data, intent),
    interactions: new Map(),
    requests: [],
    rateLimits: [],
    scheduledEvents: createScheduledEventStore(),
    changed,
  };
  server.on('request', createRestHandler(ctx));

  const clients = new Set<Client>();

  /** What went wrong lately, appended to timeout errors so a failing test says why. */
  function recentTrouble(): string {
    const refused = ctx.requests.filter((r) => r.status >= 400).slice(-5);
    if (refused.length === 0) return '';
    const lines = refused.map((r) =>
      `${r.method} ${r.path} → ${String(r.status)} ${String(r.error?.code ?? '')} ${r.error?.message ?? ''}`.trim(),
    );
    return `; recent refused requests: ${lines.join(' | ')}`;
  }

  // Re-checked on every change of the fake and on a short poll, so conditions on the client's side work too.
  const waitUntil: Waiter = (check, { timeoutMs = 5_000, describe }) =>
    new Promise((resolve, reject) => {
      // Filled once the first attempt failed; cleanup may run before that.
      const timers: { timeout?: NodeJS.Timeout; poll?: NodeJS.Timeout } = {};
      const cleanup = (): void => {
        clearTimeout(timers.timeout);
        clearInterval(timers.poll);
        changes.off('change', attempt);
      };
      function attempt(): boolean {
        try {
          const value = check();
          if (value === undefined || value === null || value === false) return false;
          cleanup();
          resolve(value);
        } catch (error) {
          cleanup();
          reject(error instanceof Error ? error : new Error(String(error)));
        }
        return true;
      }
      if (attempt()) return;
      changes.on('change', attempt);
      timers.poll = setInterval(attempt, 10);
      timers.timeout = setTimeout(() => {
        cleanup();
        reject(new Error(`fake-discord: timed out after ${String(timeoutMs)} ms waiting for ${describe()}`));
      }, timeoutMs);
    });

  function where(channelId: string, guildId?: string) {
    const found = state.findChannel(channelId);
    if (!found) throw new Error(`fake-discord: unknown channel ${channelId}`);
    if (guildId !== undefined && found.guild.id !== guildId) {
      throw new Error(`fake-discord: channel ${channelId} belongs to guild ${found.guild.id}, not ${guildId}`);
    }
    return found;
  }

  function checkWhere(channelId: string, spec: { channelId?: string | undefined }): void {
    if (spec.channelId !== undefined && spec.channelId !== channelId) {
      throw new Error(`fake-discord: message is in channel ${channelId}, not ${spec.channelId}`);
    }
  }

  function start(
    payload: FakeInteraction,
    channelId: string,
    label: string,
    componentMessageId?: string,
  ): InteractionHandle {
    const record: InteractionRecord = {
      id: payload.id,
      token: payload.token,
      type: payload.type,
      label,
      guildId: payload.guild_id,
      channelId,
      userId: payload.member.user.id,
      payload,
      dispatchedAt: config.now(),
      acknowledged: false,
      originalMessageId: componentMessageId,
      messageIds: new Set(componentMessageId === undefined ? [] : [componentMessageId]),
      events: [],
    };
    ctx.interactions.set(record.id, record);
    if (gateway.dispatch(GatewayDispatchEvents.InteractionCreate, payload) === 0) {
      throw new Error(
        'fake-discord: no client is logged in to receive the interaction (await fake.login(client) first)',
      );
    }
    return createHandle(record, state, waitUntil, recentTrouble);
  }

  const commandLabel = (spec: SlashSpec): string =>
    `/${[spec.name, spec.subcommandGroup, spec.subcommand].filter((part) => part !== undefined).join(' ')}`;

  function component(spec: ComponentSpec & { values?: readonly string[] }, kind: string): InteractionHandle {
    const record = state.messages.get(spec.messageId);
    if (!record) throw new Error(`fake-discord: unknown message ${spec.messageId}`);
    checkWhere(record.message.channel_id, spec);
    const at = where(record.message.channel_id, spec.guildId);
    return start(
      componentPayload(state, at, state.apiMessage(record), spec),
      at.channel.id,
      `${kind} ${spec.customId}`,
      spec.messageId,
    );
  }

  function reactionTarget(spec: ReactionSpec) {
    const record = state.messages.get(spec.messageId);
    if (!record || record.ephemeral) throw new Error(`fake-discord: no channel message ${spec.messageId} to react to`);
    checkWhere(record.message.channel_id, spec);
    where(record.message.channel_id, spec.guildId);
    const guild = state.guilds.get(record.guildId);
    if (!guild?.members.has(spec.userId))
      throw new Error(`fake-discord: user ${spec.userId} is not a member of guild ${record.guildId}`);
    const emoji = parseEmoji(spec.emoji);
    if (!emoji) throw new Error(`fake-discord: '${spec.emoji}' is not an emoji Discord accepts`);
    return { record, emoji };
  }

  function guildOrThrow(guildId: string) {
    const guild = state.guilds.get(guildId);
    if (!guild) throw new Error(`fake-discord: unknown guild ${guildId}`);
    return guild;
  }

  return {
    apiBase: `${origin}/api`,
    gatewayUrl,
    token: config.token,
    applicationId: config.applicationId,
    botUserId,

    async login(client) {
      clients.add(client);
      const controller = new AbortController();
      try {
        await Promise.all([
          once(client, Events.ClientReady, { signal: controller.signal }),
          client.login(config.token),
        ]);
      } finally {
        controller.abort();
      }
      return client;
    },

    slash(spec) {
      return start(
        chatInputPayload(state, where(spec.channelId, spec.guildId), spec),
        spec.channelId,
        commandLabel(spec),
      );
    },
    autocomplete(spec) {
      return start(
        autocompletePayload(state, where(spec.channelId, spec.guildId), spec),
        spec.channelId,
        `${commandLabel(spec)} (autocomplete)`,
      );
    },
    button(spec) {
      return component(spec, 'button');
    },
    selectMenu(spec) {
      return component(spec, 'select');
    },

    reactionAdd(spec) {
      const { record, emoji } = reactionTarget(spec);
      addReaction(ctx, record, emoji.key, emoji.emoji, spec.userId);
      changed();
    },
    reactionRemove(spec) {
      const { record, emoji } = reactionTarget(spec);
      removeReaction(ctx, record, emoji.key, spec.userId);
      changed();
    },
    voiceStateUpdate(spec) {
      const guild = guildOrThrow(spec.guildId);
      state.setVoiceState(guild, spec.userId, spec.channelId, {
        ...(spec.selfMute === undefined ? {} : { selfMute: spec.selfMute }),
        ...(spec.selfDeaf === undefined ? {} : { selfDeaf: spec.selfDeaf }),
      });
      ctx.dispatch(
        GatewayDispatchEvents.VoiceStateUpdate,
        voiceStateData(ctx, guild, spec.userId),
        GatewayIntentBits.GuildVoiceStates,
      );
      changed();
    },
    addGuild(spec, { announce = true } = {}) {
      const guild = state.addGuild(spec);
      if (announce) ctx.dispatch(GatewayDispatchEvents.GuildCreate, state.guildCreate(guild), GatewayIntentBits.Guilds);
      changed();
    },
    removeGuild(guildId) {
      guildOrThrow(guildId);
      state.removeGuild(guildId);
      ctx.dispatch(GatewayDispatchEvents.GuildDelete, { id: guildId }, GatewayIntentBits.Guilds);
      changed();
    },
    addMember(guildId, member) {
      state.addMember(guildOrThrow(guildId), member);
      changed();
    },
    removeMember(guildId, userId) {
      const guild = guildOrThrow(guildId);
      guild.members.delete(userId);
      guild.voiceStates.delete(userId);
      changed();
    },
    createMessage(spec) {
      const { guild } = where(spec.channelId);
      if (!guild.members.has(spec.authorId))
        throw new Error(`fake-discord: ${spec.authorId} is not a member of guild ${guild.id}`);
      const record = state.createMessage({
        channelId: spec.channelId,
        authorId: spec.authorId,
        body: {
          content: spec.content ?? '',
          ...(spec.embeds ? { embeds: spec.embeds } : {}),
          ...(spec.components ? { components: spec.components } : {}),
        },
      });
      changed();
      return state.apiMessage(record);
    },
    registerCommands(commands, guildId) {
      if (guildId === undefined) return overwriteCommands(state, state.commands.global, undefined, commands);
      guildOrThrow(guildId);
      const scope = state.commands.guilds.get(guildId) ?? [];
      state.commands.guilds.set(guildId, scope);
      return overwriteCommands(state, scope, guildId, commands);
    },
    inject429(spec) {
      const rule: RateLimitRule = {
        method: spec.method?.toUpperCase(),
        matches: pathMatcher(spec.path),
        retryAfterSeconds: spec.retryAfterSeconds ?? 0.1,
        global: spec.global ?? false,
        remaining: spec.times ?? 1,
        hits: 0,
      };
      ctx.rateLimits.push(rule);
      return {
        get hits() {
          return rule.hits;
        },
        get remaining() {
          return rule.remaining;
        },
      };
    },

    get requests() {
      return ctx.requests;
    },
    get unhandledRequests() {
      return ctx.requests.filter((r) => r.status === 404 && r.error?.code === 0);
    },
    requestsTo(method, path) {
      const matches = pathMatcher(path);
      return ctx.requests.filter((r) => r.method === method.toUpperCase() && matches(r.path));
    },
    messagesIn(channelId) {
      return state.channelMessages(channelId).map(state.apiMessage);
    },
    directMessagesTo(userId) {
      const dm = [...state.dmChannels.values()].find((channel) => channel.userId === userId);
      return dm ? state.channelMessages(dm.id).map(state.apiMessage) : [];
    },
    message(messageId) {
      const record = state.messages.get(messageId);
      return record ? state.apiMessage(record) : undefined;
    },
    filesOf(messageId) {
      return [...(state.messages.get(messageId)?.files.values() ?? [])];
    },
    reactionsOn(messageId) {
      const record = state.messages.get(messageId);
      if (!record) throw new Error(`fake-discord: unknown message ${messageId}`);
      return Object.fromEntries([...record.reactions].map(([key, reaction]) => [key, [...reaction.users]]));
    },
    commands(guildId) {
      return [...(guildId === undefined ? state.commands.global : (state.commands.guilds.get(guildId) ?? []))];
    },
    scheduledEvents(guildId) {
      return [...(ctx.scheduledEvents.get(guildId)?.values() ?? [])].map((event) => structuredClone(event));
    },
    get identifies() {
      return gateway.identifies;
    },
    get openSessions() {
      return gateway.openSessions;
    },
    closeSessions({ shardId, code = GatewayCloseCodes.UnknownError } = {}) {
      const closed = gateway.closeSessions({ code, ...(shardId === undefined ? {} : { shardId }) });
      changed();
      return closed;
    },
    pauseGateway() {
      gateway.pause();
    },
    resumeGateway() {
      gateway.resume();
    },

    waitUntil(check, waitOptions = {}) {
      return waitUntil(check, {
        timeoutMs: waitOptions.timeoutMs,
        describe: () => `${waitOptions.description ?? 'a condition'}${recentTrouble()}`,
      });
    },
    waitForRequest(method, path, waitOptions = {}) {
      const matches = pathMatcher(path);
      const wanted = method.toUpperCase();
      return waitUntil(() => ctx.requests.find((r) => r.method === wanted && r.status !== 0 && matches(r.path)), {
        timeoutMs: waitOptions.timeoutMs,
        describe: () => `${waitOptions.description ?? `${wanted} ${String(path)}`}${recentTrouble()}`,
      });
    },

    async close() {
      for (const client of clients) await client.destroy();
      clients.clear();
      await gateway.close();
      server.closeAllConnections();
      await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
    },
  };
}
