import { DEFAULT_RECOMMENDER_CONFIG, type RecommenderConfig } from '../config.js';
import { DEFAULT_GROUP_CONFIG, type GroupConfig } from '../group.js';
import {
  ALL_GROUP_STRATEGIES,
  fairPrefix,
  GROUP_STRATEGIES,
  groupMeans,
  personalOrder,
  strategyScores,
  type GroupStrategy,
  type StrategyParameters,
  type UtilityTable,
} from '../group-strategies.js';
import { memberUtilityColumns } from '../group-utilities.js';
import { compareUserIds } from '../id-index.js';
import { createRecommenderModel } from '../model.js';
import type { RatingColumns } from '../types.js';
import {
  calibrationReport,
  collectCalibrationSamples,
  type CalibrationReport,
  type CalibrationSamples,
} from './calibration-fit.js';
import { fnv1a32 } from './folds.js';
import { defaultStrategyRule, type DefaultRule } from './group-choice.js';
import { splitFold } from './group-fold.js';
import { estimate, memberGroupScores, ranksAmong, type Estimate, type MemberGroupScores } from './group-metrics.js';
import { drawGroup, GROUP_COMPOSITIONS, similarMembers, type GroupComposition } from './group-sampling.js';
import { RELEVANT_RATING } from './metrics.js';
import { assignFolds } from './protocol.js';
import { createRandom } from './random.js';

export interface GroupEvaluationOptions {
  folds?: number;
  sizes?: readonly number[];
  compositions?: readonly GroupComposition[];
  strategies?: readonly GroupStrategy[];
  groupsPerFold?: number;
  seed?: number;
  /** Similar groups: each new member has Pearson ≥ this with someone already in (training ratings)... */
  similarity?: number;
  /** ...over at least this many films both rated. */
  minCoRated?: number;
  /** Draws per wanted group before a configuration gives up (a draw fails when someone has no relevant candidate). */
  attemptsPerGroup?: number;
  config?: Partial<RecommenderConfig>;
  group?: Partial<GroupConfig>;
  /** Milliseconds clock (performance.now in the script). */
  now?: () => number;
}

const DEFAULTS = {
  folds: 5,
  sizes: [2, 3, 4, 8],
  compositions: [GROUP_COMPOSITIONS.random, GROUP_COMPOSITIONS.similar],
  strategies: ALL_GROUP_STRATEGIES,
  groupsPerFold: 200,
  seed: 1,
  similarity: 0.3,
  minCoRated: 5,
  attemptsPerGroup: 20,
  config: {},
  group: {},
  now: () => 0,
} as const satisfies Required<GroupEvaluationOptions>;

/** One strategy on one size and composition, over every fold's groups. */
export interface GroupRow {
  size: number;
  composition: GroupComposition;
  strategy: GroupStrategy;
  groups: number;
  /** Per group: the mean over members of their mean percentile; and the least served member's. */
  meanPercentile: Estimate;
  worstPercentile: Estimate;
  /** Paired worst-member difference with `average` over the same groups. */
  worstPercentileGain: Estimate;
  meanRecall50: Estimate;
  worstRecall50: Estimate;
  worstRecall50Gain: Estimate;
  /** Mean over groups of the members' mean NDCG@10 (for reference). */
  ndcg10: number;
}

export interface GroupEvaluationReport {
  folds: number;
  groupsPerFold: number;
  seed: number;
  sizes: number[];
  rows: GroupRow[];
  /** The percentile → stars table refit on this data (calibration.ts), with its in-sample RMSE and level_u's. */
  calibration: CalibrationReport;
  /** Issue 13's rule for the default strategy (group-choice.ts). */
  rule: DefaultRule;
  /** Model time: fits, utilities and the strategies (seconds). */
  seconds: number;
}

/** What a fold keeps about a member: utility row and order over the catalogue, rated and relevant slots. */
interface MemberState {
  row: Float64Array;
  order: Int32Array;
  rated: Int32Array;
  relevant: Int32Array;
}

interface Tally {
  meanPercentile: number[];
  worstPercentile: number[];
  meanRecall50: number[];
  worstRecall50: number[];
  ndcg10: number[];
}

