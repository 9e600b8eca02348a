import { describe, expect, it } from 'vitest';
import { TmdbError, type TmdbErrorKind } from '../../src/tmdb/errors.js';
import { createTmdbStatus } from '../../src/tmdb/status.js';
import { createLogCapture } from '../support/log-capture.js';

const failure = (kind: TmdbErrorKind) =>
  new TmdbError(`failed: ${kind}`, { kind, path: '/3/movie/popular', status: null });

function statusAt(start = 0) {
  let now = start;
  const log = createLogCapture();
  const status = createTmdbStatus({
    logger: log.logger,
    now: () => now,
    errorLogIntervalMs: 60_000,
    staleAfterMs: 30_000,
  });
  const levels = () =>
    log.lines
      .map((line) => JSON.parse(line) as { level: number; msg: string })
      .map(({ level, msg }) => `${level} ${msg}`);
  return { status, levels, advance: (ms: number) => void (now += ms) };
}

describe('TMDB status', () => {
  it('is fine until a request fails, and says what the latest failure was', () => {
    const { status } = statusAt();
    expect(status.current()).toBe('ok');
    status.failed(failure('timeout'));
    expect(status.current()).toBe('unreachable');
    status.failed(failure('unauthorized'));
    expect(status.current()).toBe('key-rejected');
    status.answered();
    expect(status.current()).toBe('ok');
  });

  it('takes a 404 as TMDB answering, and ignores what says nothing about TMDB', () => {
    const { status } = statusAt();
    status.failed(failure('server'));
    status.failed(failure('aborted'));
    status.failed(failure('bad-request'));
    expect(status.current()).toBe('unreachable');
    status.failed(failure('not-found'));
    expect(status.current()).toBe('ok');
  });

  it('forgets a failure nothing has confirmed for a while', () => {
    const { status, advance } = statusAt();
    status.failed(failure('network'));
    advance(30_001);
    expect(status.current()).toBe('ok');
  });

  it('logs a rejected key at error level once per interval, not per request', () => {
    const { status, levels, advance } = statusAt();
    for (let i = 0; i < 5; i++) status.failed(failure('unauthorized'));
    advance(59_000);
    status.failed(failure('unauthorized'));
    expect(levels()).toEqual([expect.stringMatching(/^50 TMDB rejected Marquee’s key/)]);
    advance(2_000);
    status.failed(failure('unauthorized'));
    status.failed(failure('timeout'));
    status.failed(failure('timeout'));
    status.answered();
    expect(levels()).toEqual([
      expect.stringMatching(/^50 TMDB rejected/),
      expect.stringMatching(/^50 TMDB rejected/),
      '40 TMDB is not answering',
      '30 TMDB answers again',
    ]);
  });
});
