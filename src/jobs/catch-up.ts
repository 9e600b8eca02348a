/**
 * What a job does with a slot it reaches late: after a restart (the slot passed while no process ran), or
 * when the process was too busy to tick on time. Each job names its policy; the runner applies it to every
 * slot by how late it is, so an on-time run and a caught-up one follow the same rule.
 *
 * - `always`: run however late. For work whose effect is still wanted later: close a due poll, enforce
 *   TMDB's cache limit.
 * - `within(ms)`: run if at most `ms` late, else skip and log. For work that is wrong when late: post the
 *   scheduled movie night (within 30 minutes), not three hours after it started.
 *
 * Only the latest missed slot is considered: a daily job down for a week runs (or is skipped) once.
 */
export type CatchUpPolicy = { readonly kind: 'always' } | { readonly kind: 'within'; readonly maxLateMs: number };

export const CATCH_UP = {
  always: { kind: 'always' },
  within: (maxLateMs: number): CatchUpPolicy => {
    if (!Number.isFinite(maxLateMs) || maxLateMs < 0) {
      throw new RangeError(`catch-up bound must be ≥ 0 ms, got ${maxLateMs}`);
    }
    return { kind: 'within', maxLateMs };
  },
} as const satisfies Record<string, CatchUpPolicy | ((maxLateMs: number) => CatchUpPolicy)>;

export type CatchUpDecision = { readonly action: 'run' } | { readonly action: 'skip'; readonly reason: string };

/** Pure: whether a slot due at `dueAt` still runs at `now`. */
export function decideCatchUp(policy: CatchUpPolicy, dueAt: Date, now: Date): CatchUpDecision {
  if (policy.kind === 'always') return { action: 'run' };
  const lateMs = now.getTime() - dueAt.getTime();
  if (lateMs <= policy.maxLateMs) return { action: 'run' };
  return {
    action: 'skip',
    reason: `${Math.round(lateMs / 1_000)} s late; this job runs at most ${Math.round(policy.maxLateMs / 1_000)} s late`,
  };
}

/** For logs and the README: `always` or `within 1800 s`. */
export function describeCatchUp(policy: CatchUpPolicy): string {
  return policy.kind === 'always' ? 'always' : `within ${Math.round(policy.maxLateMs / 1_000)} s`;
}
