import type { Readable } from 'node:stream';
import { fromBufferPromise, type Entry, type ZipFile } from 'yauzl';
import { UserFacingError } from '../errors.js';
import { megabytes, type ImportLimits } from './limits.js';

/** A zip's local file header, or the end record of an empty zip: how a zip starts. */
export function isZip(bytes: Uint8Array): boolean {
  if (bytes.length < 4 || bytes[0] !== 0x50 || bytes[1] !== 0x4b) return false;
  return (bytes[2] === 0x03 && bytes[3] === 0x04) || (bytes[2] === 0x05 && bytes[3] === 0x06);
}

export interface ZipEntryFile {
  /** The entry's path inside the zip, `/`-separated. */
  name: string;
  bytes: Buffer;
}

/** yauzl's refusals of a name that would land outside the zip's root (or is no portable name at all). */
const UNSAFE_NAME = /^(absolute path|invalid relative path|invalid characters in fileName)/;

function unsafe(name: string): UserFacingError {
  return new UserFacingError(
    'import-unsafe-zip',
    `The zip holds a path outside its own folder (${name.slice(0, 80)}), which no export has: nothing was imported. Upload the zip exactly as the site made it.`,
  );
}

function notAZip(cause: unknown): UserFacingError {
  return new UserFacingError(
    'import-not-csv-or-zip',
    'The file starts like a zip but cannot be read as one (damaged or cut short?). Download the export again and upload that.',
    { cause },
  );
}

async function collect(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * The entries `wanted` picks, unpacked, after checking the whole zip first: at most `maxZipEntries` entries, no path
 * outside the zip's root (absolute, `..`, drive letters: yauzl's checks), and at most `maxUnpackedBytes` unpacked in
 * all by the entries' own sizes, which yauzl holds each entry to while it inflates (`validateEntrySizes`), so a zip
 * bomb stops at the stated size. Nothing is unpacked before every entry has been checked.
 */
export async function readZip(
  bytes: Buffer,
  wanted: (name: string) => boolean,
  limits: Pick<ImportLimits, 'maxUnpackedBytes' | 'maxZipEntries'>,
): Promise<ZipEntryFile[]> {
  let zip: ZipFile;
  try {
    zip = await fromBufferPromise(bytes, { lazyEntries: true, autoClose: false, validateEntrySizes: true });
  } catch (error) {
    throw notAZip(error);
  }
  try {
    if (zip.entryCount > limits.maxZipEntries) {
      throw new UserFacingError(
        'import-unsafe-zip',
        `The zip holds ${zip.entryCount} files, more than an export has (at most ${limits.maxZipEntries}): nothing was imported.`,
      );
    }
    const picked: Entry[] = [];
    let unpacked = 0;
    try {
      for await (const entry of zip.eachEntry()) {
        const name = entry.fileName;
        if (name.split('/').some((part) => part === '..') || name.startsWith('/')) throw unsafe(name);
        unpacked += entry.uncompressedSize;
        if (!name.endsWith('/') && wanted(name)) picked.push(entry);
      }
    } catch (error) {
      if (error instanceof UserFacingError) throw error;
      if (error instanceof Error && UNSAFE_NAME.test(error.message))
        throw unsafe(error.message.replace(/^[^:]*: /, ''));
      throw notAZip(error);
    }
    if (unpacked > limits.maxUnpackedBytes) {
      throw new UserFacingError(
        'import-unsafe-zip',
        `The zip unpacks to ${megabytes(unpacked)}, more than the ${megabytes(limits.maxUnpackedBytes)} an import may hold: nothing was imported. Upload the CSV files you need one at a time instead.`,
      );
    }
    const files: ZipEntryFile[] = [];
    for (const entry of picked) {
      if (entry.isEncrypted()) {
        throw new UserFacingError(
          'import-unsafe-zip',
          `${entry.fileName} in the zip is password-protected: upload the export as the site made it.`,
        );
      }
      try {
        files.push({ name: entry.fileName, bytes: await collect(await zip.openReadStreamPromise(entry)) });
      } catch (error) {
        throw notAZip(error);
      }
    }
    return files;
  } finally {
    zip.close();
  }
}
