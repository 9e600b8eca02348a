import type { UnmatchedReason } from './matcher.js';
import type { ImportFormat, ParsedImport } from './rows.js';

/** How an import ended: done, or stopped early (what was written stays; importing the file again finishes it). */
export type ImportEnd =
  | { kind: 'done' }
  | {
      kind: 'stopped';
      reason: 'shutdown' | 'tmdb-unavailable' | 'tmdb-key-rejected' | 'forgotten' | 'taken-over' | 'failed';
    };

/** Where an import stands; every row is in exactly one count. */
export interface ImportCounts {
  rows: number;
  imported: number;
  /** Marquee already had the row's rating, entry or film, or a newer rating. */
  already: number;
  /** Rows that are no film (IMDb TV series, episodes, …). */
  notFilms: number;
  unmatched: number;
  /** Rows never reached because the import stopped. */
  notReached: number;
}

/** Where an import starts: rows that are no film counted as such, every other row not reached yet. */
export function startingCounts(parsed: ParsedImport): ImportCounts {
  return {
    rows: parsed.rows.length + parsed.notFilms.length,
    imported: 0,
    already: 0,
    notFilms: parsed.notFilms.length,
    unmatched: 0,
    notReached: parsed.rows.length,
  };
}

export interface ImportProgress {
  files: ParsedImport['files'];
  /** Distinct films the rows name, and how many of them were looked up so far. */
  films: number;
  filmsLookedUp: number;
  counts: ImportCounts;
}

export interface ImportSummary extends ImportProgress {
  format: ImportFormat;
  end: ImportEnd;
  /** The unmatched rows as a CSV to fix and import again, or null when every row matched. */
  unmatchedFile: { name: string; text: string } | null;
  unmatchedReasons: Partial<Record<UnmatchedReason, number>>;
}

const count = (value: number) => value.toLocaleString('en-US');
/** `many(1_234, 'row')` → `1,234 rows`. */
const many = (value: number, one: string, other = `${one}s`) => `${count(value)} ${value === 1 ? one : other}`;

function listOf(names: readonly string[]): string {
  if (names.length <= 1) return names.join('');
  return `${names.slice(0, -1).join(', ')} and ${names.at(-1) ?? ''}`;
}

export function fileNames(files: ParsedImport['files']): string {
  return listOf(files.map((file) => file.name));
}

const STOPPED: Record<Extract<ImportEnd, { kind: 'stopped' }>['reason'], string> = {
  shutdown: 'Marquee was restarting',
  'tmdb-unavailable': 'TMDB stopped answering',
  'tmdb-key-rejected': 'Marquee’s TMDB key is not working (tell the server admin)',
  forgotten: 'you deleted your data in Marquee meanwhile, so nothing more was saved',
  'taken-over': 'another import of yours started after this one seemed stuck',
  failed: 'something went wrong on Marquee’s side (it has been logged)',
};

/** One line on where an import stands, for the reply it edits and the operator's log. */
export function progressLine({ files, films, filmsLookedUp, counts }: ImportProgress): string {
  const done = counts.rows - counts.notReached;
  return `Importing ${fileNames(files)}: looked up ${count(filmsLookedUp)} of ${many(films, 'film')}, ${count(done)} of ${many(counts.rows, 'row')} done.`;
}

/**
 * What an import did, in plain sentences (the command adds Discord's formatting, the script prints them): imported,
 * skipped (already there or newer; not films), unmatched with what to do about them, and why it stopped if it did.
 */
export function summaryLines(summary: ImportSummary, importCommand: string): string[] {
  const { counts, end } = summary;
  const lines: string[] = [];
  if (end.kind === 'done') {
    lines.push(`Imported ${count(counts.imported)} of ${many(counts.rows, 'row')} from ${fileNames(summary.files)}.`);
  } else {
    // After a deletion nothing stays: what the import wrote before it went with the member's data.
    const kept =
      counts.imported > 0 && end.reason !== 'forgotten' ? ` The ${many(counts.imported, 'row')} imported stay.` : '';
    lines.push(
      `The import stopped after ${count(counts.rows - counts.notReached)} of ${many(counts.rows, 'row')}: ${STOPPED[end.reason]}.${kept}`,
    );
  }
  const skipped = counts.already + counts.notFilms;
  if (skipped > 0) {
    const parts = [
      counts.already > 0 ? `${count(counts.already)} already in Marquee (the same, or a newer rating)` : null,
      counts.notFilms > 0 ? `${count(counts.notFilms)} not films (TV series, episodes and the like)` : null,
    ].filter((part): part is string => part !== null);
    lines.push(`Skipped ${count(skipped)}: ${parts.join('; ')}.`);
  }
  if (counts.unmatched > 0 && summary.unmatchedFile) {
    lines.push(
      `${many(counts.unmatched, 'row')} matched no film for sure, listed in ${summary.unmatchedFile.name}: fix the title or year, or fill in tmdbID (the number in the film’s themoviedb.org address), then import that file: ${importCommand}.`,
    );
  }
  if (end.kind === 'stopped' && counts.notReached > 0 && end.reason !== 'forgotten') {
    lines.push(
      `${many(counts.notReached, 'row was', 'rows were')} not reached: import the same file again to finish (what was imported is skipped).`,
    );
  }
  return lines;
}
