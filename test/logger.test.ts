import { Writable } from 'node:stream';
import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { UserFacingError } from '../src/errors.js';
import { createLogger, withLogFields } from '../src/logger.js';

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

describe('withLogFields', () => {
  it('adds the fields to every line any logger writes during the work, across awaits, and to none outside it', async () => {
    const { logger, text } = capture();
    const service = logger.child({ component: 'ratings' });

    await withLogFields({ interactionId: '1300000000000000001', userId: '400000000000000001' }, async () => {
      await Promise.resolve();
      service.info('inside');
      await withLogFields({ messageId: '1300000000000000002' }, async () => logger.info('nested'));
    });
    logger.info('outside');

    const lines = text()
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines[0]).toMatchObject({ msg: 'inside', component: 'ratings', interactionId: '1300000000000000001' });
    expect(lines[1]).toMatchObject({ msg: 'nested', userId: '400000000000000001', messageId: '1300000000000000002' });
    expect(lines[2]?.msg).toBe('outside');
    expect(lines[2]).not.toHaveProperty('interactionId');
  });
});
