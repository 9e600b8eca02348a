import type { ModelData } from '../model-data.js';
import type { Neighbourhood } from '../ranking-neighbourhood.js';
import type { Seed } from '../similar-films.js';
import { PICK_SOURCES, type FeedbackValue, type PickSource } from '../types.js';
import { ratingVote, reactionVote, type VoteWeights } from '../votes.js';

/** A member's 👍/👎 on a pick card, as the lessons of their own picks read it (raw film id). */
export interface PickReaction {
  itemId: number;
  value: FeedbackValue;
  /** When it was given (epoch ms). */
  at: number;
  /** The strongest source of the pick it was given on; null when the card is no longer known. */
  source: PickSource | null;
}

export interface MemberFeedbackConfig {
  /** η⁻: the share of a backer's weight one fresh 👎 takes, for a backer that backed the film fully. */
  dislikePenalty: number;
  /** η⁺: how many times its weight one fresh 👍 adds to a backer that backed the film fully. */
  likeBoost: number;
  /** H: the half-life of a reaction's lesson. */
  halfLifeMs: number;
}

/**
 * - η⁻ = ½: one 👎 on the film at the top of a loved film's list halves that seed, enough that the next picks visibly
 *   lean on the member's other loved films, while two 👎 still leave a 5★ film a quarter of its weight rather than
 *   silencing it.
 * - η⁺ = 2: one 👍 on the film at the top of a loved film's list makes that list count three times as much. Reactions
 *   are rare (in the simulation about one pick in twenty gets a 👍), so a list that produced one is far better than the
 *   member's typical list; a 👍 adds (a second one makes five times) rather than multiplies, so one list cannot run
 *   away with the picks. `npm run simulate` (servers of 10, seeds 1 / 2 / 3), 👍 with learning on over off: no boost
 *   +10.1 / +10.0 / +8.8 %, η⁺ = 1 +11.0 / +11.5 / +10.4 %, 2 +12.6 / +12.6 / +11.0 %, 4 +13.2 / +13.0 / +13.3 %.
 *   4 gains another point but makes one hit list count five times as much, every card then giving the same "because
 *   you loved"; 2 takes about two thirds of the gain (+2.4 of +3.5 points on average).
 * - H = 60 days: what one reaction says about a loved film or a neighbour weighs less as time passes and the member's
 *   taste and TMDB's lists move on, so lessons fade (a quarter left after four months) instead of piling up forever.
 */
export const DEFAULT_MEMBER_FEEDBACK = {
  dislikePenalty: 0.5,
  likeBoost: 2,
  halfLifeMs: 60 * 24 * 60 * 60 * 1000,
} as const satisfies MemberFeedbackConfig;

/** A reaction of the member's on a dense film index, with how much it still counts. */
export interface Lesson {
  item: number;
  value: FeedbackValue;
  /** 2^(−age/H), age = now − at (a reaction dated after `now` counts as fresh). */
  strength: number;
  /**
   * False for a reaction on a popular pick (nearly everyone likes a popular film, so its backers say little) and on a
   * card no longer known (nothing says the neighbours carried it).
   */
  teachesNeighbours: boolean;
}

/** 2^(−age/H): how much a reaction given at `at` still counts at `now`. */
export function lessonStrength(at: number, now: number, config: MemberFeedbackConfig = DEFAULT_MEMBER_FEEDBACK) {
  return Math.pow(2, -Math.max(0, now - at) / config.halfLifeMs);
}

/** The member's reactions as lessons; films the model does not know are left out (nothing can have backed them). */
export function lessonsOf(
  reactions: readonly PickReaction[],
  now: number,
  indexOf: (itemId: number) => number,
  config: MemberFeedbackConfig = DEFAULT_MEMBER_FEEDBACK,
): Lesson[] {
  return reactions.flatMap(({ itemId, value, at, source }) => {
    const item = indexOf(itemId);
    if (item < 0) return [];
    const teachesNeighbours = source !== null && source !== PICK_SOURCES.popular;
    return [{ item, value, strength: lessonStrength(at, now, config), teachesNeighbours }];
  });
}

/**
 * The factor of a backer (a seed or a neighbour) after the lessons, given b_f ∈ [0, 1], how fully it backed each film:
 *   m = Π_{f ∈ 👎} (1 − η⁻·t_f·b_f) · (1 + η⁺·Σ_{f ∈ 👍} t_f·b_f)      (t_f: the lesson's strength)
 * A 👎 takes a share of the weight (repeated ones compound, never below 0); a 👍 adds to it.
 */
export function backerFactor(
  lessons: readonly Lesson[],
  backing: (lesson: Lesson) => number,
  config: MemberFeedbackConfig = DEFAULT_MEMBER_FEEDBACK,
): number {
  let penalty = 1;
  let boost = 0;
  for (const lesson of lessons) {
    const b = backing(lesson);
    if (b <= 0) continue;
    if (lesson.value === -1) penalty *= 1 - config.dislikePenalty * lesson.strength * b;
    else boost += config.likeBoost * lesson.strength * b;
  }
  return penalty * (1 + boost);
}

/**
 * The member's loved seeds after their reactions (similar-films.ts): a loved film j whose list carried films the
 * member reacted to is weighed w'_j = w_j · m_j (backerFactor), backing b_f = d(rank_j(f))/d(0): the film at the top
 * of j's list counts fully, one far down (where it added little to L) a sliver. Disliked seeds (w_j < 0) are left as
 * they are.
 */
export function reshapedSeeds(
  seeds: readonly Seed[],
  lessons: readonly Lesson[],
  decay: Float64Array,
  config: MemberFeedbackConfig = DEFAULT_MEMBER_FEEDBACK,
): Seed[] {
  if (lessons.length === 0) return [...seeds];
  return seeds.map((seed) => {
    if (seed.weight <= 0) return seed;
    const factor = backerFactor(
      lessons,
      ({ item }) => {
        const rank = seed.list.indexOf(item);
        return rank < 0 ? 0 : decay[rank]! / decay[0]!;
      },
      config,
    );
    return factor === 1 ? seed : { ...seed, weight: seed.weight * factor };
  });
}

/**
 * Per slot of the neighbourhood, the factor m_v (backerFactor) its similarity is multiplied by for this member:
 * backing b_f = min(1, vote_v(f)) (votes.ts), so a neighbour who rated a film 5★ backed it fully and one who rated it 2★
 * a quarter. Reactions on popular picks (or on cards no longer known) teach nothing about neighbours.
 */
export function neighbourFactors(
  data: ModelData,
  hood: Neighbourhood,
  lessons: readonly Lesson[],
  weights: VoteWeights,
  config: MemberFeedbackConfig = DEFAULT_MEMBER_FEEDBACK,
): Float64Array {
  const teaching = lessons.filter(({ teachesNeighbours }) => teachesNeighbours);
  const { byUser, feedback } = data;
  return Float64Array.from({ length: hood.size }, (_, s) => {
    const v = hood.members[s]!;
    return backerFactor(
      teaching,
      ({ item }) => {
        const at = byUser.find(v, item);
        const reaction = feedback.get(v)?.get(item);
        let vote = at >= 0 ? ratingVote(byUser.vals[at]!, weights.voteFloor, weights.ratingMax) : 0;
        if (reaction !== undefined) vote += reactionVote(reaction, at >= 0, weights);
        return Math.min(1, vote);
      },
      config,
    );
  });
}
