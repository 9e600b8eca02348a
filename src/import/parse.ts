import { UserFacingError } from '../errors.js';
import { decodeText, readCsv, type CsvTable } from './csv.js';
import { imdbRows } from './imdb.js';
import { isLetterboxdZipEntry, letterboxdRows } from './letterboxd.js';
import { IMPORT_LIMITS, megabytes, type ImportLimits } from './limits.js';
import type { ImportFormat, ParsedImport } from './rows.js';
import { isZip, readZip } from './zip.js';

/** An uploaded file: its name (Discord keeps it) and its bytes. */
export interface ImportFile {
  name: string;
  bytes: Buffer;
}

/** `bytes`: the file's size, or null when a download was cut off past the limit (its size is unknown). */
export function fileTooLarge(bytes: number | null, limits: Pick<ImportLimits, 'maxFileBytes'>): UserFacingError {
  const size = bytes === null ? 'larger' : megabytes(bytes);
  return new UserFacingError(
    'import-file-too-large',
    `An import takes files up to ${megabytes(limits.maxFileBytes)}, and that one is ${size}. Upload the CSV files one at a time instead of the whole zip.`,
  );
}

function tooManyRows(limits: Pick<ImportLimits, 'maxRows'>): UserFacingError {
  return new UserFacingError(
    'import-too-many-rows',
    `That is more than ${limits.maxRows.toLocaleString('en-US')} rows, the most one import takes: nothing was imported. Upload the CSV files one at a time (e.g. ratings.csv, then diary.csv), each under that.`,
  );
}

const HOW_TO_EXPORT: Record<ImportFormat, string> = {
  letterboxd: 'Upload Letterboxd’s export zip (Settings → Data → Export your data) or one of its CSV files.',
  imdb: 'Upload the CSV IMDb exports from Your Ratings (⋯ → Export).',
};

/** The CSV tables of the upload: the wanted entries of a zip, or the file itself. */
async function tablesOf(format: ImportFormat, file: ImportFile, limits: ImportLimits): Promise<CsvTable[]> {
  const texts: { name: string; text: string | null }[] = [];
  if (isZip(file.bytes)) {
    const wanted =
      format === 'letterboxd'
        ? isLetterboxdZipEntry
        : (name: string) => !name.includes('/') && name.toLowerCase().endsWith('.csv');
    const entries = await readZip(file.bytes, wanted, limits);
    if (entries.length === 0) {
      throw new UserFacingError(
        'import-bad-columns',
        format === 'letterboxd'
          ? `${file.name} holds none of ratings.csv, diary.csv, watched.csv or watchlist.csv at its top level. ${HOW_TO_EXPORT.letterboxd}`
          : `${file.name} holds no CSV file at its top level. ${HOW_TO_EXPORT.imdb}`,
      );
    }
    for (const entry of entries) texts.push({ name: entry.name, text: decodeText(entry.bytes) });
  } else {
    texts.push({ name: file.name, text: decodeText(file.bytes) });
  }
  let rowsLeft = limits.maxRows;
  return texts.map(({ name, text }) => {
    if (text === null) {
      throw new UserFacingError(
        'import-not-csv-or-zip',
        `${name} is neither a CSV file nor a zip (it is not text). ${HOW_TO_EXPORT[format]}`,
      );
    }
    const table = readCsv(name, text, rowsLeft, () => tooManyRows(limits));
    rowsLeft -= table.records.length;
    return table;
  });
}

/**
 * Reads and checks an upload completely before anything is matched or written: size, zip safety, the row cap over
 * every file, each file's columns and every row (zod). Any problem refuses the whole upload with a UserFacingError
 * that names it. `latestDate` is the last acceptable date (today, with a day's slack for time zones).
 */
export async function parseImport(
  format: ImportFormat,
  file: ImportFile,
  latestDate: string,
  limits: ImportLimits = IMPORT_LIMITS,
): Promise<ParsedImport> {
  if (file.bytes.length > limits.maxFileBytes) throw fileTooLarge(file.bytes.length, limits);
  const tables = await tablesOf(format, file, limits);
  const parsed: ParsedImport = { format, files: [], rows: [], notFilms: [] };
  for (const table of tables) {
    if (format === 'letterboxd') {
      const { kind, rows } = letterboxdRows(table, latestDate, isZip(file.bytes));
      parsed.files.push({ name: table.name, kind, rows: rows.length });
      parsed.rows.push(...rows);
    } else {
      const { rows, notFilms } = imdbRows(table, latestDate);
      parsed.files.push({ name: table.name, kind: 'ratings', rows: rows.length + notFilms.length });
      parsed.rows.push(...rows);
      parsed.notFilms.push(...notFilms);
    }
  }
  if (parsed.rows.length + parsed.notFilms.length === 0) {
    throw new UserFacingError('import-empty', `${file.name} has no rows to import. ${HOW_TO_EXPORT[format]}`);
  }
  return parsed;
}

/** For the operator script, which is not told: IMDb's files have `Const`, Letterboxd's `Letterboxd URI` or `Name`. */
export function guessFormat(file: ImportFile): ImportFormat {
  if (isZip(file.bytes)) return 'letterboxd';
  const firstLine =
    file.bytes
      .subarray(0, 4_096)
      .toString('utf8')
      .replace(/^\uFEFF/, '')
      .split(/\r?\n/)[0] ?? '';
  return /(^|,)"?Const"?(,|$)/.test(firstLine) ? 'imdb' : 'letterboxd';
}
