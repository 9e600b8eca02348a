import { Routes, type REST, type RESTPostAPIChannelMessageJSONBody } from 'discord.js';
import type { ScheduledNight, ScheduledNightStarter } from '../services/schedules/index.js';

/** The plain announcement of a scheduled night: what the channel reads until the movie night itself is wired. */
export function announcementText(night: Pick<ScheduledNight, 'voiceChannelId' | 'scheduleId'>): string {
  const where =
    night.voiceChannelId === null
      ? 'Whoever wants to watch, say so here and pick a film together.'
      : `Join <#${night.voiceChannelId}> and pick a film together.`;
  return `🍿 **It's movie night!** ${where} _(Scheduled night #${night.scheduleId}.)_`;
}

/**
 * The `ScheduledNightStarter` of this branch: one plain message in the schedule's channel, over REST (the guild need
 * not be cached), mentions off. To be replaced at merge by the movie-night use case (`movieNights.start`), which
 * posts the suggestion for whoever is in the voice channel, or a 🍿 call when nobody is; it posts one message per
 * night too, which is what the tests count.
 */
export function createNightAnnouncer(rest: Pick<REST, 'post'>): ScheduledNightStarter {
  return {
    async start(night, { signal }) {
      // The client's NO_PINGS default covers only messages sent through discord.js' managers, not raw REST.
      const body: RESTPostAPIChannelMessageJSONBody = {
        content: announcementText(night),
        allowed_mentions: { parse: [] },
      };
      await rest.post(Routes.channelMessages(night.channelId), { body, signal });
    },
  };
}
