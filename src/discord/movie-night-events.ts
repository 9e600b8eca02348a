import { Events, type MessageReaction, type PartialMessageReaction, type PartialUser, type User } from 'discord.js';
import { withLogFields, type Logger } from '../logger.js';
import type { EventModule } from './guild-events.js';
import type { MovieNightService } from '../services/movie-nights/index.js';
import { pollPosition } from './movie-night-card.js';

export interface MovieNightReactionDeps {
  movieNights: Pick<MovieNightService, 'reactionVote'>;
  logger: Logger;
}

/**
 * 1️⃣-5️⃣ on a poll card become the votes of the member who reacted. As for 👍/👎 (./reactions.ts), this works after a
 * restart with nothing cached: discord.js hands over partial structures (Partials.Message, Reaction, User) and only
 * ids are read (emoji name, message id, user id), so nothing needs fetching; which night a card is lives in the
 * database. The bot's own seeded reactions and other bots are ignored. 🍿 on a call is not handled here: the call
 * reads who reacted through the REST API when it closes, reactions from while the bot was offline included.
 */
export function createMovieNightReactionHandler({ movieNights, logger }: MovieNightReactionDeps) {
  return async function onMovieNightReaction(
    reaction: MessageReaction | PartialMessageReaction,
    user: User | PartialUser,
    action: 'add' | 'remove',
  ): Promise<void> {
    const position = pollPosition(reaction.emoji.name);
    if (position === null || user.id === reaction.client.user.id || user.bot === true) return;
    await withLogFields({ messageId: reaction.message.id, userId: user.id, action }, async () => {
      try {
        await movieNights.reactionVote({ messageId: reaction.message.id, userId: user.id, position, action });
      } catch (error) {
        logger.error({ err: error }, 'could not record a movie-night vote by reaction');
      }
    });
  };
}

/** Whether a reaction is one a movie night reads (the numbers of a poll card). */
export const isMovieNightReaction = (emoji: string | null): boolean => pollPosition(emoji) !== null;

/** Once the client is ready: the movie-night work that came due while it was not (a restart) is done, the timer armed. */
export function movieNightsResume({
  movieNights,
  logger,
}: {
  movieNights: Pick<MovieNightService, 'resume'>;
  logger: Logger;
}): EventModule<Events.ClientReady> {
  return {
    name: Events.ClientReady,
    once: true,
    execute() {
      movieNights.resume().catch((error: unknown) => logger.error({ err: error }, 'could not resume movie nights'));
    },
  };
}
