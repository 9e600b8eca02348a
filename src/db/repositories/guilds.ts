import { Op } from 'sequelize';
import { conflictColumns } from '../conflict-columns.js';
import type { Models } from '../models.js';
import { inTx, type TxOptions } from '../unit-of-work.js';

export function createGuildsRepository(models: Models) {
  return {
    /**
     * Records that a member used Marquee in a guild now: creates the user, the guild and the membership
     * when missing and moves `last_seen_at` forward. Every command calls it, so a server's neighbourhood
     * is the members who used Marquee there recently.
     */
    async touchMember(guildId: string, userId: string, at: Date, { tx }: TxOptions = {}): Promise<void> {
      const options = inTx(tx);
      await models.User.findOrCreate({ where: { id: userId }, ...options });
      await models.Guild.findOrCreate({ where: { id: guildId }, defaults: { id: guildId, region: null }, ...options });
      await models.GuildMember.upsert(
        { guildId, userId, firstSeenAt: at, lastSeenAt: at },
        { fields: ['lastSeenAt'], conflictFields: conflictColumns('guild_id', 'user_id'), ...options },
      );
    },

    /** Members seen in the guild at or after `since`. */
    async activeMemberIds(guildId: string, since: Date): Promise<string[]> {
      const rows = await models.GuildMember.findAll({
        attributes: ['userId'],
        where: { guildId, lastSeenAt: { [Op.gte]: since } },
        order: [['userId', 'ASC']],
        raw: true,
      });
      return rows.map((row) => row.userId);
    },

    async isMember(guildId: string, userId: string): Promise<boolean> {
      return (await models.GuildMember.count({ where: { guildId, userId } })) > 0;
    },

    async ids(): Promise<string[]> {
      const rows = await models.Guild.findAll({ attributes: ['id'], raw: true });
      return rows.map((row) => row.id);
    },

    async region(guildId: string): Promise<string | null> {
      const row = await models.Guild.findByPk(guildId, { attributes: ['region'] });
      return row?.region ?? null;
    },

    /** Sets the guild's TMDB region (an ISO 3166-1 code, checked by the caller), creating the guild's row if needed. */
    async setRegion(guildId: string, region: string, { tx }: TxOptions = {}): Promise<void> {
      await models.Guild.upsert({ id: guildId, region }, { fields: ['region', 'updatedAt'], ...inTx(tx) });
    },

    /**
     * Deletes the guild's own data (memberships, recommendation messages, movie nights, schedules) through
     * ON DELETE CASCADE. Members' ratings, diaries and settings are theirs and stay.
     */
    async delete(guildId: string, { tx }: TxOptions = {}): Promise<boolean> {
      return (await models.Guild.destroy({ where: { id: guildId }, ...inTx(tx) })) > 0;
    },
  };
}

export type GuildsRepository = ReturnType<typeof createGuildsRepository>;
