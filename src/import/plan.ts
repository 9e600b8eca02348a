import type { StarValue } from '../format.js';
import type { ImportRow } from './rows.js';

/** What the member already has of one film (read inside the write's unit of work). */
export interface FilmState {
  rating: { score: number; ratedAt: Date } | null;
  /** Diary entries by the day watched: how many. */
  diary: ReadonlyMap<string, number>;
  onWatchlist: boolean;
}

/** A row whose film was matched. */
export interface MatchedRow {
  row: ImportRow;
  movieId: number;
}

/** 'imported': the row added or changed something; 'already': Marquee had it, or something newer. */
export type RowOutcome = 'imported' | 'already';

export interface WritePlan {
  ratings: { movieId: number; stars: StarValue; ratedAt: Date }[];
  diary: { movieId: number; watchedOn: string; loggedAt: Date }[];
  watchlist: { movieId: number; addedAt: Date }[];
  /** One per input row, in the same order. */
  outcomes: RowOutcome[];
}

/** A row's date as a moment: the start of that day in UTC (exports give days, not times). */
export function startOfDay(date: string): Date {
  return new Date(`${date}T00:00:00.000Z`);
}

const EMPTY: FilmState = { rating: null, diary: new Map(), onWatchlist: false };

/**
 * What a batch of matched rows adds, given what the member has (pure: the rules of issue 17 in one place).
 *
 * - Ratings: of a film's rated rows, the newest (by date; on the same day a ratings row before a diary row, then the
 *   later line) is the candidate. It is saved unless the member's rating is the same or at least as new: a rating
 *   older than the current one never overwrites it. Rows giving the saved stars count as imported; the others as
 *   already there (something newer won).
 * - Diary rows (rewatches included) become diary entries, each viewing once: a file holding n entries for a film on
 *   a day adds as many as the member lacks, so importing the same file twice adds nothing the second time.
 * - A film marked as watched gets one entry, dated the day it was marked, only when the diary has none for it.
 * - Watchlist rows add the film unless it is there.
 */
export function planWrites(rows: readonly MatchedRow[], states: ReadonlyMap<number, FilmState>): WritePlan {
  const plan: WritePlan = { ratings: [], diary: [], watchlist: [], outcomes: rows.map(() => 'already') };
  const byFilm = new Map<number, number[]>();
  rows.forEach(({ movieId }, index) => byFilm.set(movieId, [...(byFilm.get(movieId) ?? []), index]));

  for (const [movieId, indices] of byFilm) {
    const state = states.get(movieId) ?? EMPTY;
    const of = (kind: ImportRow['kind']) => indices.filter((index) => rows[index]?.row.kind === kind);
    const rowAt = (index: number): ImportRow => rows[index]!.row;
    let entries = [...state.diary.values()].reduce((sum, count) => sum + count, 0);

    // Diary: per day, as many entries as the member lacks.
    const seenOnDay = new Map<string, number>();
    for (const index of of('diary')) {
      const { watchedOn, date } = rowAt(index);
      if (watchedOn === null) continue;
      const nth = (seenOnDay.get(watchedOn) ?? 0) + 1;
      seenOnDay.set(watchedOn, nth);
      if (nth > (state.diary.get(watchedOn) ?? 0)) {
        plan.diary.push({ movieId, watchedOn, loggedAt: startOfDay(date) });
        plan.outcomes[index] = 'imported';
        entries++;
      }
    }

    // Watched without a date: one entry when the diary has none.
    for (const index of of('watched')) {
      if (entries > 0) continue;
      const { date } = rowAt(index);
      plan.diary.push({ movieId, watchedOn: date, loggedAt: startOfDay(date) });
      plan.outcomes[index] = 'imported';
      entries++;
    }

    // Ratings: the newest candidate, unless the member's own is the same or newer.
    const rated = indices.filter((index) => rowAt(index).stars !== null);
    const newest = rated.reduce<number | null>((best, index) => {
      if (best === null) return index;
      const [a, b] = [rowAt(best), rowAt(index)];
      if (b.date !== a.date) return b.date > a.date ? index : best;
      if (a.kind !== b.kind) return b.kind === 'rating' ? index : best;
      return index;
    }, null);
    if (newest !== null) {
      const candidate = rowAt(newest);
      const stars = candidate.stars!;
      const ratedAt = startOfDay(candidate.date);
      const current = state.rating;
      if (current === null || (current.score !== stars && ratedAt.getTime() > current.ratedAt.getTime())) {
        plan.ratings.push({ movieId, stars, ratedAt });
        // Every row that gave the rating now saved was imported, not just the newest (ratings.csv and diary agree).
        for (const index of rated) if (rowAt(index).stars === stars) plan.outcomes[index] = 'imported';
      }
    }

    // Watchlist.
    let listed = state.onWatchlist;
    for (const index of of('watchlist')) {
      if (listed) continue;
      plan.watchlist.push({ movieId, addedAt: startOfDay(rowAt(index).date) });
      plan.outcomes[index] = 'imported';
      listed = true;
    }
  }
  return plan;
}
