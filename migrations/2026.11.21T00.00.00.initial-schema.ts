import type { MigrationFn } from '../src/db/migrator.js';
import { childrenFirst, INITIAL_SCHEMA_TABLES } from './tables.js';

/**
 * The first schema. Raw DDL because CHECK constraints and composite keys are not expressible through
 * queryInterface.createTable on SQLite; column types are the ones Sequelize itself uses per dialect.
 * Statuses are TEXT with CHECK constraints rather than PostgreSQL ENUMs, so `down` leaves no types behind.
 */
const HALF_STARS = '(0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5)';

export const up: MigrationFn = async ({ context: { sequelize, dialect } }) => {
  const pg = dialect === 'postgres';
  const id = pg ? 'SERIAL PRIMARY KEY' : 'INTEGER PRIMARY KEY AUTOINCREMENT';
  const ts = pg ? 'TIMESTAMP WITH TIME ZONE' : 'DATETIME';
  const double = pg ? 'DOUBLE PRECISION' : 'REAL';
  const json = pg ? 'JSONB' : 'JSON';
  const snowflake = 'VARCHAR(20)';

  const statements = [
    `CREATE TABLE users (
      id ${snowflake} PRIMARY KEY,
      share_taste BOOLEAN NOT NULL DEFAULT TRUE,
      show_name BOOLEAN NOT NULL DEFAULT FALSE,
      public_profile BOOLEAN NOT NULL DEFAULT TRUE,
      timezone VARCHAR(64) NOT NULL DEFAULT 'UTC',
      created_at ${ts} NOT NULL,
      updated_at ${ts} NOT NULL
    )`,
    `CREATE TABLE guilds (
      id ${snowflake} PRIMARY KEY,
      region VARCHAR(2),
      created_at ${ts} NOT NULL,
      updated_at ${ts} NOT NULL
    )`,
    `CREATE TABLE guild_members (
      guild_id ${snowflake} NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
      user_id ${snowflake} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      first_seen_at ${ts} NOT NULL,
      last_seen_at ${ts} NOT NULL,
      PRIMARY KEY (guild_id, user_id)
    )`,
    `CREATE INDEX guild_members_user_id ON guild_members (user_id)`,
    `CREATE INDEX guild_members_guild_last_seen ON guild_members (guild_id, last_seen_at)`,
    `CREATE TABLE movies (
      tmdb_id INTEGER PRIMARY KEY,
      title VARCHAR(512) NOT NULL,
      search_title VARCHAR(512) NOT NULL,
      original_title VARCHAR(512),
      release_date VARCHAR(10),
      genre_ids ${json} NOT NULL,
      overview TEXT,
      poster_path VARCHAR(255),
      popularity ${double},
      vote_average ${double},
      vote_count INTEGER,
      runtime INTEGER,
      imdb_id VARCHAR(16),
      fetched_at ${ts} NOT NULL,
      details_fetched_at ${ts}
    )`,
    `CREATE INDEX movies_search_title ON movies (search_title${pg ? ' varchar_pattern_ops' : ''})`,
    `CREATE INDEX movies_imdb_id ON movies (imdb_id)`,
    `CREATE TABLE ratings (
      id ${id},
      user_id ${snowflake} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      movie_id INTEGER NOT NULL REFERENCES movies(tmdb_id),
      score ${double} NOT NULL CONSTRAINT ratings_score_half_stars CHECK (score IN ${HALF_STARS}),
      rated_at ${ts} NOT NULL,
      CONSTRAINT ratings_user_movie UNIQUE (user_id, movie_id)
    )`,
    `CREATE INDEX ratings_movie_id ON ratings (movie_id)`,
    `CREATE TABLE watch_log (
      id ${id},
      user_id ${snowflake} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      movie_id INTEGER NOT NULL REFERENCES movies(tmdb_id),
      watched_on VARCHAR(10) NOT NULL,
      note TEXT,
      created_at ${ts} NOT NULL
    )`,
    `CREATE INDEX watch_log_user_watched_on ON watch_log (user_id, watched_on)`,
    `CREATE INDEX watch_log_user_movie ON watch_log (user_id, movie_id)`,
    `CREATE TABLE watchlist (
      user_id ${snowflake} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      movie_id INTEGER NOT NULL REFERENCES movies(tmdb_id),
      added_at ${ts} NOT NULL,
      PRIMARY KEY (user_id, movie_id)
    )`,
    `CREATE TABLE recommendation_messages (
      message_id ${snowflake} PRIMARY KEY,
      guild_id ${snowflake} NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
      channel_id ${snowflake} NOT NULL,
      audience VARCHAR(16) NOT NULL CONSTRAINT recommendation_messages_audience CHECK (audience IN ('member', 'group')),
      for_user_id ${snowflake} REFERENCES users(id) ON DELETE CASCADE,
      created_at ${ts} NOT NULL
    )`,
    `CREATE INDEX recommendation_messages_guild ON recommendation_messages (guild_id, created_at)`,
    `CREATE INDEX recommendation_messages_for_user ON recommendation_messages (for_user_id)`,
    `CREATE TABLE recommendation_items (
      message_id ${snowflake} NOT NULL REFERENCES recommendation_messages(message_id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      movie_id INTEGER NOT NULL REFERENCES movies(tmdb_id),
      source VARCHAR(16) NOT NULL CONSTRAINT recommendation_items_source CHECK (source IN ('neighbours', 'popular', 'group')),
      score ${double} NOT NULL,
      PRIMARY KEY (message_id, position)
    )`,
    `CREATE TABLE feedback (
      id ${id},
      user_id ${snowflake} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      movie_id INTEGER NOT NULL REFERENCES movies(tmdb_id),
      message_id ${snowflake} REFERENCES recommendation_messages(message_id) ON DELETE SET NULL,
      value INTEGER NOT NULL CONSTRAINT feedback_value CHECK (value IN (-1, 1)),
      created_at ${ts} NOT NULL,
      updated_at ${ts} NOT NULL,
      CONSTRAINT feedback_user_movie UNIQUE (user_id, movie_id)
    )`,
    // Columns an ON DELETE reaches are indexed: deleting a card, night or member would otherwise scan the table.
    `CREATE INDEX feedback_message_id ON feedback (message_id)`,
    `CREATE TABLE movie_nights (
      id ${id},
      guild_id ${snowflake} NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
      channel_id ${snowflake} NOT NULL,
      message_id ${snowflake},
      created_by ${snowflake} REFERENCES users(id) ON DELETE SET NULL,
      status VARCHAR(16) NOT NULL DEFAULT 'open' CONSTRAINT movie_nights_status CHECK (status IN ('open', 'closed', 'cancelled')),
      closes_at ${ts},
      winner_movie_id INTEGER REFERENCES movies(tmdb_id),
      created_at ${ts} NOT NULL
    )`,
    `CREATE INDEX movie_nights_guild_status ON movie_nights (guild_id, status)`,
    `CREATE INDEX movie_nights_created_by ON movie_nights (created_by)`,
    `CREATE TABLE movie_night_participants (
      night_id INTEGER NOT NULL REFERENCES movie_nights(id) ON DELETE CASCADE,
      user_id ${snowflake} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      PRIMARY KEY (night_id, user_id)
    )`,
    `CREATE INDEX movie_night_participants_user_id ON movie_night_participants (user_id)`,
    `CREATE TABLE movie_night_candidates (
      night_id INTEGER NOT NULL REFERENCES movie_nights(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      movie_id INTEGER NOT NULL REFERENCES movies(tmdb_id),
      PRIMARY KEY (night_id, position)
    )`,
    `CREATE TABLE movie_night_votes (
      night_id INTEGER NOT NULL REFERENCES movie_nights(id) ON DELETE CASCADE,
      user_id ${snowflake} NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      movie_id INTEGER NOT NULL REFERENCES movies(tmdb_id),
      voted_at ${ts} NOT NULL,
      PRIMARY KEY (night_id, user_id)
    )`,
    `CREATE INDEX movie_night_votes_user_id ON movie_night_votes (user_id)`,
    `CREATE TABLE schedules (
      id ${id},
      guild_id ${snowflake} NOT NULL REFERENCES guilds(id) ON DELETE CASCADE,
      channel_id ${snowflake} NOT NULL,
      cron VARCHAR(64) NOT NULL,
      timezone VARCHAR(64) NOT NULL DEFAULT 'UTC',
      created_by ${snowflake} REFERENCES users(id) ON DELETE SET NULL,
      created_at ${ts} NOT NULL
    )`,
    `CREATE INDEX schedules_guild ON schedules (guild_id)`,
    `CREATE INDEX schedules_created_by ON schedules (created_by)`,
  ];
  await sequelize.transaction(async (transaction) => {
    for (const sql of statements) await sequelize.query(sql, { transaction });
  });
};

/** Drops every table `up` created, children first (their indexes go with them). */
export const down: MigrationFn = async ({ context: { sequelize } }) => {
  await sequelize.transaction(async (transaction) => {
    for (const table of childrenFirst(INITIAL_SCHEMA_TABLES))
      await sequelize.query(`DROP TABLE ${table}`, { transaction });
  });
};
