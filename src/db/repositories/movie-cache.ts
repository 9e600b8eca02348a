import { QueryTypes, type Sequelize } from 'sequelize';
import { z } from 'zod';

/**
 * Every column that points at `movies.tmdb_id`. A row named here is kept (and refreshed) rather than
 * deleted; the foreign keys have no ON DELETE, so a column missing here would make the delete fail loudly,
 * and test/services/tmdb-cache.test.ts compares this list with the schema's foreign keys.
 */
export const MOVIE_REFERENCES = [
  { table: 'ratings', column: 'movie_id' },
  { table: 'watch_log', column: 'movie_id' },
  { table: 'watchlist', column: 'movie_id' },
  { table: 'feedback', column: 'movie_id' },
  { table: 'recommendation_items', column: 'movie_id' },
  { table: 'movie_nights', column: 'winner_movie_id' },
  { table: 'movie_night_candidates', column: 'movie_id' },
  { table: 'movie_night_votes', column: 'movie_id' },
] as const;

const REFERENCED = MOVIE_REFERENCES.map(
  ({ table, column }) => `EXISTS (SELECT 1 FROM ${table} ref WHERE ref.${column} = m.tmdb_id)`,
).join(' OR ');

/**
 * Any part of the row older than the cutoff: `fetched_at` moves with every list or search result, while
 * runtime and IMDb id date from `details_fetched_at`.
 */
const FETCHED_BEFORE = '(m.fetched_at < :cutoff OR m.details_fetched_at < :cutoff)';

const idRow = z.object({ tmdb_id: z.coerce.number().int() });

/** The cached-TMDB-data side of the movies table: what the TMDB cache job (src/services/tmdb-cache.ts) needs. */
export function createMovieCacheRepository(sequelize: Sequelize) {
  return {
    /**
     * Deletes up to `limit` films fetched before `cutoff` that no member data points to; returns how many.
     * One statement, so a film that gains a rating meanwhile is either kept or the rating's foreign key
     * check fails; it is never left dangling.
     */
    deleteUnreferencedFetchedBefore(cutoff: Date, limit: number): Promise<number> {
      return sequelize.query(
        `DELETE FROM movies WHERE tmdb_id IN (
           SELECT m.tmdb_id FROM movies m WHERE ${FETCHED_BEFORE} AND NOT (${REFERENCED}) ORDER BY m.tmdb_id LIMIT :limit
         )`,
        { type: QueryTypes.BULKDELETE, replacements: { cutoff, limit } },
      );
    },

    /** Up to `limit` films fetched before `cutoff` that member data points to, oldest data first. */
    async referencedFetchedBefore(cutoff: Date, limit: number): Promise<number[]> {
      const rows = await sequelize.query<Record<string, unknown>>(
        `SELECT m.tmdb_id FROM movies m WHERE ${FETCHED_BEFORE} AND (${REFERENCED})
          ORDER BY COALESCE(m.details_fetched_at, m.fetched_at), m.tmdb_id LIMIT :limit`,
        { type: QueryTypes.SELECT, replacements: { cutoff, limit } },
      );
      return rows.map((row) => idRow.parse(row).tmdb_id);
    },
  };
}

export type MovieCacheRepository = ReturnType<typeof createMovieCacheRepository>;
