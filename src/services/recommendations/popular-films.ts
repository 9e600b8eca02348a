import type { MoviesRepository } from '../../db/repositories/movies.js';
import { combineSignals, startDeadline } from '../../deadline.js';
import type { Logger } from '../../logger.js';
import { likedGenreWeights, type PopularFilm } from '../../recommender/index.js';
import type { MovieCatalog } from '../../tmdb/catalog.js';
import type { MovieList } from '../../tmdb/schemas.js';
import type { MovieSummary } from '../../tmdb/types.js';
import type { FilmFacts } from './film-facts.js';

/** Which TMDB list a popular film came from; 'cached' when TMDB did not answer and the movies table did. */
export type PopularListName = 'popular' | 'trending' | 'top-rated' | 'cached';

/** A popular film and the list it came from (the reason says "Popular on TMDB this week" for trending ones). */
export interface ListedFilm extends PopularFilm {
  list: PopularListName;
}

export interface PopularFilmsOptions {
  /** TMDB list pages (popular, trending, top rated) read at most for cold-start picks. */
  popularPages?: number;
  /** Time the TMDB lists may take within a request, whatever the caller's own deadline. */
  popularBudgetMs?: number;
  /** Cached films offered when TMDB cannot answer. */
  cachedPopularLimit?: number;
}

export interface PopularFilmsDeps {
  catalog: Pick<MovieCatalog, 'popular' | 'trending' | 'topRated'>;
  movies: Pick<MoviesRepository, 'mostPopular'>;
  /** Told the genres and years of every film the lists hold, for the request's filters. */
  facts: FilmFacts;
  log: Logger;
}

/**
 * The popular source's films: TMDB's lists in the order a newcomer should see them (the blend turns that order into
 * P(i), src/recommender/popular.ts), and which genres a member likes (moves those up).
 */
export function createPopularFilms(
  { catalog, movies, facts, log }: PopularFilmsDeps,
  options: Required<PopularFilmsOptions>,
) {
  return {
    /**
     * TMDB's popular, trending and top-rated films interleaved (each film once), page by page until `need`
     * pass `accept`; a list that fails is skipped, and when none answers, the most popular cached films.
     */
    async popularFilms(
      need: number,
      accept: (film: MovieSummary) => boolean,
      signal?: AbortSignal,
    ): Promise<ListedFilm[]> {
      const budget = startDeadline(options.popularBudgetMs);
      try {
        return await readLists(need, accept, combineSignals(budget.signal, signal));
      } finally {
        budget.cancel();
      }
    },

    /** Genre weights from the films the member rated 4★ or more (rankPopular moves those genres up). */
    async likedGenres(ratings: readonly { movieId: number; score: number }[]): Promise<Map<number, number>> {
      const liked = ratings.filter(({ score }) => score >= 4);
      await facts.load(liked.map(({ movieId }) => movieId));
      return likedGenreWeights(
        liked.map(({ movieId, score }) => ({ itemId: movieId, rating: score })),
        (itemId) => facts.genresOf(itemId),
      );
    },
  };

  async function readLists(
    need: number,
    accept: (film: MovieSummary) => boolean,
    deadline: AbortSignal,
  ): Promise<ListedFilm[]> {
    const lists: { name: PopularListName; page: (page: number) => Promise<MovieList> }[] = [
      { name: 'popular', page: (page) => catalog.popular({ page, signal: deadline }) },
      { name: 'trending', page: (page) => catalog.trending('week', { page, signal: deadline }) },
      { name: 'top-rated', page: (page) => catalog.topRated({ page, signal: deadline }) },
    ];
    const seen = new Set<number>();
    const films: ListedFilm[] = [];
    let accepted = 0;
    let answered = false;
    let open = lists;
    for (let page = 1; page <= options.popularPages && open.length > 0 && accepted < need; page++) {
      const results = await Promise.allSettled(open.map((list) => list.page(page)));
      const next: typeof lists = [];
      const pages: { list: PopularListName; results: MovieSummary[] }[] = [];
      results.forEach((result, index) => {
        const list = open[index]!;
        if (result.status === 'rejected') {
          log.warn({ err: result.reason, list: list.name, page }, 'TMDB list unavailable for cold-start picks');
          return;
        }
        answered = true;
        pages.push({ list: list.name, results: result.value.results });
        if (page < result.value.totalPages) next.push(list);
      });
      // Interleaved, so no single list fills the top of the blend.
      const longest = Math.max(0, ...pages.map(({ results }) => results.length));
      for (let rank = 0; rank < longest; rank++) {
        for (const { list, results } of pages) {
          const movie = results[rank];
          if (!movie || seen.has(movie.tmdbId)) continue;
          seen.add(movie.tmdbId);
          facts.remember([movie]);
          films.push({ itemId: movie.tmdbId, genreIds: movie.genreIds, list });
          if (accept(movie)) accepted++;
        }
      }
      open = next;
    }
    if (answered) return films;
    const cached = await movies.mostPopular(options.cachedPopularLimit);
    facts.remember(cached);
    return cached.map((movie) => ({ itemId: movie.tmdbId, genreIds: movie.genreIds, list: 'cached' }));
  }
}

export type PopularFilms = ReturnType<typeof createPopularFilms>;
