import { AsyncLocalStorage } from 'node:async_hooks';
import { pino, stdSerializers, type Logger, type LevelWithSilent } from 'pino';
import { createPrettyStream, type LogFormat } from './log-format.js';

export type { Logger };

/** Paths pino blanks out wherever they appear, so a token or key can never reach a log line. */
export const REDACTED_PATHS = [
  'token',
  '*.token',
  'apiKey',
  '*.apiKey',
  'authorization',
  '*.authorization',
  'headers.authorization',
  '*.headers.authorization',
  'config.discord.token',
  'config.tmdb.token',
  'config.tmdb.apiKey',
] as const;

type SerializedError = ReturnType<typeof stdSerializers.err> & Record<string, unknown>;

/** Interaction and webhook tokens sit in REST paths; each lets anyone answer as the bot for 15 minutes. */
function redactTokensInUrl(url: string): string {
  return url
    .replace(/(\/interactions\/\d+\/)[^/?]+/g, '$1[redacted]')
    .replace(/(\/webhooks\/\d+\/)[^/?]+/g, '$1[redacted]');
}

/**
 * discord.js's DiscordAPIError and HTTPError carry the request `url` (with the interaction token) and
 * `requestBody` (a member's message or export file): keep the error, drop those, at every level of `cause`.
 */
function scrubError(serialized: SerializedError): SerializedError {
  const { requestBody: _body, url, cause, ...rest } = serialized;
  return {
    ...rest,
    ...(typeof url === 'string' ? { url: redactTokensInUrl(url) } : {}),
    ...(cause && typeof cause === 'object' ? { cause: scrubError(cause) } : {}),
  } as SerializedError;
}

export function serializeError(error: unknown): unknown {
  if (!(error instanceof Error)) return error;
  return scrubError(stdSerializers.err(error));
}

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
  /** 'json' (default): one JSON object a line. 'pretty': lines for a person at a terminal (see log-format.ts). */
  format?: LogFormat;
  /** Colours in pretty lines (a terminal); default off. */
  colors?: boolean;
}

/** The fields of the interaction (or reaction) being handled, for every line logged while handling it. */
const logScope = new AsyncLocalStorage<Readonly<Record<string, unknown>>>();

/**
 * Runs `work` so that every line any logger writes during it, in services and adapters too, carries these
 * fields (GUIDE §2: a line logged while handling an interaction names its command, user, guild and id). The
 * router binds them once per interaction, so nothing passes a logger down for that.
 */
export function withLogFields<Result>(fields: Readonly<Record<string, unknown>>, work: () => Result): Result {
  return logScope.run({ ...logScope.getStore(), ...fields }, work);
}

export function createLogger({ level, destination, format = 'json', colors = false }: LoggerOptions): Logger {
  const options = {
    level,
    redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' },
    serializers: { err: serializeError },
    mixin: () => logScope.getStore() ?? {},
  };
  if (format === 'pretty') return pino(options, createPrettyStream(destination ?? process.stdout, { colors }));
  return destination ? pino(options, destination) : pino(options);
}
