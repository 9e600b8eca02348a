import { QueryTypes, type Sequelize } from 'sequelize';
import type { Models } from '../models.js';

/** Where a card's film came from: a source of the personal blend (src/recommender/types.ts), or a group pick. */
export type RecommendationSource = 'neighbours' | 'popular' | 'group' | 'similar-films' | 'server-favourites';

export interface RecommendationItem {
  position: number;
  movieId: number;
  source: RecommendationSource;
  score: number;
}

/** A message the bot posted with picks: kept so reactions on it still land after a restart. */
export interface RecommendationMessage {
  messageId: string;
  guildId: string;
  channelId: string;
  audience: 'member' | 'group';
  /** The member the picks were for; null for a group. */
  forUserId: string | null;
  createdAt: Date;
  items: RecommendationItem[];
}

/** A personal pick card with what the member it was for did about its film since. */
export interface ShownPickRow {
  source: Exclude<RecommendationSource, 'group'>;
  shownAt: Date;
  /** That member's current 👍/👎 on this card. */
  reaction: { value: 1 | -1; at: Date } | null;
  /** That member's current rating of the film. */
  rating: { score: number; at: Date } | null;
}

/** SQLite hands timestamps back as text, PostgreSQL as Dates. */
const toDate = (value: Date | string): Date => (value instanceof Date ? value : new Date(value));

export function createRecommendationsRepository(models: Models, sequelize: Sequelize) {
  return {
    /** Stores the message and its items together, or neither. */
    async record(message: RecommendationMessage): Promise<void> {
      await sequelize.transaction(async (transaction) => {
        const { items, ...header } = message;
        await models.RecommendationMessage.create(header, { transaction });
        await models.RecommendationItem.bulkCreate(
          items.map((item) => ({ ...item, messageId: message.messageId })),
          { transaction },
        );
      });
    },

    /**
     * The guild's personal pick cards sent since `since`, each with the reaction its member gave on it and their
     * rating of its film (the outcome rules are applied by the caller: src/recommender/learning/outcomes.ts).
     */
    async shownPicks(guildId: string, since: Date): Promise<ShownPickRow[]> {
      const rows = await sequelize.query<{
        created_at: Date | string;
        source: ShownPickRow['source'];
        value: number | null;
        reacted_at: Date | string | null;
        score: number | null;
        rated_at: Date | string | null;
      }>(
        `SELECT m.created_at, i.source, f.value, f.updated_at AS reacted_at, r.score, r.rated_at
           FROM recommendation_messages m
           JOIN recommendation_items i ON i.message_id = m.message_id
           LEFT JOIN feedback f
             ON f.message_id = m.message_id AND f.user_id = m.for_user_id AND f.movie_id = i.movie_id
           LEFT JOIN ratings r ON r.user_id = m.for_user_id AND r.movie_id = i.movie_id
          WHERE m.guild_id = :guildId AND m.audience = 'member' AND m.created_at >= :since AND i.source <> 'group'`,
        { type: QueryTypes.SELECT, replacements: { guildId, since } },
      );
      return rows.map((row) => ({
        source: row.source,
        shownAt: toDate(row.created_at),
        reaction:
          row.value === null || row.reacted_at === null
            ? null
            : { value: Number(row.value) > 0 ? 1 : -1, at: toDate(row.reacted_at) },
        rating:
          row.score === null || row.rated_at === null ? null : { score: Number(row.score), at: toDate(row.rated_at) },
      }));
    },

    async find(messageId: string): Promise<RecommendationMessage | null> {
      const header = await models.RecommendationMessage.findByPk(messageId, { raw: true });
      if (!header) return null;
      const items = await models.RecommendationItem.findAll({
        where: { messageId },
        order: [['position', 'ASC']],
        raw: true,
      });
      return {
        messageId: header.messageId,
        guildId: header.guildId,
        channelId: header.channelId,
        audience: header.audience,
        forUserId: header.forUserId,
        createdAt: new Date(header.createdAt),
        items: items.map(({ position, movieId, source, score }) => ({
          position,
          movieId,
          source,
          score: Number(score),
        })),
      };
    },
  };
}

export type RecommendationsRepository = ReturnType<typeof createRecommendationsRepository>;
