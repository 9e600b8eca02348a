/**
 * What one import may hold, in one place. Above any of these the upload is refused before anything is matched or
 * written, with a message saying which limit and what to do (src/import/parse.ts, src/import/download.ts).
 */
export interface ImportLimits {
  /** Bytes of the uploaded file, checked against Discord's stated size before downloading and again while it arrives. */
  maxFileBytes: number;
  /** CSV rows of one import, every file of a zip together: the cap of one import. */
  maxRows: number;
  /** Bytes a zip unpacks to, every entry together (its own stated sizes, which yauzl holds each entry to). */
  maxUnpackedBytes: number;
  /** Entries of a zip (a Letterboxd export holds a few dozen; a zip of many tiny entries is a bomb). */
  maxZipEntries: number;
}

const MIB = 1024 * 1024;

export const IMPORT_LIMITS = {
  maxFileBytes: 8 * MIB,
  maxRows: 50_000,
  maxUnpackedBytes: 50 * MIB,
  maxZipEntries: 5_000,
} as const satisfies ImportLimits;

/** "8 MB": how limits read to members. */
export function megabytes(bytes: number): string {
  return `${Math.round((bytes / MIB) * 10) / 10} MB`;
}
