import type { MigrationFn } from '../src/db/migrator.js';
import { childrenFirst, FORGET_TOMBSTONE_TABLES } from './tables.js';

/**
 * Tombstones: that a member deleted their data, or that the bot left a guild, and when (ids and a time,
 * nothing else). `members.seen` stamped before a tombstone writes nothing, so a command that raced the
 * deletion cannot bring the member or the guild back. No foreign keys: the rows they mark are gone.
 */
export const up: MigrationFn = async ({ context: { sequelize, dialect } }) => {
  const ts = dialect === 'postgres' ? 'TIMESTAMP WITH TIME ZONE' : 'DATETIME';
  const snowflake = 'VARCHAR(20)';
  const statements = [
    `CREATE TABLE member_tombstones (
      user_id ${snowflake} PRIMARY KEY,
      forgotten_at ${ts} NOT NULL
    )`,
    // Pruning deletes by age.
    `CREATE INDEX member_tombstones_forgotten_at ON member_tombstones (forgotten_at)`,
    `CREATE TABLE guild_tombstones (
      guild_id ${snowflake} PRIMARY KEY,
      forgotten_at ${ts} NOT NULL
    )`,
    `CREATE INDEX guild_tombstones_forgotten_at ON guild_tombstones (forgotten_at)`,
  ];
  await sequelize.transaction(async (transaction) => {
    for (const sql of statements) await sequelize.query(sql, { transaction });
  });
};

/** Drops both tables (their indexes go with them). */
export const down: MigrationFn = async ({ context: { sequelize } }) => {
  await sequelize.transaction(async (transaction) => {
    for (const table of childrenFirst(FORGET_TOMBSTONE_TABLES)) {
      await sequelize.query(`DROP TABLE ${table}`, { transaction });
    }
  });
};
