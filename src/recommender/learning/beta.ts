/** A draw from [0, 1): the injectable random source (Math.random in the bot, mulberry32 seeded in tests). */
export type RandomSource = () => number;

/** Beta(α, β): what is believed about a rate of success after α − α₀ successes and β − β₀ failures. */
export interface BetaPosterior {
  alpha: number;
  beta: number;
}

/** How a shown pick was received (outcomes.ts): success, failure, or nothing learnt. */
export const PICK_OUTCOMES = { success: 'success', failure: 'failure', none: 'none' } as const;
export type PickOutcome = (typeof PICK_OUTCOMES)[keyof typeof PICK_OUTCOMES];

/**
 * The conjugate update of a Bernoulli rate: a success adds 1 to α, a failure 1 to β, anything else leaves the
 * posterior as it was. Counting is the whole update, so a posterior can be rebuilt from stored outcomes at any time
 * (posteriorFrom) and equals the one built pick by pick.
 */
export function updatePosterior(posterior: BetaPosterior, outcome: PickOutcome): BetaPosterior {
  switch (outcome) {
    case PICK_OUTCOMES.success:
      return { alpha: posterior.alpha + 1, beta: posterior.beta };
    case PICK_OUTCOMES.failure:
      return { alpha: posterior.alpha, beta: posterior.beta + 1 };
    case PICK_OUTCOMES.none:
      return posterior;
  }
}

/** Beta(α₀ + successes, β₀ + failures). */
export function posteriorFrom(prior: BetaPosterior, successes: number, failures: number): BetaPosterior {
  return { alpha: prior.alpha + successes, beta: prior.beta + failures };
}

/** E[θ] = α/(α + β). */
export function posteriorMean({ alpha, beta }: BetaPosterior): number {
  return alpha / (alpha + beta);
}

/** A standard normal draw (Box-Muller; 1 − U keeps the logarithm finite). */
function normal(random: RandomSource): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/**
 * A Gamma(shape, 1) draw: Marsaglia & Tsang (2000) for shape ≥ 1; below 1, Gamma(shape + 1)·U^(1/shape).
 */
function gamma(shape: number, random: RandomSource): number {
  if (shape < 1) return gamma(shape + 1, random) * Math.pow(1 - random(), 1 / shape);
  const d = shape - 1 / 3;
  const c = 1 / Math.sqrt(9 * d);
  for (;;) {
    let x: number;
    let v: number;
    do {
      x = normal(random);
      v = 1 + c * x;
    } while (v <= 0);
    v = v * v * v;
    const u = 1 - random();
    if (u < 1 - 0.0331 * x ** 4 || Math.log(u) < 0.5 * x * x + d * (1 - v + Math.log(v))) return d * v;
  }
}

/** A draw θ ~ Beta(α, β), as X/(X + Y) with X ~ Gamma(α), Y ~ Gamma(β). Deterministic for a seeded source. */
export function sampleBeta({ alpha, beta }: BetaPosterior, random: RandomSource): number {
  const x = gamma(alpha, random);
  const y = gamma(beta, random);
  return x + y > 0 ? x / (x + y) : alpha / (alpha + beta);
}
