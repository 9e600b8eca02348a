import { describe, expect, it } from 'vitest';
import { parseRetryAfter } from '../../src/tmdb/transport.js';
import { createRedactor, TmdbError, abortedError } from '../../src/tmdb/errors.js';
import { tmdbImageUrl } from '../../src/tmdb/images.js';
import { createTtlCache } from '../../src/tmdb/ttl-cache.js';

describe('parseRetryAfter', () => {
  it('reads delta-seconds and HTTP dates', () => {
    expect(parseRetryAfter('1')).toBe(1_000);
    expect(parseRetryAfter('1.5')).toBe(1_500);
    // 07:28:05 is 5 s after 07:28:00.
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:28:05 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(5_000);
    expect(parseRetryAfter('Wed, 21 Oct 2015 07:27:00 GMT', Date.parse('Wed, 21 Oct 2015 07:28:00 GMT'))).toBe(0);
  });

  it('ignores a missing or unreadable header', () => {
    expect(parseRetryAfter(null)).toBeNull();
    expect(parseRetryAfter('')).toBeNull();
    expect(parseRetryAfter('soon')).toBeNull();
  });
});

describe('createRedactor', () => {
  it('removes api_key values and the secrets themselves', () => {
    const redact = createRedactor(['key123', undefined, 'tok456']);
    expect(redact('GET /3/movie/1?language=en&api_key=key123&page=2')).toBe(
      'GET /3/movie/1?language=en&api_key=[redacted]&page=2',
    );
    expect(redact('Bearer tok456 failed')).toBe('Bearer [redacted] failed');
    expect(redact('?API_KEY=other')).toBe('?API_KEY=[redacted]');
  });
});

describe('abortedError', () => {
  it('calls a TimeoutError reason a timeout and anything else an abort', () => {
    const timedOut = abortedError(AbortSignal.abort(new DOMException('late', 'TimeoutError')), 'movie/1');
    const aborted = abortedError(AbortSignal.abort(), 'movie/1');
    expect(timedOut).toBeInstanceOf(TmdbError);
    expect(timedOut.kind).toBe('timeout');
    expect(aborted.kind).toBe('aborted');
  });
});

describe('tmdbImageUrl', () => {
  it('joins base, size and path, and has no URL without a path', () => {
    expect(tmdbImageUrl('/a.jpg')).toBe('https://image.tmdb.org/t/p/w342/a.jpg');
    expect(tmdbImageUrl('/a.jpg', 'original', 'https://cdn.example.test/t/p')).toBe(
      'https://cdn.example.test/t/p/original/a.jpg',
    );
    expect(tmdbImageUrl(null)).toBeNull();
  });
});

describe('createTtlCache', () => {
  it('drops the least recently used entry beyond maxEntries', async () => {
    let loads = 0;
    const cache = createTtlCache<number>({ ttlMs: 1_000, maxEntries: 2, now: () => 0 });
    const load = (value: number) => async () => {
      loads += 1;
      return value;
    };

    await cache.getOrLoad('a', load(1));
    await cache.getOrLoad('b', load(2));
    await cache.getOrLoad('a', load(1)); // a is now the most recently used
    await cache.getOrLoad('c', load(3)); // evicts b
    await cache.getOrLoad('a', load(1));
    expect(loads).toBe(3);
    await cache.getOrLoad('b', load(2));
    expect(loads).toBe(4);
    expect(cache.size).toBe(2);
  });

  it('forgets a failed load', async () => {
    const cache = createTtlCache<number>({ ttlMs: 1_000, maxEntries: 10, now: () => 0 });
    await expect(cache.getOrLoad('a', () => Promise.reject(new Error('down')))).rejects.toThrow('down');
    await expect(cache.getOrLoad('a', async () => 7)).resolves.toBe(7);
  });
});
