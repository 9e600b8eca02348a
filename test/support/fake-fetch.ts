import type { TmdbFetch } from '../../src/tmdb/client.js';

export interface PendingFetch {
  url: URL;
  headers: Record<string, string>;
  signal: AbortSignal;
  /** Answers this request (JSON body). */
  respond(status: number, body: unknown, headers?: Record<string, string>): void;
}

export interface ControlledFetch {
  fetch: TmdbFetch;
  /** Every request received so far, in arrival order. */
  requests: PendingFetch[];
  /** Requests received and neither answered nor aborted yet. */
  inFlight: () => number;
  /** The most requests that were in flight at any one moment. */
  peakInFlight: () => number;
}

/**
 * A fetch whose requests wait until the test answers them, so queueing and concurrency can be
 * observed step by step without timing anything. A request whose signal aborts rejects like fetch does.
 */
export function createControlledFetch(): ControlledFetch {
  const requests: PendingFetch[] = [];
  let open = 0;
  let peak = 0;
  const fetch: TmdbFetch = (url, { headers, signal }) =>
    new Promise((resolve, reject) => {
      let done = false;
      const finish = () => {
        if (done) return false;
        done = true;
        open -= 1;
        return true;
      };
      open += 1;
      peak = Math.max(peak, open);
      signal.addEventListener(
        'abort',
        () => {
          if (finish()) reject(signal.reason as Error);
        },
        { once: true },
      );
      requests.push({
        url: new URL(url),
        headers,
        signal,
        respond(status, body, responseHeaders = {}) {
          if (!finish()) return;
          resolve({
            ok: status >= 200 && status < 300,
            status,
            headers: { get: (name) => responseHeaders[name.toLowerCase()] ?? null },
            text: async () => JSON.stringify(body),
          });
        },
      });
    });
  return { fetch, requests, inFlight: () => open, peakInFlight: () => peak };
}

/** Lets real I/O and promise chains run (setImmediate is never faked in these tests). */
export async function settle(turns = 20): Promise<void> {
  for (let turn = 0; turn < turns; turn += 1) await new Promise((resolve) => setImmediate(resolve));
}
