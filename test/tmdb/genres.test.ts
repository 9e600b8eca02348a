import { describe, expect, it } from 'vitest';
import { MOVIE_GENRES, MOVIE_GENRE_CHOICES, genreName, isMovieGenreId } from '../../src/tmdb/genres.js';
import genresFixture from '../fixtures/tmdb/genre-movie-list.json' with { type: 'json' };

describe('static movie genres', () => {
  it('has exactly the ids TMDB lists for films', () => {
    const ids = Object.keys(MOVIE_GENRES)
      .map(Number)
      .sort((a, b) => a - b);
    expect(ids).toEqual(genresFixture.genres.map((genre) => genre.id).sort((a, b) => a - b));
  });

  it('names a film genre and answers null for an id that is not one (10759 is a TV genre)', () => {
    expect(genreName(878)).toBe('Science Fiction');
    expect(genreName(10_759)).toBeNull();
    expect(isMovieGenreId(35)).toBe(true);
    expect(isMovieGenreId(Number.NaN)).toBe(false);
  });

  it('offers alphabetical slash-command choices within Discord’s limits', () => {
    expect(MOVIE_GENRE_CHOICES).toHaveLength(19);
    expect(MOVIE_GENRE_CHOICES.length).toBeLessThanOrEqual(25);
    expect(MOVIE_GENRE_CHOICES[0]).toEqual({ name: 'Action', value: 28 });
    expect(MOVIE_GENRE_CHOICES.at(-1)).toEqual({ name: 'Western', value: 37 });
    const names = MOVIE_GENRE_CHOICES.map((choice) => choice.name);
    expect(names).toEqual([...names].sort((a, b) => a.localeCompare(b, 'en')));
    expect(names.every((name) => name.length >= 1 && name.length <= 100)).toBe(true);
  });
});
