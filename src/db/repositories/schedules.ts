import { QueryTypes, UniqueConstraintError, type Sequelize } from 'sequelize';
import { z } from 'zod';
import { inTx, type TxOptions } from '../unit-of-work.js';

/** A scheduled movie night as stored: its slot is `cron` (`M H * * D`) read in `timeZone`. */
export interface StoredSchedule {
  id: number;
  guildId: string;
  channelId: string;
  voiceChannelId: string | null;
  strategy: string | null;
  cron: string;
  timeZone: string;
  /** The Discord scheduled event announcing the next night, if one was created. */
  eventId: string | null;
  createdBy: string | null;
  createdAt: Date;
}

export type NewScheduleRow = Omit<StoredSchedule, 'id' | 'eventId'>;

/** SQLite gives timestamps as text and integers as numbers, PostgreSQL Dates and (for SERIAL) numbers. */
const scheduleRow = z
  .object({
    id: z.coerce.number().int(),
    guild_id: z.string(),
    channel_id: z.string(),
    voice_channel_id: z.string().nullable(),
    strategy: z.string().nullable(),
    cron: z.string(),
    timezone: z.string(),
    event_id: z.string().nullable(),
    created_by: z.string().nullable(),
    created_at: z.coerce.date(),
  })
  .transform((row): StoredSchedule => ({
    id: row.id,
    guildId: row.guild_id,
    channelId: row.channel_id,
    voiceChannelId: row.voice_channel_id,
    strategy: row.strategy,
    cron: row.cron,
    timeZone: row.timezone,
    eventId: row.event_id,
    createdBy: row.created_by,
    createdAt: row.created_at,
  }));

const COLUMNS =
  'id, guild_id, channel_id, voice_channel_id, strategy, cron, timezone, event_id, created_by, created_at';

/** The unique index on (guild, channel, cron, zone) refused the insert: that slot is already scheduled there. */
export class DuplicateScheduleError extends Error {
  override readonly name = 'DuplicateScheduleError';
}

/**
 * The `schedules` table. Rows go with their guild (ON DELETE CASCADE); `created_by` is set to null when the member
 * deletes their data, since a schedule belongs to the server.
 */
export function createSchedulesRepository(sequelize: Sequelize) {
  const select = async (sql: string, replacements: Record<string, unknown>, { tx }: TxOptions = {}) => {
    const rows = await sequelize.query(sql, { type: QueryTypes.SELECT, replacements, ...inTx(tx) });
    return rows.map((row) => scheduleRow.parse(row));
  };

  return {
    /** Every schedule of every guild, by id: what each process schedules as jobs. */
    async all(): Promise<StoredSchedule[]> {
      return select(`SELECT ${COLUMNS} FROM schedules ORDER BY id`, {});
    },

    async listForGuild(guildId: string, options: TxOptions = {}): Promise<StoredSchedule[]> {
      return select(`SELECT ${COLUMNS} FROM schedules WHERE guild_id = :guildId ORDER BY id`, { guildId }, options);
    },

    async get(id: number, options: TxOptions = {}): Promise<StoredSchedule | null> {
      const [row] = await select(`SELECT ${COLUMNS} FROM schedules WHERE id = :id`, { id }, options);
      return row ?? null;
    },

    async countForGuild(guildId: string, { tx }: TxOptions = {}): Promise<number> {
      const [row] = await sequelize.query<{ count: unknown }>(
        `SELECT COUNT(*) AS count FROM schedules WHERE guild_id = :guildId`,
        { type: QueryTypes.SELECT, replacements: { guildId }, ...inTx(tx) },
      );
      return Number(row?.count ?? 0);
    },

    /**
     * Inserts a schedule (its guild and creator must exist) and reads it back by its unique slot; throws
     * DuplicateScheduleError when the channel already has that slot.
     */
    async insert(schedule: NewScheduleRow, { tx }: TxOptions = {}): Promise<StoredSchedule> {
      try {
        await sequelize.query(
          `INSERT INTO schedules (guild_id, channel_id, voice_channel_id, strategy, cron, timezone, created_by, created_at)
           VALUES (:guildId, :channelId, :voiceChannelId, :strategy, :cron, :timeZone, :createdBy, :createdAt)`,
          { type: QueryTypes.INSERT, replacements: { ...schedule }, ...inTx(tx) },
        );
      } catch (error) {
        if (error instanceof UniqueConstraintError) {
          throw new DuplicateScheduleError('slot already scheduled', { cause: error });
        }
        throw error;
      }
      const [stored] = await select(
        `SELECT ${COLUMNS} FROM schedules
          WHERE guild_id = :guildId AND channel_id = :channelId AND cron = :cron AND timezone = :timeZone`,
        { ...schedule },
        { tx },
      );
      if (!stored) throw new Error('the schedule just inserted cannot be read back');
      return stored;
    },

    /** Deletes the guild's schedule; false when the guild has none of that id. */
    async delete(guildId: string, id: number, { tx }: TxOptions = {}): Promise<boolean> {
      const deleted = await sequelize.query(`DELETE FROM schedules WHERE id = :id AND guild_id = :guildId`, {
        type: QueryTypes.BULKDELETE,
        replacements: { id, guildId },
        ...inTx(tx),
      });
      return deleted > 0;
    },

    /** Records the Discord event of the next night; false when the schedule is gone meanwhile. */
    async setEventId(id: number, eventId: string | null, { tx }: TxOptions = {}): Promise<boolean> {
      const [, affected] = await sequelize.query(`UPDATE schedules SET event_id = :eventId WHERE id = :id`, {
        type: QueryTypes.UPDATE,
        replacements: { id, eventId },
        ...inTx(tx),
      });
      return affected > 0;
    },
  };
}

export type SchedulesRepository = ReturnType<typeof createSchedulesRepository>;
