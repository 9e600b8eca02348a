import { QueryTypes, type Sequelize } from 'sequelize';
import type { Models } from '../models.js';
import type { RecommendationSource } from './recommendations.js';

export interface Feedback {
  userId: string;
  movieId: number;
  /** +1 for 👍, -1 for 👎. */
  value: 1 | -1;
  messageId: string | null;
}

/** A member's 👍/👎 with when they gave it and the source of the pick card it was given on. */
export interface Reaction {
  movieId: number;
  value: 1 | -1;
  /** When the current reaction was given (the row's updated_at). */
  at: Date;
  /** The card's recorded source; null when the card is gone or is not a personal pick. */
  source: Exclude<RecommendationSource, 'group'> | null;
}

const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

export function createFeedbackRepository(models: Models, sequelize: Sequelize) {
  const toFeedback = (row: { userId: string; movieId: number; value: number; messageId: string | null }): Feedback => ({
    userId: row.userId,
    movieId: row.movieId,
    value: row.value > 0 ? 1 : -1,
    messageId: row.messageId,
  });

  return {
    /**
     * One row per member and film; the latest reaction wins, dated `at` (the caller's clock; now by default). Raw SQL:
     * Sequelize's upsert overwrites the timestamps it is given with the wall clock on underscored columns.
     */
    async set(feedback: Feedback, at: Date = new Date()): Promise<void> {
      await sequelize.query(
        `INSERT INTO feedback (user_id, movie_id, message_id, value, created_at, updated_at)
         VALUES (:userId, :movieId, :messageId, :value, :at, :at)
         ON CONFLICT (user_id, movie_id)
         DO UPDATE SET value = excluded.value, message_id = excluded.message_id, updated_at = excluded.updated_at`,
        { replacements: { ...feedback, at } },
      );
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

    /** The member's reactions with their time and the source of the card each was given on. */
    async listReactions(userId: string): Promise<Reaction[]> {
      const rows = await sequelize.query<{
        movie_id: number;
        value: number;
        updated_at: Date | string;
        source: RecommendationSource | null;
      }>(
        `SELECT f.movie_id, f.value, f.updated_at, i.source
           FROM feedback f
           LEFT JOIN recommendation_items i ON i.message_id = f.message_id AND i.movie_id = f.movie_id
          WHERE f.user_id = :userId
          ORDER BY f.movie_id`,
        { type: QueryTypes.SELECT, replacements: { userId } },
      );
      return rows.map((row) => ({
        movieId: Number(row.movie_id),
        value: Number(row.value) > 0 ? 1 : -1,
        at: toDate(row.updated_at),
        source: row.source === 'group' ? null : row.source,
      }));
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
