import { describe, expect, it } from 'vitest';
import {
  formatRuntime,
  isStarValue,
  movieLabel,
  parseTmdbId,
  plural,
  releaseYear,
  stars,
  truncate,
} from '../src/format.js';

describe('stars', () => {
  it.each([
    [0.5, '½'],
    [1, '★'],
    [3.5, '★★★½'],
    [5, '★★★★★'],
    [4.24, '★★★★'],
    [4.26, '★★★★½'],
  ])('shows %s as %s', (score, shown) => {
    expect(stars(score)).toBe(shown);
  });
});

describe('isStarValue', () => {
  it('accepts exactly the ten half stars from ½ to 5', () => {
    expect([0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5].every(isStarValue)).toBe(true);
    expect([0, 5.5, 4.25, -1, Number.NaN].some(isStarValue)).toBe(false);
  });
});

describe('movieLabel', () => {
  it('tells same-named films apart by year', () => {
    expect(movieLabel({ title: 'Dune', releaseDate: '1984-12-14' })).toBe('Dune (1984)');
    expect(movieLabel({ title: 'Dune', releaseDate: '2021-09-15' })).toBe('Dune (2021)');
  });

  it('leaves the year out when TMDB has no release date', () => {
    expect(movieLabel({ title: 'Untitled', releaseDate: null })).toBe('Untitled');
    expect(releaseYear({ releaseDate: '' })).toBeNull();
  });

  it('cuts a long title so the label, year included, fits a 100-character choice name', () => {
    const label = movieLabel({ title: 'x'.repeat(300), releaseDate: '2001-01-01' });
    expect(label).toHaveLength(100);
    expect(label.endsWith('… (2001)')).toBe(true);
  });
});

describe('truncate', () => {
  it('keeps short text and cuts long text with an ellipsis, counting characters not UTF-16 units', () => {
    expect(truncate('short', 10)).toBe('short');
    expect(truncate('🎬🎬🎬🎬', 3)).toBe('🎬🎬…');
  });
});

describe('formatRuntime', () => {
  it('shows hours and minutes, or nothing when unknown', () => {
    expect(formatRuntime(121)).toBe('2 h 01 min');
    expect(formatRuntime(45)).toBe('45 min');
    expect(formatRuntime(null)).toBeNull();
    expect(formatRuntime(0)).toBeNull();
  });
});

describe('plural', () => {
  it('counts one thing in the singular and anything else in the plural, regular or given', () => {
    expect(plural(1, 'film')).toBe('1 film');
    expect(plural(0, 'film')).toBe('0 films');
    expect(plural(2, 'diary entry', 'diary entries')).toBe('2 diary entries');
    expect(plural(1, 'diary entry', 'diary entries')).toBe('1 diary entry');
  });
});

describe('parseTmdbId', () => {
  it('reads digit strings that fit a database integer and nothing else', () => {
    expect(parseTmdbId('550')).toBe(550);
    expect(parseTmdbId('2147483647')).toBe(2_147_483_647);
    expect(parseTmdbId('2147483648')).toBeNull();
    expect(parseTmdbId('0')).toBeNull();
    expect(parseTmdbId('55a')).toBeNull();
    expect(parseTmdbId('-5')).toBeNull();
  });
});
