import { conflictColumns } from '../conflict-columns.js';
import type { Models } from '../models.js';

export interface Feedback {
  userId: string;
  movieId: number;
  /** +1 for 👍, -1 for 👎. */
  value: 1 | -1;
  messageId: string | null;
}

export function createFeedbackRepository(models: Models) {
  const toFeedback = (row: { userId: string; movieId: number; value: number; messageId: string | null }): Feedback => ({
    userId: row.userId,
    movieId: row.movieId,
    value: row.value > 0 ? 1 : -1,
    messageId: row.messageId,
  });

  return {
    /** One row per member and film; the latest reaction wins. */
    async set(feedback: Feedback): Promise<void> {
      await models.Feedback.upsert(feedback, {
        fields: ['value', 'messageId', 'updatedAt'],
        conflictFields: conflictColumns('user_id', 'movie_id'),
      });
    },

    async remove(userId: string, movieId: number): Promise<boolean> {
      return (await models.Feedback.destroy({ where: { userId, movieId } })) > 0;
    },

    /**
     * Removes the member's feedback on the film only while it is still `value`: one conditional DELETE, so
     * taking back a 👍 never erases a 👎 written meanwhile. True when a row went.
     */
    async removeIf(userId: string, movieId: number, value: 1 | -1): Promise<boolean> {
      return (await models.Feedback.destroy({ where: { userId, movieId, value } })) > 0;
    },

    async listByUser(userId: string): Promise<Feedback[]> {
      const rows = await models.Feedback.findAll({ where: { userId }, raw: true });
      return rows.map(toFeedback);
    },

    /** Feedback of many members at once, for building a guild's model. */
    async listByUsers(userIds: readonly string[]): Promise<Feedback[]> {
      if (userIds.length === 0) return [];
      const rows = await models.Feedback.findAll({ where: { userId: [...userIds] }, raw: true });
      return rows.map(toFeedback);
    },
  };
}

export type FeedbackRepository = ReturnType<typeof createFeedbackRepository>;
