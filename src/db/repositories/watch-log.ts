import { writeReferencingFilm } from '../film-reference.js';
import type { Models } from '../models.js';
import { inTx, type TxOptions } from '../unit-of-work.js';

export interface WatchEntry {
  id: number;
  userId: string;
  movieId: number;
  /** `YYYY-MM-DD` in the member's own time zone. */
  watchedOn: string;
  note: string | null;
}

export function createWatchLogRepository(models: Models) {
  const toEntry = (row: InstanceType<Models['WatchLog']>): WatchEntry => ({
    id: row.id,
    userId: row.userId,
    movieId: row.movieId,
    watchedOn: row.watchedOn,
    note: row.note,
  });

  return {
    /** Adds a diary entry; rewatches are separate entries. FilmNotStoredError when the film has no movies row. */
    async add(entry: Omit<WatchEntry, 'id'>, at: Date, { tx }: TxOptions = {}): Promise<WatchEntry> {
      const row = await writeReferencingFilm(models, entry.movieId, tx, () =>
        models.WatchLog.create({ ...entry, createdAt: at }, inTx(tx)),
      );
      return toEntry(row);
    },

    async hasWatched(userId: string, movieId: number, { tx }: TxOptions = {}): Promise<boolean> {
      return (await models.WatchLog.count({ where: { userId, movieId }, ...inTx(tx) })) > 0;
    },

    /** Removes the latest entry for that film (the most recent watch), if any. */
    async removeLatest(userId: string, movieId: number): Promise<WatchEntry | null> {
      const row = await models.WatchLog.findOne({
        where: { userId, movieId },
        order: [
          ['watchedOn', 'DESC'],
          ['id', 'DESC'],
        ],
      });
      if (!row) return null;
      await row.destroy();
      return toEntry(row);
    },

    /** One page of the diary, newest first. */
    async page(userId: string, page: number, pageSize: number): Promise<{ entries: WatchEntry[]; total: number }> {
      const { rows, count } = await models.WatchLog.findAndCountAll({
        where: { userId },
        order: [
          ['watchedOn', 'DESC'],
          ['id', 'DESC'],
        ],
        offset: (page - 1) * pageSize,
        limit: pageSize,
      });
      return { entries: rows.map(toEntry), total: count };
    },

    async watchedMovieIds(userId: string): Promise<number[]> {
      const rows = await models.WatchLog.findAll({
        attributes: ['movieId'],
        where: { userId },
        group: ['movieId'],
        raw: true,
      });
      return rows.map((row) => row.movieId);
    },

    async countByUser(userId: string): Promise<number> {
      return models.WatchLog.count({ where: { userId } });
    },

    /** How many times the member logged this film (rewatches count). */
    async countForMovie(userId: string, movieId: number): Promise<number> {
      return models.WatchLog.count({ where: { userId, movieId } });
    },
  };
}

export type WatchLogRepository = ReturnType<typeof createWatchLogRepository>;
