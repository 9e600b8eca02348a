/**
 * What the recommender needs to hear about as it happens, so a change shows in the member's next picks
 * without rebuilding a model. The recommendation service implements it; other services call it after
 * their transaction committed.
 */
export interface TasteListener {
  /** A rating was saved (`score`) or removed (`null`). */
  ratingChanged(userId: string, movieId: number, score: number | null): void;
  /** A 👍 (1) or 👎 (-1) was recorded, or removed (`null`). */
  feedbackChanged(userId: string, movieId: number, value: 1 | -1 | null): void;
  /** The member deleted their data: drop them from every cached model. */
  userForgotten(userId: string): void;
  /** The member changed a privacy setting that decides whether their taste is shared. */
  settingsChanged(userId: string): void;
}
