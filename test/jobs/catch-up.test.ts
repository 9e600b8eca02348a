import { describe, expect, it } from 'vitest';
import { CATCH_UP, decideCatchUp, describeCatchUp } from '../../src/jobs/catch-up.js';

const due = new Date('2026-12-01T19:00:00Z');
const at = (iso: string) => new Date(iso);

describe('catch-up policies', () => {
  it('`always` runs however late', () => {
    expect(decideCatchUp(CATCH_UP.always, due, at('2026-12-08T19:00:00Z'))).toEqual({ action: 'run' });
  });

  it('`within(30 min)` runs up to and including 30 minutes late, and skips after that, saying how late', () => {
    const policy = CATCH_UP.within(30 * 60_000);
    expect(decideCatchUp(policy, due, at('2026-12-01T19:00:00.300Z'))).toEqual({ action: 'run' });
    expect(decideCatchUp(policy, due, at('2026-12-01T19:30:00Z'))).toEqual({ action: 'run' });
    expect(decideCatchUp(policy, due, at('2026-12-01T19:30:01Z'))).toEqual({
      action: 'skip',
      reason: '1801 s late; this job runs at most 1800 s late',
    });
    expect(describeCatchUp(policy)).toBe('within 1800 s');
  });

  it('refuses a negative or endless bound', () => {
    expect(() => CATCH_UP.within(-1)).toThrow(RangeError);
    expect(() => CATCH_UP.within(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});
