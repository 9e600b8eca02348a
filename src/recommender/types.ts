/** One rating as the service or the evaluation hands it over. */
export interface RatingInput {
  /** Discord snowflake in the bot, MovieLens user id (as a string) in evaluation. */
  userId: string;
  /** TMDB id in the bot, MovieLens movieId in evaluation (an integer). */
  itemId: number;
  rating: number;
}

/**
 * Columnar ratings: entry e is (users[userCodes[e]], itemIds[e], ratings[e]). Loading a million
 * ratings this way avoids a million objects and a million string lookups.
 */
export interface RatingColumns {
  users: readonly string[];
  userCodes: ArrayLike<number>;
  itemIds: ArrayLike<number>;
  ratings: ArrayLike<number>;
}

/** 👍 = 1, 👎 = -1. */
export type FeedbackValue = 1 | -1;

export interface FeedbackInput {
  userId: string;
  itemId: number;
  value: FeedbackValue;
}

export const IMPOSSIBLE_REASONS = {
  unknownUser: 'unknown-user',
  unknownItem: 'unknown-item',
  noNeighbours: 'no-neighbours',
} as const;
export type ImpossibleReason = (typeof IMPOSSIBLE_REASONS)[keyof typeof IMPOSSIBLE_REASONS];

/** A rating prediction, or the reason there is none (with the baseline b_ui to fall back on). */
export type Prediction =
  | { kind: 'ok'; rating: number; baseline: number; neighbours: number }
  | { kind: 'impossible'; reason: ImpossibleReason; baseline: number };

export interface NeighbourSimilarity {
  userId: string;
  /** Similarity used for the request (liked-set cosine^p for ranking, shrunk Pearson for prediction). */
  similarity: number;
  /** Films both members liked (ranking) or rated (prediction). */
  shared: number;
}

/** A member similar to another by agreement (agreement.ts): what members are shown as "similar taste". */
export interface AgreeingMember {
  userId: string;
  /** (a − d)/(n + λ): higher is closer. */
  similarity: number;
  /** n: films both rated. */
  shared: number;
  /** a: shared films they agree on. */
  agreements: number;
}

/** A neighbour's part in a pick; anonymous unless the caller allowed naming them. */
export type Contributor =
  ({ kind: 'named'; userId: string } & ContributionDetail) | ({ kind: 'anonymous' } & ContributionDetail);

export interface ContributionDetail {
  /** Their rating of the film, or null when they only reacted to it. */
  rating: number | null;
  /** Their 👍/👎 on the film, if any. */
  feedback: FeedbackValue | null;
  similarity: number;
  /** "Agrees with you on N films": the shared films they agree on (agreement.ts). */
  agreements: number;
  /** similarity × vote: this neighbour's share of N(i). */
  contribution: number;
}

/**
 * Why the neighbours backed a film. Only backers who agree with the member (agreement.ts) are counted, averaged or
 * listed: a neighbour by liked films who disagrees on most shared films never speaks for the pick.
 */
export interface Explanation {
  /** Agreeing neighbours whose vote for the film is positive (liked rating or 👍). */
  backers: number;
  /** Mean rating of those backers who rated it (null when none did). */
  averageRating: number | null;
  /** Top agreeing contributors, best first (named only where the caller allows it). */
  contributors: Contributor[];
}

/** The sources of a pick (src/recommender/: similar-films.ts, votes.ts, server-favourites.ts, popular.ts). */
export const PICK_SOURCES = {
  similarFilms: 'similar-films',
  neighbours: 'neighbours',
  serverFavourites: 'server-favourites',
  popular: 'popular',
} as const;
export type PickSource = (typeof PICK_SOURCES)[keyof typeof PICK_SOURCES];
export const ALL_PICK_SOURCES: readonly PickSource[] = Object.values(PICK_SOURCES);

/** Each source's weighted part of a film's score (they add up to the score). */
export type SourceParts = Record<PickSource, number>;

/** A film the member loved whose TMDB list holds the pick, and its part of L(i) (similar-films.ts). */
export interface PickSeed {
  itemId: number;
  /** The member's rating of it, or null for a 👍 without a rating. */
  rating: number | null;
  /** w(r_uj)/(rank_j(i) + c). */
  contribution: number;
}

/** How the server's members rated a film (server-favourites.ts): plain mean and count. */
export interface FavouriteFigures {
  average: number;
  raters: number;
}

export interface RankedPick {
  itemId: number;
  /** score(i) (recommend.ts): the sum of `parts`. */
  score: number;
  parts: SourceParts;
  /** Sources with a positive part, strongest first (ties in PICK_SOURCES order). */
  sources: PickSource[];
  /** N(i) / Σ_v cos(u,v)^p: the share of the neighbourhood's weight that backs the film, in [0, 1]. */
  strength: number;
  /** Seeds of the similar-films part, strongest first (at most `maxSeeds`). */
  seeds: PickSeed[];
  explanation: Explanation;
  /** The server's ratings of the film, when it is one of the server's favourites. */
  favourite: FavouriteFigures | null;
}

export interface Recommendation {
  picks: RankedPick[];
  /** The member's number of ratings. */
  ratingCount: number;
  /** Size of the ranking neighbourhood actually used. */
  neighbourCount: number;
}
