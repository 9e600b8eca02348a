import { pino, type Logger, type LevelWithSilent } from 'pino';

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
  'req.headers.authorization',
  'config.discordToken',
  'config.tmdbToken',
  'config.tmdbApiKey',
] as const;

export interface LoggerOptions {
  level: LevelWithSilent;
  /** Where lines go; defaults to stdout. Tests pass a stream to read what was logged. */
  destination?: NodeJS.WritableStream;
}

export function createLogger({ level, destination }: LoggerOptions): Logger {
  const options = { level, redact: { paths: [...REDACTED_PATHS], censor: '[redacted]' } };
  return destination ? pino(options, destination) : pino(options);
}
