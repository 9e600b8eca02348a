/**
 * The seeder's taste model: pure and seeded, so one seed always gives one guild. Members fall into a few taste
 * clusters, so the recommender has neighbours to find; within a cluster each member is a little different.
 *
 * Genres g are the films' TMDB genre ids; films f are indexed by their position in the list given.
 * - Film quality q_f = 0.5·(v_f − 6.5) from TMDB's vote average v_f (0-10) when the film has one, else a seeded
 *   draw q_f ~ N(0, 0.5²).
 * - Cluster c likes two genres (the first dealt from the common genres, the second the one seen most often with it)
 *   and dislikes one: its profile p_cg = +1.2 for a favourite, −1.0 for the disliked genre, ~ N(0, 0.3²) otherwise.
 * - Member m (cluster c, drawn uniformly): affinities a_mg = p_cg + N(0, 0.3²), generosity b_m ~ N(0, 0.3²).
 *   A film's appeal to the member is the mean over its genres A_m(f) = mean_{g ∈ f} a_mg (0 for a film without one).
 * - Popularity is Zipf-like over ranks: π_f = (rank_f + 1)^−0.9, rank_f the film's position in the list when every
 *   film has a vote average (TMDB's lists come most popular first), else in a seeded shuffle (the catalogue's order
 *   says nothing about fame). The member watches M films without repeats, each draw ∝ π_f · exp(1.5·A_m(f))
 *   (Efraimidis-Spirakis keys u^(1/w)): popular films for everyone, tilted to the member's genres.
 * - Rating r_mf = clamp(round(2·(3.2 + q_f + A_m(f) + b_m + ε))/2, 0.5, 5), ε ~ N(0, 0.6²): half stars.
 */
import { fnv1a32 } from '../recommender/evaluation/folds.js';
import { createRandom, shuffled } from '../recommender/evaluation/random.js';
import { genreName } from '../tmdb/genres.js';

/** What the taste model needs of a film. */
export interface TasteFilm {
  genreIds: readonly number[];
  /** TMDB's vote average (0-10); absent: the quality is a seeded draw. */
  voteAverage?: number;
}

export interface TasteSettings {
  /** Taste clusters. */
  clusters: number;
  /** p_cg of a cluster's favourite genres and of its disliked genre. */
  favouriteAffinity: number;
  dislikedAffinity: number;
  /** σ of p_cg for the other genres, of a member's own offset from their cluster, and of generosity b_m. */
  otherGenreSd: number;
  personalSd: number;
  generositySd: number;
  /** q_f = voteScale·(v_f − voteCentre); σ of the seeded q_f otherwise. */
  voteCentre: number;
  voteScale: number;
  qualitySd: number;
  /** μ and σ of ε in the rating formula. */
  baseRating: number;
  noiseSd: number;
  /** s in π_f = (rank + 1)^−s, and τ in exp(τ·A_m(f)). */
  zipfExponent: number;
  tilt: number;
}

export const TASTE_DEFAULTS = {
  clusters: 4,
  favouriteAffinity: 1.2,
  dislikedAffinity: -1,
  otherGenreSd: 0.3,
  personalSd: 0.3,
  generositySd: 0.3,
  voteCentre: 6.5,
  voteScale: 0.5,
  qualitySd: 0.5,
  baseRating: 3.2,
  noiseSd: 0.6,
  zipfExponent: 0.9,
  tilt: 1.5,
} as const satisfies TasteSettings;

export interface TasteCluster {
  id: number;
  /** From its favourite genres, e.g. "horror and thrillers". */
  label: string;
  favouriteGenres: number[];
  dislikedGenres: number[];
}

export interface MemberTaste {
  cluster: number;
  /** b_m */
  generosity: number;
  /** a_mg, by position in `TasteModel.genres`. */
  affinities: Float64Array;
}

/** One member's draw: their taste, then the films they rated (indices into the film list) and the scores. */
export interface MemberDraw {
  taste: MemberTaste;
  films: number[];
  scores: number[];
}

export interface TasteModel {
  /** Every genre of the films, ascending. */
  readonly genres: readonly number[];
  readonly clusters: readonly TasteCluster[];
  /** q_f by film. */
  readonly quality: Float64Array;
  /** π_f by film. */
  readonly popularity: Float64Array;
  /** A_m(f). */
  appeal(taste: MemberTaste, film: number): number;
  /** Member `index`'s taste and ratings: the same for the same seed, films and index, whatever else is drawn. */
  drawMember(index: number, ratings: number): MemberDraw;
}