/**
 * Group evaluation (issue 13) on the GUIDE §6 folds. Per fold and per (size, composition), `groupsPerFold` seeded
 * groups of the fold's users who have a relevant test film (rating ≥ 4) in the training catalogue; a group is
 * redrawn when a member has no relevant film left among its candidates. Candidates: the whole training catalogue
 * minus every film a member rated in training (as the bot leaves out films someone has seen). Utilities: the
 * model's (group-utilities.ts). Each strategy ranks every candidate; each member is scored on that whole ranking
 * (group-metrics.ts) over their relevant test films among the candidates; the group's mean and worst member are
 * averaged over groups of all folds, with standard errors, and paired with `average` on the same groups.
 */
export function runGroupEvaluation(data: RatingColumns, options: GroupEvaluationOptions = {}): GroupEvaluationReport {
  const settings = { ...DEFAULTS, ...options };
  const parameters = { ...DEFAULT_GROUP_CONFIG, ...settings.group };
  const strategies = [
    GROUP_STRATEGIES.average,
    ...settings.strategies.filter((strategy) => strategy !== GROUP_STRATEGIES.average),
  ];
  const foldOfRating = assignFolds(data, settings.folds);
  const tallies = new Map<string, Tally>();
  const tallyOf = (size: number, composition: string, strategy: string): Tally => {
    const key = `${size}:${composition}:${strategy}`;
    let tally = tallies.get(key);
    if (tally === undefined) {
      tally = { meanPercentile: [], worstPercentile: [], meanRecall50: [], worstRecall50: [], ndcg10: [] };
      tallies.set(key, tally);
    }
    return tally;
  };
  const calibrationSamples: CalibrationSamples = { percentiles: [], levels: [], ratings: [] };
  let elapsed = 0;

  for (let fold = 1; fold <= settings.folds; fold++) {
    const started = settings.now();
    const split = splitFold(data, foldOfRating, fold);
    const model = createRecommenderModel({ ratings: split.train }, settings.config);
    collectCalibrationSamples(model, data.users, split.testByUser, calibrationSamples);
    const catalogue = split.catalogue;
    const slotOf = new Map(Array.from(catalogue, (itemId, c) => [itemId, c]));
    const byPopularity = Array.from(catalogue, (_, c) => c).sort(
      (a, b) => split.counts[b]! - split.counts[a]! || catalogue[a]! - catalogue[b]!,
    );
    const tieRank = new Int32Array(catalogue.length);
    byPopularity.forEach((c, rank) => (tieRank[c] = rank));
    const allSlots = Int32Array.from(catalogue, (_, c) => c);

    // Members: users with a relevant test film in the catalogue, in user id order.
    const eligible = [...split.testByUser.keys()]
      .filter(
        (code) =>
          split.trainByUser.has(code) &&
          split.testByUser.get(code)!.some(([itemId, rating]) => rating >= RELEVANT_RATING && slotOf.has(itemId)),
      )
      .sort((a, b) => compareUserIds(data.users[a]!, data.users[b]!));
    const states = new Map<number, MemberState>();
    const stateOf = (code: number): MemberState => {
      let state = states.get(code);
      if (state === undefined) {
        const userId = data.users[code]!;
        const row = memberUtilityColumns(model, userId, catalogue).stars;
        const rated = split.trainByUser.get(code)!;
        state = {
          row,
          order: personalOrder(row, allSlots, tieRank),
          rated: Int32Array.from(rated.itemIds, (itemId) => slotOf.get(itemId)!),
          relevant: Int32Array.from(
            split.testByUser
              .get(code)!
              .filter(([itemId, rating]) => rating >= RELEVANT_RATING && slotOf.has(itemId))
              .map(([itemId]) => slotOf.get(itemId)!),
          ),
        };
        states.set(code, state);
      }
      return state;
    };
    const similar = settings.compositions.includes(GROUP_COMPOSITIONS.similar)
      ? similarMembers(
          eligible.map((code) => split.trainByUser.get(code)!),
          settings.similarity,
          settings.minCoRated,
        )
      : [];

    const active = new Uint8Array(catalogue.length);
    const means = new Float64Array(catalogue.length);
    const scores = new Float64Array(catalogue.length);
    for (const size of settings.sizes) {
      for (const composition of settings.compositions) {
        const random = createRandom(fnv1a32(`${settings.seed}:${fold}:${size}:${composition}`));
        let groups = 0;
        for (let attempt = 0; attempt < settings.groupsPerFold * settings.attemptsPerGroup; attempt++) {
          if (groups === settings.groupsPerFold) break;
          const drawn = drawGroup(composition, size, eligible.length, similar, random);
          if (drawn === null) continue;
          const members = drawn.map((position) => stateOf(eligible[position]!));
          active.fill(1);
          for (const member of members) for (const c of member.rated) active[c] = 0;
          const wanted = members.map((member) => Array.from(member.relevant).filter((c) => active[c] === 1));
          if (wanted.some((relevant) => relevant.length === 0)) continue;
          groups++;
          const slots = allSlots.filter((c) => active[c] === 1);
          const table: UtilityTable = {
            rows: members.map((member) => member.row),
            orders: members.map((member) => member.order),
            tieRank,
            slots,
            active,
          };
          groupMeans(table, means);
          const targets = wanted.flat();
          for (const strategy of strategies) {
            strategyScores(strategy, table, parameters, means, scores);
            const ranks = ranksUnder(strategy, table, parameters, means, scores, targets);
            const scored = wanted.map((relevant) =>
              memberGroupScores(
                relevant.map((c) => ranks.get(c)!),
                slots.length,
              ),
            );
            record(tallyOf(size, composition, strategy), scored);
          }
        }
      }
    }
    elapsed += settings.now() - started;
  }

  const rows: GroupRow[] = [];
  for (const size of settings.sizes) {
    for (const composition of settings.compositions) {
      const base = tallyOf(size, composition, GROUP_STRATEGIES.average);
      for (const strategy of strategies) {
        const tally = tallyOf(size, composition, strategy);
        rows.push({
          size,
          composition,
          strategy,
          groups: tally.meanPercentile.length,
          meanPercentile: estimate(tally.meanPercentile),
          worstPercentile: estimate(tally.worstPercentile),
          worstPercentileGain: estimate(tally.worstPercentile.map((value, g) => value - base.worstPercentile[g]!)),
          meanRecall50: estimate(tally.meanRecall50),
          worstRecall50: estimate(tally.worstRecall50),
          worstRecall50Gain: estimate(tally.worstRecall50.map((value, g) => value - base.worstRecall50[g]!)),
          ndcg10: meanOf(tally.ndcg10),
        });
      }
    }
  }
  return {
    folds: settings.folds,
    groupsPerFold: settings.groupsPerFold,
    seed: settings.seed,
    sizes: [...settings.sizes],
    rows,
    calibration: calibrationReport(calibrationSamples, { ...DEFAULT_RECOMMENDER_CONFIG, ...settings.config }),
    rule: defaultStrategyRule(rows),
    seconds: elapsed / 1000,
  };
}

