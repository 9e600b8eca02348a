import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories, type Repositories } from '../../src/db/repositories/index.js';
import { DuplicateScheduleError } from '../../src/db/repositories/schedules.js';
import { createMigrator } from '../../src/db/migrator.js';
import { createLogger } from '../../src/logger.js';
import { snowflake } from '../support/builders.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';

const silent = createLogger({ level: 'silent' });
const GUILD = snowflake(1);
const CHANNEL = snowflake(2);
const ADMIN = snowflake(3);
const MIGRATION = '2026.12.05T00.00.00.schedules';

describe.each(databaseKinds())('the schedules table on %s', (kind) => {
  let test: TestDatabase;
  let repos: Repositories;
  const at = new Date('2026-12-01T12:00:00Z');

  async function columns(): Promise<string[]> {
    const sql =
      test.db.dialect === 'postgres'
        ? `SELECT column_name AS name FROM information_schema.columns WHERE table_name = 'schedules'`
        : `SELECT name FROM pragma_table_info('schedules')`;
    const rows = await test.db.sequelize.query<{ name: string }>(sql, { type: QueryTypes.SELECT });
    return rows.map((row) => row.name).sort();
  }

  const row = (cron: string) => ({
    guildId: GUILD,
    channelId: CHANNEL,
    voiceChannelId: null,
    strategy: 'borda',
    cron,
    timeZone: 'Europe/Berlin',
    createdBy: ADMIN,
    createdAt: at,
  });

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    repos = createRepositories(test.db);
    await repos.guilds.touchMember(GUILD, ADMIN, at);
  });
  afterAll(() => test.destroy());

  it('stores a schedule, reads it back with its columns, and refuses the same slot twice in a channel', async () => {
    const stored = await repos.schedules.insert(row('0 20 * * 5'));
    expect(stored).toEqual({ id: stored.id, ...row('0 20 * * 5'), eventId: null });
    await expect(repos.schedules.insert(row('0 20 * * 5'))).rejects.toBeInstanceOf(DuplicateScheduleError);
    expect(await repos.schedules.setEventId(stored.id, '555')).toBe(true);
    expect((await repos.schedules.get(stored.id))?.eventId).toBe('555');
    expect(await repos.schedules.delete(snowflake(9), stored.id)).toBe(false);
    expect(await repos.schedules.delete(GUILD, stored.id)).toBe(true);
    expect(await repos.schedules.setEventId(stored.id, '556')).toBe(false);
  });

  it('migrates down to the initial table, keeping its rows, and up again', async () => {
    await repos.schedules.insert(row('30 19 * * 6'));
    const migrator = createMigrator(test.db, silent);
    const full = await columns();
    expect(full).toEqual(expect.arrayContaining(['voice_channel_id', 'strategy', 'event_id']));

    await migrator.down({ to: MIGRATION });
    expect(await columns()).toEqual(
      full.filter((name) => !['voice_channel_id', 'strategy', 'event_id'].includes(name)),
    );
    await migrator.up();
    expect(await columns()).toEqual(full);
    expect((await repos.schedules.all()).map((schedule) => schedule.cron)).toEqual(['30 19 * * 6']);
  });
});
