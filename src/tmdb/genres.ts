/**
 * TMDB's movie genres (`genre/movie/list`, English names). The ids are stable, so we keep them here
 * rather than fetching them: renderers and slash-command choices need them without a request.
 */
export const MOVIE_GENRES = {
  28: 'Action',
  12: 'Adventure',
  16: 'Animation',
  35: 'Comedy',
  80: 'Crime',
  99: 'Documentary',
  18: 'Drama',
  10751: 'Family',
  14: 'Fantasy',
  36: 'History',
  27: 'Horror',
  10402: 'Music',
  9648: 'Mystery',
  10749: 'Romance',
  878: 'Science Fiction',
  10770: 'TV Movie',
  53: 'Thriller',
  10752: 'War',
  37: 'Western',
} as const satisfies Record<number, string>;

export type MovieGenreId = keyof typeof MOVIE_GENRES;
export type MovieGenreName = (typeof MOVIE_GENRES)[MovieGenreId];

export function isMovieGenreId(id: number): id is MovieGenreId {
  return Object.hasOwn(MOVIE_GENRES, id);
}

/** The English name of a TMDB genre id, or null for an id TMDB does not use for films. */
export function genreName(id: number): MovieGenreName | null {
  return isMovieGenreId(id) ? MOVIE_GENRES[id] : null;
}

/** Slash-command choices (19, under Discord's 25), alphabetical. */
export const MOVIE_GENRE_CHOICES: readonly { name: MovieGenreName; value: MovieGenreId }[] = Object.entries(
  MOVIE_GENRES,
)
  .map(([id, name]) => ({ name, value: Number(id) as MovieGenreId }))
  .sort((a, b) => a.name.localeCompare(b.name, 'en'));
