import { describe, expect, it } from 'vitest';
import { downloadAttachment, type AttachmentFetch } from '../../src/import/download.js';

const limits = { maxFileBytes: 1_000 };
const attachment = (size: number) => ({
  url: 'https://cdn.discordapp.com/attachments/1/2/ratings.csv',
  name: 'ratings.csv',
  size,
});

/** A fetch whose body hands out `chunks` chunks of 300 bytes, counting how many were taken. */
function streaming(chunks: number) {
  const seen = { requests: 0, pulled: 0, aborted: false };
  const fetch: AttachmentFetch = (_url, { signal }) => {
    seen.requests++;
    signal.addEventListener('abort', () => (seen.aborted = true));
    async function* body() {
      for (let i = 0; i < chunks; i++) {
        seen.pulled++;
        yield new Uint8Array(300).fill(65);
      }
    }
    return Promise.resolve({ ok: true, status: 200, body: body() });
  };
  return { fetch, seen };
}

describe('downloading the member’s file', () => {
  it('refuses a file Discord says is too large without a request', async () => {
    const { fetch, seen } = streaming(1);
    await expect(
      downloadAttachment(attachment(5_000), { fetch, signal: new AbortController().signal, limits }),
    ).rejects.toMatchObject({ code: 'import-file-too-large' });
    expect(seen.requests).toBe(0);
  });

  it('stops as soon as the download passes the limit, whatever size Discord stated', async () => {
    const { fetch, seen } = streaming(100);
    await expect(
      downloadAttachment(attachment(10), { fetch, signal: new AbortController().signal, limits }),
    ).rejects.toMatchObject({
      code: 'import-file-too-large',
      message: expect.stringContaining('that one is larger'),
    });
    // 4 chunks of 300 bytes pass 1,000: the other 96 are never read.
    expect(seen.pulled).toBe(4);
    expect(seen.aborted).toBe(true);
  });

  it('returns the bytes of a file within the limit, and says plainly when Discord does not serve it', async () => {
    const { fetch } = streaming(3);
    const bytes = await downloadAttachment(attachment(900), { fetch, signal: new AbortController().signal, limits });
    expect(bytes.length).toBe(900);

    const missing: AttachmentFetch = () => Promise.resolve({ ok: false, status: 404, body: null });
    await expect(
      downloadAttachment(attachment(900), { fetch: missing, signal: new AbortController().signal, limits }),
    ).rejects.toMatchObject({ code: 'import-download-failed' });
  });
});
