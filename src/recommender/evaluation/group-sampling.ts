export const GROUP_COMPOSITIONS = { random: 'random', similar: 'similar' } as const;
export type GroupComposition = (typeof GROUP_COMPOSITIONS)[keyof typeof GROUP_COMPOSITIONS];

/** One member's training ratings, films in ascending id order. */
export interface RatedFilms {
  itemIds: Int32Array;
  ratings: Float64Array;
}

/**
 * Pearson correlation of two members' ratings over the films both rated (n of them), means taken over those films:
 *   ρ = (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²))   (0 when n < minCoRated or a variance is 0)
 */
export function pearson(a: RatedFilms, b: RatedFilms, minCoRated: number): number {
  let n = 0;
  let sx = 0;
  let sy = 0;
  let sxx = 0;
  let syy = 0;
  let sxy = 0;
  let i = 0;
  let j = 0;
  while (i < a.itemIds.length && j < b.itemIds.length) {
    const difference = a.itemIds[i]! - b.itemIds[j]!;
    if (difference < 0) i++;
    else if (difference > 0) j++;
    else {
      const x = a.ratings[i++]!;
      const y = b.ratings[j++]!;
      n++;
      sx += x;
      sy += y;
      sxx += x * x;
      syy += y * y;
      sxy += x * y;
    }
  }
  if (n < Math.max(2, minCoRated)) return 0;
  const variance = (n * sxx - sx * sx) * (n * syy - sy * sy);
  return variance > 0 ? (n * sxy - sx * sy) / Math.sqrt(variance) : 0;
}

/** For each member (by position in `members`), the positions of the others with ρ ≥ threshold, ascending. */
export function similarMembers(members: readonly RatedFilms[], threshold: number, minCoRated: number): number[][] {
  const similar: number[][] = members.map(() => []);
  for (let a = 0; a < members.length; a++) {
    for (let b = a + 1; b < members.length; b++) {
      if (pearson(members[a]!, members[b]!, minCoRated) < threshold) continue;
      similar[a]!.push(b);
      similar[b]!.push(a);
    }
  }
  return similar;
}

/**
 * Draws one group of `size` distinct positions in 0..population−1 with the seeded `random`:
 * - random: a uniform draw without replacement;
 * - similar: a uniform first member, then each next one uniform among the members similar (`similar`) to someone
 *   already in; null when none is left before the group is full.
 */
export function drawGroup(
  composition: GroupComposition,
  size: number,
  population: number,
  similar: readonly (readonly number[])[],
  random: () => number,
): number[] | null {
  if (size > population) return null;
  const uniform = (bound: number): number => Math.min(bound - 1, Math.floor(random() * bound));
  if (composition === GROUP_COMPOSITIONS.random) {
    const picked = new Map<number, number>();
    const group: number[] = [];
    // Partial Fisher-Yates over a virtual 0..population−1 array.
    for (let k = 0; k < size; k++) {
      const j = k + uniform(population - k);
      const chosen = picked.get(j) ?? j;
      picked.set(j, picked.get(k) ?? k);
      group.push(chosen);
    }
    return group;
  }
  const group = [uniform(population)];
  const inGroup = new Set(group);
  while (group.length < size) {
    const pool = [...new Set(group.flatMap((member) => similar[member] ?? []))]
      .filter((member) => !inGroup.has(member))
      .sort((a, b) => a - b);
    if (pool.length === 0) return null;
    const next = pool[uniform(pool.length)]!;
    group.push(next);
    inGroup.add(next);
  }
  return group;
}
