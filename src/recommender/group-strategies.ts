/**
 * Aggregation strategies of the group recommender (group.ts) over a table of utilities: participant p's utility
 * u_p(c) of candidate slot c, in stars, for the participants who take part (P, n = |P|) and the candidate slots C.
 * Masthoff's strategies (Masthoff, "Group recommender systems: aggregation, satisfaction and group attributes",
 * Recommender Systems Handbook, 2015):
 *   average                  S(c) = mean(c) = (1/n) Σ_p u_p(c)                       (0 when n = 0)
 *   least_misery             S(c) = min_p u_p(c)
 *   average_without_misery   S(c) = mean(c) if min_p u_p(c) ≥ miseryThreshold, else mean(c) − VETO_OFFSET
 *                            (a vetoed film follows every kept one, in the order of its mean)
 *   borda                    S(c) = Σ_p B_p(c),  B_p(c) = #{d ∈ C : u_p(d) < u_p(c)} + ½·#{d ∈ C∖{c} : u_p(d) = u_p(c)}
 *   approval                 S(c) = #{p : u_p(c) ≥ approvalThreshold}
 * and one fairness-aware re-ranker, GFAR (Kaya, Bridge & Tintarev, "Ensuring Fairness in Group Recommendations by
 * Rank-Sensitive Balancing of Relevance", RecSys 2020), in {@link fairPrefix}.
 * Order of a ranking: S desc, then the group score mean(c) desc, then popularity desc, then TMDB id asc
 * (`tieRank`, see {@link compareSlots}).
 */
export const GROUP_STRATEGIES = {
  average: 'average',
  leastMisery: 'least_misery',
  averageWithoutMisery: 'average_without_misery',
  borda: 'borda',
  approval: 'approval',
  gfar: 'gfar',
} as const;
export type GroupStrategy = (typeof GROUP_STRATEGIES)[keyof typeof GROUP_STRATEGIES];

/** Every strategy, in the order tables print them (average first: the others are compared with it). */
export const ALL_GROUP_STRATEGIES: readonly GroupStrategy[] = Object.values(GROUP_STRATEGIES);

/** Larger than any gap between two means on a star scale, so vetoed films sort after every kept one. */
const VETO_OFFSET = 10;

export interface StrategyParameters {
  /** average_without_misery drops films someone is predicted below this (stars). */
  miseryThreshold: number;
  /** approval counts the participants predicted at least this (stars). */
  approvalThreshold: number;
  /** GFAR: length L of each participant's personal list that carries relevance. */
  fairListLength: number;
  /** GFAR: positions chosen greedily; the rest of the ranking follows `average`. */
  fairDepth: number;
}

/** What the strategies read. Slots are dense candidate indices; only `slots` (marked in `active`) are ranked. */
export interface UtilityTable {
  /** rows[p][c]: utility of slot c for the p-th participant who takes part, in stars. */
  rows: readonly Float64Array[];
  /** orders[p]: slots by rows[p] descending, ties by tieRank (borda and gfar read them); may hold inactive slots. */
  orders: readonly Int32Array[];
  /** tieRank[c]: rank of slot c by popularity desc, then TMDB id asc (0 = first). */
  tieRank: Int32Array;
  /** The slots to rank, in any order. */
  slots: Int32Array;
  /** active[c] = 1 exactly for the slots in `slots`. */
  active: Uint8Array;
}

/** mean(c) for every slot of `slots` into out[c]. */
export function groupMeans(table: UtilityTable, out: Float64Array): void {
  const { rows, slots } = table;
  const n = rows.length;
  for (let s = 0; s < slots.length; s++) out[slots[s]!] = 0;
  // Participant by participant: one row at a time stays in cache.
  for (const row of rows) for (let s = 0; s < slots.length; s++) out[slots[s]!]! += row[slots[s]!]!;
  for (let s = 0; s < slots.length; s++) out[slots[s]!] = n === 0 ? 0 : out[slots[s]!]! / n;
}

