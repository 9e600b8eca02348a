import type { Models } from '../models.js';
import { inTx, type TxOptions } from '../unit-of-work.js';

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

export function createUsersRepository(models: Models) {
  const toUser = (row: InstanceType<Models['User']>): User => ({
    id: row.id,
    shareTaste: row.shareTaste,
    showName: row.showName,
    publicProfile: row.publicProfile,
    timezone: row.timezone,
  });

  /** The member's settings; defaults for someone Marquee has never stored. */
  async function get(userId: string, { tx }: TxOptions = {}): Promise<User> {
    const row = await models.User.findByPk(userId, inTx(tx));
    return row ? toUser(row) : { id: userId, ...DEFAULT_USER_SETTINGS };
  }

  return {
    get,

    async getMany(userIds: readonly string[]): Promise<Map<string, User>> {
      const rows = await models.User.findAll({ where: { id: [...userIds] } });
      return new Map(rows.map((row) => [row.id, toUser(row)]));
    },

    async ensure(userId: string, { tx }: TxOptions = {}): Promise<void> {
      await models.User.findOrCreate({ where: { id: userId }, ...inTx(tx) });
    },

    async updateSettings(userId: string, changes: Partial<UserSettings>, { tx }: TxOptions = {}): Promise<User> {
      await models.User.findOrCreate({ where: { id: userId }, ...inTx(tx) });
      await models.User.update(changes, { where: { id: userId }, ...inTx(tx) });
      return get(userId, { tx });
    },

    /** Removes the member and, through ON DELETE CASCADE, every row that belongs to them. */
    async delete(userId: string, { tx }: TxOptions = {}): Promise<boolean> {
      return (await models.User.destroy({ where: { id: userId }, ...inTx(tx) })) > 0;
    },
  };
}

export type UsersRepository = ReturnType<typeof createUsersRepository>;
