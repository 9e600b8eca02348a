import { Op, QueryTypes } from 'sequelize';
import { z } from 'zod';
import { DAY_MS } from '../../time.js';
import type { Database } from '../database.js';
import { conflictColumns } from '../conflict-columns.js';
import { inTx, type Tx } from '../unit-of-work.js';

/**
 * How long a tombstone is kept. A tombstone holds an id (member or guild) and the time it was forgotten,
 * nothing else, and is only needed while a command that started before the deletion may still record
 * the member as seen: an interaction token lives 15 minutes, so a day is ample. `members.seen` refuses
 * stamps older than this, which older tombstones could no longer answer for.
 */
export const TOMBSTONE_RETENTION_MS = DAY_MS;

/** Key spaces of the PostgreSQL advisory locks below (the two-key form, apart from the migration lock). */
const LOCK_SPACE = { guild: 1, member: 2 } as const;

const forgottenRow = z.object({ forgotten: z.coerce.number().int() });

interface InTx {
  tx: Tx;
}

/** That a member deleted their data or the bot left a guild, and when: what keeps `seen` from undoing it. */
export function createTombstonesRepository(database: Pick<Database, 'models' | 'sequelize' | 'dialect'>) {
  const { models, sequelize, dialect } = database;
  /**
   * Serialises the rest of the unit of work with the others that lock a same key, where one of them is
   * exclusive: a forgetting locks its key exclusively, a check shares it, so checks never wait on each
   * other, only on a forgetting of their member or guild. SQLite needs nothing: its IMMEDIATE transactions
   * already run writers one at a time. PostgreSQL (READ COMMITTED) takes transaction-scoped advisory
   * locks, guild before member, so no two units wait on each other in a circle.
   */
  async function lock(
    keys: { guildId?: string; userId?: string },
    mode: 'shared' | 'exclusive',
    tx: Tx,
  ): Promise<void> {
    if (dialect !== 'postgres') return;
    const wanted = [
      ...(keys.guildId === undefined ? [] : [{ space: LOCK_SPACE.guild, id: keys.guildId }]),
      ...(keys.userId === undefined ? [] : [{ space: LOCK_SPACE.member, id: keys.userId }]),
    ];
    const fn = mode === 'shared' ? 'pg_advisory_xact_lock_shared' : 'pg_advisory_xact_lock';
    for (const { space, id } of wanted) {
      await sequelize.query(`SELECT ${fn}(:space, hashtext(:id))`, { replacements: { space, id }, ...inTx(tx) });
    }
  }

  /** Deletes tombstones older than the retention, so none outlives its use. */
  async function prune(now: Date, tx: Tx | undefined): Promise<void> {
    const where = { forgottenAt: { [Op.lt]: new Date(now.getTime() - TOMBSTONE_RETENTION_MS) } };
    await models.MemberTombstone.destroy({ where, ...inTx(tx) });
    await models.GuildTombstone.destroy({ where, ...inTx(tx) });
  }

  return {
    /** Marks the member as forgotten at `at` (and prunes expired tombstones); call it before deleting them. */
    async forgetMember(userId: string, at: Date, { tx }: InTx): Promise<void> {
      await lock({ userId }, 'exclusive', tx);
      await models.MemberTombstone.upsert(
        { userId, forgottenAt: at },
        { conflictFields: conflictColumns('user_id'), ...inTx(tx) },
      );
      await prune(at, tx);
    },

    /** Marks the guild as forgotten at `at` (and prunes expired tombstones); call it before deleting its data. */
    async forgetGuild(guildId: string, at: Date, { tx }: InTx): Promise<void> {
      await lock({ guildId }, 'exclusive', tx);
      await models.GuildTombstone.upsert(
        { guildId, forgottenAt: at },
        { conflictFields: conflictColumns('guild_id'), ...inTx(tx) },
      );
      await prune(at, tx);
    },

    /**
     * Whether the member or the guild (when given) was forgotten at or after `at`, so that something stamped `at` must
     * not be written. Holds their locks until the unit of work ends: no forgetting slips in between this
     * answer and the caller's writes.
     */
    async forgottenSince(at: Date, keys: { guildId?: string; userId: string }, { tx }: InTx): Promise<boolean> {
      await lock(keys, 'shared', tx);
      // A statement of its own, after the locks: under READ COMMITTED it sees what a forgetting just committed.
      const rows = await sequelize.query(
        `SELECT
           (SELECT COUNT(*) FROM member_tombstones WHERE user_id = :userId AND forgotten_at >= :at)
         + (SELECT COUNT(*) FROM guild_tombstones WHERE guild_id = :guildId AND forgotten_at >= :at) AS forgotten`,
        // Without a guild (an import from the operator script), no guild id matches the empty string.
        { type: QueryTypes.SELECT, replacements: { guildId: '', ...keys, at }, ...inTx(tx) },
      );
      const [row] = z.array(forgottenRow).parse(rows);
      return (row?.forgotten ?? 0) > 0;
    },

    /** Deletes expired tombstones (for when none is written for a long while, e.g. at start). */
    async prune(now: Date): Promise<void> {
      await prune(now, undefined);
    },
  };
}

export type TombstonesRepository = ReturnType<typeof createTombstonesRepository>;