/** A rating rounded to half stars and kept within 0.5..5. */
export function toHalfStars(value: number): number {
  return Math.min(5, Math.max(0.5, Math.round(value * 2) / 2));
}

/** A seed of its own for each named stream, so adding a draw in one never shifts another. */
export function streamSeed(seed: number, stream: string, index = 0): number {
  return fnv1a32(`${String(seed)}:${stream}:${String(index)}`);
}

/** Standard normal draws by Box-Muller. */
export function createGaussian(random: () => number): () => number {
  return () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** Plural English names, so a label reads "horror and thrillers". */
const GENRE_PLURALS: Record<number, string> = {
  28: 'action',
  12: 'adventure',
  16: 'animation',
  35: 'comedies',
  80: 'crime',
  99: 'documentaries',
  18: 'dramas',
  10751: 'family films',
  14: 'fantasy',
  36: 'history',
  27: 'horror',
  10402: 'music films',
  9648: 'mysteries',
  10749: 'romances',
  878: 'science fiction',
  10770: 'TV movies',
  53: 'thrillers',
  10752: 'war films',
  37: 'westerns',
};

function genreWords(id: number): string {
  return GENRE_PLURALS[id] ?? genreName(id)?.toLowerCase() ?? `genre ${String(id)}`;
}

export function clusterLabel(favouriteGenres: readonly number[]): string {
  const words = favouriteGenres.map(genreWords);
  if (words.length <= 1) return words[0] ?? 'a bit of everything';
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1) ?? ''}`;
}

/**
 * Each cluster's favourite and disliked genres. Only genres common enough to fill a member's list are dealt as
 * favourites; the first favourites are distinct while there are enough genres, and the second is the genre most
 * often paired with the first on a film (horror with thrillers, animation with family films).
 */
function dealGenres(
  films: readonly TasteFilm[],
  clusters: number,
  random: () => number,
): { favourites: number[][]; disliked: number[][] } {
  const counts = new Map<number, number>();
  const together = new Map<string, number>();
  for (const film of films) {
    const genres = [...new Set(film.genreIds)];
    for (const genre of genres) counts.set(genre, (counts.get(genre) ?? 0) + 1);
    for (const a of genres)
      for (const b of genres) if (a !== b) together.set(`${a}:${b}`, (together.get(`${a}:${b}`) ?? 0) + 1);
  }
  const byCount = [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0]);
  const threshold = Math.max(1, 0.03 * films.length);
  const common = byCount.filter(([, count]) => count >= threshold).map(([genre]) => genre);
  const pool = shuffled(common.length > 0 ? common : byCount.map(([genre]) => genre), random);
  if (pool.length === 0) return { favourites: [], disliked: [] };

  const used = new Set<number>();
  const firsts = Array.from({ length: clusters }, (_, c) => {
    const first = pool.find((genre) => !used.has(genre)) ?? pool[c % pool.length]!;
    used.add(first);
    return first;
  });
  const favourites = firsts.map((first) => {
    const pairScore = (genre: number) => together.get(`${first}:${genre}`) ?? 0;
    const candidates = pool.filter((genre) => genre !== first && pairScore(genre) > 0);
    const fresh = candidates.filter((genre) => !used.has(genre));
    const best = (fresh.length > 0 ? fresh : candidates).reduce<number | undefined>(
      (chosen, genre) => (chosen === undefined || pairScore(genre) > pairScore(chosen) ? genre : chosen),
      undefined,
    );
    if (best === undefined) return [first];
    used.add(best);
    return [first, best];
  });
  const disliked = favourites.map((liked) => {
    const others = pool.filter((genre) => !liked.includes(genre));
    return others.length > 0 ? [others[Math.floor(random() * others.length)]!] : [];
  });
  return { favourites, disliked };
}

export function createTasteModel(
  films: readonly TasteFilm[],
  seed: number,
  options: Partial<TasteSettings> = {},
): TasteModel {
  const settings = { ...TASTE_DEFAULTS, ...options };
  const clusterCount = Math.max(1, Math.floor(settings.clusters));
  const genres = [...new Set(films.flatMap((film) => film.genreIds))].sort((a, b) => a - b);
  const genreAt = new Map(genres.map((genre, position) => [genre, position]));
  // Each film's genres as positions, flattened: film f's are filmGenres[genreStart[f] .. genreStart[f + 1]).
  const genreStart = new Int32Array(films.length + 1);
  const filmGenres: number[] = [];
  films.forEach((film, f) => {
    for (const genre of new Set(film.genreIds)) filmGenres.push(genreAt.get(genre)!);
    genreStart[f + 1] = filmGenres.length;
  });

  const filmRandom = createRandom(streamSeed(seed, 'films'));
  const filmGaussian = createGaussian(filmRandom);
  const quality = Float64Array.from(films, (film) =>
    film.voteAverage === undefined
      ? settings.qualitySd * filmGaussian()
      : settings.voteScale * (film.voteAverage - settings.voteCentre),
  );
  const indices = films.map((_, f) => f);
  const order = films.every((film) => film.voteAverage !== undefined) ? indices : shuffled(indices, filmRandom);
  const logPopularity = new Float64Array(films.length);
  order.forEach((f, rank) => (logPopularity[f] = -settings.zipfExponent * Math.log(rank + 1)));
  const popularity = logPopularity.map(Math.exp);

  const clusterRandom = createRandom(streamSeed(seed, 'clusters'));
  const clusterGaussian = createGaussian(clusterRandom);
  const dealt = dealGenres(films, clusterCount, clusterRandom);
  const clusters: TasteCluster[] = [];
  const profiles = Array.from({ length: clusterCount }, (_, c) => {
    const favouriteGenres = dealt.favourites[c] ?? [];
    const dislikedGenres = dealt.disliked[c] ?? [];
    clusters.push({ id: c, label: clusterLabel(favouriteGenres), favouriteGenres, dislikedGenres });
    return Float64Array.from(genres, (genre) =>
      favouriteGenres.includes(genre)
        ? settings.favouriteAffinity
        : dislikedGenres.includes(genre)
          ? settings.dislikedAffinity
          : settings.otherGenreSd * clusterGaussian(),
    );
  });

  function appeal(taste: MemberTaste, film: number): number {
    const start = genreStart[film]!;
    const end = genreStart[film + 1]!;
    if (end === start) return 0;
    let sum = 0;
    for (let at = start; at < end; at++) sum += taste.affinities[filmGenres[at]!]!;
    return sum / (end - start);
  }

  function drawMember(index: number, ratings: number): MemberDraw {
    const random = createRandom(streamSeed(seed, 'member', index));
    const gaussian = createGaussian(random);
    const cluster = Math.floor(random() * clusterCount);
    const profile = profiles[cluster]!;
    const taste: MemberTaste = {
      cluster,
      generosity: settings.generositySd * gaussian(),
      affinities: profile.map((affinity) => affinity + settings.personalSd * gaussian()),
    };
    const count = Math.min(Math.max(0, Math.floor(ratings)), films.length);
    // Efraimidis-Spirakis: the `count` largest keys ln(u)/w_f are a weighted draw without repeats.
    const appeals = new Float64Array(films.length);
    const keys = new Float64Array(films.length);
    for (let f = 0; f < films.length; f++) {
      appeals[f] = appeal(taste, f);
      keys[f] = Math.log(1 - random()) * Math.exp(-(logPopularity[f]! + settings.tilt * appeals[f]!));
    }
    const chosen = topIndices(keys, count);
    const scores = chosen.map((f) =>
      toHalfStars(settings.baseRating + quality[f]! + appeals[f]! + taste.generosity + settings.noiseSd * gaussian()),
    );
    return { taste, films: chosen, scores };
  }

  return { genres, clusters, quality, popularity, appeal, drawMember };
}

/** Indices of the `count` largest values, largest first (ties by lower index). */
function topIndices(values: Float64Array, count: number): number[] {
  if (count === 0) return [];
  // A numeric sort of the values (native, no comparator) finds the cut; only the chosen few are sorted by index.
  const threshold = Float64Array.from(values).sort()[values.length - count]!;
  const chosen: number[] = [];
  for (let at = 0; at < values.length; at++) if (values[at]! >= threshold) chosen.push(at);
  chosen.sort((a, b) => values[b]! - values[a]! || a - b);
  return chosen.slice(0, count);
}
