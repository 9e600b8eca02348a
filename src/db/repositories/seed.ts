import { QueryTypes } from 'sequelize';
import { z } from 'zod';
import type { Database } from '../database.js';
import { normaliseTitle } from './movies.js';
import { inTx, type TxOptions } from '../unit-of-work.js';

/** A film as the seeder stores it when it has no movies row yet (a partial row: TMDB's details fill the rest). */
export interface SeedMovieRow {
  tmdbId: number;
  title: string;
  releaseDate: string | null;
  genreIds: readonly number[];
  runtime: number | null;
}

export interface SeedUserRow {
  id: string;
  createdAt: Date;
}
export interface SeedMemberRow {
  userId: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
}
export interface SeedRatingRow {
  userId: string;
  movieId: number;
  score: number;
  ratedAt: Date;
}
export interface SeedDiaryRow {
  userId: string;
  movieId: number;
  watchedOn: string;
  createdAt: Date;
}

/** One batch of seeded members: their users rows, guild membership, ratings and diary entries. */
export interface SeedBatch {
  guildId: string;
  users: readonly SeedUserRow[];
  members: readonly SeedMemberRow[];
  ratings: readonly SeedRatingRow[];
  diary: readonly SeedDiaryRow[];
}

/** Rows per INSERT: big statements are what makes bulk writes fast; this keeps each under 1 MB of SQL. */
const ROWS_PER_STATEMENT = 2_000;

type SqlValue = string | number | boolean | Date | null;

const pairRow = z.object({ user_id: z.string(), movie_id: z.coerce.number() });

/**
 * A timestamp as Sequelize itself writes one (`2024-05-01 12:00:00.000 +00:00`): SQLite compares dates as text, so
 * seeded rows must sort with the bot's own; PostgreSQL reads the same text as a timestamptz.
 */
function timestamp(date: Date): string {
  const iso = date.toISOString();
  return `${iso.slice(0, 10)} ${iso.slice(11, 23)} +00:00`;
}

/**
 * The seeder's bulk writes (src/seed/seed.ts), each idempotent so that seeding twice stores what seeding once does:
 * rows that exist are left as they are (a member's own later ratings win), except that a member's last-seen time
 * only moves forward. Multi-row INSERTs with bound parameters, inside the caller's unit of work.
 */
