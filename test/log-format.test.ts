import { describe, expect, it } from 'vitest';
import { chooseLogFormat, formatLine } from '../src/log-format.js';

const line = (entry: Record<string, unknown>) =>
  JSON.stringify({ level: 30, time: new Date(2026, 0, 1, 14, 3, 7).getTime(), pid: 1, hostname: 'h', ...entry });

describe('log lines for people', () => {
  it('chooses pretty lines on a terminal and JSON otherwise, unless told', () => {
    expect(chooseLogFormat('auto', true)).toBe('pretty');
    expect(chooseLogFormat('auto', false)).toBe('json');
    expect(chooseLogFormat('json', true)).toBe('json');
    expect(chooseLogFormat('pretty', false)).toBe('pretty');
  });

  it('shows time, level, component and message, then the other fields', () => {
    expect(formatLine(line({ msg: 'Logged in as Marquee#1234 in 3 servers', guilds: 3 }), false)).toBe(
      '14:03:07 INFO  Logged in as Marquee#1234 in 3 servers  guilds=3',
    );
    expect(formatLine(line({ level: 40, component: 'tmdb', msg: 'TMDB is not answering', path: '/3 x' }), false)).toBe(
      '14:03:07 WARN  [tmdb] TMDB is not answering  path="/3 x"',
    );
  });

  it('gives a warning’s error its message and an error’s its stack', () => {
    const err = { type: 'Error', message: 'boom', stack: 'Error: boom\n    at here' };
    expect(formatLine(line({ level: 40, msg: 'retrying', err }), false)).toBe('14:03:07 WARN  retrying  Error: boom');
    expect(formatLine(line({ level: 50, msg: 'failed', err }), false)).toBe(
      '14:03:07 ERROR failed\n    Error: boom\n        at here',
    );
  });

  it('colours on a terminal, and leaves a line that is not JSON as it is', () => {
    expect(formatLine(line({ msg: 'hi' }), true)).toContain('\u001b[32mINFO \u001b[0m');
    expect(formatLine('plain text', true)).toBe('plain text');
  });
});
