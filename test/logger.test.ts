import { Writable } from 'node:stream';
import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../src/errors.js';
import { createLogger } from '../src/logger.js';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(chunk.toString());
      callback();
    },
  });
  return { logger: createLogger({ level: 'info', destination }), text: () => lines.join('') };
}

const failedCallback = () =>
  new DiscordAPIError(
    { code: 10062, message: 'Unknown interaction' },
    10062,
    404,
    'POST',
    'https://discord.com/api/v10/interactions/1300000000000000001/aW50ZXJhY3Rpb24tdG9rZW4/callback',
    { body: { type: 4, data: { content: 'your private export' } }, files: undefined },
  );

describe('the logger', () => {
  it('keeps interaction tokens and request bodies of Discord errors out of log lines, at any depth of cause', () => {
    const { logger, text } = capture();
    logger.error({ err: failedCallback() }, 'reply failed');
    logger.error({ err: new UserFacingError('tmdb-unavailable', 'wrapped', { cause: failedCallback() }) }, 'wrapped');

    expect(text()).not.toContain('aW50ZXJhY3Rpb24tdG9rZW4');
    expect(text()).not.toContain('your private export');
    expect(text()).toContain('/interactions/1300000000000000001/[redacted]/callback');
    expect(text()).toContain('Unknown interaction');
  });

  it('blanks tokens and keys passed as metadata', () => {
    const { logger, text } = capture();
    logger.info(
      { config: { discord: { token: 'discord-secret' }, tmdb: { token: 'tmdb-secret', apiKey: 'key-secret' } } },
      'config',
    );
    logger.info({ headers: { authorization: 'Bearer tmdb-secret' } }, 'request');
    expect(text()).not.toMatch(/discord-secret|tmdb-secret|key-secret/);
  });
});
