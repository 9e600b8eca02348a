import type { Transaction } from 'sequelize';
import type { Models } from '../models.js';

export interface UserSettings {
  /** Whether this member's ratings shape picks for other members (GUIDE §9). */
  shareTaste: boolean;
  /** Whether other members may see this member named in explanations and "similar members". */
  showName: boolean;
  /** Whether other members may look at this member's profile, diary and picks. */
  publicProfile: boolean;
  /** IANA time zone for "today"/"yesterday" in the diary. */
  timezone: string;
}

export interface User extends UserSettings {
  id: string;
}

export const DEFAULT_USER_SETTINGS = {
  shareTaste: true,
  showName: false,
  publicProfile: true,
  timezone: 'UTC',
} as const satisfies UserSettings;

interface Options {
  transaction?: Transaction;
}

export function createUsersRepository(models: Models) {
  const toUser = (row: InstanceType<Models['User']>): User => ({
    id: row.id,
    shareTaste: row.shareTaste,
    showName: row.showName,
    publicProfile: row.publicProfile,
    timezone: row.timezone,
  });

  /** The member's settings; defaults for someone Marquee has never stored. */
  async function get(userId: string, options: Options = {}): Promise<User> {
    const row = await models.User.findByPk(userId, options);
    return row ? toUser(row) : { id: userId, ...DEFAULT_USER_SETTINGS };
  }

  return {
    get,

    async getMany(userIds: readonly string[]): Promise<Map<string, User>> {
      const rows = await models.User.findAll({ where: { id: [...userIds] } });
      return new Map(rows.map((row) => [row.id, toUser(row)]));
    },

    async ensure(userId: string, options: Options = {}): Promise<void> {
      await models.User.findOrCreate({ where: { id: userId }, ...options });
    },

    async updateSettings(userId: string, changes: Partial<UserSettings>, options: Options = {}): Promise<User> {
      await models.User.findOrCreate({ where: { id: userId }, ...options });
      await models.User.update(changes, { where: { id: userId }, ...options });
      return get(userId, options);
    },

    /** Removes the member and, through ON DELETE CASCADE, every row that belongs to them. */
    async delete(userId: string, options: Options = {}): Promise<boolean> {
      return (await models.User.destroy({ where: { id: userId }, ...options })) > 0;
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
