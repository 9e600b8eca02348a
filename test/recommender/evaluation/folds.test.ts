import { describe, expect, it } from 'vitest';
import { fnv1a32, foldOf } from '../../../src/recommender/evaluation/folds.js';

describe('fnv1a32', () => {
  it('matches the check value of GUIDE §6', () => {
    expect(fnv1a32('1:1')).toBe(1_680_131_417);
  });

  it('returns the offset basis for the empty string', () => {
    expect(fnv1a32('')).toBe(2_166_136_261);
  });

  it('hashes one byte as (offset ^ byte) · prime mod 2^32', () => {
    // 'a' = 0x61: (2166136261 ^ 97) = 2166136228; · 16777619 mod 2^32 = 0xe40c292c = 3826002220 (FNV-1a test vector).
    expect(fnv1a32('a')).toBe(3_826_002_220);
  });
});

describe('foldOf', () => {
  it('maps a rating to hash % K + 1', () => {
    // 1680131417 % 5 = 2, so fold 3.
    expect(foldOf('1', 1, 5)).toBe(3);
  });
});