/**
 * S(c) of an aggregation strategy for every slot into out[c] (see the file comment); `means` from
 * {@link groupMeans}. gfar scores as average: its greedy prefix comes from {@link fairPrefix}.
 */
export function strategyScores(
  strategy: GroupStrategy,
  table: UtilityTable,
  parameters: StrategyParameters,
  means: Float64Array,
  out: Float64Array,
): void {
  const { rows, slots } = table;
  const count = slots.length;
  switch (strategy) {
    case GROUP_STRATEGIES.average:
    case GROUP_STRATEGIES.gfar:
      for (let s = 0; s < count; s++) out[slots[s]!] = means[slots[s]!]!;
      return;
    case GROUP_STRATEGIES.leastMisery:
    case GROUP_STRATEGIES.averageWithoutMisery: {
      for (let s = 0; s < count; s++) out[slots[s]!] = rows.length === 0 ? 0 : Infinity;
      for (const row of rows)
        for (let s = 0; s < count; s++) out[slots[s]!] = Math.min(out[slots[s]!]!, row[slots[s]!]!);
      if (strategy === GROUP_STRATEGIES.leastMisery) return;
      const { miseryThreshold } = parameters;
      for (let s = 0; s < count; s++) {
        const c = slots[s]!;
        out[c] = means[c]! - (out[c]! < miseryThreshold ? VETO_OFFSET : 0);
      }
      return;
    }
    case GROUP_STRATEGIES.approval: {
      const { approvalThreshold } = parameters;
      for (let s = 0; s < count; s++) out[slots[s]!] = 0;
      for (const row of rows)
        for (let s = 0; s < count; s++) if (row[slots[s]!]! >= approvalThreshold) out[slots[s]!]!++;
      return;
    }
    case GROUP_STRATEGIES.borda:
      for (let s = 0; s < count; s++) out[slots[s]!] = 0;
      rows.forEach((row, p) => addBordaPoints(row, table.orders[p]!, table.active, out));
      return;
  }
}

/**
 * Adds B_p(c) for every active slot: walking the participant's order from the bottom, the active slots at
 * positions k..k+t−1 (0-based, ascending) that share one utility each get k + (t − 1)/2, the mean of their positions.
 */
function addBordaPoints(row: Float64Array, order: Int32Array, active: Uint8Array, out: Float64Array): void {
  let position = 0;
  let at = order.length - 1;
  while (at >= 0) {
    if (active[order[at]!] !== 1) {
      at--;
      continue;
    }
    const value = row[order[at]!]!;
    let tied = 0;
    let end = at;
    while (end >= 0 && (active[order[end]!] !== 1 || row[order[end]!] === value)) {
      if (active[order[end]!] === 1) tied++;
      end--;
    }
    const points = position + (tied - 1) / 2;
    for (let k = at; k > end; k--) if (active[order[k]!] === 1) out[order[k]!]! += points;
    position += tied;
    at = end;
  }
}

/** Ranking order of two slots: negative when a comes first (S desc, mean desc, tieRank asc). */
export function compareSlots(
  a: number,
  b: number,
  scores: Float64Array,
  means: Float64Array,
  tieRank: Int32Array,
): number {
  return scores[b]! - scores[a]! || means[b]! - means[a]! || tieRank[a]! - tieRank[b]!;
}

/**
 * GFAR's greedy prefix. Each participant's relevance comes from their personal list: the first L active slots of
 * orders[p] (utility desc, ties by tieRank), Borda-weighted and normalised as in the authors' code:
 *   rel_p(c) = L − rank_p(c) for rank 1..L (0 outside the list),  p_p(c) = rel_p(c) / Σ_d rel_p(d)
 * Then, with S the slots chosen so far, each step appends
 *   argmax_{c ∉ S} Σ_p p_p(c) · Π_{d ∈ S} (1 − p_p(d))
 * (the chance that c is relevant to a member no earlier pick satisfied), ties by the average order, until
 * `fairDepth` slots are chosen or no slot gains anything. The rest of the ranking follows `average`.
 */
