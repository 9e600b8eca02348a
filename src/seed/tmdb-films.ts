import type { MovieCatalog } from '../tmdb/catalog.js';
import type { MovieSummary } from '../tmdb/types.js';
import type { SeedFilm } from './seed.js';

/** Pages read of each list: about 350 distinct films, 20 requests. */
export const TMDB_LIST_PAGES = 10;

function toSeedFilm(movie: MovieSummary): SeedFilm {
  const year = /^(\d{4})/.exec(movie.releaseDate ?? '')?.[1];
  return {
    tmdbId: movie.tmdbId,
    title: movie.title,
    year: year === undefined ? null : Number(year),
    genreIds: movie.genreIds,
    runtime: null,
    ...(movie.voteAverage === null ? {} : { voteAverage: movie.voteAverage }),
  };
}

/**
 * Films for the seeder from TMDB's popular list, then its top-rated list (first `pages` pages of each), most popular
 * first, each film once. Read through the bot's catalogue, which stores every film in the movies table as the bot
 * caches what it fetches; TMDB's vote average becomes the film's quality in the taste model.
 */
export async function tmdbSeedFilms(
  catalog: Pick<MovieCatalog, 'popular' | 'topRated'>,
  pages = TMDB_LIST_PAGES,
): Promise<SeedFilm[]> {
  const films = new Map<number, SeedFilm>();
  for (const list of [catalog.popular, catalog.topRated]) {
    for (let page = 1; page <= pages; page++) {
      const answer = await list({ page });
      for (const movie of answer.results) if (!films.has(movie.tmdbId)) films.set(movie.tmdbId, toSeedFilm(movie));
      if (page >= answer.totalPages) break;
    }
  }
  return [...films.values()];
}
