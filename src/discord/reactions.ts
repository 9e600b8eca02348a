import type { MessageReaction, PartialMessageReaction, PartialUser, User } from 'discord.js';
import { withLogFields, type Logger } from '../logger.js';
import type { Services } from '../services/index.js';
import { createMovieNightReactionHandler, isMovieNightReaction } from './movie-night-events.js';

/** The two reactions the bot seeds under each pick, and what they mean. */
export const FEEDBACK_EMOJI = { '👍': 1, '👎': -1 } as const;
export type FeedbackEmoji = keyof typeof FEEDBACK_EMOJI;

function feedbackValue(name: string | null): 1 | -1 | null {
  return name !== null && name in FEEDBACK_EMOJI ? FEEDBACK_EMOJI[name as FeedbackEmoji] : null;
}

/**
 * 👍/👎 on a recommendation card become feedback of the member who reacted. Works after a restart with
 * nothing cached: the message → film mapping lives in the database, and the handler reads only ids (emoji
 * name, message id, user id), which Discord sends even when discord.js hands over partial structures, so
 * nothing is fetched. The bot's own reactions (the seeded 👍 and 👎) are ignored by id. `user.bot` is
 * known for an add (the event carries the member) but null for a partial user, as on a removal after a
 * restart; that is harmless: a removal only deletes feedback that an add recorded, and no add from a bot
 * is recorded.
 */
export function createReactionHandler(ctx: {
  services: {
    feedback: Pick<Services['feedback'], 'recordReaction'>;
    movieNights?: Pick<Services['movieNights'], 'reactionVote'>;
  };
  logger: Logger;
}) {
  const { movieNights } = ctx.services;
  // Number reactions on a movie-night card are votes (./movie-night-events.ts).
  const onMovieNight = movieNights ? createMovieNightReactionHandler({ movieNights, logger: ctx.logger }) : null;
  return async function onReaction(
    reaction: MessageReaction | PartialMessageReaction,
    user: User | PartialUser,
    action: 'add' | 'remove',
  ): Promise<void> {
    if (onMovieNight && isMovieNightReaction(reaction.emoji.name)) return onMovieNight(reaction, user, action);
    const value = feedbackValue(reaction.emoji.name);
    if (value === null || user.id === reaction.client.user.id || user.bot === true) return;
    // Every line logged while recording this reaction carries its ids.
    await withLogFields({ messageId: reaction.message.id, userId: user.id, action }, async () => {
      try {
        await ctx.services.feedback.recordReaction({ messageId: reaction.message.id, userId: user.id, value, action });
      } catch (error) {
        ctx.logger.error({ err: error }, 'could not record reaction feedback');
      }
    });
  };
}
