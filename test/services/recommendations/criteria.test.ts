import { describe, expect, it } from 'vitest';
import { checkPickCriteria, type PickCriteria } from '../../../src/services/recommendations/criteria.js';

/** The code of the UserFacingError the criteria are refused with, or null when they pass. */
function refusal(criteria: PickCriteria, now = new Date('2026-03-10T12:00:00Z')): string | null {
  try {
    checkPickCriteria(criteria, now);
    return null;
  } catch (error) {
    expect(error).toMatchObject({ name: 'UserFacingError' });
    return (error as { code: string }).code;
  }
}

describe('checkPickCriteria', () => {
  it('takes 1 to 5 whole picks', () => {
    expect([0, 1, 5, 6, 2.5].map((count) => refusal({ count }))).toEqual([
      'bad-count',
      null,
      null,
      'bad-count',
      'bad-count',
    ]);
  });

  it('takes only the genres TMDB uses for films', () => {
    expect(refusal({ count: 1, genreId: 27 })).toBeNull();
    expect(refusal({ count: 1, genreId: 12_345 })).toBe('bad-genre');
  });

  it('takes whole years from 1874 to five years after now, the first no later than the last', () => {
    // In 2026 the latest year allowed is 2031; in 2030 it is 2035.
    expect(refusal({ count: 1, fromYear: 1874, toYear: 2031 })).toBeNull();
    expect(refusal({ count: 1, fromYear: 2000, toYear: 2000 })).toBeNull();
    for (const years of [
      { fromYear: 1873 },
      { toYear: 2032 },
      { fromYear: 2001, toYear: 2000 },
      { fromYear: 1999.5 },
    ]) {
      expect(refusal({ count: 1, ...years })).toBe('bad-year');
    }
    expect(refusal({ count: 1, toYear: 2035 }, new Date('2030-01-01T00:00:00Z'))).toBeNull();
  });

  it('takes a whole longest runtime of 30 to 600 minutes', () => {
    expect([30, 600, 29, 601, 90.5].map((maxRuntime) => refusal({ count: 1, maxRuntime }))).toEqual([
      null,
      null,
      'bad-runtime',
      'bad-runtime',
      'bad-runtime',
    ]);
  });
});
