import type { Transaction } from 'sequelize';
import type { MigrationContext, MigrationFn } from '../src/db/migrator.js';
import { childrenFirst, RELATED_FILM_TABLES } from './tables.js';

/**
 * TMDB's film-to-film lists, the similar-films source of the picks (src/recommender/similar-films.ts):
 * - related_lists: one row per film whose list was fetched: which list TMDB gave ('recommendations', its fallback
 *   'similar', or 'none' when both were empty) and when; no foreign key to movies, since these are TMDB's data on
 *   their own schedule (refreshed after 30 days, deleted after 180 by the related-films job);
 * - related_films: the list itself, best first (rank from 0).
 * The pick sources a card can record widen to the four sources of the blend (and the column to 32 characters, for
 * 'server-favourites'). SQLite cannot change a CHECK constraint in place, so there recommendation_items is rebuilt
 * (nothing references it); PostgreSQL alters it.
 */
const SOURCES_BEFORE = "('neighbours', 'popular', 'group')";
const SOURCES_AFTER = "('neighbours', 'popular', 'group', 'similar-films', 'server-favourites')";

async function setSources(
  { sequelize, dialect }: MigrationContext,
  sources: string,
  width: number,
  transaction: Transaction,
): Promise<void> {
  if (dialect === 'postgres') {
    await sequelize.query(
      `ALTER TABLE recommendation_items DROP CONSTRAINT recommendation_items_source,
         ALTER COLUMN source TYPE VARCHAR(${width}),
         ADD CONSTRAINT recommendation_items_source CHECK (source IN ${sources})`,
      { transaction },
    );
    return;
  }
  const statements = [
    `CREATE TABLE recommendation_items_rebuilt (
      message_id VARCHAR(20) NOT NULL REFERENCES recommendation_messages(message_id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      movie_id INTEGER NOT NULL REFERENCES movies(tmdb_id),
      source VARCHAR(${width}) NOT NULL CONSTRAINT recommendation_items_source CHECK (source IN ${sources}),
      score REAL NOT NULL,
      PRIMARY KEY (message_id, position)
    )`,
    `INSERT INTO recommendation_items_rebuilt (message_id, position, movie_id, source, score)
       SELECT message_id, position, movie_id, source, score FROM recommendation_items`,
    `DROP TABLE recommendation_items`,
    `ALTER TABLE recommendation_items_rebuilt RENAME TO recommendation_items`,
  ];
  for (const sql of statements) await sequelize.query(sql, { transaction });
}

export const up: MigrationFn = async ({ context }) => {
  const { sequelize, dialect } = context;
  const ts = dialect === 'postgres' ? 'TIMESTAMP WITH TIME ZONE' : 'DATETIME';
  const statements = [
    `CREATE TABLE related_lists (
      movie_id INTEGER PRIMARY KEY,
      list_kind VARCHAR(16) NOT NULL CONSTRAINT related_lists_kind CHECK (list_kind IN ('recommendations', 'similar', 'none')),
      fetched_at ${ts} NOT NULL
    )`,
    `CREATE INDEX related_lists_fetched_at ON related_lists (fetched_at)`,
    `CREATE TABLE related_films (
      movie_id INTEGER NOT NULL REFERENCES related_lists(movie_id) ON DELETE CASCADE,
      rank INTEGER NOT NULL,
      related_id INTEGER NOT NULL,
      PRIMARY KEY (movie_id, rank)
    )`,
  ];
  await sequelize.transaction(async (transaction) => {
    for (const sql of statements) await sequelize.query(sql, { transaction });
    await setSources(context, SOURCES_AFTER, 32, transaction);
  });
};

/**
 * Drops both tables and narrows the sources back; cards of the two new sources are recorded as 'neighbours'
 * (a personal pick), the nearest source the older schema knows.
 */
export const down: MigrationFn = async ({ context }) => {
  const { sequelize } = context;
  await sequelize.transaction(async (transaction) => {
    for (const table of childrenFirst(RELATED_FILM_TABLES))
      await sequelize.query(`DROP TABLE ${table}`, { transaction });
    await sequelize.query(
      `UPDATE recommendation_items SET source = 'neighbours' WHERE source IN ('similar-films', 'server-favourites')`,
      { transaction },
    );
    await setSources(context, SOURCES_BEFORE, 16, transaction);
  });
};
