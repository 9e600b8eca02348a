import type { RecommenderConfig } from '../config.js';
import { DEFAULT_SOURCE_LEARNING, type SourceLearningConfig } from '../learning/source-weights.js';
import type { PopularFilm } from '../popular.js';
import type { RatingColumns } from '../types.js';
import { fnv1a32 } from './folds.js';
import { splitFold } from './group-fold.js';
import { estimate, type Estimate } from './group-metrics.js';
import { assignFolds, sampleServers } from './protocol.js';
import { createRandom, shuffled } from './random.js';
import { SimulatedArm, type MemberRound, type SimulatedMember, type SimulationWorld } from './simulated-server.js';
import { buildStandIn } from './stand-in.js';

export interface SimulationOptions {
  folds?: number;
  serverSize?: number;
  rounds?: number;
  /** Picks per member per round. */
  picks?: number;
  seed?: number;
  /** Training ratings a member starts with, at most. */
  startingRatings?: number;
  config?: Partial<RecommenderConfig>;
  learning?: SourceLearningConfig;
}

const DEFAULTS = {
  folds: 5,
  serverSize: 10,
  rounds: 10,
  picks: 5,
  seed: 1,
  startingRatings: 10,
  config: {},
  learning: DEFAULT_SOURCE_LEARNING,
} as const satisfies Required<SimulationOptions>;

const DAY_MS = 86_400_000;

/** One arm's round over every simulated member: the rates of 👍 and 👎 per pick shown, mean NDCG@10. */
export interface ArmFigures {
  thumbsUp: number;
  thumbsDown: number;
  ndcg10: number;
}

/** Counts behind an arm's figures. */
export interface ArmCounts {
  shown: number;
  thumbsUp: number;
  thumbsDown: number;
  /** Member-rounds with a relevant test film left (those NDCG@10 averages over). */
  ndcgMembers: number;
}

export interface ArmTotals extends ArmFigures {
  counts: ArmCounts;
}

export interface SimulationRound {
  round: number;
  on: ArmFigures;
  off: ArmFigures;
  /** Per member, their 👍 rate on minus off, averaged, with its standard error: the noise of the round's gap. */
  thumbsUpDifference: Estimate;
}

export interface SimulationReport {
  folds: number;
  serverSize: number;
  servers: number;
  members: number;
  rounds: SimulationRound[];
  /** Over every round; `thumbsUpGain` = 👍 on / 👍 off − 1. */
  totals: { on: ArmTotals; off: ArmTotals; thumbsUpGain: number };
  picks: number;
  seed: number;
  startingRatings: number;
}

interface Tally extends ArmCounts {
  ndcgSum: number;
}

const newTally = (): Tally => ({ shown: 0, thumbsUp: 0, thumbsDown: 0, ndcgMembers: 0, ndcgSum: 0 });

function add(tally: Tally, round: MemberRound): void {
  tally.shown += round.shown;
  tally.thumbsUp += round.thumbsUp;
  tally.thumbsDown += round.thumbsDown;
  if (round.ndcg10 !== null) {
    tally.ndcgMembers++;
    tally.ndcgSum += round.ndcg10;
  }
}

function figures(tally: Tally): ArmFigures {
  return {
    thumbsUp: tally.shown > 0 ? tally.thumbsUp / tally.shown : 0,
    thumbsDown: tally.shown > 0 ? tally.thumbsDown / tally.shown : 0,
    ndcg10: tally.ndcgMembers > 0 ? tally.ndcgSum / tally.ndcgMembers : 0,
  };
}

const rate = (round: MemberRound): number => (round.shown > 0 ? round.thumbsUp / round.shown : 0);

/**
 * Picks that learn from reactions, against picks that do not, on MovieLens (issue 10). Users are split into servers
 * of `serverSize` by the seeded shuffle of GUIDE §6 (`sampleServers`), and server k is simulated in fold
 * (k mod K) + 1, so every member is simulated once. In its fold, a member:
 * - starts with at most `startingRatings` of their training ratings, drawn with the seed, as a member new to Marquee
 *   would; the rest of their training ratings are withheld entirely (from the stand-in and popularity as well);
 * - has the fold's test ratings as their hidden truth, never used for training: shown a film they rated ≥ 4 they
 *   react 👍, ≤ 2.5 👎, otherwise or for a film they never rated nothing;
 * - gets `picks` picks a round for `rounds` rounds (a day apart), never a film shown before, in two arms from the
 *   same start: learning on (reactions feed the bot's learning, simulated-server.ts) and off (they change nothing).
 * TMDB's lists and popularity stand in from the training ratings of everyone not simulated in the fold (GUIDE §6
 * stand-in: an upper bound for the real lists' quality), neighbours and favourites come from the member's server.
 * Per round and arm: 👍 and 👎 per pick shown, and NDCG@10 of the ranking the picks came from against the member's
 * relevant test films not yet shown (members with none left are not averaged).
 */
