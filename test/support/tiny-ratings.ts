import type { RatingInput } from '../../src/recommender/index.js';

/**
 * Three members and five films, small enough to work every figure out by hand: u1 and u2 share films 1 and 2
 * (residuals (2, −2) and (1, −1) around μ = 3), u3 shares nothing.
 */
export const TINY_RATINGS: readonly RatingInput[] = [
  { userId: 'u1', itemId: 1, rating: 5 },
  { userId: 'u1', itemId: 2, rating: 1 },
  { userId: 'u1', itemId: 3, rating: 2 },
  { userId: 'u2', itemId: 1, rating: 4 },
  { userId: 'u2', itemId: 2, rating: 2 },
  { userId: 'u2', itemId: 4, rating: 4 },
  { userId: 'u3', itemId: 5, rating: 3 },
];
