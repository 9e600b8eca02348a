import { Op } from 'sequelize';
import type { CachedMovie, MovieDetails, MovieStore, MovieSummary } from '../../tmdb/types.js';
import type { Models } from '../models.js';

/** Lower case, accents dropped, anything but letters and digits folded to single spaces: what title search matches on. */
export function normaliseTitle(title: string): string {
  return title
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

export function createMoviesRepository(models: Models) {
  const toMovie = (row: InstanceType<Models['Movie']>): CachedMovie => ({
    tmdbId: row.tmdbId,
    title: row.title,
    originalTitle: row.originalTitle,
    releaseDate: row.releaseDate,
    genreIds: row.genreIds,
    overview: row.overview,
    posterPath: row.posterPath,
    popularity: row.popularity,
    voteAverage: row.voteAverage,
    voteCount: row.voteCount,
    runtime: row.runtime,
    imdbId: row.imdbId,
    fetchedAt: row.fetchedAt,
    detailsFetchedAt: row.detailsFetchedAt,
  });

  const summaryColumns = (movie: MovieSummary, fetchedAt: Date) => ({
    tmdbId: movie.tmdbId,
    title: movie.title,
    searchTitle: normaliseTitle(movie.title),
    originalTitle: movie.originalTitle,
    releaseDate: movie.releaseDate,
    genreIds: movie.genreIds,
    overview: movie.overview,
    posterPath: movie.posterPath,
    popularity: movie.popularity,
    voteAverage: movie.voteAverage,
    voteCount: movie.voteCount,
    fetchedAt,
  });

  const store = {
    async findByIds(tmdbIds: readonly number[]): Promise<CachedMovie[]> {
      if (tmdbIds.length === 0) return [];
      const rows = await models.Movie.findAll({ where: { tmdbId: [...new Set(tmdbIds)] } });
      return rows.map(toMovie);
    },

    async upsertSummaries(movies: readonly MovieSummary[], fetchedAt: Date): Promise<void> {
      if (movies.length === 0) return;
      const unique = [...new Map(movies.map((movie) => [movie.tmdbId, movie])).values()];
      // Only the summary columns are overwritten, so details already fetched survive a search result.
      await models.Movie.bulkCreate(
        unique.map((movie) => ({
          ...summaryColumns(movie, fetchedAt),
          runtime: null,
          imdbId: null,
          detailsFetchedAt: null,
        })),
        {
          updateOnDuplicate: [
            'title',
            'searchTitle',
            'originalTitle',
            'releaseDate',
            'genreIds',
            'overview',
            'posterPath',
            'popularity',
            'voteAverage',
            'voteCount',
            'fetchedAt',
          ],
        },
      );
    },

    async upsertDetails(movie: MovieDetails, fetchedAt: Date): Promise<void> {
      await models.Movie.upsert({
        ...summaryColumns(movie, fetchedAt),
        runtime: movie.runtime,
        imdbId: movie.imdbId,
        detailsFetchedAt: fetchedAt,
      });
    },
  } satisfies MovieStore;

  return {
    ...store,

    async findById(tmdbId: number): Promise<CachedMovie | null> {
      const row = await models.Movie.findByPk(tmdbId);
      return row ? toMovie(row) : null;
    },

    /** Whether the film has a row (writes that reference one rely on the foreign key instead). */
    async isStored(tmdbId: number): Promise<boolean> {
      return (await models.Movie.count({ where: { tmdbId } })) > 0;
    },

    /**
     * The most popular cached films (TMDB popularity when last fetched), most popular first: what a newcomer's
     * picks fall back on when TMDB cannot answer.
     */
    async mostPopular(limit: number): Promise<CachedMovie[]> {
      const rows = await models.Movie.findAll({
        where: { popularity: { [Op.ne]: null } },
        order: [
          ['popularity', 'DESC'],
          ['tmdbId', 'ASC'],
        ],
        limit,
      });
      return rows.map(toMovie);
    },

    /**
     * Cached films whose title starts with the query or has a word starting with it, most popular first:
     * what autocomplete can answer without TMDB.
     */
    async searchByTitle(query: string, limit: number): Promise<CachedMovie[]> {
      const needle = normaliseTitle(query);
      if (needle === '') return [];
      const rows = await models.Movie.findAll({
        where: {
          [Op.or]: [{ searchTitle: { [Op.startsWith]: needle } }, { searchTitle: { [Op.substring]: ` ${needle}` } }],
        },
        order: [
          ['popularity', 'DESC NULLS LAST'],
          ['tmdbId', 'ASC'],
        ],
        limit,
      });
      return rows.map(toMovie);
    },
  };
}

export type MoviesRepository = ReturnType<typeof createMoviesRepository>;
