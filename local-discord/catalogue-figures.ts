/**
 * The local TMDB's figures for the offline demo, computed from one server's ratings and the catalogue's genres and
 * years: popularity, vote average and count, lists, and each film's related films. TMDB's real figures come from
 * TMDB's millions of users; these come from the demo server's few dozen members, and the demo says so wherever it
 * shows them. Pure: ratings in, figures out.
 */

export interface DemoRating {
  userId: string;
  movieId: number;
  /** Stars, 0.5-5. */
  score: number;
  ratedAt?: Date;
}

/** What the figures need of a film: its id, genres and year. */
export interface FigureFilm {
  tmdbId: number;
  genreIds: readonly number[];
  year: number;
}

export interface FilmFigures {
  /** Members who rated it: TMDB's `vote_count`. */
  voteCount: number;
  /** Their mean stars × 2, on TMDB's 0-10 scale to 3 decimals (0 when nobody rated it, as TMDB sends). */
  voteAverage: number;
  /** The number of ratings, as TMDB's popularity is a count of interest (ratings are all the demo has). */
  popularity: number;
  /** Ratings within 1 and 7 days of the latest rating: what the trending lists rank by. */
  recentDay: number;
  recentWeek: number;
}

export interface DemoFigures {
  films: ReadonlyMap<number, FilmFigures>;
  /** `movie/{id}/recommendations`: film id → related film ids, best first. */
  recommendations: ReadonlyMap<number, readonly number[]>;
  /** `movie/{id}/similar`: film id → films of the same genres and years, best first. */
  similar: ReadonlyMap<number, readonly number[]>;
}

export interface FigureOptions {
  /** A rating at or above this many stars is a like, for the co-rating part of related films. */
  likedAt?: number;
  /** Co-likers at which the co-rating part reaches half its weight: n/(n + shrink). */
  shrink?: number;
  /** Weights of co-likes, shared genres and close years in a related film's score. */
  weights?: { coLikes: number; genres: number; years: number };
  /** Years apart at which the year part halves. */
  yearScale?: number;
  /** Related films kept per film (TMDB gives two pages of 20). */
  relatedCount?: number;
}

export const FIGURE_DEFAULTS = {
  likedAt: 3.5,
  shrink: 5,
  weights: { coLikes: 0.6, genres: 0.3, years: 0.1 },
  yearScale: 10,
  relatedCount: 40,
} as const satisfies Required<FigureOptions>;

const DAY_MS = 86_400_000;
const round3 = (value: number) => Math.round(value * 1_000) / 1_000;

/** |A ∩ B| / |A ∪ B| of two genre lists. */
export function genreOverlap(a: readonly number[], b: readonly number[]): number {
  const union = new Set([...a, ...b]);
  if (union.size === 0) return 0;
  const inB = new Set(b);
  return new Set(a.filter((genre) => inB.has(genre))).size / union.size;
}

/** 1 / (1 + |Δyear| / scale): 1 for the same year, ½ at `scale` years apart. */
export function yearCloseness(a: number, b: number, scale: number = FIGURE_DEFAULTS.yearScale): number {
  return 1 / (1 + Math.abs(a - b) / scale);
}

/**
 * Per film: `voteCount` = n ratings, `voteAverage` = 2 × mean stars, `popularity` = n. Related films of a:
 *
 *   score(a, b) = w_c · C(a, b) + w_g · J(a, b) + w_y · Y(a, b)
 *   C(a, b) = n_ab / √(n_a · n_b) · n_ab / (n_ab + shrink)   (n = members who liked, n_ab = who liked both)
 *   J = genreOverlap, Y = yearCloseness
 *
 * keeping films that share a liker or a genre, best first (ties by id). `similar` ranks by genres and years alone
 * (w_g : w_y, sharing a genre), as TMDB's similar list goes by what films are rather than who liked them.
 */
export function computeDemoFigures(
  films: readonly FigureFilm[],
  ratings: readonly DemoRating[],
  options: FigureOptions = {},
): DemoFigures {
  const settings = { ...FIGURE_DEFAULTS, ...options };
  const known = new Map(films.map((film) => [film.tmdbId, film]));
  const sums = new Map<number, { n: number; total: number; day: number; week: number }>();
  const latest = Math.max(0, ...ratings.map((rating) => rating.ratedAt?.getTime() ?? 0));
  const likedBy = new Map<string, number[]>();
  for (const rating of ratings) {
    if (!known.has(rating.movieId)) continue;
    const sum = sums.get(rating.movieId) ?? { n: 0, total: 0, day: 0, week: 0 };
    sum.n++;
    sum.total += rating.score;
    const age = rating.ratedAt === undefined ? Number.POSITIVE_INFINITY : latest - rating.ratedAt.getTime();
    if (age <= DAY_MS) sum.day++;
    if (age <= 7 * DAY_MS) sum.week++;
    sums.set(rating.movieId, sum);
    if (rating.score >= settings.likedAt) {
      const liked = likedBy.get(rating.userId) ?? [];
      liked.push(rating.movieId);
      likedBy.set(rating.userId, liked);
    }
  }

  const figures = new Map<number, FilmFigures>();
  for (const film of films) {
    const sum = sums.get(film.tmdbId);
    figures.set(film.tmdbId, {
      voteCount: sum?.n ?? 0,
      voteAverage: sum ? round3((2 * sum.total) / sum.n) : 0,
      popularity: sum?.n ?? 0,
      recentDay: sum?.day ?? 0,
      recentWeek: sum?.week ?? 0,
    });
  }

  // Likers per film and co-likers per pair (a member's liked films, each pair once per member).
  const likers = new Map<number, number>();
  const coLikers = new Map<number, Map<number, number>>();
  for (const liked of likedBy.values()) {
    const distinct = [...new Set(liked)];
    for (const a of distinct) {
      likers.set(a, (likers.get(a) ?? 0) + 1);
      const row = coLikers.get(a) ?? new Map<number, number>();
      for (const b of distinct) if (b !== a) row.set(b, (row.get(b) ?? 0) + 1);
      coLikers.set(a, row);
    }
  }

  const { coLikes, genres, years } = settings.weights;
  const recommendations = new Map<number, number[]>();
  const similar = new Map<number, number[]>();
  for (const a of films) {
    const row = coLikers.get(a.tmdbId);
    const related: { id: number; score: number }[] = [];
    const alike: { id: number; score: number }[] = [];
    for (const b of films) {
      if (b.tmdbId === a.tmdbId) continue;
      const both = row?.get(b.tmdbId) ?? 0;
      const overlap = genreOverlap(a.genreIds, b.genreIds);
      if (both === 0 && overlap === 0) continue;
      const close = yearCloseness(a.year, b.year, settings.yearScale);
      const cosine =
        both === 0
          ? 0
          : (both / Math.sqrt((likers.get(a.tmdbId) ?? 1) * (likers.get(b.tmdbId) ?? 1))) *
            (both / (both + settings.shrink));
      related.push({ id: b.tmdbId, score: coLikes * cosine + genres * overlap + years * close });
      if (overlap > 0) alike.push({ id: b.tmdbId, score: genres * overlap + years * close });
    }
    const best = (list: { id: number; score: number }[]) =>
      list
        .sort((x, y) => y.score - x.score || x.id - y.id)
        .slice(0, settings.relatedCount)
        .map(({ id }) => id);
    recommendations.set(a.tmdbId, best(related));
    similar.set(a.tmdbId, best(alike));
  }
  return { films: figures, recommendations, similar };
}
