import { createRandom } from '../../../src/recommender/evaluation/random.js';
import type { RatingColumns } from '../../../src/recommender/index.js';

export interface SyntheticGuildOptions {
  members: number;
  films?: number;
  /** Mean ratings per member (log-normal). */
  meanRatings?: number;
  /** σ of ln(ratings per member). */
  ratingsSigma?: number;
  /** Film popularity ∝ 1 / rank^s. */
  zipfExponent?: number;
  genres?: number;
  /** Genres each member likes. */
  likedGenres?: number;
  /** Share of a member's picks drawn from the films of their liked genres (the rest from all films). */
  tasteShare?: number;
  seed?: number;
}

export const SYNTHETIC_DEFAULTS = {
  members: 1_000,
  films: 20_000,
  meanRatings: 100,
  ratingsSigma: 1.3,
  zipfExponent: 1,
  genres: 18,
  likedGenres: 2,
  tasteShare: 0.5,
  seed: 1,
} as const satisfies Required<SyntheticGuildOptions>;

/** Ratings as typed columns, the way the service hands a guild to the engine (no object per rating). */
export interface SyntheticRatings extends RatingColumns {
  userCodes: Int32Array;
  itemIds: Int32Array;
  ratings: Float32Array;
}

export interface SyntheticGuild {
  ratings: SyntheticRatings;
  /** Raw film id by popularity rank (0 = most popular). */
  filmIds: Int32Array;
  /** Cumulative popularity over ranks, for drawing films the way members do. */
  popularity: Float64Array;
  /** Genre by popularity rank. */
  genreOf: Int32Array;
}

/** Index of the first cumulative weight above `target` (binary search). */
export function drawFrom(cumulative: Float64Array, target: number): number {
  let low = 0;
  let high = cumulative.length - 1;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (cumulative[middle]! > target) high = middle;
    else low = middle + 1;
  }
  return low;
}

function cumulativeOf(weights: ArrayLike<number>): Float64Array {
  const cumulative = new Float64Array(weights.length);
  let sum = 0;
  for (let at = 0; at < weights.length; at++) cumulative[at] = sum += weights[at]!;
  return cumulative;
}

/** Standard normal by Box-Muller. */
function createGaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Snowflake-like member ids (18 digits), so id hashing costs what it costs in the bot. */
export const memberId = (index: number): string => `1${String(index).padStart(17, '0')}`;

/**
 * A seeded synthetic guild: ratings per member log-normal with the given mean (μ = ln(mean) − σ²/2),
 * film popularity Zipf over `films`, each film in one genre, each member liking `likedGenres` genres and
 * drawing `tasteShare` of their films from those (by the same Zipf weights), the rest from all films,
 * without repeats. Rating = round to ½★ of 3.5 + film quality + member bias + taste (+0.6 liked genre,
 * −0.2 other) + noise, clipped to 0.5..5.
 */
