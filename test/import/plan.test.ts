import { describe, expect, it } from 'vitest';
import { planWrites, startOfDay, type FilmState, type MatchedRow } from '../../src/import/plan.js';
import type { ImportRow } from '../../src/import/rows.js';
import type { StarValue } from '../../src/format.js';

const FILM = 949;
let line = 1;
function row(kind: ImportRow['kind'], date: string, extra: { stars?: StarValue; watchedOn?: string } = {}): MatchedRow {
  return {
    movieId: FILM,
    row: {
      file: 'x.csv',
      line: ++line,
      kind,
      film: { by: 'title', title: 'Heat', year: 1995 },
      date,
      stars: extra.stars ?? null,
      watchedOn: extra.watchedOn ?? null,
      source: {},
    },
  };
}
const state = (partial: Partial<FilmState>): Map<number, FilmState> =>
  new Map([[FILM, { rating: null, diary: new Map(), onWatchlist: false, ...partial }]]);

describe('what an import writes', () => {
  it('never lets a rating older than the member’s current one overwrite it', () => {
    const current = { score: 4, ratedAt: new Date('2026-03-10T12:00:00Z') };
    const older = planWrites([row('rating', '2020-05-01', { stars: 3.5 })], state({ rating: current }));
    expect(older.ratings).toEqual([]);
    expect(older.outcomes).toEqual(['already']);

    const newer = planWrites([row('rating', '2026-03-11', { stars: 3.5 })], state({ rating: current }));
    expect(newer.ratings).toEqual([{ movieId: FILM, stars: 3.5, ratedAt: startOfDay('2026-03-11') }]);
    expect(newer.outcomes).toEqual(['imported']);

    const same = planWrites([row('rating', '2026-03-11', { stars: 4 })], state({ rating: current }));
    expect(same.ratings).toEqual([]);
    expect(same.outcomes).toEqual(['already']);
  });

  it('keeps the newest of a film’s rated rows, a ratings row over a diary row of the same day', () => {
    const rows = [
      row('diary', '2021-01-01', { stars: 2, watchedOn: '2021-01-01' }),
      row('diary', '2022-06-01', { stars: 3, watchedOn: '2022-05-31' }),
      row('rating', '2022-06-01', { stars: 3.5 }),
    ];
    const plan = planWrites(rows, state({}));
    expect(plan.ratings).toEqual([{ movieId: FILM, stars: 3.5, ratedAt: startOfDay('2022-06-01') }]);
    // Both diary rows still add their viewing.
    expect(plan.diary.map((entry) => entry.watchedOn)).toEqual(['2021-01-01', '2022-05-31']);
    expect(plan.outcomes).toEqual(['imported', 'imported', 'imported']);
  });

  it('adds each viewing once: a second import of the same diary adds nothing, two the same day stay two', () => {
    const rows = [
      row('diary', '2023-01-01', { watchedOn: '2023-01-01' }),
      row('diary', '2023-01-01', { watchedOn: '2023-01-01' }),
      row('diary', '2023-02-01', { watchedOn: '2023-02-01' }),
    ];
    const first = planWrites(rows, state({}));
    expect(first.diary).toHaveLength(3);
    const again = planWrites(
      rows,
      state({
        diary: new Map([
          ['2023-01-01', 2],
          ['2023-02-01', 1],
        ]),
      }),
    );
    expect(again.diary).toEqual([]);
    expect(again.outcomes).toEqual(['already', 'already', 'already']);
    const half = planWrites(rows, state({ diary: new Map([['2023-01-01', 1]]) }));
    expect(half.diary.map((entry) => entry.watchedOn)).toEqual(['2023-01-01', '2023-02-01']);
  });

  it('logs a film marked as watched only when the diary has no entry for it', () => {
    expect(planWrites([row('watched', '2019-03-02')], state({})).diary).toEqual([
      { movieId: FILM, watchedOn: '2019-03-02', loggedAt: startOfDay('2019-03-02') },
    ]);
    expect(planWrites([row('watched', '2019-03-02')], state({ diary: new Map([['2010-01-01', 1]]) })).diary).toEqual(
      [],
    );
    const withDiary = planWrites(
      [row('diary', '2020-01-01', { watchedOn: '2020-01-01' }), row('watched', '2020-01-01')],
      state({}),
    );
    expect(withDiary.diary).toHaveLength(1);
    expect(withDiary.outcomes).toEqual(['imported', 'already']);
  });

  it('adds a watchlist film unless it is there', () => {
    expect(planWrites([row('watchlist', '2024-01-05')], state({})).watchlist).toEqual([
      { movieId: FILM, addedAt: startOfDay('2024-01-05') },
    ]);
    expect(planWrites([row('watchlist', '2024-01-05')], state({ onWatchlist: true })).outcomes).toEqual(['already']);
  });
});
