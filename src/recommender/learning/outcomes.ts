import type { FeedbackValue, PickSource } from '../types.js';
import { PICK_OUTCOMES, type PickOutcome } from './beta.js';

/** A personal pick as it was shown, with what the member it was for did about it afterwards. */
export interface ShownPick {
  /** The pick's strongest source, recorded with its card. */
  source: PickSource;
  /** When the card was sent (epoch ms). */
  shownAt: number;
  /** That member's current 👍/👎 on the card, and when they gave it (epoch ms); null without one. */
  reaction: { value: FeedbackValue; at: number } | null;
  /** That member's rating of the film, and when they gave it (epoch ms); null without one. */
  rating: { score: number; at: number } | null;
}

export interface OutcomeRules {
  /** A reaction or rating counts only when given within this long after the pick was shown. */
  windowMs: number;
  /** A rating at or above this is a success. */
  successRating: number;
  /** A rating at or below this is a failure. */
  failureRating: number;
}

/** Seven days: long enough to watch a film picked on a Friday the next weekend, short enough to still be about the pick. */
export const DEFAULT_OUTCOME_RULES = {
  windowMs: 7 * 24 * 60 * 60 * 1000,
  successRating: 4,
  failureRating: 2,
} as const satisfies OutcomeRules;

/** Whether something done at `at` counts for the pick: shownAt ≤ at ≤ shownAt + window. */
export function withinWindow(
  pick: Pick<ShownPick, 'shownAt'>,
  at: number,
  rules: OutcomeRules = DEFAULT_OUTCOME_RULES,
) {
  return at >= pick.shownAt && at <= pick.shownAt + rules.windowMs;
}

/**
 * How a pick was received, from what the member it was for did within the window after it was shown
 * (shownAt ≤ t ≤ shownAt + window; anything later, or nothing, counts neither):
 * - a rating of the film in the window decides: ≥ 4★ success, ≤ 2★ failure, in between neither. A rating comes after
 *   watching, a reaction usually before, so the rating is the better verdict when both exist;
 * - otherwise a 👍 in the window is a success, a 👎 a failure.
 */
export function pickOutcome(pick: ShownPick, rules: OutcomeRules = DEFAULT_OUTCOME_RULES): PickOutcome {
  const inWindow = (at: number) => withinWindow(pick, at, rules);
  if (pick.rating !== null && inWindow(pick.rating.at)) {
    if (pick.rating.score >= rules.successRating) return PICK_OUTCOMES.success;
    if (pick.rating.score <= rules.failureRating) return PICK_OUTCOMES.failure;
    return PICK_OUTCOMES.none;
  }
  if (pick.reaction !== null && inWindow(pick.reaction.at)) {
    return pick.reaction.value === 1 ? PICK_OUTCOMES.success : PICK_OUTCOMES.failure;
  }
  return PICK_OUTCOMES.none;
}
