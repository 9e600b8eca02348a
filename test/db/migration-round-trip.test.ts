import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { migrations } from '../../migrations/index.js';
import { TABLES, type Table } from '../../migrations/tables.js';
import { createMigrator } from '../../src/db/migrator.js';
import { createLogger } from '../../src/logger.js';
import { createEmptyTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';

const silent = createLogger({ level: 'silent' });
const TS = '2026-03-01T12:00:00.000Z';
const U1 = '830000000000000901';
const U2 = '830000000000000902';
const G1 = '810000000000000901';
const M1 = '850000000000000901';
const M2 = '850000000000000902';

/**
 * Rows for every table, in the current schema, parents first. A migration that adds a table adds its rows here (the
 * first test says which are missing), so its down and up run on data too.
 */
const SEEDS: Record<Table, string[]> = {
  users: [`INSERT INTO users (id, created_at, updated_at) VALUES ('${U1}', :ts, :ts), ('${U2}', :ts, :ts)`],
  guilds: [`INSERT INTO guilds (id, region, created_at, updated_at) VALUES ('${G1}', 'FR', :ts, :ts)`],
  guild_members: [
    `INSERT INTO guild_members (guild_id, user_id, first_seen_at, last_seen_at) VALUES ('${G1}', '${U1}', :ts, :ts), ('${G1}', '${U2}', :ts, :ts)`,
  ],
  movies: [
    `INSERT INTO movies (tmdb_id, title, search_title, release_date, genre_ids, overview, popularity, runtime, fetched_at, details_fetched_at)
     VALUES (603, 'The Matrix', 'the matrix', '1999-03-30', '[28,878]', 'Neo.', 80.5, 136, :ts, :ts),
            (604, 'The Matrix Reloaded', 'the matrix reloaded', '2003-05-15', '[28]', NULL, 40, NULL, :ts, NULL)`,
  ],
  ratings: [
    `INSERT INTO ratings (user_id, movie_id, score, rated_at) VALUES ('${U1}', 603, 4.5, :ts), ('${U2}', 603, 2, :ts)`,
  ],
  watch_log: [
    `INSERT INTO watch_log (user_id, movie_id, watched_on, note, created_at) VALUES ('${U1}', 603, '2026-02-28', 'again', :ts)`,
  ],
  watchlist: [`INSERT INTO watchlist (user_id, movie_id, added_at) VALUES ('${U2}', 604, :ts)`],
  recommendation_messages: [
    `INSERT INTO recommendation_messages (message_id, guild_id, channel_id, audience, for_user_id, created_at)
     VALUES ('${M1}', '${G1}', '820000000000000901', 'member', '${U1}', :ts),
            ('${M2}', '${G1}', '820000000000000901', 'member', '${U2}', :ts)`,
  ],
  recommendation_items: [
    `INSERT INTO recommendation_items (message_id, position, movie_id, source, score)
     VALUES ('${M1}', 1, 604, 'neighbours', 0.75), ('${M2}', 1, 604, 'similar-films', 0.5)`,
  ],
  feedback: [
    `INSERT INTO feedback (user_id, movie_id, message_id, value, created_at, updated_at) VALUES ('${U1}', 604, '${M1}', 1, :ts, :ts)`,
  ],
  movie_nights: [
    `INSERT INTO movie_nights (guild_id, channel_id, message_id, created_by, status, closes_at, created_at)
     VALUES ('${G1}', '820000000000000901', NULL, '${U1}', 'open', :ts, :ts)`,
  ],
  movie_night_participants: [
    `INSERT INTO movie_night_participants (night_id, user_id) SELECT id, '${U2}' FROM movie_nights`,
  ],
  movie_night_candidates: [
    `INSERT INTO movie_night_candidates (night_id, position, movie_id) SELECT id, 1, 603 FROM movie_nights`,
  ],
  movie_night_forecasts: [
    `INSERT INTO movie_night_forecasts (night_id, position, user_id, stars) SELECT id, 1, '${U2}', 3.5 FROM movie_nights`,
  ],
  movie_night_votes: [
    `INSERT INTO movie_night_votes (night_id, user_id, movie_id, voted_at) SELECT id, '${U2}', 603, :ts FROM movie_nights`,
  ],
  schedules: [
    `INSERT INTO schedules (guild_id, channel_id, cron, timezone, created_by, created_at, voice_channel_id, strategy, event_id)
     VALUES ('${G1}', '820000000000000901', '0 20 * * 5', 'Europe/Paris', '${U1}', :ts, '820000000000000902', 'borda', '870000000000000901')`,
  ],
  member_tombstones: [`INSERT INTO member_tombstones (user_id, forgotten_at) VALUES ('830000000000000999', :ts)`],
  guild_tombstones: [`INSERT INTO guild_tombstones (guild_id, forgotten_at) VALUES ('810000000000000999', :ts)`],
  job_runs: [
    `INSERT INTO job_runs (job, due_at, started_at, finished_at, outcome, error, claimed_by) VALUES ('tmdb-cache', :ts, :ts, :ts, 'succeeded', NULL, 'host:1')`,
  ],
  related_lists: [`INSERT INTO related_lists (movie_id, list_kind, fetched_at) VALUES (603, 'recommendations', :ts)`],
  related_films: [`INSERT INTO related_films (movie_id, rank, related_id) VALUES (603, 0, 604), (603, 1, 605)`],
  import_runs: [
    `INSERT INTO import_runs (user_id, run_id, started_at, heartbeat_at) VALUES ('${U1}', '6f1c2a9e-0000-4000-8000-000000000001', :ts, :ts)`,
  ],
};

/**
 * What a down changes in the tables it keeps, on purpose: the related-films down records the two sources the older
 * schema does not know as 'neighbours'. Everything else in a kept table must come back unchanged.
 */
const REWRITTEN: Partial<Record<string, { table: Table; column: string; to: unknown }>> = {
  '2026.12.01T00.00.00.related-films': { table: 'recommendation_items', column: 'source', to: 'neighbours' },
};

/**
 * Columns a down drops from a table it keeps, destructively by nature: the schedules down takes away the voice
 * channel, strategy and Discord event of each schedule (the older schema has nowhere to keep them); up brings the
 * columns back empty (so does every older migration's `down --to`, which reverts it too). The rest of each row must
 * come back unchanged.
 */
const DROPPED_COLUMNS: Partial<Record<string, Partial<Record<Table, string[]>>>> = {
  '2026.12.02T00.00.00.movie-nights': {
    movie_nights: [
      'phase',
      'voice_channel_id',
      'call_message_id',
      'strategy',
      'allow_rewatch',
      'genre_id',
      'max_runtime',
      'poll_minutes',
      'closed_at',
      'result_message_id',
      'busy_until',
    ],
    movie_night_participants: ['has_ratings'],
    movie_night_candidates: ['group_score'],
    movie_night_forecasts: [
      `INSERT INTO movie_night_forecasts (night_id, position, user_id, stars) SELECT id, 1, '${U2}', 3.5 FROM movie_nights`,
    ],
    movie_night_votes: ['via'],
  },
  '2026.12.05T00.00.00.schedules': { schedules: ['voice_channel_id', 'strategy', 'event_id'] },
};

describe.each(databaseKinds())('every migration down and up again on %s, holding data', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createEmptyTestDatabase(kind);
  });
  afterAll(() => test.destroy());

  async function tables(): Promise<Set<string>> {
    const sql =
      test.db.dialect === 'postgres'
        ? `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`
        : `SELECT name FROM sqlite_master WHERE type = 'table'`;
    const rows = await test.db.sequelize.query<{ name: string }>(sql, { type: QueryTypes.SELECT });
    return new Set(rows.map(({ name }) => name).filter((name) => (TABLES as readonly string[]).includes(name)));
  }

  /** Every row of every table, as comparable text, in a stable order. */
  async function snapshot(): Promise<Map<string, Record<string, unknown>[]>> {
    const out = new Map<string, Record<string, unknown>[]>();
    for (const table of await tables()) {
      const rows = await test.db.sequelize.query<Record<string, unknown>>(`SELECT * FROM ${table}`, {
        type: QueryTypes.SELECT,
      });
      out.set(
        table,
        rows
          .map((row) => JSON.parse(JSON.stringify(row)) as Record<string, unknown>)
          .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b))),
      );
    }
    return out;
  }

  async function seed(only: ReadonlySet<string>): Promise<void> {
    for (const table of TABLES) {
      if (!only.has(table)) continue;
      for (const sql of SEEDS[table]) await test.db.sequelize.query(sql, { replacements: { ts: TS } });
    }
  }

  const without = (rows: Record<string, unknown>[], ...columns: string[]) =>
    rows.map((row) => Object.fromEntries(Object.entries(row).filter(([column]) => !columns.includes(column))));

  it('has rows for every table', () => {
    expect(Object.keys(SEEDS).sort()).toEqual([...TABLES].sort());
  });

  it('keeps every row of the tables a down keeps; drops (destructively, by nature) only the tables its up created', async () => {
    const migrator = createMigrator(test.db, silent);
    await migrator.up();
    await seed(new Set(TABLES));
    const report: string[] = [];
    /** Tables the newer migrations created: `down --to NAME` reverts those too. */
    const newer = new Set<string>();

    for (const { name } of [...migrations].reverse()) {
      const before = await snapshot();
      for (const [table, rows] of before)
        expect(rows.length, `${table} holds rows before ${name} goes down`).toBeGreaterThan(0);

      await migrator.down({ to: name });
      const down = await snapshot();
      const dropped = [...before.keys()].filter((table) => !down.has(table));
      const rewritten = REWRITTEN[name];
      // `down --to NAME` also reverts every newer migration, and with them the columns they drop.
      const droppedColumns = new Map<string, string[]>();
      for (const [migration, tables] of Object.entries(DROPPED_COLUMNS)) {
        if (migration < name) continue;
        for (const [table, columns] of Object.entries(tables ?? {}))
          droppedColumns.set(table, [...(droppedColumns.get(table) ?? []), ...columns]);
      }
      for (const [table, rows] of down) {
        if (rewritten?.table === table) {
          expect(without(rows, rewritten.column)).toEqual(without(before.get(table)!, rewritten.column));
          expect(new Set(rows.map((row) => row[rewritten.column]))).toContain(rewritten.to);
        } else if (droppedColumns.has(table)) {
          expect(rows, `${table} after ${name} went down`).toEqual(
            without(before.get(table)!, ...droppedColumns.get(table)!),
          );
        } else {
          expect(rows, `${table} after ${name} went down`).toEqual(before.get(table));
        }
      }

      await migrator.up();
      const up = await snapshot();
      expect(new Set(up.keys())).toEqual(new Set(before.keys()));
      for (const table of dropped) expect(up.get(table), `${table} is recreated empty`).toEqual([]);
      for (const [table, rows] of down) {
        const back = up.get(table)!;
        const lost = droppedColumns.get(table);
        if (lost) {
          // Columns come back with their defaults (NULL where they have none).
          expect(without(back, ...lost), `${table} after ${name} came back up`).toEqual(rows);
        } else {
          expect(back, `${table} after ${name} came back up`).toEqual(rows);
        }
      }
      const own = dropped.filter((table) => !newer.has(table)).sort();
      report.push(`${name}: drops ${own.join(', ') || 'no table'}`);
      for (const table of own) newer.add(table);
      await seed(new Set(dropped));
    }

    // Which downs lose data: only what their own up created (README, "Upgrading and rolling back").
    expect(report).toEqual([
      '2026.12.05T00.00.00.schedules: drops no table',
      '2026.12.04T00.00.00.imports: drops import_runs',
      '2026.12.02T00.00.00.movie-nights: drops movie_night_forecasts',
      '2026.12.01T00.00.00.related-films: drops related_films, related_lists',
      '2026.11.30T02.00.00.job-runs: drops job_runs',
      '2026.11.30T01.00.00.forget-tombstones: drops guild_tombstones, member_tombstones',
      `2026.11.21T00.00.00.initial-schema: drops ${[...TABLES].slice(0, 15).sort().join(', ')}`,
    ]);
  });
});
