import {
  GROUP_STRATEGIES,
  personalOrder,
  rankSlots,
  type GroupStrategy,
  type StrategyParameters,
  type UtilityTable,
} from './group-strategies.js';
import { NO_UTILITY_REASONS, type NoUtilityReason, type Utility, type UtilityBasis } from './group-utilities.js';
import { compareUserIds } from './id-index.js';

export interface GroupParticipant {
  /** The member (participants are distinct members: of a repeated id, the last entry counts). */
  userId: string;
  /** Their ratings; with none they are neutral (left out of every strategy) and reported "no ratings yet". */
  ratingCount: number;
  /** Their utility of a film (group-utilities.ts builds it from the model); asked only about remaining candidates. */
  utility: (itemId: number) => Utility;
  /** Films they watched or rated: left out unless rewatches are allowed. */
  seen?: ReadonlySet<number>;
  /** Films they gave 👎: always left out. */
  disliked?: ReadonlySet<number>;
}

export interface GroupCandidate {
  itemId: number;
  /** Breaks ties after the group score (TMDB popularity in the bot, training ratings in evaluation). */
  popularity: number;
}

export interface GroupInput {
  participants: readonly GroupParticipant[];
  /** The films to choose from ({@link groupCandidates}); a repeated id is read once, at its highest popularity. */
  candidates: readonly GroupCandidate[];
  /** Films never to pick (the caller's exclusions). */
  exclude?: ReadonlySet<number>;
  /** The caller's filters (genre, longest runtime); asked once per candidate still in the running. */
  filter?: (itemId: number) => boolean;
}

export interface GroupConfig extends StrategyParameters {
  strategy: GroupStrategy;
  /** Picks wanted. */
  count: number;
  /** Keep films a participant has seen or rated (a 👎 still excludes). */
  allowRewatches: boolean;
  /**
   * Utility taken for a film a participant with ratings cannot be given one (the model adapter always gives one):
   * between the misery and approval lines, so it neither vetoes nor approves.
   */
  neutralStars: number;
}

/**
 * Measured with `npm run evaluate -- ml-latest-small --groups` (GUIDE §6 folds; per fold, size and composition 200
 * seeded groups; candidates: the training catalogue minus films a member rated; per member the mean percentile of
 * their relevant test films in the group's whole ranking, 1 = top; worst = the least served member; ± standard
 * error over the 1,000 groups; Δ = paired difference with average on the same groups; R@50 = recall@50):
 *   random groups of 4        mean pct  worst pct  Δ worst pct           mean R@50  NDCG@10
 *   average                   0.7155    0.5026     —                     0.0645     0.0165
 *   least_misery              0.7071    0.4922     −0.01033 ±0.00124     0.0638     0.0195
 *   average_without_misery    0.7155    0.5026     −0.00000 ±0.00023     0.0645     0.0165
 *   borda                     0.7140    0.5031     +0.00057 ±0.00015     0.0588     0.0134
 *   approval                  0.7147    0.5016     −0.00092 ±0.00042     0.0649     0.0164
 *   gfar                      0.7157    0.5026     +0.00007 ±0.00002     0.0767     0.0213
 *   random groups of 8
 *   average                   0.6865    0.3386     —                     0.0514     0.0082
 *   least_misery              0.6750    0.3258     −0.01275 ±0.00134     0.0485     0.0105
 *   average_without_misery    0.6862    0.3382     −0.00034 ±0.00020     0.0514     0.0082
 *   borda                     0.6850    0.3410     +0.00243 ±0.00015     0.0432     0.0062
 *   approval                  0.6852    0.3386     +0.00002 ±0.00054     0.0501     0.0082
 *   gfar                      0.6867    0.3386     +0.00003 ±0.00002     0.0667     0.0103
 * Issue 13's rule (worst-member gain > 2 standard errors at 4 and at 8, mean within 2 % of average's) picks borda,
 * the only strategy that passes: +3.8 and +16.4 SE, mean 99.8 % of average's at both sizes. gfar passes at 4 (+3.5 SE)
 * but not at 8 (+1.5 SE). The margin is real but small (0.06 and 0.24 percentile points), and borda costs the top of
 * the list, which the percentile hardly sees: mean recall@50 −9 % and −16 %, NDCG@10 −19 % and −25 %; gfar gains
 * there (recall@50 +19 % and +30 %, NDCG@10 +29 % and +26 %). Re-measure when issue 9's per-member scorer feeds the
 * utilities: the utilities decide how far the strategies differ.
 * GFAR's list length L = 20 and 50 greedy positions give its best top of the list; L = 30, 40, 50 (200 positions)
 * give NDCG@10 0.0187, 0.0172, 0.0162 at 4, and from L = 40 gfar also passes the rule at 8 (+2.6 SE; L = 50: +3.7).
 * The misery (2.5★) and approval (3.5★) lines are the issue's.
 */
export const DEFAULT_GROUP_CONFIG = {
  strategy: GROUP_STRATEGIES.borda,
  count: 5,
  allowRewatches: false,
  miseryThreshold: 2.5,
  approvalThreshold: 3.5,
  neutralStars: 3,
  fairListLength: 20,
  fairDepth: 50,
} as const satisfies Required<GroupConfig>;

/** What one participant is expected to think of a pick. */
export type Forecast =
  | { userId: string; kind: 'predicted'; stars: number; basis: UtilityBasis }
  | { userId: string; kind: 'unknown'; reason: NoUtilityReason };

