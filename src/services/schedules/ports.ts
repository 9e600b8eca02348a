import type { GroupStrategy } from '../../recommender/group-strategies.js';

/** One night a schedule starts: where it is posted, whose voice channel it is for, and the slot it was due at. */
export interface ScheduledNight {
  guildId: string;
  /** The text channel the night is posted in. */
  channelId: string;
  /** The voice channel whose members the suggestion is for; null: whoever answers the 🍿 call. */
  voiceChannelId: string | null;
  /** The group strategy of the picks; null: the movie night's default. */
  strategy: GroupStrategy | null;
  scheduleId: number;
  /** The local time the night was scheduled for, as an instant (the job's slot; a late start still names it). */
  dueAt: Date;
}

/**
 * What a schedule does when its time comes: start the movie night. The port between the schedules and the movie
 * night use case: `movieNights.start({ guildId, channelId, voiceChannelId, strategy })` posts the suggestion for
 * whoever is in the voice channel, or a 🍿 call when nobody is (./movie-night-starter.ts). `start` posts once per
 * call: the jobs module makes sure
 * it is called once per night however many processes run. It should give up when `signal` fires (shutdown).
 */
export interface ScheduledNightStarter {
  start(night: ScheduledNight, options: { signal: AbortSignal }): Promise<void>;
}

/** A Discord scheduled event announcing the next night of a schedule. */
export interface NightEvent {
  guildId: string;
  scheduleId: number;
  channelId: string;
  voiceChannelId: string | null;
  startsAt: Date;
}

/** What became of an event Marquee tried to create. */
export type NightEventOutcome =
  | { kind: 'created'; eventId: string }
  /** The bot lacks the permission (Create Events, and in a voice channel View Channel and Connect). */
  | { kind: 'not-allowed' }
  | { kind: 'failed'; reason: string };

/**
 * Discord's scheduled events (the server's Events list), kept one ahead: the next night of each schedule. Optional:
 * a schedule works without it, and a bot without the permission gets no event and is told so.
 */
export interface NightEventCalendar {
  /** Creates the event of the night at `startsAt`. Never throws: a refusal or failure is the outcome. */
  announce(night: NightEvent): Promise<NightEventOutcome>;
  /** Marks the event as started, when its night begins. Throws on failure (the caller logs it). */
  begin(guildId: string, eventId: string): Promise<void>;
  /** Deletes the event; one already gone counts as deleted. Throws on failure (the caller logs it). */
  cancel(guildId: string, eventId: string): Promise<void>;
}
