import { Op, QueryTypes, type Sequelize } from 'sequelize';
import { z } from 'zod';
import type { FilmState } from '../../import/plan.js';
import type { Models } from '../models.js';
import { inTx, type TxOptions } from '../unit-of-work.js';

/** A stored film as imports match on it. */
export interface StoredFilm {
  tmdbId: number;
  title: string;
  originalTitle: string | null;
  releaseDate: string | null;
}

/** A member's film with what Letterboxd's CSVs name it by. */
interface ExportFilm {
  movieId: number;
  title: string;
  releaseDate: string | null;
}
export interface ExportRating extends ExportFilm {
  score: number;
  ratedAt: Date;
}
export interface ExportDiaryEntry extends ExportFilm {
  entryId: number;
  watchedOn: string;
  createdAt: Date;
}

/** Rows per `IN (…)` list: well under SQLite's and PostgreSQL's bound-parameter limits. */
const CHUNK = 500;

function chunked<Value>(values: readonly Value[]): Value[][] {
  const chunks: Value[][] = [];
  for (let start = 0; start < values.length; start += CHUNK) chunks.push(values.slice(start, start + CHUNK));
  return chunks;
}

const runRow = z.object({ run_id: z.string() });
const ratingRow = z.object({ movie_id: z.coerce.number(), score: z.coerce.number(), rated_at: z.coerce.date() });
const diaryRow = z.object({ movie_id: z.coerce.number(), watched_on: z.string(), entries: z.coerce.number() });
const watchlistRow = z.object({ movie_id: z.coerce.number() });
const exportRatingRow = z.object({
  movie_id: z.coerce.number(),
  title: z.string(),
  release_date: z.string().nullable(),
  score: z.coerce.number(),
  rated_at: z.coerce.date(),
});
const exportDiaryRow = z.object({
  id: z.coerce.number(),
  movie_id: z.coerce.number(),
  title: z.string(),
  release_date: z.string().nullable(),
  watched_on: z.string(),
  created_at: z.coerce.date(),
});

