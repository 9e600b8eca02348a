import type { MigrationFn } from '../src/db/migrator.js';
import { childrenFirst, MOVIE_NIGHT_TABLES } from './tables.js';

/**
 * What a movie night needs beyond the initial schema's empty tables (src/services/movie-nights/):
 * - movie_nights: its phase ('call': a 🍿 call gathers the group; 'picking': the call closed and a process is
 *   making the picks; 'poll': the poll card is up), the voice channel it was for, the call message, the strategy
 *   and filters the picks are made with, the poll's length (a call starts its poll when it closes), when it
 *   closed, the result message, and `busy_until`: the lease of the process doing a step that posts to Discord,
 *   so a crash in the middle is retried once the lease runs out, by whichever process comes first;
 * - at most one open night per channel, by a unique partial index (a second one is refused, even in a race);
 * - movie_night_participants.has_ratings: "no ratings yet" on the card;
 * - movie_night_candidates.group_score: the winner's tie-break after votes;
 * - movie_night_votes.via: a vote by button or by reaction (a reaction vote whose reaction is gone at the close,
 *   removed while the bot was offline, no longer counts);
 * - movie_night_forecasts: each participant's predicted stars for each pick (the fit on the card), by the pick's
 *   position among the night's candidates.
 * Columns are added, so existing rows keep their values and take the defaults.
 */
const COLUMNS = (ts: string) => ({
  movie_nights: [
    `phase VARCHAR(8) NOT NULL DEFAULT 'poll' CONSTRAINT movie_nights_phase CHECK (phase IN ('call', 'picking', 'poll'))`,
    'voice_channel_id VARCHAR(20)',
    'call_message_id VARCHAR(20)',
    `strategy VARCHAR(32) NOT NULL DEFAULT 'borda'`,
    'allow_rewatch BOOLEAN NOT NULL DEFAULT FALSE',
    'genre_id INTEGER',
    'max_runtime INTEGER',
    'poll_minutes INTEGER NOT NULL DEFAULT 10',
    `closed_at ${ts}`,
    'result_message_id VARCHAR(20)',
    `busy_until ${ts}`,
  ],
  movie_night_participants: ['has_ratings BOOLEAN NOT NULL DEFAULT TRUE'],
  movie_night_candidates: ['group_score REAL NOT NULL DEFAULT 0'],
  movie_night_votes: [
    `via VARCHAR(8) NOT NULL DEFAULT 'button' CONSTRAINT movie_night_votes_via CHECK (via IN ('button', 'reaction'))`,
  ],
});

const INDEXES = [
  `CREATE UNIQUE INDEX movie_nights_one_open_per_channel ON movie_nights (channel_id) WHERE status = 'open'`,
  'CREATE INDEX movie_nights_status_closes_at ON movie_nights (status, closes_at)',
  // A number reaction finds its poll card by message id.
  'CREATE INDEX movie_nights_message_id ON movie_nights (message_id)',
];
const INDEX_NAMES = INDEXES.map((sql) => /INDEX (\w+)/.exec(sql)?.[1] ?? '');

export const up: MigrationFn = async ({ context: { sequelize, dialect } }) => {
  const ts = dialect === 'postgres' ? 'TIMESTAMP WITH TIME ZONE' : 'DATETIME';
  const statements = [
    ...Object.entries(COLUMNS(ts)).flatMap(([table, columns]) =>
      columns.map((column) => `ALTER TABLE ${table} ADD COLUMN ${column}`),
    ),
    ...INDEXES,
    `CREATE TABLE movie_night_forecasts (
      night_id INTEGER NOT NULL REFERENCES movie_nights(id) ON DELETE CASCADE,
      position INTEGER NOT NULL,
      user_id VARCHAR(20) NOT NULL REFERENCES users(id) ON DELETE CASCADE,
      stars REAL NOT NULL,
      PRIMARY KEY (night_id, position, user_id)
    )`,
    'CREATE INDEX movie_night_forecasts_user_id ON movie_night_forecasts (user_id)',
  ];
  await sequelize.transaction(async (transaction) => {
    for (const sql of statements) await sequelize.query(sql, { transaction });
  });
};

/** Drops the forecasts, the indexes and the columns (SQLite ≥ 3.35 drops columns that no index uses). */
export const down: MigrationFn = async ({ context: { sequelize, dialect } }) => {
  const ts = dialect === 'postgres' ? 'TIMESTAMP WITH TIME ZONE' : 'DATETIME';
  const statements = [
    ...childrenFirst(MOVIE_NIGHT_TABLES).map((table) => `DROP TABLE ${table}`),
    ...INDEX_NAMES.map((name) => `DROP INDEX ${name}`),
    ...Object.entries(COLUMNS(ts)).flatMap(([table, columns]) =>
      columns.map((column) => `ALTER TABLE ${table} DROP COLUMN ${column.split(' ')[0] ?? ''}`),
    ),
  ];
  await sequelize.transaction(async (transaction) => {
    for (const sql of statements) await sequelize.query(sql, { transaction });
  });
};
