import type { CoreDeps } from '../context.js';
import type { WatchEntry } from '../db/repositories/watch-log.js';
import type { StarValue } from '../format.js';
import { UserFacingError } from '../errors.js';
import { calendarDate, isCalendarDate, shiftDate } from '../time.js';
import { loadPage } from './paging.js';
import type { RatingService } from './ratings.js';
import { refuseUnstoredFilm } from './stored-movie.js';
import { assertCanView } from './visibility.js';

/** Nobody logs a screening from before this through a Discord bot; earlier dates are typos. */
const EARLIEST_DIARY_DATE = '1900-01-01';

/**
 * What a member typed as the watch date: `YYYY-MM-DD`, `today` or `yesterday` (default today), read in
 * their time zone. A malformed date, one in the future or before 1900 is refused.
 */
export function parseDiaryDate(input: string | null | undefined, now: Date, timeZone: string): string {
  const today = calendarDate(now, timeZone);
  const text = (input ?? '').trim().toLowerCase();
  if (text === '' || text === 'today') return today;
  if (text === 'yesterday') return shiftDate(today, -1);
  if (!isCalendarDate(text)) {
    throw new UserFacingError('bad-date', 'Give the date as YYYY-MM-DD (e.g. 2026-01-31), or say today or yesterday.');
  }
  if (text > today)
    throw new UserFacingError('future-date', `${text} is in the future: log a film once you have seen it.`);
  if (text < EARLIEST_DIARY_DATE) throw new UserFacingError('bad-date', `${text} is too far back for a diary entry.`);
  return text;
}

export interface DiaryEntryInput {
  userId: string;
  /** `YYYY-MM-DD`, `today` or `yesterday`; default today in the member's time zone. */
  date?: string | null;
  /** Also rate the film (replacing an earlier rating). */
  stars?: number | null;
}

export interface CheckedDiaryEntry {
  watchedOn: string;
  stars: StarValue | null;
}

export interface DiaryAddOutcome {
  entry: WatchEntry;
  stars: StarValue | null;
  /** The rating replaced by `stars`, or null. */
  previousStars: number | null;
  /** Entries for this film in the member's diary, this one included. */
  timesWatched: number;
}

export interface DiaryListRequest {
  /** Who asks. */
  viewerId: string;
  /** Whose diary. */
  ownerId: string;
  /** Whether Discord says the owner is a member of the guild where the viewer asks (checked by the caller). */
  ownerInGuild: boolean;
  /** 1-based; clamped to the pages there are. */
  page?: number;
}

export interface DiaryLine {
  entryId: number;
  movieId: number;
  title: string;
  releaseDate: string | null;
  watchedOn: string;
  /** The owner's current rating of the film, or null. */
  stars: number | null;
}

export interface DiaryPage {
  ownerId: string;
  page: number;
  pageCount: number;
  total: number;
  lines: DiaryLine[];
}

export interface DiaryServiceDeps {
  ratings: Pick<RatingService, 'checkStars' | 'rateWithin'>;
  /** Entries per page of `/watched list`. */
  pageSize?: number;
}

export const DIARY_DEFAULTS = { pageSize: 10 } as const satisfies Required<Omit<DiaryServiceDeps, 'ratings'>>;

/** The diary: one entry per viewing (rewatches allowed), optionally rated in the same unit of work. */
export function createDiaryService(core: Pick<CoreDeps, 'repos' | 'clock'>, deps: DiaryServiceDeps) {
  const { repos, clock } = core;
  const { ratings, ...options } = deps;
  const { pageSize } = { ...DIARY_DEFAULTS, ...options };

  async function check({ userId, date, stars }: DiaryEntryInput): Promise<CheckedDiaryEntry> {
    const checkedStars = stars === null || stars === undefined ? null : ratings.checkStars(stars);
    const { timezone } = await repos.users.get(userId);
    return { watchedOn: parseDiaryDate(date, clock(), timezone), stars: checkedStars };
  }

  return {
    /** Validates the date and stars before anything else happens (e.g. before a command defers). */
    check,

    /** Adds a diary entry and, with stars, saves the rating: both or neither. */
    async add(input: DiaryEntryInput & { movieId: number }): Promise<DiaryAddOutcome> {
      const { userId, movieId } = input;
      const { watchedOn, stars } = await check(input);
      const saved = await repos.unitOfWork(async (tx) => {
        await repos.users.ensure(userId, { tx });
        const entry = await refuseUnstoredFilm(
          repos.watchLog.add({ userId, movieId, watchedOn, note: null }, clock(), { tx }),
        );
        const rated = stars === null ? null : await ratings.rateWithin(tx, { userId, movieId, stars });
        return { entry, previousStars: rated?.previous ?? null };
      });
      return { ...saved, stars, timesWatched: await repos.watchLog.countForMovie(userId, movieId) };
    },

    /** Removes the member's latest entry for the film; null when there was none. Ratings stay. */
    async removeLatest(userId: string, movieId: number): Promise<WatchEntry | null> {
      return repos.watchLog.removeLatest(userId, movieId);
    },

    /** One page of a diary, newest first, with titles and the owner's current ratings. */
    async list({ viewerId, ownerId, ownerInGuild, page: requested }: DiaryListRequest): Promise<DiaryPage> {
      await assertCanView(repos.users, { viewerId, ownerId, isOwnerInGuild: () => ownerInGuild });
      const { page, pageCount, total, entries } = await loadPage(requested, pageSize, (at, size) =>
        repos.watchLog.page(ownerId, at, size),
      );
      const movieIds = [...new Set(entries.map((entry) => entry.movieId))];
      const [movies, scores] = await Promise.all([
        repos.movies.findByIds(movieIds),
        Promise.all(movieIds.map(async (id) => [id, (await repos.ratings.get(ownerId, id))?.score ?? null] as const)),
      ]);
      const byId = new Map(movies.map((movie) => [movie.tmdbId, movie]));
      const starsById = new Map(scores);
      return {
        ownerId,
        page,
        pageCount,
        total,
        lines: entries.map((entry) => ({
          entryId: entry.id,
          movieId: entry.movieId,
          title: byId.get(entry.movieId)?.title ?? `TMDB film ${entry.movieId}`,
          releaseDate: byId.get(entry.movieId)?.releaseDate ?? null,
          watchedOn: entry.watchedOn,
          stars: starsById.get(entry.movieId) ?? null,
        })),
      };
    },
  };
}

export type DiaryService = ReturnType<typeof createDiaryService>;
