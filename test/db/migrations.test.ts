import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { QueryTypes } from 'sequelize';
import { TABLES } from '../../migrations/tables.js';
import { createMigrator, withMigrationLock } from '../../src/db/migrator.js';
import { createLogger } from '../../src/logger.js';
import { createEmptyTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';

const silent = createLogger({ level: 'silent' });

async function ourTables(test: TestDatabase): Promise<string[]> {
  const sql =
    test.db.dialect === 'postgres'
      ? `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`
      : `SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence'`;
  const rows = await test.db.sequelize.query<{ name: string }>(sql, { type: QueryTypes.SELECT });
  return rows
    .map((row) => row.name)
    .filter((name) => name !== 'marquee_migrations')
    .sort();
}

async function enumTypes(test: TestDatabase): Promise<string[]> {
  if (test.db.dialect !== 'postgres') return [];
  const rows = await test.db.sequelize.query<{ typname: string }>(`SELECT typname FROM pg_type WHERE typtype = 'e'`, {
    type: QueryTypes.SELECT,
  });
  return rows.map((row) => row.typname);
}

interface ColumnRef {
  table: string;
  column: string;
}

/** Foreign-key columns with an ON DELETE action (CASCADE, SET NULL): a delete of the parent searches them. */
async function onDeleteColumns(test: TestDatabase): Promise<ColumnRef[]> {
  const sql =
    test.db.dialect === 'postgres'
      ? `SELECT c.conrelid::regclass::text AS "table", a.attname AS "column"
           FROM pg_constraint c
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
          WHERE c.contype = 'f' AND c.confdeltype <> 'a'`
      : `SELECT m.name AS "table", f."from" AS "column"
           FROM sqlite_master m, pragma_foreign_key_list(m.name) f
          WHERE m.type = 'table' AND f.on_delete <> 'NO ACTION'`;
  return test.db.sequelize.query<ColumnRef>(sql, { type: QueryTypes.SELECT });
}

/** The first column of every index (primary keys and unique constraints included). */
async function leadingIndexColumns(test: TestDatabase): Promise<ColumnRef[]> {
  const sql =
    test.db.dialect === 'postgres'
      ? `SELECT i.indrelid::regclass::text AS "table", a.attname AS "column"
           FROM pg_index i
           JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
           JOIN pg_class t ON t.oid = i.indrelid
           JOIN pg_namespace n ON n.oid = t.relnamespace
          WHERE n.nspname = 'public'`
      : `SELECT m.name AS "table", ii.name AS "column"
           FROM sqlite_master m, pragma_index_list(m.name) il, pragma_index_info(il.name) ii
          WHERE m.type = 'table' AND ii.seqno = 0`;
  return test.db.sequelize.query<ColumnRef>(sql, { type: QueryTypes.SELECT });
}

describe.each(databaseKinds())('migrations on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createEmptyTestDatabase(kind);
  });
  afterAll(() => test.destroy());

  it('goes up, down to zero leaving none of our tables or enum types, and up again', async () => {
    const migrator = createMigrator(test.db, silent);
    await migrator.up();
    const tablesAfterUp = await ourTables(test);
    // The one table list (migrations/tables.ts) names exactly the tables the migrations create.
    expect(tablesAfterUp).toEqual([...TABLES].sort());
    expect(await migrator.pending()).toEqual([]);

    await migrator.down({ to: 0 });
    expect(await ourTables(test)).toEqual([]);
    expect(await enumTypes(test)).toEqual([]);
    expect((await migrator.executed()).length).toBe(0);

    await migrator.up();
    expect(await ourTables(test)).toEqual(tablesAfterUp);
  });

  it('indexes every foreign-key column an ON DELETE goes through, so deleting a member or a card scans nothing', async () => {
    const key = ({ table, column }: ColumnRef) => `${table}.${column}`;
    const indexed = new Set((await leadingIndexColumns(test)).map(key));
    const cascades = (await onDeleteColumns(test)).map(key);

    expect(cascades).toEqual(
      expect.arrayContaining([
        'feedback.message_id',
        'movie_night_votes.user_id',
        'movie_night_participants.user_id',
        'movie_nights.created_by',
        'schedules.created_by',
      ]),
    );
    expect(cascades.filter((column) => !indexed.has(column))).toEqual([]);
  });

  it('rejects a rating that is not a half star, through the CHECK constraint itself', async () => {
    const { sequelize } = test.db;
    const now = new Date().toISOString();
    await sequelize.query(`INSERT INTO users (id, created_at, updated_at) VALUES ('100000000000000001', :now, :now)`, {
      replacements: { now },
    });
    await sequelize.query(
      `INSERT INTO movies (tmdb_id, title, search_title, genre_ids, fetched_at) VALUES (11, 'Star Wars', 'star wars', '[]', :now)`,
      { replacements: { now } },
    );
    const insert = (score: number) =>
      sequelize.query(
        `INSERT INTO ratings (user_id, movie_id, score, rated_at) VALUES ('100000000000000001', 11, :score, :now)`,
        { replacements: { score, now } },
      );
    await expect(insert(4.25)).rejects.toThrow();
    await expect(insert(5.5)).rejects.toThrow();
    await expect(insert(4.5)).resolves.toBeDefined();
  });
});

// The advisory lock exists only on PostgreSQL; a SQLite deployment migrates once from its single launcher.
describe.each(databaseKinds().filter((kind) => kind === 'postgres'))('the migration lock on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createEmptyTestDatabase(kind);
  });
  afterAll(() => test.destroy());

  it('lets two processes migrate at once: the second waits for the first and finds nothing pending', async () => {
    const migrator = createMigrator(test.db, silent);
    const [first, second] = await Promise.all([
      withMigrationLock(test.db, () => migrator.up()),
      withMigrationLock(test.db, () => migrator.up()),
    ]);
    expect(first.length + second.length).toBe((await migrator.executed()).length);
    expect(await migrator.pending()).toEqual([]);
  });
});
