import type { MovieNightService } from '../movie-nights/index.js';
import type { ScheduledNightStarter } from './ports.js';

/**
 * A scheduled night starts as `/movienight suggest` does: the poll for the members in the schedule's voice channel,
 * or a 🍿 call in its channel when nobody is there (or when it has no voice channel).
 */
export function movieNightStarter(movieNights: Pick<MovieNightService, 'start'>): ScheduledNightStarter {
  return {
    async start(night) {
      await movieNights.start({
        guildId: night.guildId,
        channelId: night.channelId,
        voiceChannelId: night.voiceChannelId ?? undefined,
        strategy: night.strategy ?? undefined,
      });
    },
  };
}
