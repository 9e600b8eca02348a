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
  /** Similarity used for the request (binary cosine for ranking, shrunk Pearson for prediction). */
  similarity: number;
  /** Films both members rated. */
  coRated: number;
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
  /** "Agrees with you on N films". */
  coRated: number;
  /** similarity × vote: this neighbour's share of the score. */
  contribution: number;
}

export interface Explanation {
  /** Neighbours whose vote for the film is positive (liked rating or 👍). */
  backers: number;
  /** Mean rating of the backers who rated it (null when none did). */
  averageRating: number | null;
  /** Top contributors, best first (named only where the caller allows it). */
  contributors: Contributor[];
}

export const PICK_SOURCES = { neighbours: 'neighbours', popular: 'popular' } as const;
export type PickSource = (typeof PICK_SOURCES)[keyof typeof PICK_SOURCES];

export interface NeighbourPick {
  itemId: number;
  /** Σ_v sim(u,v)^p · vote_v(i) over the member's ranking neighbourhood. */
  score: number;
  /** score / Σ_v sim(u,v)^p: the share of the neighbourhood's weight that backs the film, in [0, 1]. */
  strength: number;
  explanation: Explanation;
}

export interface Recommendation {
  picks: NeighbourPick[];
  /** The member's number of ratings (drives cold-start blending). */
  ratingCount: number;
  /** Size of the ranking neighbourhood actually used. */
  neighbourCount: number;
}