/**
 * The ranks of the targets in the strategy's whole ranking of table.slots (scores from strategyScores): gfar's
 * greedy prefix first, then the other slots in average order.
 */
function ranksUnder(
  strategy: GroupStrategy,
  table: UtilityTable,
  parameters: StrategyParameters,
  means: Float64Array,
  scores: Float64Array,
  targets: readonly number[],
): Map<number, number> {
  const { slots, tieRank } = table;
  if (strategy !== GROUP_STRATEGIES.gfar) return ranksAmong(targets, slots, scores, means, tieRank);
  const prefix = fairPrefix(table, parameters, means);
  const skip = new Uint8Array(table.active.length);
  prefix.forEach((c) => (skip[c] = 1));
  const rest = targets.filter((c) => skip[c] !== 1);
  const ranks = ranksAmong(rest, slots, scores, means, tieRank, skip, prefix.length);
  prefix.forEach((c, at) => ranks.set(c, at + 1));
  return ranks;
}

/** A group's figures: the mean and the least served member (NDCG@10 as a mean only). */
function record(tally: Tally, members: readonly MemberGroupScores[]): void {
  tally.meanPercentile.push(meanOf(members.map((member) => member.percentile)));
  tally.worstPercentile.push(Math.min(...members.map((member) => member.percentile)));
  tally.meanRecall50.push(meanOf(members.map((member) => member.recall50)));
  tally.worstRecall50.push(Math.min(...members.map((member) => member.recall50)));
  tally.ndcg10.push(meanOf(members.map((member) => member.ndcg10)));
}

const meanOf = (values: readonly number[]): number =>
  values.length === 0 ? Number.NaN : values.reduce((sum, value) => sum + value, 0) / values.length;
