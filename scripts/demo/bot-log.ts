/**
 * The demo bot's log: every JSON line goes to a file in the demo's folder (never into the transcript), and the
 * lines the story waits on are noted as they pass: the router's "interaction handled" (its last line for an
 * interaction, after every message it sent) and error-level lines.
 */
import { createWriteStream } from 'node:fs';
import { Writable } from 'node:stream';

export interface BotLog {
  readonly path: string;
  /** What the bot's logger writes to. */
  readonly stream: Writable;
  /** Whether the router finished the interaction (its "interaction handled" line). */
  handled(interactionId: string): boolean;
  /** Messages of error-level lines (pino level 50 and up), in order. */
  readonly errors: readonly string[];
  /** Flushes and closes the file. */
  close(): Promise<void>;
}

const ERROR_LEVEL = 50;

export function createBotLog(path: string): BotLog {
  const file = createWriteStream(path);
  const handled = new Set<string>();
  const errors: string[] = [];
  let partial = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      const text = partial + chunk.toString('utf8');
      const lines = text.split('\n');
      partial = lines.pop() ?? '';
      for (const line of lines) {
        if (line === '') continue;
        try {
          const entry = JSON.parse(line) as { level?: number; msg?: string; interactionId?: string };
          if (entry.msg === 'interaction handled' && entry.interactionId) handled.add(entry.interactionId);
          if ((entry.level ?? 0) >= ERROR_LEVEL) errors.push(entry.msg ?? line);
        } catch {
          // Not JSON: kept in the file as it came.
        }
      }
      file.write(chunk, callback);
    },
  });
  return {
    path,
    stream,
    handled: (interactionId) => handled.has(interactionId),
    errors,
    close: () => new Promise<void>((resolve) => file.end(resolve)),
  };
}