export function fairPrefix(table: UtilityTable, parameters: StrategyParameters, means: Float64Array): Int32Array {
  const { rows, orders, active, tieRank } = table;
  const n = rows.length;
  const L = parameters.fairListLength;
  // Each participant's list as (slot, rel) pairs, and the pool: every slot on some list.
  const lists: { slots: number[]; total: number }[] = [];
  const poolIndex = new Map<number, number>();
  const pool: number[] = [];
  for (let p = 0; p < n; p++) {
    const order = orders[p]!;
    const listed: number[] = [];
    for (let at = 0; at < order.length && listed.length < L; at++) {
      const c = order[at]!;
      if (active[c] !== 1) continue;
      listed.push(c);
      if (!poolIndex.has(c)) poolIndex.set(c, pool.push(c) - 1);
    }
    // Σ_{rank=1..|list|} (L − rank)
    const total = listed.length * L - (listed.length * (listed.length + 1)) / 2;
    lists.push({ slots: listed, total });
  }
  // relevance[k·n + p] = p_p(pool[k])
  const relevance = new Float64Array(pool.length * n);
  lists.forEach(({ slots, total }, p) => {
    if (total <= 0) return;
    slots.forEach((c, at) => (relevance[poolIndex.get(c)! * n + p] = (L - (at + 1)) / total));
  });
  const unsatisfied = new Float64Array(n).fill(1);
  const chosen = new Uint8Array(pool.length);
  const prefix: number[] = [];
  const depth = Math.min(parameters.fairDepth, pool.length);
  while (prefix.length < depth) {
    let best = -1;
    let bestGain = 0;
    for (let k = 0; k < pool.length; k++) {
      if (chosen[k] === 1) continue;
      let gain = 0;
      for (let p = 0; p < n; p++) gain += relevance[k * n + p]! * unsatisfied[p]!;
      if (gain <= 0 || gain < bestGain) continue;
      if (best < 0 || gain > bestGain || compareSlots(pool[k]!, pool[best]!, means, means, tieRank) < 0) {
        best = k;
        bestGain = gain;
      }
    }
    if (best < 0) break;
    chosen[best] = 1;
    prefix.push(pool[best]!);
    for (let p = 0; p < n; p++) unsatisfied[p]! *= 1 - relevance[best * n + p]!;
  }
  return Int32Array.from(prefix);
}

/** Slots by utility desc, ties by tieRank: a participant's personal order, as {@link UtilityTable.orders} wants. */
export function personalOrder(row: Float64Array, slots: ArrayLike<number>, tieRank: Int32Array): Int32Array {
  return Int32Array.from(slots).sort((a, b) => row[b]! - row[a]! || tieRank[a]! - tieRank[b]!);
}

export interface GroupRanking {
  /** table.slots, best first. */
  ranked: Int32Array;
  /** S(c) and mean(c) by slot. */
  scores: Float64Array;
  means: Float64Array;
}

/** The whole ranking of `table.slots` under a strategy (gfar: its greedy prefix, then the rest in average order). */
export function rankSlots(strategy: GroupStrategy, table: UtilityTable, parameters: StrategyParameters): GroupRanking {
  const size = table.active.length;
  const means = new Float64Array(size);
  const scores = new Float64Array(size);
  groupMeans(table, means);
  strategyScores(strategy, table, parameters, means, scores);
  const ranked = Int32Array.from(table.slots).sort((a, b) => compareSlots(a, b, scores, means, table.tieRank));
  if (strategy !== GROUP_STRATEGIES.gfar) return { ranked, scores, means };
  const prefix = fairPrefix(table, parameters, means);
  const inPrefix = new Set(prefix);
  const rest = Array.from(ranked).filter((c) => !inPrefix.has(c));
  return { ranked: Int32Array.from([...prefix, ...rest]), scores, means };
}
