import type { CoreDeps } from '../context.js';
import type { FeedbackValue, PickSource } from '../recommender/index.js';
import type { TasteListener } from './taste-listener.js';

export interface CardInput {
  messageId: string;
  guildId: string;
  channelId: string;
  /** The member the card was for. */
  forUserId: string;
  /** The film the card shows, where the pick came from and its ranking score. */
  pick: { movie: { tmdbId: number }; source: PickSource; score: number };
}

export interface ReactionInput {
  messageId: string;
  /** Who reacted (never the bot). */
  userId: string;
  value: FeedbackValue;
  action: 'add' | 'remove';
}

/** What a reaction did: `ignored` for messages that are not pick cards, or a removal that did not match. */
export type ReactionOutcome = 'recorded' | 'removed' | 'ignored';

export interface FeedbackServiceDeps {
  /** Told after each write, as the rating service tells it about ratings. */
  taste: Pick<TasteListener, 'feedbackChanged'>;
}

/**
 * 👍/👎 on pick cards. Which film a card shows is stored when it is sent, so a reaction on it lands even after
 * a restart; a reaction is the reacting member's feedback on that film: written, then told to the recommender.
 */
export function createFeedbackService(
  { repos, clock, logger }: Pick<CoreDeps, 'repos' | 'clock' | 'logger'>,
  { taste }: FeedbackServiceDeps,
) {
  function notify(userId: string, movieId: number, value: FeedbackValue | null): void {
    // The feedback is saved by now; a listener failing must not turn that into an error.
    try {
      taste.feedbackChanged(userId, movieId, value);
    } catch (error) {
      logger.error({ err: error, userId, movieId }, 'the recommender could not take the new feedback');
    }
  }

  return {
    /** Stores which film a card shows and for whom. */
    async recordCard({ messageId, guildId, channelId, forUserId, pick }: CardInput): Promise<void> {
      await repos.users.ensure(forUserId);
      await repos.recommendations.record({
        messageId,
        guildId,
        channelId,
        audience: 'member',
        forUserId,
        createdAt: clock(),
        items: [
          {
            position: 1,
            movieId: pick.movie.tmdbId,
            source: pick.source,
            score: Number.isFinite(pick.score) ? pick.score : 0,
          },
        ],
      });
    },

    /** 👍/👎 added to or removed from a pick card. */
    async recordReaction({ messageId, userId, value, action }: ReactionInput): Promise<ReactionOutcome> {
      const message = await repos.recommendations.find(messageId);
      const item = message?.audience === 'member' ? message.items[0] : undefined;
      if (!item) return 'ignored';
      const { movieId } = item;
      if (action === 'add') {
        await repos.users.ensure(userId);
        // Dated by the bot's clock: the learning counts a reaction only within 7 days of its pick.
        await repos.feedback.set({ userId, movieId, value, messageId }, clock());
        notify(userId, movieId, value);
        return 'recorded';
      }
      // Taking back a 👍 after a 👎 replaced it (even one written a moment ago) must not erase the 👎.
      if (!(await repos.feedback.removeIf(userId, movieId, value))) return 'ignored';
      notify(userId, movieId, null);
      return 'removed';
    },
  };
}

export type FeedbackService = ReturnType<typeof createFeedbackService>;
