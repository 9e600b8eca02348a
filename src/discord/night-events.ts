import {
  DiscordAPIError,
  GuildScheduledEventEntityType,
  GuildScheduledEventPrivacyLevel,
  GuildScheduledEventStatus,
  RESTJSONErrorCodes,
  Routes,
  type APIChannel,
  type APIGuildScheduledEvent,
  type REST,
  type RESTPatchAPIGuildScheduledEventJSONBody,
  type RESTPostAPIGuildScheduledEventJSONBody,
} from 'discord.js';
import type { NightEvent, NightEventCalendar } from '../services/schedules/index.js';
import { HOUR_MS } from '../time.js';

/** How long an event without a voice channel lasts (Discord requires an end for one with a location). */
export const NIGHT_EVENT_LENGTH_MS = 3 * HOUR_MS;
export const NIGHT_EVENT_NAME = 'Movie night';

const REFUSALS: ReadonlySet<unknown> = new Set([
  RESTJSONErrorCodes.MissingPermissions,
  RESTJSONErrorCodes.MissingAccess,
]);

async function channelName(rest: Pick<REST, 'get'>, channelId: string): Promise<string | null> {
  try {
    const channel = (await rest.get(Routes.channel(channelId))) as APIChannel;
    return 'name' in channel && channel.name ? channel.name : null;
  } catch {
    return null;
  }
}

async function eventBody(rest: Pick<REST, 'get'>, night: NightEvent): Promise<RESTPostAPIGuildScheduledEventJSONBody> {
  const name = await channelName(rest, night.channelId);
  const posted = name ? `#${name}` : 'the server';
  const base = {
    name: NIGHT_EVENT_NAME,
    description: `This week's movie night. Marquee posts film picks in ${posted} when it starts. (Scheduled night #${night.scheduleId}.)`,
    privacy_level: GuildScheduledEventPrivacyLevel.GuildOnly,
    scheduled_start_time: night.startsAt.toISOString(),
  };
  if (night.voiceChannelId !== null) {
    return { ...base, entity_type: GuildScheduledEventEntityType.Voice, channel_id: night.voiceChannelId };
  }
  return {
    ...base,
    entity_type: GuildScheduledEventEntityType.External,
    entity_metadata: { location: name ? `#${name} on Discord` : 'On Discord' },
    scheduled_end_time: new Date(night.startsAt.getTime() + NIGHT_EVENT_LENGTH_MS).toISOString(),
  };
}

/**
 * Discord's scheduled events for the nights, over REST: a voice-channel event when the schedule names a voice
 * channel, else an external one located in the text channel (3 hours long, as Discord wants an end for those).
 * Needs Create Events (or Manage Events), and in a voice channel also View Channel and Connect; without them the
 * outcome is `not-allowed`.
 */
export function createNightEventCalendar(rest: Pick<REST, 'get' | 'post' | 'patch' | 'delete'>): NightEventCalendar {
  return {
    async announce(night) {
      try {
        const body = await eventBody(rest, night);
        const event = (await rest.post(Routes.guildScheduledEvents(night.guildId), { body })) as APIGuildScheduledEvent;
        return { kind: 'created', eventId: event.id };
      } catch (error) {
        if (error instanceof DiscordAPIError && REFUSALS.has(error.code)) return { kind: 'not-allowed' };
        return { kind: 'failed', reason: error instanceof Error ? error.message : String(error) };
      }
    },

    async begin(guildId, eventId) {
      const body: RESTPatchAPIGuildScheduledEventJSONBody = { status: GuildScheduledEventStatus.Active };
      await rest.patch(Routes.guildScheduledEvent(guildId, eventId), { body });
    },

    async cancel(guildId, eventId) {
      try {
        await rest.delete(Routes.guildScheduledEvent(guildId, eventId));
      } catch (error) {
        if (error instanceof DiscordAPIError && error.code === RESTJSONErrorCodes.UnknownGuildScheduledEvent) return;
        throw error;
      }
    },
  };
}
