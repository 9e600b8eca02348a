import type { CoreDeps } from '../context.js';
import { loadPage } from './paging.js';
import { refuseUnstoredFilm } from './stored-movie.js';

export interface WatchlistLine {
  movieId: number;
  title: string;
  releaseDate: string | null;
  addedAt: Date;
}

export interface WatchlistPage {
  ownerId: string;
  page: number;
  pageCount: number;
  total: number;
  lines: WatchlistLine[];
}

export interface WatchlistServiceOptions {
  /** Films per page of `/watchlist list`. */
  pageSize?: number;
}

export const WATCHLIST_DEFAULTS = { pageSize: 10 } as const satisfies Required<WatchlistServiceOptions>;

/** The films a member means to watch. */
export function createWatchlistService(core: Pick<CoreDeps, 'repos' | 'clock'>, options: WatchlistServiceOptions = {}) {
  const { repos, clock } = core;
  const { pageSize } = { ...WATCHLIST_DEFAULTS, ...options };

  return {
    /** Adds a stored film (UserFacingError 'movie-not-stored' otherwise); `added` is false when it was already there. */
    async add(userId: string, movieId: number): Promise<{ added: boolean }> {
      const added = await repos.unitOfWork(async (tx) => {
        await repos.users.ensure(userId, { tx });
        return refuseUnstoredFilm(repos.watchlist.add(userId, movieId, clock(), { tx }));
      });
      return { added };
    },

    /** Whether the film was on the list. */
    async remove(userId: string, movieId: number): Promise<boolean> {
      return repos.watchlist.remove(userId, movieId);
    },

    /** One page of the list, most recently added first, with titles. */
    async list(userId: string, requestedPage = 1): Promise<WatchlistPage> {
      const { page, pageCount, total, entries } = await loadPage(requestedPage, pageSize, (at, size) =>
        repos.watchlist.page(userId, at, size),
      );
      const movies = new Map((await repos.movies.findByIds(entries.map((e) => e.movieId))).map((m) => [m.tmdbId, m]));
      return {
        ownerId: userId,
        page,
        pageCount,
        total,
        lines: entries.map(({ movieId, addedAt }) => ({
          movieId,
          title: movies.get(movieId)?.title ?? `TMDB film ${movieId}`,
          releaseDate: movies.get(movieId)?.releaseDate ?? null,
          addedAt,
        })),
      };
    },
  };
}

export type WatchlistService = ReturnType<typeof createWatchlistService>;
