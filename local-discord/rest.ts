import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import {
  ApplicationCommandType,
  ApplicationIntegrationType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  InteractionContextType,
  InteractionResponseType,
  InteractionType,
  MessageFlags,
  MessageType,
  PermissionFlagsBits,
} from 'discord-api-types/v10';
import type {
  APIApplicationCommand,
  APIMessageInteractionMetadata,
  RESTPostAPIInteractionCallbackWithResponseResult,
} from 'discord-api-types/v10';
import { addReaction, removeReaction, type FakeContext, type RecordedRequest } from './context.js';
import {
  RestError,
  alreadyAcknowledged,
  cannotMessageUser,
  invalidFormBody,
  invalidJson,
  missingAccess,
  missingPermissions,
  notAuthor,
  unknown,
  type FieldIssue,
} from './errors.js';
import type { InteractionEvent, InteractionRecord } from './interactions.js';
import { hasAll } from './permissions.js';
import { scheduledEventRoutes } from './scheduled-events.js';
import { compareSnowflakes, newSnowflake, parseEmoji, type MessageRecord, type UploadedFile } from './state.js';
import {
  checkAutocompleteData,
  checkCommand,
  checkCommands,
  checkMessage,
  type CommandInput,
  type MessageBody,
} from './validation.js';

interface RouteRequest {
  params: Record<string, string>;
  query: URLSearchParams;
  body: unknown;
  files: UploadedFile[];
}

type RouteResult = { status: 200 | 201; json: unknown } | { status: 204 };

interface Route {
  method: string;
  pattern: string;
  /** Bot token required (interaction callbacks and webhooks authenticate by their token instead). */
  auth: boolean;
  handle: (request: RouteRequest) => RouteResult | Promise<RouteResult>;
}

const ok = (json: unknown): RouteResult => ({ status: 200, json });
const noContent = (): RouteResult => ({ status: 204 });

/** Matches `/channels/:id/messages` style patterns against a decoded path (also used for 429 injection). */
export function matchPattern(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/');
  const got = path.split('/');
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (let i = 0; i < want.length; i += 1) {
    const w = want[i] ?? '';
    const g = got[i] ?? '';
    if (w.startsWith(':')) params[w.slice(1)] = g;
    else if (w !== g) return undefined;
  }
  return params;
}

async function readBody(request: IncomingMessage): Promise<{ body: unknown; files: UploadedFile[] }> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  const raw = Buffer.concat(chunks);
  if (raw.length === 0) return { body: undefined, files: [] };
  const contentType = request.headers['content-type'] ?? '';
  if (contentType.startsWith('multipart/form-data')) {
    // undici's own multipart parser (what fetch uses), not a hand-rolled one.
    const form = await new Response(raw, { headers: { 'content-type': contentType } }).formData();
    const files: UploadedFile[] = [];
    const fields: Record<string, unknown> = {};
    let body: unknown;
    for (const [field, value] of form) {
      if (typeof value !== 'string') {
        files.push({
          field,
          name: value.name,
          contentType: value.type || 'application/octet-stream',
          data: Buffer.from(await value.arrayBuffer()),
        });
      } else if (field === 'payload_json') {
        body = parseJson(value);
      } else {
        fields[field] = value;
      }
    }
    return { body: body ?? fields, files };
  }
  return { body: parseJson(raw.toString('utf8')), files: [] };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw invalidJson();
  }
}

const callbackSchema = z.looseObject({ type: z.number().int(), data: z.record(z.string(), z.unknown()).optional() });

const ALLOWED_CALLBACKS: Record<number, readonly InteractionResponseType[]> = {
  [InteractionType.ApplicationCommand]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.Modal,
  ],
  [InteractionType.MessageComponent]: [
    InteractionResponseType.ChannelMessageWithSource,
    InteractionResponseType.DeferredChannelMessageWithSource,
    InteractionResponseType.DeferredMessageUpdate,
    InteractionResponseType.UpdateMessage,
    InteractionResponseType.Modal,
  ],
  [InteractionType.ApplicationCommandAutocomplete]: [InteractionResponseType.ApplicationCommandAutocompleteResult],
};

