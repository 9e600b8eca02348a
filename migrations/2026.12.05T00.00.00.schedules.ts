import type { MigrationFn } from '../src/db/migrator.js';

/**
 * Scheduled movie nights (src/services/schedules/): the initial schema's `schedules` table gains what a night
 * needs besides its `cron` (`M H * * D`, read in `timezone`): the voice channel whose members it is for, the
 * group strategy, and the Discord scheduled event announcing the next night. One schedule per channel and slot:
 * the unique index refuses a second one for the same weekday, time and zone in the same channel.
 */
const COLUMNS = [
  ['voice_channel_id', 'VARCHAR(20)'],
  ['strategy', 'VARCHAR(32)'],
  ['event_id', 'VARCHAR(20)'],
] as const;

export const up: MigrationFn = async ({ context: { sequelize } }) => {
  await sequelize.transaction(async (transaction) => {
    for (const [column, type] of COLUMNS) {
      await sequelize.query(`ALTER TABLE schedules ADD COLUMN ${column} ${type}`, { transaction });
    }
    await sequelize.query(
      `CREATE UNIQUE INDEX schedules_channel_slot ON schedules (guild_id, channel_id, cron, timezone)`,
      { transaction },
    );
  });
};

/** Drops the index, then the columns (SQLite ≥ 3.35 drops a column that no index uses). */
export const down: MigrationFn = async ({ context: { sequelize } }) => {
  await sequelize.transaction(async (transaction) => {
    await sequelize.query(`DROP INDEX schedules_channel_slot`, { transaction });
    for (const [column] of COLUMNS) {
      await sequelize.query(`ALTER TABLE schedules DROP COLUMN ${column}`, { transaction });
    }
  });
};
