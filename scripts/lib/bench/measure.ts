import { createRandom } from '../../../src/recommender/evaluation/random.js';
import { createRecommenderModel } from '../../../src/recommender/index.js';
import { drawFrom, generateGuild, generateLists, memberId } from './synthetic.js';

export interface BenchSizeOptions {
  members: number;
  /** Timed top-10 requests (after a few untimed warm-up requests). */
  queries?: number;
  /** Timed incremental rating updates. */
  updates?: number;
  seed?: number;
  /** Milliseconds clock (performance.now in the script). */
  now?: () => number;
}

const DEFAULTS = {
  members: 1_000,
  queries: 500,
  updates: 1_000,
  seed: 1,
  now: () => performance.now(),
} as const satisfies Required<BenchSizeOptions>;

/** Films a request excludes besides the member's own ratings (watched without rating, watchlisted). */
const EXCLUDED_PER_REQUEST = 30;
/** Share of members who allow being named in explanations. */
const NAMED_SHARE = 0.2;
const WARM_UP = 20;

export interface Percentiles {
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

export interface SizeResult {
  members: number;
  ratings: number;
  films: number;
  /** Ratings of the member with the most. */
  maxMemberRatings: number;
  generateSeconds: number;
  buildSeconds: number;
  queries: number;
  /** One member's top-10 with exclusions and explanations, every source (synthetic TMDB lists), milliseconds. */
  topTen: Percentiles;
  /** Mean neighbours behind a request (sanity: the model did find a neighbourhood). */
  meanNeighbours: number;
  updates: number;
  /** setRating of a new or changed rating, milliseconds. */
  update: Percentiles;
  /** Baseline refit after the updates, seconds. */
  refitSeconds: number;
  /** Peak resident set of the process, MB. */
  peakRssMb: number;
}

/** Nearest-rank percentile of ascending values. */
export function percentile(sorted: ArrayLike<number>, p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length))) - 1]!;
}

function summarise(samples: Float64Array): Percentiles {
  const sorted = samples.slice().sort();
  return {
    p50: percentile(sorted, 50),
    p95: percentile(sorted, 95),
    p99: percentile(sorted, 99),
    max: percentile(sorted, 100),
  };
}

/**
 * One size of the benchmark, meant to run alone in a fresh process (peak memory is the process's):
 * generate the guild and its synthetic TMDB lists, build the model, time `queries` top-10 requests of uniformly
 * drawn members as the service makes them (every source: the lists of the films they loved, all members allowed as
 * neighbours, the server's favourites, a popular list; 30 extra exclusions, explanations with a naming predicate),
 * then `updates` incremental ratings (alternately a changed and a new rating) and a refit.
 */
export function benchSize(options: BenchSizeOptions): SizeResult {
  const settings = { ...DEFAULTS, ...options };
  const { now } = settings;
  const random = createRandom(settings.seed ^ 0x5eed);

  let started = now();
  const guild = generateGuild({ members: settings.members, seed: settings.seed });
  const lists = generateLists(guild, { seed: settings.seed });
  const generateSeconds = (now() - started) / 1000;
  const { ratings } = guild;
  const related = (itemId: number) => lists.related.get(itemId);
  const countOf = new Int32Array(settings.members);
  for (const code of ratings.userCodes) countOf[code]!++;
  const maxMemberRatings = countOf.reduce((most, count) => Math.max(most, count), 0);
  const drawFilm = (): number =>
    guild.filmIds[drawFrom(guild.popularity, random() * guild.popularity[guild.popularity.length - 1]!)]!;

  started = now();
  const model = createRecommenderModel({ ratings });
  const buildSeconds = (now() - started) / 1000;

  // What the service passes: the guild's members who share taste, and who allowed naming.
  const allowedNeighbours = new Set(ratings.users);
  const named = new Set(ratings.users.filter(() => random() < NAMED_SHARE));
  const canName = (userId: string): boolean => named.has(userId);

  // The caller's exclusions (watched without a rating, watchlisted), built before the clock starts.
  const exclusions = (): Set<number> => {
    const exclude = new Set<number>();
    while (exclude.size < EXCLUDED_PER_REQUEST) exclude.add(drawFilm());
    return exclude;
  };
  const request = (member: number, exclude: ReadonlySet<number>): number =>
    model.recommend(memberId(member), {
      count: 10,
      exclude,
      allowedNeighbours,
      canName,
      explain: true,
      related,
      popular: lists.popular,
    }).neighbourCount;
  for (let q = 0; q < WARM_UP; q++) request(Math.floor(random() * settings.members), exclusions());
  const latencies = new Float64Array(settings.queries);
  let neighbourTotal = 0;
  for (let q = 0; q < settings.queries; q++) {
    const member = Math.floor(random() * settings.members);
    const exclude = exclusions();
    started = now();
    neighbourTotal += request(member, exclude);
    latencies[q] = now() - started;
  }

  const updateTimes = new Float64Array(settings.updates);
  for (let n = 0; n < settings.updates; n++) {
    let userId: string;
    let itemId: number;
    if (n % 2 === 0) {
      const e = Math.floor(random() * ratings.itemIds.length);
      userId = memberId(ratings.userCodes[e]!);
      itemId = ratings.itemIds[e]!;
    } else {
      userId = memberId(Math.floor(random() * settings.members));
      itemId = drawFilm();
    }
    const rating = 0.5 + Math.floor(random() * 10) / 2;
    started = now();
    model.setRating(userId, itemId, rating);
    updateTimes[n] = now() - started;
  }
  started = now();
  model.refit();
  const refitSeconds = (now() - started) / 1000;

  return {
    members: settings.members,
    ratings: ratings.itemIds.length,
    films: new Set(ratings.itemIds).size,
    maxMemberRatings,
    generateSeconds,
    buildSeconds,
    queries: settings.queries,
    topTen: summarise(latencies),
    meanNeighbours: settings.queries === 0 ? 0 : neighbourTotal / settings.queries,
    updates: settings.updates,
    update: summarise(updateTimes),
    refitSeconds,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
