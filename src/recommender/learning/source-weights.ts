import { ALL_PICK_SOURCES, type PickSource, type SourceParts } from '../types.js';
import {
  PICK_OUTCOMES,
  posteriorFrom,
  posteriorMean,
  sampleBeta,
  type BetaPosterior,
  type PickOutcome,
  type RandomSource,
} from './beta.js';

/** Picks of one source received well and badly (outcomes.ts says which is which). */
export interface OutcomeCounts {
  successes: number;
  failures: number;
}

/** What a server's reactions say about each source. */
export type SourceEvidence = Record<PickSource, OutcomeCounts>;

export interface SourceLearningConfig {
  /** κ: how many picks the prior of a source is worth. */
  priorStrength: number;
  /** The lowest multiplier a source's weight can get, however badly its picks were received. */
  floor: number;
}

/**
 * κ = 4: a server's first few reactions move a source's weight without a single one swinging it. Floor ¼: a source
 * whose draws fall low keeps a quarter of its tuned weight, so its best films still surface now and then, get
 * reactions and can win its weight back. In `npm run simulate` nearly every pick comes from similar films (members
 * start with at most 10 ratings, servers are small), so the draws change little: +12.6 / +12.6 / +11.0 % 👍 with them,
 * +12.3 / +12.6 / +11.1 % with every g_s held at 1 (seeds 1-3).
 */
export const DEFAULT_SOURCE_LEARNING = {
  priorStrength: 4,
  floor: 0.25,
} as const satisfies SourceLearningConfig;

/** No outcome yet for any source. */
export function noEvidence(): SourceEvidence {
  return Object.fromEntries(
    ALL_PICK_SOURCES.map((source) => [source, { successes: 0, failures: 0 }]),
  ) as SourceEvidence;
}

/** The evidence after one more outcome of a source's pick (a copy; `none` leaves it as it was). */
export function addOutcome(evidence: SourceEvidence, source: PickSource, outcome: PickOutcome): SourceEvidence {
  if (outcome === PICK_OUTCOMES.none) return evidence;
  const { successes, failures } = evidence[source];
  return {
    ...evidence,
    [source]:
      outcome === PICK_OUTCOMES.success
        ? { successes: successes + 1, failures }
        : { successes, failures: failures + 1 },
  };
}

/** The evidence of many outcomes. */
export function evidenceFrom(outcomes: Iterable<{ source: PickSource; outcome: PickOutcome }>): SourceEvidence {
  let evidence = noEvidence();
  for (const { source, outcome } of outcomes) evidence = addOutcome(evidence, source, outcome);
  return evidence;
}

/** p̄ = (1 + S)/(2 + S + F): the server's share of well-received picks over every source (uniform prior). */
export function serverRate(evidence: SourceEvidence): number {
  let successes = 0;
  let failures = 0;
  for (const source of ALL_PICK_SOURCES) {
    successes += evidence[source].successes;
    failures += evidence[source].failures;
  }
  return (1 + successes) / (2 + successes + failures);
}

/**
 * Each source's posterior of the share of its picks received well:
 *   θ_s ~ Beta(κ·p̄ + successes_s, κ·(1 − p̄) + failures_s)
 * the conjugate update (beta.ts) of a prior centred on the server's own share p̄ (serverRate) and worth κ picks. A
 * source is judged against the server's other sources rather than against an arbitrary ½: most reactions are 👍
 * wherever they come from, so a fixed prior mean below that would make every source with few picks look worse.
 */
export function sourcePosteriors(
  evidence: SourceEvidence,
  config: SourceLearningConfig = DEFAULT_SOURCE_LEARNING,
): Record<PickSource, BetaPosterior> {
  const rate = serverRate(evidence);
  const prior = { alpha: config.priorStrength * rate, beta: config.priorStrength * (1 - rate) };
  return Object.fromEntries(
    ALL_PICK_SOURCES.map((source) => [
      source,
      posteriorFrom(prior, evidence[source].successes, evidence[source].failures),
    ]),
  ) as Record<PickSource, BetaPosterior>;
}

function scale(evidence: SourceEvidence, rate: (posterior: BetaPosterior) => number, config: SourceLearningConfig) {
  const server = serverRate(evidence);
  const posteriors = sourcePosteriors(evidence, config);
  return Object.fromEntries(
    ALL_PICK_SOURCES.map((source) => [source, Math.max(config.floor, rate(posteriors[source]) / server)]),
  ) as SourceParts;
}

/**
 * Thompson sampling over the blend's source weights, once per request: each source s draws θ_s from its posterior
 * (sourcePosteriors) and its weight in the blend (recommend.ts) is multiplied by
 *   g_s = max(floor, θ_s / p̄)
 * so a source received as well as the server's picks overall keeps its tuned weight on average, a better one weighs
 * more, a worse one less, and an uncertain one is sometimes tried high, sometimes low: the spread of its posterior is
 * the exploration. The floor keeps every source in play. Draws are taken in ALL_PICK_SOURCES order from `random`, so
 * a seeded source gives the same multipliers every time.
 */
export function thompsonScale(
  evidence: SourceEvidence,
  random: RandomSource,
  config: SourceLearningConfig = DEFAULT_SOURCE_LEARNING,
): SourceParts {
  return scale(evidence, (posterior) => sampleBeta(posterior, random), config);
}

/**
 * The deterministic multipliers: g_s = max(floor, E[θ_s] / p̄). Group picks and everything else that must give the
 * same answer twice use these instead of a draw.
 */
export function meanScale(
  evidence: SourceEvidence,
  config: SourceLearningConfig = DEFAULT_SOURCE_LEARNING,
): SourceParts {
  return scale(evidence, posteriorMean, config);
}

/** Whether any pick of the server was received well or badly yet. */
export function hasOutcomes(evidence: SourceEvidence): boolean {
  return ALL_PICK_SOURCES.some((source) => evidence[source].successes + evidence[source].failures > 0);
}

/**
 * One request's multipliers, as the bot and the simulation take them: the tuned blend (g = 1) while the server has no
 * outcome at all, since every source then has the same posterior and a draw could only add noise to weights that
 * already show every source; a Thompson draw (thompsonScale) from the first outcome on.
 */
export function requestScale(
  evidence: SourceEvidence,
  random: RandomSource,
  config: SourceLearningConfig = DEFAULT_SOURCE_LEARNING,
): SourceParts {
  return hasOutcomes(evidence) ? thompsonScale(evidence, random, config) : meanScale(evidence, config);
}
