import { describe, expect, it } from 'vitest';
import { progressLine, summaryLines, type ImportSummary } from '../../src/import/summary.js';

const base: ImportSummary = {
  format: 'imdb',
  files: [{ name: 'ratings.csv', kind: 'ratings', rows: 1_300 }],
  films: 1_250,
  filmsLookedUp: 1_250,
  counts: { rows: 1_300, imported: 1_200, already: 40, notFilms: 45, unmatched: 15, notReached: 0 },
  end: { kind: 'done' },
  unmatchedFile: { name: 'unmatched-imdb.csv', text: '' },
  unmatchedReasons: { 'no-match': 15 },
};

describe('what the member reads about an import', () => {
  it('says what was imported, skipped and unmatched, and how to fix the unmatched rows', () => {
    expect(summaryLines(base, '/import imdb')).toEqual([
      'Imported 1,200 of 1,300 rows from ratings.csv.',
      'Skipped 85: 40 already in Marquee (the same, or a newer rating); 45 not films (TV series, episodes and the like).',
      '15 rows matched no film for sure, listed in unmatched-imdb.csv: fix the title or year, or fill in tmdbID (the number in the film’s themoviedb.org address), then import that file: /import imdb.',
    ]);
    expect(progressLine({ ...base, filmsLookedUp: 300, counts: { ...base.counts, notReached: 900 } })).toBe(
      'Importing ratings.csv: looked up 300 of 1,250 films, 400 of 1,300 rows done.',
    );
  });

  it('says why an import stopped, what stays, and how to finish', () => {
    const stopped: ImportSummary = {
      ...base,
      end: { kind: 'stopped', reason: 'tmdb-unavailable' },
      counts: { rows: 1_300, imported: 500, already: 0, notFilms: 45, unmatched: 0, notReached: 755 },
      unmatchedFile: null,
    };
    expect(summaryLines(stopped, '/import imdb')).toEqual([
      'The import stopped after 545 of 1,300 rows: TMDB stopped answering. The 500 rows imported stay.',
      'Skipped 45: 45 not films (TV series, episodes and the like).',
      '755 rows were not reached: import the same file again to finish (what was imported is skipped).',
    ]);
    // After the member deleted their data, nothing stays and nothing is to be finished.
    expect(summaryLines({ ...stopped, end: { kind: 'stopped', reason: 'forgotten' } }, '/import imdb')[0]).toBe(
      'The import stopped after 545 of 1,300 rows: you deleted your data in Marquee meanwhile, so nothing more was saved.',
    );
  });
});
