/** A film from a popularity list (TMDB popular/top-rated/trending in the bot, training counts in evaluation). */
export interface PopularFilm {
  itemId: number;
  /** TMDB genre ids (empty when unknown). */
  genreIds?: readonly number[];
  /** pop_i ≥ 0; absent: from the film's place in the list, n − rank (rank from 0), so the list's order is kept. */
  popularity?: number;
}

/** The popular source over dense indices: P(items[k]) = values[k]. */
export interface PopularParts {
  items: Int32Array;
  values: Float64Array;
}

/**
 * The popular source: P(i) = log(1 + pop_i) / log(1 + max_j pop_j), in [0, 1], for the films of the list (0 for the
 * rest). `indexOf` gives a film's dense index (interning it if need be); a film listed twice keeps its first place.
 */
export function popularParts(popular: readonly PopularFilm[], indexOf: (itemId: number) => number): PopularParts {
  const pops = popular.map((film, rank) => Math.max(0, film.popularity ?? popular.length - rank));
  const top = Math.log1p(Math.max(0, ...pops));
  const seen = new Set<number>();
  const items: number[] = [];
  const values: number[] = [];
  popular.forEach((film, rank) => {
    if (seen.has(film.itemId)) return;
    seen.add(film.itemId);
    items.push(indexOf(film.itemId));
    values.push(top > 0 ? Math.log1p(pops[rank]!) / top : 0);
  });
  return { items: Int32Array.from(items), values: Float64Array.from(values) };
}

/**
 * Popular films reordered by genre affinity: key = rank / (1 + genreBoost · affinity), affinity = the highest
 * liked-genre weight among the film's genres (0 without liked genres); ties keep popularity order.
 */
export function rankPopular(
  popular: readonly PopularFilm[],
  likedGenres: ReadonlyMap<number, number>,
  genreBoost: number,
): PopularFilm[] {
  if (likedGenres.size === 0 || genreBoost === 0) return [...popular];
  const keyed = popular.map((film, rank) => {
    let affinity = 0;
    for (const genre of film.genreIds ?? []) affinity = Math.max(affinity, likedGenres.get(genre) ?? 0);
    return { film, rank, key: (rank + 1) / (1 + genreBoost * affinity) };
  });
  keyed.sort((a, b) => a.key - b.key || a.rank - b.rank);
  return keyed.map(({ film }) => film);
}

/**
 * Genre weights from the films a member liked: weight(g) = liked films of genre g / liked films of the
 * member's most liked genre (so in (0, 1]).
 */
export function likedGenreWeights(
  ratings: readonly { itemId: number; rating: number }[],
  genresOf: (itemId: number) => readonly number[] | undefined,
  likedRating = 4,
): Map<number, number> {
  const counts = new Map<number, number>();
  for (const { itemId, rating } of ratings) {
    if (rating < likedRating) continue;
    for (const genre of genresOf(itemId) ?? []) counts.set(genre, (counts.get(genre) ?? 0) + 1);
  }
  const top = Math.max(0, ...counts.values());
  return new Map([...counts].map(([genre, count]) => [genre, count / top]));
}
