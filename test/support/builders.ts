import type { Services } from '../../src/services/index.js';
import type { MovieDetails, MovieSummary } from '../../src/tmdb/types.js';

/** Snowflake-shaped ids for tests: strings of 18 digits, never numbers. */
export const snowflake = (n: number): string => String(100_000_000_000_000_000n + BigInt(n));

export function movieSummary(tmdbId: number, overrides: Partial<MovieSummary> = {}): MovieSummary {
  return {
    tmdbId,
    title: `Film ${tmdbId}`,
    originalTitle: null,
    releaseDate: '2001-01-01',
    genreIds: [18],
    overview: null,
    posterPath: null,
    popularity: 10,
    voteAverage: 7,
    voteCount: 100,
    ...overrides,
  };
}

export function movieDetails(tmdbId: number, overrides: Partial<MovieDetails> = {}): MovieDetails {
  return { ...movieSummary(tmdbId), runtime: 120, imdbId: `tt${String(tmdbId).padStart(7, '0')}`, ...overrides };
}

/**
 * Services for a unit test that must not reach any: touching one throws, naming it. (The only cast of the
 * services in the tests: a test that needs a service builds the real one, or the handler asks for a `Pick<>`.)
 */
export function noServices(): Services {
  return new Proxy({} as Services, {
    get(_target, name) {
      throw new Error(`this test provides no services, but the code asked for ${String(name)}`);
    },
  });
}