export function createRestHandler(ctx: FakeContext): (request: IncomingMessage, response: ServerResponse) => void {
  const { state } = ctx;
  const botId = state.bot.id;

  // ---- helpers ---------------------------------------------------------------------------------------------

  function channelOrThrow(channelId: string) {
    const found = state.findChannel(channelId);
    if (!found) throw unknown.channel();
    return found;
  }

  /** Discord's checks for the bot in a channel: no View Channel → 50001, anything else missing → 50013. */
  function requireBot(channelId: string, required: bigint) {
    const found = channelOrThrow(channelId);
    const bits = state.permissionsOf(found.guild, botId, found.channel);
    if (!hasAll(bits, PermissionFlagsBits.ViewChannel)) throw missingAccess();
    if (!hasAll(bits, required)) throw missingPermissions();
    return found;
  }

  function channelMessage(channelId: string, messageId: string): MessageRecord {
    const record = state.messages.get(messageId);
    if (!record || record.ephemeral || record.message.channel_id !== channelId) throw unknown.message();
    return record;
  }

  function interactionMetadata(record: InteractionRecord): APIMessageInteractionMetadata {
    const user = state.users.get(record.userId) ?? state.bot;
    const owners = { [ApplicationIntegrationType.GuildInstall]: record.guildId };
    if (record.type === InteractionType.MessageComponent) {
      return {
        id: record.id,
        type: InteractionType.MessageComponent,
        user,
        authorizing_integration_owners: owners,
        interacted_message_id:
          record.payload.type === InteractionType.MessageComponent ? record.payload.message.id : '',
      };
    }
    return { id: record.id, type: InteractionType.ApplicationCommand, user, authorizing_integration_owners: owners };
  }

  function interactionMessage(record: InteractionRecord, body: MessageBody, files: UploadedFile[], flags = 0) {
    const created = state.createMessage({
      channelId: record.channelId,
      authorId: botId,
      body,
      files,
      flags,
      extra: {
        webhook_id: state.applicationId,
        application_id: state.applicationId,
        type: record.type === InteractionType.ApplicationCommand ? MessageType.ChatInputCommand : MessageType.Default,
        interaction_metadata: interactionMetadata(record),
      },
    });
    record.messageIds.add(created.message.id);
    return created;
  }

  function pushEvent(record: InteractionRecord, event: Omit<InteractionEvent, 'elapsedMs'>): void {
    record.events.push({ ...event, elapsedMs: ctx.now() - record.dispatchedAt });
  }

  function interactionByWebhook(appId: string, token: string): InteractionRecord {
    if (appId !== state.applicationId) throw unknown.webhook();
    const record = [...ctx.interactions.values()].find((r) => r.token === token);
    if (!record) throw unknown.webhook();
    return record;
  }

  function webhookTarget(record: InteractionRecord, messageId: string): MessageRecord {
    const id = messageId === '@original' ? record.originalMessageId : messageId;
    const message = id !== undefined && record.messageIds.has(id) ? state.messages.get(id) : undefined;
    if (!message) throw unknown.message();
    return message;
  }

  function commandScope(appId: string, guildId: string | undefined): APIApplicationCommand[] {
    if (appId !== state.applicationId) throw unknown.application();
    if (guildId === undefined) return state.commands.global;
    if (!state.guilds.has(guildId)) throw missingAccess();
    const scope = state.commands.guilds.get(guildId) ?? [];
    state.commands.guilds.set(guildId, scope);
    return scope;
  }

  function replaceCommands(appId: string, guildId: string | undefined, body: unknown): RouteResult {
    return ok(overwriteCommands(state, commandScope(appId, guildId), guildId, body));
  }

  function upsertCommand(appId: string, guildId: string | undefined, body: unknown): RouteResult {
    const scope = commandScope(appId, guildId);
    const issues: FieldIssue[] = [];
    const input = checkCommand(body, [], issues);
    if (!input || issues.length > 0) throw invalidFormBody(issues);
    const command = toCommand(state, scope, input, guildId);
    const index = scope.findIndex((c) => c.id === command.id);
    if (index >= 0) scope[index] = command;
    else scope.push(command);
    return { status: index >= 0 ? 200 : 201, json: command };
  }

  function deleteCommand(appId: string, guildId: string | undefined, commandId: string): RouteResult {
    const scope = commandScope(appId, guildId);
    const index = scope.findIndex((c) => c.id === commandId);
    if (index < 0) throw unknown.command();
    scope.splice(index, 1);
    return noContent();
  }

  // ---- routes ----------------------------------------------------------------------------------------------

  const routes: Route[] = [];
  const route = (method: string, pattern: string, handle: Route['handle'], auth = true): void => {
    routes.push({ method, pattern, auth, handle });
  };

  route('GET', '/gateway', () => ok({ url: ctx.origin().replace(/^http/, 'ws') }));
  route('GET', '/gateway/bot', () =>
    ok({
      url: ctx.origin().replace(/^http/, 'ws'),
      shards: ctx.recommendedShards,
      // 14_400_000 ms = 4 h, Discord's usual reset window.
      session_start_limit: { total: 1_000, remaining: 999, reset_after: 14_400_000, max_concurrency: 1 },
    }),
  );

  route('GET', '/users/@me', () => ok(state.bot));
  route('GET', '/users/:userId', ({ params }) =>
    ok(state.users.get(params['userId'] ?? '') ?? throwIt(unknown.user())),
  );
  route('DELETE', '/users/@me/guilds/:guildId', ({ params }) => {
    const guild = state.removeGuild(params['guildId'] ?? '');
    if (!guild) throw unknown.guild();
    ctx.dispatch(GatewayDispatchEvents.GuildDelete, { id: guild.id }, GatewayIntentBits.Guilds);
    return noContent();
  });
  const application = () =>
    ok({
      id: state.applicationId,
      name: state.bot.username,
      description: '',
      icon: null,
      bot_public: true,
      flags: 0,
      bot: state.bot,
    });
  route('GET', '/applications/@me', application);
  route('GET', '/oauth2/applications/@me', application);

  const guildOf = (guildId: string | undefined) => state.guilds.get(guildId ?? '') ?? throwIt(unknown.guild());
  route('GET', '/guilds/:guildId', ({ params }) => ok(state.apiGuild(guildOf(params['guildId']))));
  route('GET', '/guilds/:guildId/channels', ({ params }) =>
    ok([...guildOf(params['guildId']).channels.values()].map(state.apiChannel)),
  );
  route('GET', '/guilds/:guildId/roles', ({ params }) => ok([...guildOf(params['guildId']).roles.values()]));
  route('GET', '/guilds/:guildId/members/:userId', ({ params }) => {
    const member = guildOf(params['guildId']).members.get(params['userId'] ?? '');
    if (!member) throw unknown.member();
    return ok(state.apiMember(member));
  });
  route('GET', '/guilds/:guildId/voice-states/:userId', ({ params }) => {
    const guild = guildOf(params['guildId']);
    const voice = guild.voiceStates.get(params['userId'] ?? '');
    if (!voice) throw new RestError(404, { code: 10_065, message: 'Unknown Voice State' });
    return ok(state.apiVoiceState(guild, voice));
  });

  route('GET', '/channels/:channelId', ({ params }) => {
    const { channel } = requireBot(params['channelId'] ?? '', 0n);
    return ok(state.apiChannel(channel));
  });
  route('POST', '/channels/:channelId/typing', ({ params }) => {
    requireBot(params['channelId'] ?? '', PermissionFlagsBits.SendMessages);
    return noContent();
  });
  route('GET', '/channels/:channelId/messages', ({ params, query }) => {
    const channelId = params['channelId'] ?? '';
    requireBot(channelId, PermissionFlagsBits.ReadMessageHistory);
    const limit = Math.min(Math.max(Number(query.get('limit') ?? 50), 1), 100);
    let list = state.channelMessages(channelId);
    const before = query.get('before');
    const after = query.get('after');
    if (before) list = list.filter((m) => compareSnowflakes(m.message.id, before) < 0);
    if (after) list = list.filter((m) => compareSnowflakes(m.message.id, after) > 0).slice(0, limit);
    // Discord returns the newest first.
    return ok(list.slice(-limit).reverse().map(state.apiMessage));
  });
  route('POST', '/users/@me/channels', ({ body }) => {
    const recipient = z.object({ recipient_id: z.string() }).safeParse(body);
    const user = recipient.success ? state.users.get(recipient.data.recipient_id) : undefined;
    if (!user)
      throw invalidFormBody([{ path: ['recipient_id'], code: 'INVALID_RECIPIENT', message: 'Invalid Recipient(s)' }]);
    return ok(state.apiDmChannel(state.openDm(user.id)));
  });
  route('POST', '/channels/:channelId/messages', ({ params, body, files }) => {
    const channelId = params['channelId'] ?? '';
    const dm = state.dmChannels.get(channelId);
    if (dm) {
      if (state.dmsClosed.has(dm.userId)) throw cannotMessageUser();
      const data = checkMessage(body, { create: true, fileCount: files.length });
      const record = state.createMessage({ channelId, authorId: botId, body: data, files });
      return ok(state.apiMessage(record));
    }
    requireBot(channelId, PermissionFlagsBits.SendMessages | (files.length > 0 ? PermissionFlagsBits.AttachFiles : 0n));
    const data = checkMessage(body, { create: true, fileCount: files.length });
    // Only these flags may be set by a bot on a channel message.
    const flags =
      (data.flags ?? 0) &
      (MessageFlags.SuppressEmbeds | MessageFlags.SuppressNotifications | MessageFlags.IsComponentsV2);
    const record = state.createMessage({ channelId, authorId: botId, body: { ...data, flags }, files });
    return ok(state.apiMessage(record));
  });
  route('GET', '/channels/:channelId/messages/:messageId', ({ params }) => {
    requireBot(params['channelId'] ?? '', PermissionFlagsBits.ReadMessageHistory);
    return ok(state.apiMessage(channelMessage(params['channelId'] ?? '', params['messageId'] ?? '')));
  });
  route('PATCH', '/channels/:channelId/messages/:messageId', ({ params, body, files }) => {
    requireBot(params['channelId'] ?? '', 0n);
    const record = channelMessage(params['channelId'] ?? '', params['messageId'] ?? '');
    if (record.message.author.id !== botId) throw notAuthor();
    state.editMessage(record, checkMessage(body, { create: false, fileCount: files.length }), files);
    return ok(state.apiMessage(record));
  });
  route('DELETE', '/channels/:channelId/messages/:messageId', ({ params }) => {
    const channelId = params['channelId'] ?? '';
    const record = channelMessage(channelId, params['messageId'] ?? '');
    requireBot(channelId, record.message.author.id === botId ? 0n : PermissionFlagsBits.ManageMessages);
    state.messages.delete(record.message.id);
    return noContent();
  });

  const reactionTarget = (params: Record<string, string>) => {
    const channelId = params['channelId'] ?? '';
    const record = channelMessage(channelId, params['messageId'] ?? '');
    const emoji = parseEmoji(params['emoji'] ?? '');
    if (!emoji) throw unknown.emoji();
    return { channelId, record, emoji };
  };
  route('PUT', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', ({ params }) => {
    const { channelId, record, emoji } = reactionTarget(params);
    requireBot(channelId, PermissionFlagsBits.ReadMessageHistory);
    const existing = record.reactions.get(emoji.key);
    // The first reaction with an emoji needs Add Reactions; joining an existing one needs only Read Message History.
    if (!existing || existing.users.length === 0) {
      if (emoji.emoji.id !== null) throw unknown.emoji();
      requireBot(channelId, PermissionFlagsBits.AddReactions);
    }
    addReaction(ctx, record, emoji.key, emoji.emoji, botId);
    return noContent();
  });
  route('DELETE', '/channels/:channelId/messages/:messageId/reactions/:emoji/@me', ({ params }) => {
    const { channelId, record, emoji } = reactionTarget(params);
    requireBot(channelId, 0n);
    removeReaction(ctx, record, emoji.key, botId);
    return noContent();
  });
  route('DELETE', '/channels/:channelId/messages/:messageId/reactions/:emoji/:userId', ({ params }) => {
    const { channelId, record, emoji } = reactionTarget(params);
    requireBot(channelId, params['userId'] === botId ? 0n : PermissionFlagsBits.ManageMessages);
    removeReaction(ctx, record, emoji.key, params['userId'] ?? '');
    return noContent();
  });
  route('GET', '/channels/:channelId/messages/:messageId/reactions/:emoji', ({ params, query }) => {
    const { channelId, record, emoji } = reactionTarget(params);
    requireBot(channelId, PermissionFlagsBits.ReadMessageHistory);
    const limit = Math.min(Math.max(Number(query.get('limit') ?? 25), 1), 100);
    const after = query.get('after');
    const users = [...(record.reactions.get(emoji.key)?.users ?? [])]
      .sort(compareSnowflakes)
      .filter((id) => !after || compareSnowflakes(id, after) > 0)
      .slice(0, limit)
      .map(
        (id) =>
          state.users.get(id) ?? {
            id,
            username: `user${id.slice(-4)}`,
            discriminator: '0',
            global_name: null,
            avatar: null,
          },
      );
    return ok(users);
  });
  route('DELETE', '/channels/:channelId/messages/:messageId/reactions', ({ params }) => {
    const channelId = params['channelId'] ?? '';
    const record = channelMessage(channelId, params['messageId'] ?? '');
    requireBot(channelId, PermissionFlagsBits.ManageMessages);
    record.reactions.clear();
    ctx.dispatch(
      GatewayDispatchEvents.MessageReactionRemoveAll,
      { channel_id: channelId, message_id: record.message.id, guild_id: record.guildId },
      GatewayIntentBits.GuildMessageReactions,
    );
    return noContent();
  });

  // Interaction callback: authenticated by the interaction token, answered within the deadline, once.
  route(
    'POST',
    '/interactions/:interactionId/:token/callback',
    ({ params, query, body, files }) => {
      const record = ctx.interactions.get(params['interactionId'] ?? '');
      if (!record || record.token !== params['token']) throw unknown.interaction();
      const reject = (error: RestError): never => {
        pushEvent(record, { kind: 'rejected', body, files, error: { ...error.body, status: error.status } });
        throw error;
      };
      if (ctx.now() - record.dispatchedAt > ctx.interactionDeadlineMs) reject(unknown.interaction());
      if (record.acknowledged) reject(alreadyAcknowledged());
      const parsed = callbackSchema.safeParse(body);
      if (!parsed.success)
        return reject(
          invalidFormBody([{ path: ['type'], code: 'BASE_TYPE_REQUIRED', message: 'This field is required' }]),
        );
      const { type } = parsed.data;
      const data = parsed.data.data ?? {};
      if (!(ALLOWED_CALLBACKS[record.type] ?? []).includes(type)) {
        reject(
          invalidFormBody([
            {
              path: ['type'],
              code: 'INTERACTION_RESPONSE_TYPE_INVALID',
              message: `Callback type ${String(type)} is not valid for this interaction`,
            },
          ]),
        );
      }
      let message: MessageRecord | undefined;
      let choices: InteractionEvent['choices'];
      try {
        switch (type) {
          case InteractionResponseType.ChannelMessageWithSource: {
            message = interactionMessage(
              record,
              checkMessage(data, { path: ['data'], create: true, fileCount: files.length }),
              files,
            );
            record.originalMessageId = message.message.id;
            break;
          }
          case InteractionResponseType.DeferredChannelMessageWithSource: {
            const ephemeral = Number(data['flags'] ?? 0) & MessageFlags.Ephemeral;
            message = interactionMessage(record, {}, [], MessageFlags.Loading | ephemeral);
            record.originalMessageId = message.message.id;
            break;
          }
          case InteractionResponseType.UpdateMessage: {
            const edit = checkMessage(data, { path: ['data'], create: false, fileCount: files.length });
            message = webhookTarget(record, '@original');
            state.editMessage(message, edit, files);
            break;
          }
          case InteractionResponseType.ApplicationCommandAutocompleteResult: {
            checkAutocompleteData(data);
            choices = z
              .array(z.object({ name: z.string(), value: z.union([z.string(), z.number()]) }).loose())
              .parse(data['choices']);
            break;
          }
          default:
            break;
        }
      } catch (error) {
        if (error instanceof RestError) reject(error);
        throw error;
      }
      record.acknowledged = true;
      const snapshot = message ? state.apiMessage(message) : undefined;
      pushEvent(record, {
        kind: 'callback',
        callbackType: type,
        body,
        files,
        ...(snapshot ? { message: snapshot } : {}),
        ...(choices ? { choices } : {}),
      });
      if (query.get('with_response') !== 'true') return noContent();
      const result: RESTPostAPIInteractionCallbackWithResponseResult = {
        interaction: {
          id: record.id,
          type: record.type,
          ...(snapshot
            ? {
                response_message_id: snapshot.id,
                response_message_loading: ((snapshot.flags ?? 0) & MessageFlags.Loading) !== 0,
                response_message_ephemeral: ((snapshot.flags ?? 0) & MessageFlags.Ephemeral) !== 0,
              }
            : {}),
        },
        resource: {
          type,
          ...(snapshot &&
          (type === InteractionResponseType.ChannelMessageWithSource || type === InteractionResponseType.UpdateMessage)
            ? { message: snapshot }
            : {}),
        },
      };
      return ok(result);
    },
    false,
  );

  /** Runs a webhook route for an interaction; a refusal is also recorded on its handle. */
  function viaWebhook(
    params: Record<string, string>,
    body: unknown,
    files: UploadedFile[],
    run: (record: InteractionRecord) => RouteResult,
  ): RouteResult {
    const record = interactionByWebhook(params['appId'] ?? '', params['token'] ?? '');
    try {
      return run(record);
    } catch (error) {
      if (error instanceof RestError)
        pushEvent(record, { kind: 'rejected', body, files, error: { ...error.body, status: error.status } });
      throw error;
    }
  }

  route(
    'POST',
    '/webhooks/:appId/:token',
    ({ params, query, body, files }) =>
      viaWebhook(params, body, files, (record) => {
        // A follow-up before the interaction was acknowledged has no webhook to go through yet.
        if (!record.acknowledged) throw unknown.webhook();
        const data = checkMessage(body, { create: true, fileCount: files.length });
        const message = interactionMessage(record, data, files, (data.flags ?? 0) & MessageFlags.Ephemeral);
        const snapshot = state.apiMessage(message);
        pushEvent(record, { kind: 'followup', body, files, message: snapshot });
        return query.get('wait') === 'true' ? ok(snapshot) : noContent();
      }),
    false,
  );
  route(
    'GET',
    '/webhooks/:appId/:token/messages/:messageId',
    ({ params, body, files }) =>
      viaWebhook(params, body, files, (record) =>
        ok(state.apiMessage(webhookTarget(record, params['messageId'] ?? ''))),
      ),
    false,
  );
  route(
    'PATCH',
    '/webhooks/:appId/:token/messages/:messageId',
    ({ params, body, files }) =>
      viaWebhook(params, body, files, (record) => {
        const message = webhookTarget(record, params['messageId'] ?? '');
        state.editMessage(message, checkMessage(body, { create: false, fileCount: files.length }), files);
        const snapshot = state.apiMessage(message);
        pushEvent(record, { kind: 'edit', body, files, message: snapshot });
        return ok(snapshot);
      }),
    false,
  );
  route(
    'DELETE',
    '/webhooks/:appId/:token/messages/:messageId',
    ({ params, body, files }) =>
      viaWebhook(params, body, files, (record) => {
        const message = webhookTarget(record, params['messageId'] ?? '');
        state.messages.delete(message.message.id);
        pushEvent(record, { kind: 'delete', body: undefined, files: [], message: state.apiMessage(message) });
        return noContent();
      }),
    false,
  );

  scheduledEventRoutes(ctx, route);

  for (const [prefix, guildParam] of [
    ['/applications/:appId/commands', false],
    ['/applications/:appId/guilds/:guildId/commands', true],
  ] as const) {
    const guildId = (params: Record<string, string>) => (guildParam ? (params['guildId'] ?? '') : undefined);
    route('GET', prefix, ({ params }) => ok(commandScope(params['appId'] ?? '', guildId(params))));
    route('PUT', prefix, ({ params, body }) => replaceCommands(params['appId'] ?? '', guildId(params), body));
    route('POST', prefix, ({ params, body }) => upsertCommand(params['appId'] ?? '', guildId(params), body));
    route('DELETE', `${prefix}/:commandId`, ({ params }) =>
      deleteCommand(params['appId'] ?? '', guildId(params), params['commandId'] ?? ''),
    );
  }

  // ---- dispatching ---------------------------------------------------------------------------------------

  /** Routes are registered literal-first, so `@me` and `@original` win over parameters. */
  function findRoute(method: string, rawPath: string): { route: Route; params: Record<string, string> } | undefined {
    for (const candidate of routes) {
      if (candidate.method !== method) continue;
      const params = matchPattern(candidate.pattern, rawPath);
      if (params) {
        for (const key of Object.keys(params)) params[key] = decodeURIComponent(params[key] ?? '');
        return { route: candidate, params };
      }
    }
    return undefined;
  }

  function send(response: ServerResponse, status: number, json?: unknown, headers: Record<string, string> = {}): void {
    if (json === undefined) {
      // A 204 carries no content-type: @discordjs/rest then reads it as an empty buffer.
      response.writeHead(status, headers).end();
      return;
    }
    response.writeHead(status, { ...headers, 'content-type': 'application/json' }).end(JSON.stringify(json));
  }

  function serveAttachment(path: string, response: ServerResponse): void {
    const [, , , attachmentId] = path.split('/');
    const upload = state.uploads.get(attachmentId ?? '');
    if (upload) {
      response.writeHead(200, { 'content-type': upload.contentType }).end(upload.data);
      return;
    }
    for (const message of state.messages.values()) {
      const file = message.files.get(attachmentId ?? '');
      if (file) {
        response.writeHead(200, { 'content-type': file.contentType }).end(file.data);
        return;
      }
    }
    send(response, 404, { message: '404: Not Found', code: 0 });
  }

  async function handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', ctx.origin());
    if (url.pathname.startsWith('/attachments/')) return serveAttachment(url.pathname, response);
    const method = (request.method ?? 'GET').toUpperCase();
    const versioned = /^\/api(?:\/v\d+)?(\/.*)$/.exec(url.pathname);
    const rawPath = versioned?.[1] ?? url.pathname;
    const path = rawPath
      .split('/')
      .map((segment) => {
        try {
          return decodeURIComponent(segment);
        } catch {
          return segment;
        }
      })
      .join('/');
    const entry: RecordedRequest = {
      method,
      path,
      query: Object.fromEntries(url.searchParams),
      body: undefined,
      files: [],
      status: 0,
      at: Date.now(),
    };
    ctx.requests.push(entry);
    try {
      const { body, files } = await readBody(request);
      entry.body = body;
      entry.files = files;

      const limit = ctx.rateLimits.find(
        (rule) => rule.remaining > 0 && (rule.method === undefined || rule.method === method) && rule.matches(path),
      );
      if (limit) {
        limit.remaining -= 1;
        limit.hits += 1;
        entry.status = 429;
        const seconds = limit.retryAfterSeconds;
        send(
          response,
          429,
          { message: 'You are being rate limited.', retry_after: seconds, global: limit.global },
          {
            'retry-after': String(seconds),
            'x-ratelimit-limit': '1',
            'x-ratelimit-remaining': '0',
            'x-ratelimit-reset': ((Date.now() + seconds * 1_000) / 1_000).toFixed(3),
            'x-ratelimit-reset-after': seconds.toFixed(3),
            'x-ratelimit-scope': limit.global ? 'global' : 'user',
            ...(limit.global
              ? { 'x-ratelimit-global': 'true' }
              : { 'x-ratelimit-bucket': `fake-${method}-${rawPath}` }),
          },
        );
        return;
      }

      const found = versioned ? findRoute(method, rawPath) : undefined;
      if (!found) throw new RestError(404, { message: '404: Not Found', code: 0 });
      if (found.route.auth && request.headers.authorization !== `Bot ${ctx.token}`) {
        throw new RestError(401, { message: '401: Unauthorized', code: 0 });
      }
      const result = await found.route.handle({ params: found.params, query: url.searchParams, body, files });
      entry.status = result.status;
      send(response, result.status, 'json' in result ? result.json : undefined);
    } catch (error) {
      const restError =
        error instanceof RestError
          ? error
          : new RestError(500, {
              code: 0,
              message: `fake-discord: ${error instanceof Error ? error.message : String(error)}`,
            });
      entry.status = restError.status;
      entry.error = restError.body;
      send(response, restError.status, restError.body);
    } finally {
      ctx.changed();
    }
  }

  return (request, response) => {
    void handle(request, response);
  };
}

