import {
  ChannelType,
  GatewayDispatchEvents,
  GatewayIntentBits,
  GuildScheduledEventEntityType,
  GuildScheduledEventPrivacyLevel,
  GuildScheduledEventStatus,
  PermissionFlagsBits,
  RESTJSONErrorCodes,
} from 'discord-api-types/v10';
import type { APIGuildScheduledEvent } from 'discord-api-types/v10';
import { z } from 'zod';
import type { FakeContext } from './context.js';
import { RestError, invalidFormBody, missingAccess, missingPermissions, unknown, type FieldIssue } from './errors.js';
import { hasAll } from './permissions.js';
import { newSnowflake, type GuildRecord } from './state.js';

/** Guild scheduled events the fake holds: guild id → event id → event, as Discord returns them. */
export type ScheduledEventStore = Map<string, Map<string, APIGuildScheduledEvent>>;

export function createScheduledEventStore(): ScheduledEventStore {
  return new Map();
}

interface RouteRequest {
  params: Record<string, string>;
  body: unknown;
}
type RouteResult = { status: 200; json: unknown } | { status: 204 };
type AddRoute = (method: string, pattern: string, handle: (request: RouteRequest) => RouteResult) => void;

const unknownEvent = (): RestError =>
  new RestError(404, { code: RESTJSONErrorCodes.UnknownGuildScheduledEvent, message: 'Unknown Guild Scheduled Event' });

const isoTime = z.string().refine((text) => !Number.isNaN(Date.parse(text)), 'not an ISO 8601 timestamp');

/** Discord's checks on a new event (name 1-100, description ≤ 1000, location 1-100, times in order). */
const createSchema = z.object({
  name: z.string().min(1).max(100),
  description: z.string().max(1_000).nullish(),
  privacy_level: z.literal(GuildScheduledEventPrivacyLevel.GuildOnly),
  scheduled_start_time: isoTime,
  scheduled_end_time: isoTime.nullish(),
  entity_type: z.union([
    z.literal(GuildScheduledEventEntityType.StageInstance),
    z.literal(GuildScheduledEventEntityType.Voice),
    z.literal(GuildScheduledEventEntityType.External),
  ]),
  channel_id: z.string().nullish(),
  entity_metadata: z.object({ location: z.string().min(1).max(100).optional() }).nullish(),
});

const patchSchema = z.object({ status: z.enum(GuildScheduledEventStatus).optional() }).loose();

function issues(error: z.ZodError): FieldIssue[] {
  return error.issues.map((issue) => ({ path: issue.path, code: 'BASE_TYPE_INVALID', message: issue.message }));
}

/** Status changes Discord allows: scheduled → active or cancelled, active → completed. */
const NEXT_STATUS: Readonly<Record<number, readonly GuildScheduledEventStatus[]>> = {
  [GuildScheduledEventStatus.Scheduled]: [GuildScheduledEventStatus.Active, GuildScheduledEventStatus.Canceled],
  [GuildScheduledEventStatus.Active]: [GuildScheduledEventStatus.Completed],
};

/**
 * Guild scheduled events (`/guilds/:id/scheduled-events`): create, list, get, modify (status included) and delete,
 * with Discord's permission checks for the bot: Create Events or Manage Events in the guild for an external event, and
 * in the channel together with View Channel and Connect for a voice or stage one. No future-time check on the start:
 * tests run the bot on injected clocks that may lie in the fake's past.
 */
