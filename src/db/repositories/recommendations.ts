import type { Sequelize } from 'sequelize';
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