/** Discord keeps a command's id when it is overwritten under the same name and type. */
function toCommand(
  state: FakeContext['state'],
  scope: readonly APIApplicationCommand[],
  input: CommandInput,
  guildId: string | undefined,
): APIApplicationCommand {
  const type = input.type ?? ApplicationCommandType.ChatInput;
  const existing = scope.find((c) => c.name === input.name && c.type === type);
  // The input passed validation.ts; the cast only adds the fields Discord fills in.
  return {
    ...input,
    id: existing?.id ?? newSnowflake(),
    application_id: state.applicationId,
    version: newSnowflake(),
    type,
    description: input.description ?? '',
    default_member_permissions: input.default_member_permissions ?? null,
    // What the command asked for, else Discord's defaults.
    contexts: input.contexts ?? [
      InteractionContextType.Guild,
      InteractionContextType.BotDM,
      InteractionContextType.PrivateChannel,
    ],
    integration_types: input.integration_types ?? [ApplicationIntegrationType.GuildInstall],
    nsfw: false,
    ...(guildId === undefined ? {} : { guild_id: guildId }),
  } as APIApplicationCommand;
}

/** Bulk overwrite (PUT): validates like Discord, then replaces the scope's commands. */
export function overwriteCommands(
  state: FakeContext['state'],
  scope: APIApplicationCommand[],
  guildId: string | undefined,
  body: unknown,
): APIApplicationCommand[] {
  const stored = checkCommands(body).map((input) => toCommand(state, scope, input, guildId));
  scope.splice(0, scope.length, ...stored);
  return stored;
}

function throwIt(error: Error): never {
  throw error;
}
