import { describe, expect, it } from 'vitest';
import { scheduleListEmbed } from '../../commands/movienight-schedules.js';
import { embedLength } from '../../src/discord/embeds.js';
import { EMBED_LIMITS } from '../../src/discord/limits.js';
import { SCHEDULE_DEFAULTS, type Schedule } from '../../src/services/schedules/index.js';
import { TIME_ZONES } from '../../src/time.js';

const LONGEST_ZONE = TIME_ZONES.reduce((longest, zone) => (zone.length > longest.length ? zone : longest));
const SNOWFLAKE = '12345678901234567890';

/** The longest line a schedule can make: a 20-digit channel and voice channel, the longest zone and strategy. */
function longest(id: number): Schedule {
  return {
    id,
    guildId: SNOWFLAKE,
    channelId: SNOWFLAKE,
    voiceChannelId: SNOWFLAKE,
    strategy: 'average_without_misery',
    weekday: 3,
    hour: 20,
    minute: 0,
    time: '20:00',
    timeZone: LONGEST_ZONE,
    eventId: null,
    createdBy: null,
    nextAt: new Date('2026-12-02T19:00:00Z'),
  };
}

describe('the list of a server’s scheduled nights', () => {
  it('fits a full server, every night with a warning, in one embed', () => {
    const rows = Array.from({ length: SCHEDULE_DEFAULTS.maxPerGuild }, (_, index) => ({
      schedule: longest(1_000_000 + index),
      trouble: [
        { flag: 'ViewChannel', name: 'View Channel' },
        { flag: 'SendMessages', name: 'Send Messages' },
        { flag: 'EmbedLinks', name: 'Embed Links' },
        { flag: 'AddReactions', name: 'Add Reactions' },
        { flag: 'ReadMessageHistory', name: 'Read Message History' },
      ] as const,
    }));
    const embed = scheduleListEmbed(
      rows.map((row) => ({ ...row, trouble: [...row.trouble] })),
      SCHEDULE_DEFAULTS.maxPerGuild,
    );
    expect(embed.data.description?.split('\n')).toHaveLength(2 * SCHEDULE_DEFAULTS.maxPerGuild);
    expect(embed.data.description?.length).toBeLessThanOrEqual(EMBED_LIMITS.description);
    expect(embedLength([embed])).toBeLessThanOrEqual(EMBED_LIMITS.totalPerMessage);
  });
});
