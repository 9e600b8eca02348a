import { createRandom } from '../../src/recommender/evaluation/random.js';
import type { SeedFilm } from '../../src/seed/seed.js';

/** Genres by how often TMDB's films carry them (roughly), so synthetic films look like a real list. */
const GENRE_WEIGHTS: readonly (readonly [number, number])[] = [
  [18, 30],
  [35, 20],
  [53, 14],
  [28, 14],
  [10749, 10],
  [27, 10],
  [80, 9],
  [12, 8],
  [878, 7],
  [14, 6],
  [9648, 6],
  [16, 5],
  [10751, 5],
  [36, 3],
  [10752, 3],
  [10402, 3],
  [99, 3],
  [37, 2],
];

/** `count` made-up films (TMDB-like ids from 90_001) with one to three genres each, from a seeded stream. */
export function syntheticSeedFilms(count: number, seed = 11): SeedFilm[] {
  const random = createRandom(seed);
  const total = GENRE_WEIGHTS.reduce((sum, [, weight]) => sum + weight, 0);
  const drawGenre = () => {
    let target = random() * total;
    for (const [genre, weight] of GENRE_WEIGHTS) if ((target -= weight) < 0) return genre;
    return 18;
  };
  return Array.from({ length: count }, (_, index) => {
    const genres = new Set([drawGenre()]);
    const extra = random() < 0.6 ? (random() < 0.4 ? 2 : 1) : 0;
    while (genres.size < 1 + extra) genres.add(drawGenre());
    return {
      tmdbId: 90_001 + index,
      title: `Synthetic Film ${String(index + 1)}`,
      year: 1970 + (index % 55),
      genreIds: [...genres],
      runtime: 85 + (index % 70),
    };
  });
}