export interface GroupPick {
  itemId: number;
  /** The strategy's score S(i) (group-strategies.ts). */
  score: number;
  /** The group score: mean utility of the participants who take part. */
  groupScore: number;
  popularity: number;
  /** Every participant, in user id order. */
  forecasts: Forecast[];
}

export interface GroupRecommendation {
  strategy: GroupStrategy;
  picks: GroupPick[];
  /** Candidates left after exclusions and filters. */
  candidateCount: number;
  /** Participants without ratings, in user id order (neutral: left out of the strategies). */
  noRatingsYet: string[];
}

/**
 * Group picks, deterministic and independent of the input order:
 * 1. participants in user id order; candidates in film id order, without any film in `exclude`, any film a
 *    participant gave 👎, any film a participant has seen or rated (unless `allowRewatches`), or failing `filter`;
 * 2. utilities u_p(i) in stars for the participants P with ratings (`neutralStars` where one is missing);
 *    participants without ratings take no part (a constant utility is neutral for every strategy but least misery,
 *    where it would cap every score) and are reported as "no ratings yet";
 * 3. the strategy's ranking (group-strategies.ts: S desc, then the group score mean_p u_p(i), then popularity desc,
 *    then film id asc), and the first `count` films with every participant's forecast.
 */
export function recommendForGroup(input: GroupInput, options: Partial<GroupConfig> = {}): GroupRecommendation {
  const config: GroupConfig = { ...DEFAULT_GROUP_CONFIG, ...options };
  const participants = [...new Map(input.participants.map((participant) => [participant.userId, participant]))]
    .map(([, participant]) => participant)
    .sort((a, b) => compareUserIds(a.userId, b.userId));
  const popularity = new Map<number, number>();
  for (const { itemId, popularity: value } of input.candidates) {
    popularity.set(itemId, Math.max(value, popularity.get(itemId) ?? -Infinity));
  }
  const filter = input.filter ?? (() => true);
  const kept = [...popularity.keys()]
    .sort((a, b) => a - b)
    .filter(
      (itemId) =>
        !(input.exclude?.has(itemId) ?? false) &&
        participants.every(
          ({ seen, disliked }) =>
            !(disliked?.has(itemId) ?? false) && (config.allowRewatches || !(seen?.has(itemId) ?? false)),
        ) &&
        filter(itemId),
    );

  // Slot c is kept[c]; utilities by participant and slot.
  const utilities = participants.map((participant) =>
    participant.ratingCount > 0
      ? kept.map((itemId) => participant.utility(itemId))
      : kept.map((): Utility => ({ kind: 'impossible', reason: NO_UTILITY_REASONS.noRatingsYet })),
  );
  const taking = participants.flatMap((participant, p) => (participant.ratingCount > 0 ? [p] : []));
  const byPopularity = kept
    .map((_, c) => c)
    .sort((a, b) => popularity.get(kept[b]!)! - popularity.get(kept[a]!)! || kept[a]! - kept[b]!);
  const tieRank = new Int32Array(kept.length);
  byPopularity.forEach((c, rank) => (tieRank[c] = rank));
  const slots = Int32Array.from(kept, (_, c) => c);
  const rows = taking.map((p) =>
    Float64Array.from(utilities[p]!, (utility) => (utility.kind === 'ok' ? utility.stars : config.neutralStars)),
  );
  const table: UtilityTable = {
    rows,
    orders: rows.map((row) => personalOrder(row, slots, tieRank)),
    tieRank,
    slots,
    active: new Uint8Array(kept.length).fill(1),
  };
  const { ranked, scores, means } = rankSlots(config.strategy, table, config);

  const picks = Array.from(ranked.subarray(0, Math.max(0, config.count)), (c): GroupPick => {
    return {
      itemId: kept[c]!,
      score: scores[c]!,
      groupScore: means[c]!,
      popularity: popularity.get(kept[c]!)!,
      forecasts: participants.map(({ userId }, p): Forecast => {
        const utility = utilities[p]![c]!;
        return utility.kind === 'ok'
          ? { userId, kind: 'predicted', stars: utility.stars, basis: utility.basis }
          : { userId, kind: 'unknown', reason: utility.reason };
      }),
    };
  });
  return {
    strategy: config.strategy,
    picks,
    candidateCount: kept.length,
    noRatingsYet: participants.filter(({ ratingCount }) => ratingCount <= 0).map(({ userId }) => userId),
  };
}

/** The films a group may choose from, each once, at the highest popularity given. */
export interface CandidateSources {
  /** Each participant's top personal picks (issue 9's hybrid ranking when it lands, else today's). */
  personal: readonly (readonly number[])[];
  /** The server's favourites. */
  favourites?: readonly number[];
  /** Popular films (TMDB popular, top-rated, trending). */
  popular?: readonly number[];
}

/** The union of the sources, in film id order, with `popularityOf` for the tie-break. */
export function groupCandidates(sources: CandidateSources, popularityOf: (itemId: number) => number): GroupCandidate[] {
  const ids = new Set([...sources.personal.flat(), ...(sources.favourites ?? []), ...(sources.popular ?? [])]);
  return [...ids].sort((a, b) => a - b).map((itemId) => ({ itemId, popularity: popularityOf(itemId) }));
}