export function createSeedRepository({ sequelize, models, dialect }: Database) {
  /**
   * A value written into the SQL: strings escaped by Sequelize; numbers, booleans and our own timestamps as they
   * are. Literal values rather than bound parameters: node-sqlite3 binds Sequelize's `$n` parameters by name, which
   * made a statement of thousands of them a hundred times slower than its text.
   */
  const literal = (value: SqlValue): string => {
    if (value === null) return 'NULL';
    if (typeof value === 'number') {
      if (!Number.isFinite(value)) throw new Error(`cannot store ${String(value)}`);
      return String(value);
    }
    if (typeof value === 'boolean') return value ? 'TRUE' : 'FALSE';
    if (value instanceof Date) return `'${timestamp(value)}'`;
    return sequelize.escape(value);
  };

  /** Runs `INSERT INTO <head> VALUES (…), (…) <tail>` over `rows`, `ROWS_PER_STATEMENT` rows at a time. */
  async function insertRows(
    head: string,
    tail: string,
    rows: readonly SqlValue[][],
    tx: TxOptions['tx'],
  ): Promise<void> {
    for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
      const values = rows
        .slice(start, start + ROWS_PER_STATEMENT)
        .map((row) => `(${row.map(literal).join(', ')})`)
        .join(', ');
      await sequelize.query(`INSERT INTO ${head} VALUES ${values} ${tail}`, { type: QueryTypes.INSERT, ...inTx(tx) });
    }
  }

  return {
    /** The guild's row, unless it has one. */
    async ensureGuild(guildId: string, createdAt: Date, { tx }: TxOptions = {}): Promise<void> {
      await insertRows(
        'guilds (id, region, created_at, updated_at)',
        'ON CONFLICT (id) DO NOTHING',
        [[guildId, null, createdAt, createdAt]],
        tx,
      );
    },

    /** A partial movies row for each film without one; stored films (from TMDB, fresher) are left alone. */
    async ensureMovies(films: readonly SeedMovieRow[], fetchedAt: Date, { tx }: TxOptions = {}): Promise<void> {
      const unique = [...new Map(films.map((film) => [film.tmdbId, film])).values()];
      for (let start = 0; start < unique.length; start += 500) {
        await models.Movie.bulkCreate(
          unique.slice(start, start + 500).map((film) => ({
            tmdbId: film.tmdbId,
            title: film.title,
            searchTitle: normaliseTitle(film.title),
            originalTitle: null,
            releaseDate: film.releaseDate,
            genreIds: [...film.genreIds],
            overview: null,
            posterPath: null,
            popularity: null,
            voteAverage: null,
            voteCount: null,
            runtime: film.runtime,
            imdbId: null,
            fetchedAt,
            detailsFetchedAt: null,
          })),
          { ignoreDuplicates: true, ...inTx(tx) },
        );
      }
    },

    /**
     * Writes one batch: users and ratings that exist are kept, membership only moves its last-seen time forward, and
     * a diary entry is added only for a (member, film) with none yet. Call it inside a unit of work, so a batch is
     * stored whole or not at all.
     */
    async writeBatch(batch: SeedBatch, { tx }: TxOptions = {}): Promise<void> {
      // Sequelize gives each SQLite transaction a connection of its own, with the default 2 MB page cache: a batch's
      // inserts into the ratings indexes then reread pages they just wrote. Up to 128 MB, for this connection only.
      if (dialect === 'sqlite') await sequelize.query('PRAGMA cache_size = -131072', inTx(tx));
      await insertRows(
        'users (id, share_taste, show_name, public_profile, timezone, created_at, updated_at)',
        'ON CONFLICT (id) DO NOTHING',
        batch.users.map(({ id, createdAt }) => [id, true, false, true, 'UTC', createdAt, createdAt]),
        tx,
      );
      await insertRows(
        'guild_members (guild_id, user_id, first_seen_at, last_seen_at)',
        `ON CONFLICT (guild_id, user_id) DO UPDATE SET last_seen_at = excluded.last_seen_at
           WHERE guild_members.last_seen_at < excluded.last_seen_at`,
        batch.members.map(({ userId, firstSeenAt, lastSeenAt }) => [batch.guildId, userId, firstSeenAt, lastSeenAt]),
        tx,
      );
      await insertRows(
        'ratings (user_id, movie_id, score, rated_at)',
        'ON CONFLICT (user_id, movie_id) DO NOTHING',
        batch.ratings.map(({ userId, movieId, score, ratedAt }) => [userId, movieId, score, ratedAt]),
        tx,
      );
      const logged = await loggedPairs([...new Set(batch.diary.map(({ userId }) => userId))], tx);
      await insertRows(
        'watch_log (user_id, movie_id, watched_on, note, created_at)',
        '',
        batch.diary
          .filter(({ userId, movieId }) => !logged.has(`${userId}:${movieId}`))
          .map(({ userId, movieId, watchedOn, createdAt }) => [userId, movieId, watchedOn, null, createdAt]),
        tx,
      );
    },
  };

  /** `user:movie` of every diary entry these members have. */
  async function loggedPairs(userIds: readonly string[], tx: TxOptions['tx']): Promise<Set<string>> {
    const pairs = new Set<string>();
    for (let start = 0; start < userIds.length; start += 500) {
      const rows = await sequelize.query(
        'SELECT DISTINCT user_id, movie_id FROM watch_log WHERE user_id IN (:userIds)',
        { type: QueryTypes.SELECT, replacements: { userIds: userIds.slice(start, start + 500) }, ...inTx(tx) },
      );
      for (const row of z.array(pairRow).parse(rows)) pairs.add(`${row.user_id}:${row.movie_id}`);
    }
    return pairs;
  }
}

export type SeedRepository = ReturnType<typeof createSeedRepository>;