export function scheduledEventRoutes(ctx: FakeContext, route: AddRoute): void {
  const { state } = ctx;
  const botId = state.bot.id;
  const EVENT_PERMISSIONS = PermissionFlagsBits.CreateEvents | PermissionFlagsBits.ManageEvents;

  function guildOf(guildId: string | undefined): GuildRecord {
    const guild = state.guilds.get(guildId ?? '');
    if (!guild) throw unknown.guild();
    return guild;
  }

  function eventsOf(guild: GuildRecord): Map<string, APIGuildScheduledEvent> {
    const events = ctx.scheduledEvents.get(guild.id) ?? new Map<string, APIGuildScheduledEvent>();
    ctx.scheduledEvents.set(guild.id, events);
    return events;
  }

  /** The bot may create or change events there: either event permission, plus the channel's own needs. */
  function requireEventPermissions(guild: GuildRecord, channelId: string | null): void {
    const channel = channelId === null ? undefined : guild.channels.get(channelId);
    const bits = state.permissionsOf(guild, botId, channel);
    if ((bits & EVENT_PERMISSIONS) === 0n) throw missingPermissions();
    if (channel) {
      if (!hasAll(bits, PermissionFlagsBits.ViewChannel)) throw missingAccess();
      if (!hasAll(bits, PermissionFlagsBits.Connect)) throw missingPermissions();
    }
  }

  function eventOf(guild: GuildRecord, eventId: string | undefined): APIGuildScheduledEvent {
    const event = eventsOf(guild).get(eventId ?? '');
    if (!event) throw unknownEvent();
    return event;
  }

  route('GET', '/guilds/:guildId/scheduled-events', ({ params }) => ({
    status: 200,
    json: [...eventsOf(guildOf(params['guildId'])).values()],
  }));

  route('GET', '/guilds/:guildId/scheduled-events/:eventId', ({ params }) => ({
    status: 200,
    json: eventOf(guildOf(params['guildId']), params['eventId']),
  }));

  route('POST', '/guilds/:guildId/scheduled-events', ({ params, body }) => {
    const guild = guildOf(params['guildId']);
    const parsed = createSchema.safeParse(body);
    if (!parsed.success) throw invalidFormBody(issues(parsed.error));
    const input = parsed.data;
    const problems: FieldIssue[] = [];
    const external = input.entity_type === GuildScheduledEventEntityType.External;
    const channel = input.channel_id ? guild.channels.get(input.channel_id) : undefined;
    if (external) {
      if (input.channel_id) problems.push({ path: ['channel_id'], code: 'BASE_TYPE_INVALID', message: 'Must be null' });
      if (!input.entity_metadata?.location) {
        problems.push({ path: ['entity_metadata', 'location'], code: 'BASE_TYPE_REQUIRED', message: 'Required' });
      }
      if (!input.scheduled_end_time) {
        problems.push({ path: ['scheduled_end_time'], code: 'BASE_TYPE_REQUIRED', message: 'Required' });
      }
    } else if (channel?.type !== ChannelType.GuildVoice || input.entity_metadata?.location) {
      // The fake has no stage channels: a stage event is refused as having no valid channel.
      problems.push({ path: ['channel_id'], code: 'CHANNEL_TYPE_INVALID', message: 'Invalid channel type' });
    }
    if (input.scheduled_end_time && Date.parse(input.scheduled_end_time) <= Date.parse(input.scheduled_start_time)) {
      problems.push({ path: ['scheduled_end_time'], code: 'BASE_TYPE_INVALID', message: 'Must be after the start' });
    }
    if (problems.length > 0) throw invalidFormBody(problems);
    requireEventPermissions(guild, external ? null : (input.channel_id ?? null));
    const event = {
      id: newSnowflake(),
      guild_id: guild.id,
      channel_id: external ? null : (input.channel_id ?? null),
      creator_id: botId,
      creator: state.bot,
      name: input.name,
      description: input.description ?? null,
      scheduled_start_time: new Date(input.scheduled_start_time).toISOString(),
      scheduled_end_time: input.scheduled_end_time ? new Date(input.scheduled_end_time).toISOString() : null,
      privacy_level: input.privacy_level,
      status: GuildScheduledEventStatus.Scheduled,
      entity_type: input.entity_type,
      entity_id: null,
      entity_metadata: external ? { location: input.entity_metadata?.location ?? '' } : null,
      user_count: 0,
      image: null,
      recurrence_rule: null,
    } as APIGuildScheduledEvent;
    eventsOf(guild).set(event.id, event);
    ctx.dispatch(GatewayDispatchEvents.GuildScheduledEventCreate, event, GatewayIntentBits.GuildScheduledEvents);
    return { status: 200, json: event };
  });

  route('PATCH', '/guilds/:guildId/scheduled-events/:eventId', ({ params, body }) => {
    const guild = guildOf(params['guildId']);
    const event = eventOf(guild, params['eventId']);
    const parsed = patchSchema.safeParse(body);
    if (!parsed.success) throw invalidFormBody(issues(parsed.error));
    requireEventPermissions(guild, event.channel_id);
    const { status } = parsed.data;
    if (status !== undefined && status !== event.status) {
      if (!(NEXT_STATUS[event.status] ?? []).includes(status)) {
        throw invalidFormBody([{ path: ['status'], code: 'BASE_TYPE_INVALID', message: 'Invalid status transition' }]);
      }
      event.status = status;
    }
    ctx.dispatch(GatewayDispatchEvents.GuildScheduledEventUpdate, event, GatewayIntentBits.GuildScheduledEvents);
    return { status: 200, json: event };
  });

  route('DELETE', '/guilds/:guildId/scheduled-events/:eventId', ({ params }) => {
    const guild = guildOf(params['guildId']);
    const event = eventOf(guild, params['eventId']);
    requireEventPermissions(guild, event.channel_id);
    eventsOf(guild).delete(event.id);
    ctx.dispatch(GatewayDispatchEvents.GuildScheduledEventDelete, event, GatewayIntentBits.GuildScheduledEvents);
    return { status: 204 };
  });
}
