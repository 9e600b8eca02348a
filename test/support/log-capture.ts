import { Writable } from 'node:stream';
import { createLogger, type Logger } from '../../src/logger.js';

export interface LogCapture {
  logger: Logger;
  /** Every line written so far, raw: what an operator would see. */
  readonly lines: string[];
  /** Resolves once `count` lines with this `msg` have been written (at once if they already were). */
  until(message: string, count?: number): Promise<void>;
}

/** A real pino logger (with the app's redaction) whose lines a test can read and wait for. */
export function createLogCapture(): LogCapture {
  const lines: string[] = [];
  const seen = new Map<string, number>();
  const waiters = new Set<{ message: string; count: number; resolve: () => void }>();
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean)) {
        lines.push(line);
        const message = String((JSON.parse(line) as { msg?: unknown }).msg);
        seen.set(message, (seen.get(message) ?? 0) + 1);
      }
      for (const waiter of waiters) {
        if ((seen.get(waiter.message) ?? 0) >= waiter.count) {
          waiters.delete(waiter);
          waiter.resolve();
        }
      }
      done();
    },
  });
  return {
    logger: createLogger({ level: 'debug', destination }),
    lines,
    until(message, count = 1) {
      if ((seen.get(message) ?? 0) >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.add({ message, count, resolve }));
    },
  };
}
