import { UserFacingError } from '../errors.js';
import { fileTooLarge } from './parse.js';
import type { ImportLimits } from './limits.js';

/** The part of a fetch response a download reads: the global fetch's satisfies it, and so does a test fake. */
export interface AttachmentResponse {
  ok: boolean;
  status: number;
  body: AsyncIterable<Uint8Array> | null;
}

/** Fetches an attachment's URL (Discord's CDN in production, the fake Discord on loopback in tests). */
export type AttachmentFetch = (url: string, init: { signal: AbortSignal }) => Promise<AttachmentResponse>;

export const defaultAttachmentFetch: AttachmentFetch = async (url, { signal }) => {
  const response = await fetch(url, { signal, redirect: 'follow' });
  return { ok: response.ok, status: response.status, body: response.body };
};

/** What Discord says about an uploaded file. */
export interface AttachmentInfo {
  url: string;
  name: string;
  /** Bytes, as Discord states them. */
  size: number;
}

function failed(cause?: unknown): UserFacingError {
  return new UserFacingError(
    'import-download-failed',
    'I could not download your file from Discord just now; please try again in a moment.',
    cause === undefined ? undefined : { cause },
  );
}

/**
 * Downloads an attachment, bounded twice: a file Discord says is over `maxFileBytes` is refused without a request,
 * and a download that brings more than that is cut off as soon as it does (the stated size is not trusted). The
 * signal bounds the whole download.
 */
export async function downloadAttachment(
  attachment: AttachmentInfo,
  {
    fetch,
    signal,
    limits,
  }: { fetch: AttachmentFetch; signal: AbortSignal; limits: Pick<ImportLimits, 'maxFileBytes'> },
): Promise<Buffer> {
  if (attachment.size > limits.maxFileBytes) throw fileTooLarge(attachment.size, limits);
  const cutOff = new AbortController();
  const both = AbortSignal.any([signal, cutOff.signal]);
  try {
    const response = await fetch(attachment.url, { signal: both });
    if (!response.ok || response.body === null) throw failed(new Error(`HTTP ${response.status}`));
    const chunks: Uint8Array[] = [];
    let received = 0;
    for await (const chunk of response.body) {
      received += chunk.byteLength;
      if (received > limits.maxFileBytes) {
        cutOff.abort();
        throw fileTooLarge(null, limits);
      }
      chunks.push(chunk);
    }
    return Buffer.concat(chunks);
  } catch (error) {
    if (error instanceof UserFacingError) throw error;
    throw failed(error);
  }
}
