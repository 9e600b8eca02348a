import { CsvError, parse } from 'csv-parse/sync';
import { UserFacingError } from '../errors.js';

/** One CSV file: its header as written (trimmed) and each record by column name, with the line it ends on. */
export interface CsvTable {
  name: string;
  header: string[];
  records: { line: number; values: Record<string, string> }[];
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The file as text, or null when it is no text at all (invalid UTF-8, or NUL bytes as binary files have): what tells
 * a CSV from a PDF or an image. A UTF-8 byte order mark is dropped, and line endings become `\n` so that CRLF files
 * (Windows, Excel) read the same and line numbers count right.
 */
export function decodeText(bytes: Uint8Array): string | null {
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return null;
  }
  if (text.includes('\u0000')) return null;
  return text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n');
}

/**
 * Parses a CSV with a header row (csv-parse: quoted commas, doubled quotes, fields across lines). At most `maxRows`
 * records after the header are read; `tooMany` is thrown as soon as one more is there. A file that is not well formed
 * (a quote never closed, a row with more or fewer fields than the header) is refused naming the line.
 */
export function readCsv(name: string, text: string, maxRows: number, tooMany: () => Error): CsvTable {
  let parsed: { record: string[]; info: { lines: number } }[];
  try {
    // With `info`, each record comes as `{ record, info }` (csv-parse's types do not follow the option).
    const records: unknown = parse(text, { skip_empty_lines: true, info: true, to: maxRows + 2 });
    parsed = records as typeof parsed;
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    const line = typeof error.lines === 'number' ? ` (line ${error.lines})` : '';
    throw new UserFacingError(
      'import-bad-row',
      `${name} is not a well-formed CSV file${line}: ${error.message.replace(/ at line \d+.*$/s, '')}. Upload the file as the site exported it.`,
      { cause: error },
    );
  }
  const [head, ...rows] = parsed;
  if (rows.length > maxRows) throw tooMany();
  const header = (head?.record ?? []).map((column) => column.trim());
  return {
    name,
    header,
    records: rows.map(({ record, info }) => ({
      line: info.lines,
      values: Object.fromEntries(header.map((column, index) => [column, record[index] ?? ''])),
    })),
  };
}
