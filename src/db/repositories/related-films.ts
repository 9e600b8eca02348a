import { QueryTypes, type Sequelize } from 'sequelize';
import { z } from 'zod';

/** Which TMDB list a film's related films came from; 'none' when both were empty. */
export const RELATED_LIST_KINDS = ['recommendations', 'similar', 'none'] as const;
export type RelatedListKind = (typeof RELATED_LIST_KINDS)[number];

/** A film's stored list: its related films best first, and when TMDB gave it. */
export interface RelatedList {
  movieId: number;
  kind: RelatedListKind;
  fetchedAt: Date;
  relatedIds: number[];
}

/** SQLite hands timestamps back as text, PostgreSQL as Dates. */
const timestamp = z
  .union([z.date(), z.string()])
  .transform((value) => (value instanceof Date ? value : new Date(value)));
const listRow = z.object({
  movie_id: z.coerce.number().int(),
  list_kind: z.enum(RELATED_LIST_KINDS),
  fetched_at: timestamp,
});
const entryRow = z.object({
  movie_id: z.coerce.number().int(),
  rank: z.coerce.number().int(),
  related_id: z.coerce.number().int(),
});
const idRow = z.object({ movie_id: z.coerce.number().int() });

/** Rows per statement when reading many films' lists (well under both databases' parameter limits). */
const CHUNK = 500;

/**
 * TMDB's film-to-film lists (migrations/2026.12.01T00.00.00.related-films.ts). A list is replaced whole, in one
 * transaction, and only with what TMDB answered: a failed fetch never touches what is stored.
 */
export function createRelatedFilmsRepository(sequelize: Sequelize) {
  const select = (sql: string, replacements: Record<string, unknown>) =>
    sequelize.query<Record<string, unknown>>(sql, { type: QueryTypes.SELECT, replacements });

  return {
    /** The stored lists of these films (films without one are absent). */
    async listsFor(movieIds: readonly number[]): Promise<RelatedList[]> {
      const unique = [...new Set(movieIds)];
      const lists: RelatedList[] = [];
      for (let at = 0; at < unique.length; at += CHUNK) {
        const ids = unique.slice(at, at + CHUNK);
        const [heads, entries] = await Promise.all([
          select(`SELECT movie_id, list_kind, fetched_at FROM related_lists WHERE movie_id IN (:ids)`, { ids }),
          select(
            `SELECT movie_id, rank, related_id FROM related_films WHERE movie_id IN (:ids) ORDER BY movie_id, rank`,
            {
              ids,
            },
          ),
        ]);
        const related = new Map<number, number[]>();
        for (const row of entries) {
          const entry = entryRow.parse(row);
          const list = related.get(entry.movie_id) ?? [];
          list.push(entry.related_id);
          related.set(entry.movie_id, list);
        }
        for (const row of heads) {
          const head = listRow.parse(row);
          lists.push({
            movieId: head.movie_id,
            kind: head.list_kind,
            fetchedAt: head.fetched_at,
            relatedIds: related.get(head.movie_id) ?? [],
          });
        }
      }
      return lists;
    },

    /** Stores a film's list in place of the one it had, if any. */
    async save({ movieId, kind, fetchedAt, relatedIds }: RelatedList): Promise<void> {
      await sequelize.transaction(async (transaction) => {
        await sequelize.query(`DELETE FROM related_lists WHERE movie_id = :movieId`, {
          replacements: { movieId },
          transaction,
        });
        await sequelize.query(
          `INSERT INTO related_lists (movie_id, list_kind, fetched_at) VALUES (:movieId, :kind, :fetchedAt)`,
          { replacements: { movieId, kind, fetchedAt }, transaction },
        );
        if (relatedIds.length === 0) return;
        const values = relatedIds.map((_, rank) => `(:movieId, ${rank}, :related${rank})`).join(', ');
        const replacements: Record<string, number> = { movieId };
        relatedIds.forEach((id, rank) => (replacements[`related${rank}`] = id));
        await sequelize.query(`INSERT INTO related_films (movie_id, rank, related_id) VALUES ${values}`, {
          replacements,
          transaction,
        });
      });
    },

    /**
     * Up to `limit` films some member loved (rated ≥ `lovedRating`, or 👍) whose list is missing or was fetched
     * before `staleBefore`: missing first, then the oldest.
     */
    async dueForRefresh({
      lovedRating,
      staleBefore,
      limit,
    }: {
      lovedRating: number;
      staleBefore: Date;
      limit: number;
    }): Promise<number[]> {
      const rows = await select(
        `SELECT loved.movie_id FROM (
           SELECT movie_id FROM ratings WHERE score >= :lovedRating
           UNION SELECT movie_id FROM feedback WHERE value = 1
         ) loved
         LEFT JOIN related_lists l ON l.movie_id = loved.movie_id
         WHERE l.movie_id IS NULL OR l.fetched_at < :staleBefore
         ORDER BY CASE WHEN l.movie_id IS NULL THEN 0 ELSE 1 END, l.fetched_at, loved.movie_id
         LIMIT :limit`,
        { lovedRating, staleBefore, limit },
      );
      return rows.map((row) => idRow.parse(row).movie_id);
    },

    /** Deletes the lists fetched before `cutoff` (TMDB's terms: 6 months at most); returns how many went. */
    async deleteFetchedBefore(cutoff: Date): Promise<number> {
      return sequelize.transaction(async (transaction) => {
        await sequelize.query(
          `DELETE FROM related_films WHERE movie_id IN (SELECT movie_id FROM related_lists WHERE fetched_at < :cutoff)`,
          { replacements: { cutoff }, transaction },
        );
        return sequelize.query(`DELETE FROM related_lists WHERE fetched_at < :cutoff`, {
          type: QueryTypes.BULKDELETE,
          replacements: { cutoff },
          transaction,
        });
      });
    },
  };
}

export type RelatedFilmsRepository = ReturnType<typeof createRelatedFilmsRepository>;
