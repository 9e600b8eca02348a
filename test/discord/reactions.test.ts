import type { MessageReaction, PartialUser, User } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import type { FeedbackService } from '../../src/services/feedback.js';
import { createReactionHandler } from '../../src/discord/reactions.js';

const BOT = '900000000000000001';
const CARD = '860000000000000001';
const BOB = '830000000000000002';

/**
 * A reaction as discord.js hands it over after a restart: partial, with only the ids Discord sent. It has
 * no `fetch`, so a handler that fetched would throw.
 */
const partialReaction = (emoji: string) =>
  ({
    partial: true,
    emoji: { name: emoji },
    message: { id: CARD, partial: true },
    client: { user: { id: BOT } },
  }) as unknown as MessageReaction;

function handlerRecording() {
  const recorded: unknown[] = [];
  const feedback: Pick<FeedbackService, 'recordReaction'> = {
    // The ids as recorded; the logger passed along is left out of the comparison.
    recordReaction: async (input) => {
      recorded.push({ ...input, log: undefined });
      return 'recorded';
    },
  };
  return {
    onReaction: createReactionHandler({ logger: createLogger({ level: 'silent' }), services: { feedback } }),
    recorded,
  };
}

describe('createReactionHandler', () => {
  it('records a removal by a partial user (bot unknown) from the ids alone, fetching nothing', async () => {
    const { onReaction, recorded } = handlerRecording();
    const user = { id: BOB, partial: true, bot: null } as unknown as PartialUser;

    await onReaction(partialReaction('👎'), user, 'remove');

    expect(recorded).toEqual([{ messageId: CARD, userId: BOB, value: -1, action: 'remove' }]);
  });

  it("ignores the bot's own seeded reactions, other bots' and other emoji", async () => {
    const { onReaction, recorded } = handlerRecording();
    const self = { id: BOT, partial: true, bot: null } as unknown as PartialUser;
    const otherBot = { id: '900000000000000002', partial: false, bot: true } as unknown as User;
    const member = { id: BOB, partial: false, bot: false } as unknown as User;

    await onReaction(partialReaction('👍'), self, 'add');
    await onReaction(partialReaction('👍'), otherBot, 'add');
    await onReaction(partialReaction('🍿'), member, 'add');

    expect(recorded).toEqual([]);
  });
});
