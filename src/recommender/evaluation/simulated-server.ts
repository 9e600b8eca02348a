import type { RecommenderConfig } from '../config.js';
import type { RandomSource } from '../learning/beta.js';
import type { PickReaction } from '../learning/member-feedback.js';
import { pickOutcome } from '../learning/outcomes.js';
import {
  addOutcome,
  noEvidence,
  requestScale,
  type SourceEvidence,
  type SourceLearningConfig,
} from '../learning/source-weights.js';
import { createRecommenderModel, type RecommenderModel } from '../model.js';
import type { PopularFilm } from '../popular.js';
import type { FilmList } from '../similar-films.js';
import { PICK_SOURCES, type FeedbackValue, type PickSource, type RatingInput } from '../types.js';
import { rankingScores, RELEVANT_RATING } from './metrics.js';
import { TOP_N } from './rankings.js';

/** A simulated member: what they told Marquee, and the test ratings that decide their reactions. */
export interface SimulatedMember {
  userId: string;
  /** The training ratings they start with (at most 10). */
  starting: readonly RatingInput[];
  /** Their hidden truth: test-fold ratings by film. */
  hidden: ReadonlyMap<number, number>;
}

/** A 👍 at a hidden rating of 4★ or more, a 👎 at 2½★ or less, nothing otherwise or for a film they never rated. */
export const REACTION_RULES = { thumbsUpAt: RELEVANT_RATING, thumbsDownAt: 2.5 } as const;

export function simulatedReaction(hidden: number | undefined): FeedbackValue | null {
  if (hidden === undefined) return null;
  if (hidden >= REACTION_RULES.thumbsUpAt) return 1;
  if (hidden <= REACTION_RULES.thumbsDownAt) return -1;
  return null;
}

/** One member's round in one arm: picks shown, reactions, and NDCG@10 of the ranking they came from. */
export interface MemberRound {
  shown: number;
  thumbsUp: number;
  thumbsDown: number;
  /** null when no relevant test film was left to find. */
  ndcg10: number | null;
}

/** What a server's members see: the same catalogue lists and popularity for both arms. */
export interface SimulationWorld {
  lists: ReadonlyMap<number, FilmList>;
  popular: readonly PopularFilm[];
  config: Partial<RecommenderConfig>;
  learning: SourceLearningConfig;
}

/**
 * One arm of a server: its own model of the members' starting ratings and its own record of what was shown. With
 * `learning`, reactions feed the bot's learning exactly as the bot's services feed it: each becomes the member's
 * 👍/👎 in the model (a 👍 seeds their similar films and votes for their neighbours; a 👎 excludes the film), a lesson
 * of their own picks (a 👎 lowers the seeds and neighbours that backed it, learning/member-feedback.ts), and an
 * outcome of its source in the server's posteriors, from which each request draws its source weights (Thompson).
 * Without it, reactions change nothing, and only films already shown are left out.
 */
export class SimulatedArm {
  readonly model: RecommenderModel;
  private readonly shown = new Map<string, Set<number>>();
  private readonly reactions = new Map<string, PickReaction[]>();
  private evidence: SourceEvidence;

  constructor(
    private readonly members: readonly SimulatedMember[],
    private readonly world: SimulationWorld,
    private readonly learning: { random: RandomSource } | null,
  ) {
    this.model = createRecommenderModel({ ratings: members.flatMap(({ starting }) => starting) }, world.config);
    this.evidence = noEvidence();
    for (const { userId } of members) {
      this.shown.set(userId, new Set());
      this.reactions.set(userId, []);
    }
  }

  /**
   * Round `round` at time `now`: every member gets `picks` picks (the top of their ranking, minus what they were
   * shown), reacts, and only then does the arm learn, so every member of a round sees the same state.
   */
  playRound(now: number, picks: number): Map<string, MemberRound> {
    const allowedNeighbours = new Set(this.members.map(({ userId }) => userId));
    const results = new Map<string, MemberRound>();
    const learnt: { userId: string; itemId: number; value: FeedbackValue; source: PickSource }[] = [];
    for (const { userId, hidden } of this.members) {
      const shown = this.shown.get(userId)!;
      const ranking = this.model.recommend(userId, {
        count: Math.max(TOP_N, picks),
        exclude: shown,
        explain: false,
        related: (itemId) => this.world.lists.get(itemId),
        popular: this.world.popular,
        allowedNeighbours,
        ...(this.learning
          ? {
              sourceScale: requestScale(this.evidence, this.learning.random, this.world.learning),
              memberFeedback: { reactions: this.reactions.get(userId)!, now },
            }
          : {}),
      }).picks;
      const relevant = new Set<number>();
      for (const [itemId, rating] of hidden) if (rating >= RELEVANT_RATING && !shown.has(itemId)) relevant.add(itemId);
      const ndcg10 =
        relevant.size === 0
          ? null
          : rankingScores(
              ranking.slice(0, TOP_N).map(({ itemId }) => itemId),
              relevant,
              relevant.size,
              TOP_N,
            ).ndcg;
      const round: MemberRound = { shown: 0, thumbsUp: 0, thumbsDown: 0, ndcg10 };
      for (const pick of ranking.slice(0, picks)) {
        shown.add(pick.itemId);
        round.shown++;
        const value = simulatedReaction(hidden.get(pick.itemId));
        if (value === null) continue;
        if (value === 1) round.thumbsUp++;
        else round.thumbsDown++;
        // The card's source, as the bot records it (the strongest).
        learnt.push({ userId, itemId: pick.itemId, value, source: pick.sources[0] ?? PICK_SOURCES.neighbours });
      }
      results.set(userId, round);
    }
    if (this.learning) {
      for (const { userId, itemId, value, source } of learnt) {
        this.model.setFeedback(userId, itemId, value);
        this.reactions.get(userId)!.push({ itemId, value, at: now, source });
        const outcome = pickOutcome({ source, shownAt: now, reaction: { value, at: now }, rating: null });
        this.evidence = addOutcome(this.evidence, source, outcome);
      }
    }
    return results;
  }
}