export function runSimulation(data: RatingColumns, options: SimulationOptions = {}): SimulationReport {
  const settings = { ...DEFAULTS, ...options };
  const foldOfRating = assignFolds(data, settings.folds);
  const servers = sampleServers(data.users, settings.serverSize, settings.seed);
  const byRound = Array.from({ length: settings.rounds }, () => ({
    on: newTally(),
    off: newTally(),
    differences: [] as number[],
  }));
  const totals = { on: newTally(), off: newTally() };
  let members = 0;

  for (let fold = 1; fold <= settings.folds; fold++) {
    const simulated = servers.filter((_, k) => k % settings.folds === fold - 1);
    if (simulated.length === 0) continue;
    const simulatedIds = new Set(simulated.flat());
    const split = splitFold(data, foldOfRating, fold);
    const world = worldOf(split.train, (code) => !simulatedIds.has(data.users[code]!), settings);
    const codeOf = new Map(data.users.map((userId, code) => [userId, code]));

    for (const [serverIndex, server] of simulated.entries()) {
      const team: SimulatedMember[] = server.map((userId) => {
        const code = codeOf.get(userId)!;
        const training = split.trainByUser.get(code);
        const order = shuffled(
          Array.from(training?.itemIds ?? [], (itemId, at) => ({ itemId, rating: training!.ratings[at]! })),
          createRandom(fnv1a32(`${settings.seed}:start:${userId}`)),
        );
        return {
          userId,
          starting: order.slice(0, settings.startingRatings).map(({ itemId, rating }) => ({ userId, itemId, rating })),
          hidden: new Map(split.testByUser.get(code) ?? []),
        };
      });
      members += team.length;
      const random = createRandom(fnv1a32(`${settings.seed}:thompson:${fold}:${serverIndex}`));
      const on = new SimulatedArm(team, world, { random });
      const off = new SimulatedArm(team, world, null);
      for (let round = 1; round <= settings.rounds; round++) {
        const now = round * DAY_MS;
        const onRound = on.playRound(now, settings.picks);
        const offRound = off.playRound(now, settings.picks);
        const slot = byRound[round - 1]!;
        for (const { userId } of team) {
          const a = onRound.get(userId)!;
          const b = offRound.get(userId)!;
          add(slot.on, a);
          add(slot.off, b);
          add(totals.on, a);
          add(totals.off, b);
          slot.differences.push(rate(a) - rate(b));
        }
      }
    }
  }

  const withCounts = (tally: Tally): ArmTotals => {
    const { ndcgSum: _, ...counts } = tally;
    return { ...figures(tally), counts };
  };
  return {
    folds: settings.folds,
    serverSize: settings.serverSize,
    servers: servers.length,
    members,
    rounds: byRound.map((slot, index) => ({
      round: index + 1,
      on: figures(slot.on),
      off: figures(slot.off),
      thumbsUpDifference: estimate(slot.differences),
    })),
    totals: {
      on: withCounts(totals.on),
      off: withCounts(totals.off),
      thumbsUpGain: totals.off.thumbsUp > 0 ? totals.on.thumbsUp / totals.off.thumbsUp - 1 : Number.NaN,
    },
    picks: settings.picks,
    seed: settings.seed,
    startingRatings: settings.startingRatings,
  };
}

/** The stand-in lists and popularity, from the training ratings of the users `outside` keeps. */
function worldOf(
  train: RatingColumns,
  outside: (userCode: number) => boolean,
  settings: Required<SimulationOptions>,
): SimulationWorld {
  const kept: number[] = [];
  for (let e = 0; e < train.itemIds.length; e++) if (outside(train.userCodes[e]!)) kept.push(e);
  const population: RatingColumns = {
    users: train.users,
    userCodes: Int32Array.from(kept, (e) => train.userCodes[e]!),
    itemIds: Int32Array.from(kept, (e) => train.itemIds[e]!),
    ratings: Float32Array.from(kept, (e) => train.ratings[e]!),
  };
  const counts = new Map<number, number>();
  for (let e = 0; e < kept.length; e++) {
    const itemId = population.itemIds[e]!;
    counts.set(itemId, (counts.get(itemId) ?? 0) + 1);
  }
  // Most-popular order: training ratings per film, ties by ascending id (GUIDE §6).
  const popular: PopularFilm[] = [...counts]
    .sort(([a, countA], [b, countB]) => countB - countA || a - b)
    .map(([itemId, popularity]) => ({ itemId, popularity }));
  return { lists: buildStandIn(population), popular, config: settings.config, learning: settings.learning };
}
