import { Writable } from 'node:stream';

export type LogFormat = 'pretty' | 'json';

/** 'auto' picks human-readable lines on a terminal and JSON lines otherwise (what log collectors parse). */
export function chooseLogFormat(setting: 'auto' | LogFormat, isTTY: boolean): LogFormat {
  if (setting !== 'auto') return setting;
  return isTTY ? 'pretty' : 'json';
}

const LEVELS: Readonly<Record<number, { name: string; color: string }>> = {
  10: { name: 'TRACE', color: '\u001b[90m' },
  20: { name: 'DEBUG', color: '\u001b[90m' },
  30: { name: 'INFO ', color: '\u001b[32m' },
  40: { name: 'WARN ', color: '\u001b[33m' },
  50: { name: 'ERROR', color: '\u001b[31m' },
  60: { name: 'FATAL', color: '\u001b[41m' },
};
const RESET = '\u001b[0m';
const DIM = '\u001b[2m';

/** pino's own fields, shown as the time, level and message, or not at all. */
const OWN_FIELDS = new Set(['level', 'time', 'msg', 'pid', 'hostname', 'err', 'component']);

function value(raw: unknown): string {
  if (typeof raw === 'string') return /\s/.test(raw) || raw === '' ? JSON.stringify(raw) : raw;
  return JSON.stringify(raw) ?? String(raw);
}

/** "Error: message", then the stack below it for errors and worse (for warnings, the message is enough). */
function errorText(err: unknown, level: number): string {
  if (typeof err !== 'object' || err === null) return '';
  const { type, message, stack } = err as { type?: unknown; message?: unknown; stack?: unknown };
  if (level >= 50 && typeof stack === 'string') return `\n    ${stack.split('\n').join('\n    ')}`;
  return `  ${typeof type === 'string' ? type : 'Error'}: ${typeof message === 'string' ? message : ''}`;
}

/** One JSON line of pino as a human reads it: `14:03:07 INFO  [tmdb] message  key=value`. */
export function formatLine(line: string, colors: boolean): string {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return line;
  }
  const level = typeof entry.level === 'number' ? entry.level : 30;
  const { name, color } = LEVELS[level] ?? { name: String(level), color: '' };
  const time = new Date(typeof entry.time === 'number' ? entry.time : Date.now()).toTimeString().slice(0, 8);
  const component = typeof entry.component === 'string' ? `[${entry.component}] ` : '';
  const fields = Object.entries(entry)
    .filter(([key]) => !OWN_FIELDS.has(key))
    .map(([key, raw]) => `${key}=${value(raw)}`)
    .join(' ');
  const paint = (text: string, code: string) => (colors ? `${code}${text}${RESET}` : text);
  return [
    `${paint(time, DIM)} ${paint(name, color)} ${component}${typeof entry.msg === 'string' ? entry.msg : ''}`,
    fields ? `  ${paint(fields, DIM)}` : '',
    errorText(entry.err, level),
  ].join('');
}

/** A stream for pino that writes each line as `formatLine` shows it. */
export function createPrettyStream(out: NodeJS.WritableStream, { colors }: { colors: boolean }): Writable {
  return new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      const text = chunk.toString();
      const lines = text.split('\n').filter((line) => line !== '');
      out.write(lines.map((line) => `${formatLine(line, colors)}\n`).join(''));
      done();
    },
  });
}
