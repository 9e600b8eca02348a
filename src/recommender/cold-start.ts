import { PICK_SOURCES, type NeighbourPick, type PickSource } from './types.js';

/** A film from a popularity list (TMDB popular/top-rated/trending in the bot, training counts in evaluation). */
export interface PopularFilm {
  itemId: number;
  /** TMDB genre ids (empty when unknown). */
  genreIds?: readonly number[];
}

export interface ColdStartConfig {
  /** Ratings at which a member's picks come from neighbours only (given a full neighbourhood). */
  ratingThreshold: number;
  /** Neighbours (members with a co-rated film) below which neighbour picks get no share. */
  minNeighbours: number;
  /** Neighbours at which the neighbourhood counts as full. */
  fullNeighbours: number;
  /** A popular film of the member's liked genres moves up as if its rank were divided by (1 + genreBoost·affinity). */
  genreBoost: number;
}

/**
 * Set with the server-size evaluation (`scripts/evaluate.ts <ml-latest-small> --server-size N`, NDCG@10 shipped vs
 * most-popular): neighbours 5..25 → N=5 0.1570 vs 0.1570 (α = 0: 4 neighbours), N=10 0.1587 vs 0.1570,
 * N=30 0.1746 vs 0.1587, full set 0.2656 vs 0.1570. Unblended neighbour picks lose at N=5 (0.1441) and N=10 (0.1293);
 * a 10..25 ramp ties at N=10, 15..25 costs N=30 (0.1732). MovieLens members all have ≥ 20 ratings, so the rating
 * threshold (10) and the genre boost are product choices the evaluation does not exercise.
 */
export const DEFAULT_COLD_START_CONFIG = {
  ratingThreshold: 10,
  minNeighbours: 5,
  fullNeighbours: 25,
  genreBoost: 1,
} as const satisfies Required<ColdStartConfig>;

export interface BlendInput {
  /** The model's picks for the member, best first (ask for at least `count`). */
  neighbourPicks: readonly NeighbourPick[];
  /** How many ratings the member has. */
  ratingCount: number;
  /** Size of the neighbourhood the picks came from. */
  neighbourCount: number;
  /** Popular films, most popular first. */
  popular: readonly PopularFilm[];
  count: number;
  /** Films never to pick (the caller's exclusions, the member's rated and 👎 films). */
  exclude?: ReadonlySet<number>;
  filter?: (itemId: number) => boolean;
  /** Genre id → weight in [0, 1] of genres the member liked (see {@link likedGenreWeights}). */
  likedGenres?: ReadonlyMap<number, number>;
}

export interface BlendedPick {
  itemId: number;
  source: PickSource;
  /** The neighbour pick behind it (for the explanation), when the source is 'neighbours'. */
  neighbourPick: NeighbourPick | null;
}

/**
 * Share of the list given to neighbour picks:
 *   α = min(1, ratings / ratingThreshold) · clamp((neighbours − minNeighbours) / (fullNeighbours − minNeighbours), 0, 1)
 * so a newcomer gets popular films and neighbour picks take over smoothly as ratings (and neighbours) grow.
 */
export function neighbourShare(ratingCount: number, neighbourCount: number, config: ColdStartConfig): number {
  const byRatings = config.ratingThreshold <= 0 ? 1 : Math.min(1, ratingCount / config.ratingThreshold);
  const span = config.fullNeighbours - config.minNeighbours;
  const byNeighbours =
    span <= 0
      ? neighbourCount >= config.fullNeighbours
        ? 1
        : 0
      : Math.min(1, Math.max(0, (neighbourCount - config.minNeighbours) / span));
  return byRatings * byNeighbours;
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

/**
 * Blends neighbour picks with popular films: position by position, the next pick comes from the source
 * furthest below its share (α for neighbours, 1 − α for popular; neighbours first on a tie); a source
 * that runs dry yields to the other. Each film appears once, labelled with the source that placed it.
 */
export function blendPicks(input: BlendInput, config: ColdStartConfig = DEFAULT_COLD_START_CONFIG): BlendedPick[] {
  const alpha = neighbourShare(input.ratingCount, input.neighbourCount, config);
  const exclude = input.exclude ?? new Set<number>();
  const filter = input.filter ?? (() => true);
  const popular = rankPopular(input.popular, input.likedGenres ?? new Map(), config.genreBoost);
  const chosen = new Set<number>();
  const picks: BlendedPick[] = [];
  let nextNeighbour = 0;
  let nextPopular = 0;
  let fromNeighbours = 0;
  const takeNeighbour = (): boolean => {
    while (nextNeighbour < input.neighbourPicks.length) {
      const pick = input.neighbourPicks[nextNeighbour++]!;
      if (chosen.has(pick.itemId) || exclude.has(pick.itemId) || !filter(pick.itemId)) continue;
      chosen.add(pick.itemId);
      picks.push({ itemId: pick.itemId, source: PICK_SOURCES.neighbours, neighbourPick: pick });
      fromNeighbours++;
      return true;
    }
    return false;
  };
  const takePopular = (): boolean => {
    while (nextPopular < popular.length) {
      const film = popular[nextPopular++]!;
      if (chosen.has(film.itemId) || exclude.has(film.itemId) || !filter(film.itemId)) continue;
      chosen.add(film.itemId);
      picks.push({ itemId: film.itemId, source: PICK_SOURCES.popular, neighbourPick: null });
      return true;
    }
    return false;
  };
  while (picks.length < input.count) {
    const position = picks.length + 1;
    // Deficit of each source against its target share after this position.
    const neighbourDeficit = alpha * position - fromNeighbours;
    const popularDeficit = (1 - alpha) * position - (picks.length - fromNeighbours);
    const preferNeighbours = alpha > 0 && neighbourDeficit >= popularDeficit;
    const took = preferNeighbours ? takeNeighbour() || takePopular() : takePopular() || takeNeighbour();
    if (!took) break;
  }
  return picks;
}
