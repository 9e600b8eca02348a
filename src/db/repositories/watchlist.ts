import type { Models } from '../models.js';

export interface WatchlistEntry {
  userId: string;
  movieId: number;
  addedAt: Date;
}

export function createWatchlistRepository(models: Models) {
  return {
    /** Adds the film; returns false when it was already on the list. */
    async add(userId: string, movieId: number, at: Date): Promise<boolean> {
      const [, created] = await models.Watchlist.findOrCreate({
        where: { userId, movieId },
        defaults: { userId, movieId, addedAt: at },
      });
      return created;
    },

    async remove(userId: string, movieId: number): Promise<boolean> {
      return (await models.Watchlist.destroy({ where: { userId, movieId } })) > 0;
    },

    async has(userId: string, movieId: number): Promise<boolean> {
      return (await models.Watchlist.count({ where: { userId, movieId } })) > 0;
    },

    async list(userId: string): Promise<WatchlistEntry[]> {
      const rows = await models.Watchlist.findAll({ where: { userId }, order: [['addedAt', 'DESC']], raw: true });
      return rows.map(({ userId: owner, movieId, addedAt }) => ({ userId: owner, movieId, addedAt: new Date(addedAt) }));
    },
  };
}

export type WatchlistRepository = ReturnType<typeof createWatchlistRepository>;
