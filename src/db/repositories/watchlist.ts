import { writeReferencingFilm } from '../film-reference.js';
import type { Models } from '../models.js';
import { inTx, type TxOptions } from '../unit-of-work.js';

export interface WatchlistEntry {
  userId: string;
  movieId: number;
  addedAt: Date;
}

export function createWatchlistRepository(models: Models) {
  const toEntry = ({
    userId,
    movieId,
    addedAt,
  }: {
    userId: string;
    movieId: number;
    addedAt: Date | string;
  }): WatchlistEntry => ({
    userId,
    movieId,
    addedAt: new Date(addedAt),
  });
  // Newest first; the film id breaks ties so a page boundary never repeats or skips a film.
  const newestFirst: [string, 'DESC' | 'ASC'][] = [
    ['addedAt', 'DESC'],
    ['movieId', 'ASC'],
  ];

  return {
    /** Adds the film; false when it was already on the list. FilmNotStoredError when the film has no movies row. */
    async add(userId: string, movieId: number, at: Date, { tx }: TxOptions = {}): Promise<boolean> {
      const [, created] = await writeReferencingFilm(models, movieId, tx, () =>
        models.Watchlist.findOrCreate({
          where: { userId, movieId },
          defaults: { userId, movieId, addedAt: at },
          ...inTx(tx),
        }),
      );
      return created;
    },

    async remove(userId: string, movieId: number): Promise<boolean> {
      return (await models.Watchlist.destroy({ where: { userId, movieId } })) > 0;
    },

    async has(userId: string, movieId: number): Promise<boolean> {
      return (await models.Watchlist.count({ where: { userId, movieId } })) > 0;
    },

    /** The whole list, newest first (what picks leave out). */
    async list(userId: string): Promise<WatchlistEntry[]> {
      const rows = await models.Watchlist.findAll({ where: { userId }, order: newestFirst, raw: true });
      return rows.map(toEntry);
    },

    /** One page of the list, newest first (1-based `page`), and how many films the list holds. */
    async page(userId: string, page: number, pageSize: number): Promise<{ entries: WatchlistEntry[]; total: number }> {
      const { rows, count } = await models.Watchlist.findAndCountAll({
        where: { userId },
        order: newestFirst,
        offset: (page - 1) * pageSize,
        limit: pageSize,
        raw: true,
      });
      return { entries: rows.map(toEntry), total: count };
    },

    async count(userId: string): Promise<number> {
      return models.Watchlist.count({ where: { userId } });
    },
  };
}

export type WatchlistRepository = ReturnType<typeof createWatchlistRepository>;