export function generateGuild(options: SyntheticGuildOptions): SyntheticGuild {
  const settings = { ...SYNTHETIC_DEFAULTS, ...options };
  const random = createRandom(settings.seed);
  const gaussian = createGaussian(random);
  const { films, genres, members } = settings;

  const weights = Float64Array.from({ length: films }, (_, rank) => 1 / Math.pow(rank + 1, settings.zipfExponent));
  const popularity = cumulativeOf(weights);
  const filmIds = new Int32Array(films);
  const genreOf = new Int32Array(films);
  const quality = new Float32Array(films);
  // TMDB-like ids, unrelated to popularity: a seeded shuffle of 1..films·7.
  const idPool = Int32Array.from({ length: films * 7 }, (_, at) => at + 1);
  for (let rank = 0; rank < films; rank++) {
    const pick = rank + Math.floor(random() * (idPool.length - rank));
    [idPool[rank], idPool[pick]] = [idPool[pick]!, idPool[rank]!];
    filmIds[rank] = idPool[rank]!;
    genreOf[rank] = Math.floor(random() * genres);
    quality[rank] = 0.5 * gaussian();
  }
  const ranksByGenre = Array.from({ length: genres }, () => [] as number[]);
  for (let rank = 0; rank < films; rank++) ranksByGenre[genreOf[rank]!]!.push(rank);
  const genreCumulative = ranksByGenre.map((ranks) => cumulativeOf(ranks.map((rank) => weights[rank]!)));

  const mu = Math.log(settings.meanRatings) - (settings.ratingsSigma * settings.ratingsSigma) / 2;
  const wanted = new Int32Array(members);
  let capacity = 0;
  for (let m = 0; m < members; m++) {
    // At most half the catalogue, so drawing without repeats stays cheap.
    wanted[m] = Math.min(films >> 1, Math.max(1, Math.round(Math.exp(mu + settings.ratingsSigma * gaussian()))));
    capacity += wanted[m]!;
  }

  const userCodes = new Int32Array(capacity);
  const itemIds = new Int32Array(capacity);
  const ratings = new Float32Array(capacity);
  const seenBy = new Int32Array(films).fill(-1);
  const liked = new Int32Array(settings.likedGenres);
  let count = 0;
  for (let m = 0; m < members; m++) {
    for (let g = 0; g < liked.length; g++) liked[g] = Math.floor(random() * genres);
    const bias = 0.4 * gaussian();
    const target = wanted[m]!;
    let drawn = 0;
    for (let attempt = 0; drawn < target && attempt < 50 * target; attempt++) {
      let rank: number;
      if (random() < settings.tasteShare) {
        const genre = liked[Math.floor(random() * liked.length)]!;
        const cumulative = genreCumulative[genre]!;
        if (cumulative.length === 0) continue;
        rank = ranksByGenre[genre]![drawFrom(cumulative, random() * cumulative[cumulative.length - 1]!)]!;
      } else {
        rank = drawFrom(popularity, random() * popularity[films - 1]!);
      }
      if (seenBy[rank] === m) continue;
      seenBy[rank] = m;
      const taste = liked.includes(genreOf[rank]!) ? 0.6 : -0.2;
      const raw = 3.5 + quality[rank]! + bias + taste + 0.7 * gaussian();
      userCodes[count] = m;
      itemIds[count] = filmIds[rank]!;
      ratings[count] = Math.min(5, Math.max(0.5, Math.round(raw * 2) / 2));
      count++;
      drawn++;
    }
  }
  const users = Array.from({ length: members }, (_, m) => memberId(m));
  return {
    ratings: {
      users,
      userCodes: userCodes.subarray(0, count),
      itemIds: itemIds.subarray(0, count),
      ratings: ratings.subarray(0, count),
    },
    filmIds,
    popularity,
    genreOf,
  };
}

/** TMDB's lists as the bench stands them in: each film's related films, best first, and a popular list. */
export interface SyntheticLists {
  related: Map<number, Int32Array>;
  popular: { itemId: number; popularity: number }[];
}

/**
 * Seeded stand-ins for TMDB's `/movie/{id}/recommendations` (page 1: `length` films of the same genre, drawn by
 * popularity without repeats) and its popular list (the `popularCount` most popular films), so the bench times the
 * ranking with the similar-films and popular sources as the bot runs it. Drawn apart from the ratings' random
 * stream, so the ratings of a seed stay the same.
 */
export function generateLists(
  guild: SyntheticGuild,
  { length = 20, popularCount = 60, seed = 1 } = {},
): SyntheticLists {
  const random = createRandom(seed ^ 0x11575);
  const { filmIds, genreOf, popularity } = guild;
  const films = filmIds.length;
  const ranksByGenre = new Map<number, number[]>();
  for (let rank = 0; rank < films; rank++) {
    const ranks = ranksByGenre.get(genreOf[rank]!) ?? [];
    ranks.push(rank);
    ranksByGenre.set(genreOf[rank]!, ranks);
  }
  const weightOf = (rank: number) => popularity[rank]! - (rank === 0 ? 0 : popularity[rank - 1]!);
  const cumulativeByGenre = new Map(
    [...ranksByGenre].map(([genre, ranks]) => [genre, cumulativeOf(ranks.map(weightOf))]),
  );
  const related = new Map<number, Int32Array>();
  for (let rank = 0; rank < films; rank++) {
    const ranks = ranksByGenre.get(genreOf[rank]!)!;
    const cumulative = cumulativeByGenre.get(genreOf[rank]!)!;
    const want = Math.min(length, ranks.length - 1);
    const list = new Set<number>();
    for (let attempt = 0; list.size < want && attempt < 50 * length; attempt++) {
      const other = ranks[drawFrom(cumulative, random() * cumulative[cumulative.length - 1]!)]!;
      if (other !== rank) list.add(filmIds[other]!);
    }
    related.set(filmIds[rank]!, Int32Array.from(list));
  }
  const popular = Array.from({ length: Math.min(popularCount, films) }, (_, rank) => ({
    itemId: filmIds[rank]!,
    popularity: weightOf(rank) * 1_000,
  }));
  return { related, popular };
}