/** The SQL of imports: the one-import-per-member claim, matching against stored films, and bulk reads and writes. */
export function createImportsRepository(models: Models, sequelize: Sequelize) {
  const select = async <Row>(
    schema: z.ZodType<Row>,
    sql: string,
    replacements: Record<string, unknown>,
    tx?: TxOptions['tx'],
  ) => z.array(schema).parse(await sequelize.query(sql, { type: QueryTypes.SELECT, replacements, ...inTx(tx) }));

  /** Whether `runId` still holds the member's claim (not released, taken over, or gone with the member). */
  async function holds(userId: string, runId: string, { tx }: TxOptions = {}): Promise<boolean> {
    const rows = await select(runRow, 'SELECT run_id FROM import_runs WHERE user_id = :userId', { userId }, tx);
    return rows[0]?.run_id === runId;
  }

  return {
    /**
     * Takes the member's import claim for `runId` unless another import holds it with a heartbeat at or after
     * `staleBefore`. The member's users row must exist (the claim references it). True when the claim is ours.
     */
    async claim(userId: string, runId: string, now: Date, staleBefore: Date, { tx }: TxOptions = {}): Promise<boolean> {
      await sequelize.query(
        `INSERT INTO import_runs (user_id, run_id, started_at, heartbeat_at) VALUES (:userId, :runId, :now, :now)
         ON CONFLICT (user_id) DO UPDATE
           SET run_id = excluded.run_id, started_at = excluded.started_at, heartbeat_at = excluded.heartbeat_at
           WHERE import_runs.heartbeat_at < :staleBefore`,
        { replacements: { userId, runId, now, staleBefore }, ...inTx(tx) },
      );
      return holds(userId, runId, { tx });
    },

    holds,

    /** Marks the claim as alive; false when `runId` no longer holds it. */
    async heartbeat(userId: string, runId: string, now: Date, { tx }: TxOptions = {}): Promise<boolean> {
      const [, affected] = await sequelize.query(
        'UPDATE import_runs SET heartbeat_at = :now WHERE user_id = :userId AND run_id = :runId',
        { replacements: { userId, runId, now }, type: QueryTypes.UPDATE, ...inTx(tx) },
      );
      return affected > 0;
    },

    async release(userId: string, runId: string): Promise<void> {
      await sequelize.query('DELETE FROM import_runs WHERE user_id = :userId AND run_id = :runId', {
        replacements: { userId, runId },
      });
    },

    /** Stored films with these IMDb ids (only films whose details were fetched carry one). */
    async filmsByImdbIds(imdbIds: readonly string[]): Promise<Map<string, StoredFilm>> {
      const found = new Map<string, StoredFilm>();
      for (const chunk of chunked([...new Set(imdbIds)])) {
        const rows = await models.Movie.findAll({
          attributes: ['tmdbId', 'title', 'originalTitle', 'releaseDate', 'imdbId'],
          where: { imdbId: chunk },
          order: [['tmdbId', 'ASC']],
          raw: true,
        });
        for (const { imdbId, ...film } of rows) if (imdbId !== null && !found.has(imdbId)) found.set(imdbId, film);
      }
      return found;
    },

    /** Stored films whose normalised title (`normaliseTitle`) is one of these. */
    async filmsBySearchTitles(searchTitles: readonly string[]): Promise<StoredFilm[]> {
      const films: StoredFilm[] = [];
      for (const chunk of chunked([...new Set(searchTitles)])) {
        const rows = await models.Movie.findAll({
          attributes: ['tmdbId', 'title', 'originalTitle', 'releaseDate'],
          where: { searchTitle: { [Op.in]: chunk } },
          raw: true,
        });
        films.push(...rows);
      }
      return films;
    },

    /** Which of these films are stored. */
    async storedIds(tmdbIds: readonly number[], { tx }: TxOptions = {}): Promise<Set<number>> {
      const stored = new Set<number>();
      for (const chunk of chunked([...new Set(tmdbIds)])) {
        const rows = await models.Movie.findAll({
          attributes: ['tmdbId'],
          where: { tmdbId: chunk },
          raw: true,
          ...inTx(tx),
        });
        for (const row of rows) stored.add(row.tmdbId);
      }
      return stored;
    },

    /** The member's rating, diary entries by day and watchlist state for each of these films. */
    async filmStates(
      userId: string,
      movieIds: readonly number[],
      { tx }: TxOptions = {},
    ): Promise<Map<number, FilmState>> {
      const states = new Map<number, FilmState & { diary: Map<string, number> }>();
      const stateOf = (movieId: number) => {
        let state = states.get(movieId);
        if (!state) {
          state = { rating: null, diary: new Map<string, number>(), onWatchlist: false };
          states.set(movieId, state);
        }
        return state;
      };
      for (const movieId of movieIds) stateOf(movieId);
      for (const chunk of chunked([...new Set(movieIds)])) {
        const replacements = { userId, chunk };
        const ratings = await select(
          ratingRow,
          'SELECT movie_id, score, rated_at FROM ratings WHERE user_id = :userId AND movie_id IN (:chunk)',
          replacements,
          tx,
        );
        for (const row of ratings) stateOf(row.movie_id).rating = { score: row.score, ratedAt: row.rated_at };
        const diary = await select(
          diaryRow,
          `SELECT movie_id, watched_on, COUNT(*) AS entries FROM watch_log
            WHERE user_id = :userId AND movie_id IN (:chunk) GROUP BY movie_id, watched_on`,
          replacements,
          tx,
        );
        for (const row of diary) stateOf(row.movie_id).diary.set(row.watched_on, row.entries);
        const listed = await select(
          watchlistRow,
          'SELECT movie_id FROM watchlist WHERE user_id = :userId AND movie_id IN (:chunk)',
          replacements,
          tx,
        );
        for (const row of listed) stateOf(row.movie_id).onWatchlist = true;
      }
      return states;
    },

    async addDiaryEntries(
      userId: string,
      entries: readonly { movieId: number; watchedOn: string; loggedAt: Date }[],
      { tx }: TxOptions = {},
    ): Promise<void> {
      if (entries.length === 0) return;
      await models.WatchLog.bulkCreate(
        entries.map(({ movieId, watchedOn, loggedAt }) => ({
          userId,
          movieId,
          watchedOn,
          note: null,
          createdAt: loggedAt,
        })),
        inTx(tx),
      );
    },

    async addToWatchlist(
      userId: string,
      entries: readonly { movieId: number; addedAt: Date }[],
      { tx }: TxOptions = {},
    ): Promise<void> {
      if (entries.length === 0) return;
      await models.Watchlist.bulkCreate(
        entries.map(({ movieId, addedAt }) => ({ userId, movieId, addedAt })),
        { ignoreDuplicates: true, ...inTx(tx) },
      );
    },

    /** Records the IMDb ids TMDB's `find` confirmed, on films stored without one, so the next import matches them here. */
    async rememberImdbIds(pairs: readonly { tmdbId: number; imdbId: string }[], { tx }: TxOptions = {}): Promise<void> {
      for (const { tmdbId, imdbId } of pairs) {
        await models.Movie.update({ imdbId }, { where: { tmdbId, imdbId: { [Op.is]: null } }, ...inTx(tx) });
      }
    },

    /** The member's ratings and diary with each film's title and release date, oldest first (Letterboxd's CSVs). */
    async letterboxdRows(userId: string): Promise<{ ratings: ExportRating[]; diary: ExportDiaryEntry[] }> {
      const ratings = await select(
        exportRatingRow,
        `SELECT r.movie_id, m.title, m.release_date, r.score, r.rated_at
           FROM ratings r JOIN movies m ON m.tmdb_id = r.movie_id
          WHERE r.user_id = :userId ORDER BY r.rated_at, r.movie_id`,
        { userId },
      );
      const diary = await select(
        exportDiaryRow,
        `SELECT w.id, w.movie_id, m.title, m.release_date, w.watched_on, w.created_at
           FROM watch_log w JOIN movies m ON m.tmdb_id = w.movie_id
          WHERE w.user_id = :userId ORDER BY w.watched_on, w.id`,
        { userId },
      );
      return {
        ratings: ratings.map((row) => ({
          movieId: row.movie_id,
          title: row.title,
          releaseDate: row.release_date,
          score: row.score,
          ratedAt: row.rated_at,
        })),
        diary: diary.map((row) => ({
          entryId: row.id,
          movieId: row.movie_id,
          title: row.title,
          releaseDate: row.release_date,
          watchedOn: row.watched_on,
          createdAt: row.created_at,
        })),
      };
    },
  };
}

export type ImportsRepository = ReturnType<typeof createImportsRepository>;
