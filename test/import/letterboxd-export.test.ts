import { describe, expect, it } from 'vitest';
import { letterboxdExport } from '../../src/import/letterboxd-export.js';

const at = (iso: string) => new Date(iso);

describe('the Letterboxd CSVs of /privacy export', () => {
  it('writes Letterboxd’s columns plus tmdbID, quotes what needs it, and marks rewatches', () => {
    const { ratings, diary } = letterboxdExport({
      ratings: [
        {
          movieId: 146,
          title: 'Crouching Tiger, Hidden Dragon',
          releaseDate: '2000-07-06',
          score: 5,
          ratedAt: at('2020-06-15T10:00:00Z'),
        },
      ],
      diary: [
        {
          entryId: 1,
          movieId: 146,
          title: 'Crouching Tiger, Hidden Dragon',
          releaseDate: '2000-07-06',
          watchedOn: '2020-06-14',
          createdAt: at('2020-06-15T10:00:00Z'),
        },
        {
          entryId: 7,
          movieId: 146,
          title: 'Crouching Tiger, Hidden Dragon',
          releaseDate: '2000-07-06',
          watchedOn: '2023-01-02',
          createdAt: at('2023-01-02T21:00:00Z'),
        },
        {
          entryId: 9,
          movieId: 531,
          title: 'The "Wrong" Trousers',
          releaseDate: null,
          watchedOn: '2024-12-25',
          createdAt: at('2024-12-26T08:00:00Z'),
        },
      ],
    });

    expect(ratings).toBe(
      'Date,Name,Year,Letterboxd URI,Rating,tmdbID\n2020-06-15,"Crouching Tiger, Hidden Dragon",2000,,5,146\n',
    );
    // The rating rides on the film's latest viewing only; the second viewing is a rewatch.
    expect(diary.split('\n')).toEqual([
      'Date,Name,Year,Letterboxd URI,Rating,Rewatch,Tags,Watched Date,tmdbID',
      '2020-06-15,"Crouching Tiger, Hidden Dragon",2000,,,,,2020-06-14,146',
      '2023-01-02,"Crouching Tiger, Hidden Dragon",2000,,5,Yes,,2023-01-02,146',
      '2024-12-26,"The ""Wrong"" Trousers",,,,,,2024-12-25,531',
      '',
    ]);
  });
});
