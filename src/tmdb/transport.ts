import nodeFetch from 'node-fetch';
import PQueue from 'p-queue';
import pRetry from 'p-retry';
import { z } from 'zod';
import { combineSignals, sleep, startDeadline } from '../deadline.js';
import type { Logger } from '../logger.js';
import type { MetricsPort } from '../metrics-port.js';
import { TmdbError, abortedError, createRedactor, kindForStatus, redactedCause, type TmdbErrorKind } from './errors.js';
import { errorBodySchema } from './schemas.js';
import type { TmdbStatusRecorder } from './status.js';

/** The part of a fetch response we use; node-fetch's satisfies it, and so does a test fake. */
export interface TmdbFetchResponse {
  ok: boolean;
  status: number;
  headers: { get(name: string): string | null };
  text(): Promise<string>;
}

export type TmdbFetch = (
  url: string,
  init: { headers: Record<string, string>; signal: AbortSignal },
) => Promise<TmdbFetchResponse>;

/**
 * Queue lanes. Queued work runs highest first, so an autocomplete ('interactive') waits at most for a
 * running request to finish, never behind a backlog of 'background' jobs. Retries keep their lane.
 */
export const TMDB_PRIORITIES = { interactive: 2, normal: 1, background: 0 } as const;
export type TmdbPriority = keyof typeof TMDB_PRIORITIES;

export interface RequestOptions {
  /**
   * The caller's deadline or cancellation (e.g. `startDeadline(2_000).signal` in autocomplete). It covers
   * waiting in the queue, every attempt and the back-off between them: once it fires the call rejects at
   * once with a TmdbError of kind 'timeout' (a TimeoutError reason) or 'aborted'.
   */
  signal?: AbortSignal;
  /** Default 'normal'. */
  priority?: TmdbPriority;
  /** Retries of this call, instead of the client's `maxRetries` (the start-up check makes exactly one request). */
  retries?: number;
}

export interface TmdbTransportSettings {
  /** Includes the version: `…/3`. */
  baseUrl: string;
  fetch: TmdbFetch;
  /** One attempt's limit, from leaving the queue to the last byte of the body. */
  timeoutMs: number;
  /** Retries after the first attempt, for 429, 5xx, network errors and per-attempt timeouts. */
  maxRetries: number;
  /** Client-side cap (TMDB's own limit is about 40/s). Every attempt counts, retries included. */
  requestsPerSecond: number;
  /** Requests in flight at once. */
  concurrency: number;
  /**
   * Back-off without `Retry-After`: ceiling = min(backoffMaxMs, backoffBaseMs × 2^(attempt−1));
   * wait = ceiling × (½ + ½·random()).
   */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A `Retry-After` longer than this is not waited for: the call fails as 'rate-limited'. */
  maxRetryAfterMs: number;
  /** Jitter source in [0, 1); tests inject a constant. */
  random: () => number;
}

export interface TmdbTransportOptions extends Partial<TmdbTransportSettings> {
  /** API Read Access Token, sent as `Authorization: Bearer …` (preferred: keeps the secret out of URLs). */
  token?: string;
  /** v3 API key, sent as the `api_key` query parameter when there is no token. */
  apiKey?: string;
  logger?: Logger;
  /** Told how each request ended (after retries), so members and logs can say what a failure is. */
  status?: Pick<TmdbStatusRecorder, 'answered' | 'failed'>;
  /** Told each attempt's HTTP status (or `timeout`/`network`) and each retry, for /metrics. */
  metrics?: Pick<MetricsPort, 'tmdbAttempt' | 'tmdbRetry'>;
}

export const TMDB_TRANSPORT_DEFAULTS = {
  baseUrl: 'https://api.themoviedb.org/3',
  fetch: nodeFetch,
  timeoutMs: 5_000,
  maxRetries: 3,
  requestsPerSecond: 20,
  concurrency: 8,
  backoffBaseMs: 500,
  backoffMaxMs: 8_000,
  maxRetryAfterMs: 60_000,
  random: Math.random,
} as const satisfies Required<TmdbTransportSettings>;

export type QueryValue = string | number | boolean | undefined;

export interface TmdbTransport {
  /**
   * `GET endpoint?query` (undefined values left out), through the rate-capped queue, with retries, and
   * the 2xx body parsed by `schema`. Every failure is a TmdbError whose message and path hold no secret.
   */
  get<Output>(
    endpoint: string,
    query: Record<string, QueryValue>,
    schema: z.ZodType<Output>,
    options?: RequestOptions,
  ): Promise<Output>;
  /** Requests waiting in the queue or in flight. */
  queueLength(): number;
}

const RETRYABLE_KINDS: ReadonlySet<TmdbErrorKind> = new Set(['rate-limited', 'server', 'network', 'timeout']);

export function createTmdbTransport(options: TmdbTransportOptions): TmdbTransport {
  const settings = { ...TMDB_TRANSPORT_DEFAULTS, ...options };
  const { token, apiKey, logger, status, metrics } = options;
  if (!token && !apiKey) throw new TypeError('createTmdbClient needs a token (preferred) or an apiKey');

  const redact = createRedactor([token, apiKey]);
  const baseUrl = new URL(settings.baseUrl.endsWith('/') ? settings.baseUrl : `${settings.baseUrl}/`);
  const headers: Record<string, string> = token
    ? { accept: 'application/json', authorization: `Bearer ${token}` }
    : { accept: 'application/json' };
  // strict = sliding window: never more than requestsPerSecond starts in any 1 s, even across window edges.
  const queue = new PQueue({
    concurrency: settings.concurrency,
    intervalCap: settings.requestsPerSecond,
    interval: 1_000,
    strict: true,
  });

  function buildUrl(endpoint: string, query: Record<string, QueryValue>): { url: URL; path: string } {
    const url = new URL(endpoint, baseUrl);
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) url.searchParams.set(name, String(value));
    }
    // The path kept in errors and logs is taken before the key is added.
    const path = `${url.pathname}${url.search}`;
    if (!token && apiKey) url.searchParams.set('api_key', apiKey);
    return { url, path };
  }

  function httpError(status: number, body: string, retryAfter: string | null, path: string): TmdbError {
    const parsed = errorBodySchema.safeParse(parseJson(body));
    const statusCode = parsed.success ? (parsed.data.status_code ?? null) : null;
    const statusMessage = parsed.success ? parsed.data.status_message : undefined;
    return new TmdbError(redact(`TMDB answered ${status}${statusMessage ? ` (${statusMessage})` : ''} for ${path}`), {
      kind: kindForStatus(status),
      path,
      status,
      statusCode,
      retryAfterMs: status === 429 || status === 503 ? parseRetryAfter(retryAfter) : null,
    });
  }

  /** One HTTP attempt, run inside the queue: its own timeout starts when it leaves the queue. */
  async function attempt(
    url: URL,
    path: string,
    signal: AbortSignal | undefined,
  ): Promise<{ status: number; body: string }> {
    const timeout = startDeadline(settings.timeoutMs);
    const started = Date.now();
    try {
      const response = await settings.fetch(url.href, { headers, signal: combineSignals(timeout.signal, signal) });
      const body = await response.text();
      metrics?.tmdbAttempt(String(response.status));
      logger?.debug({ path, status: response.status, ms: Date.now() - started }, 'TMDB request');
      if (!response.ok) throw httpError(response.status, body, response.headers.get('retry-after'), path);
      return { status: response.status, body };
    } catch (error) {
      if (error instanceof TmdbError) throw error;
      if (signal?.aborted) throw abortedError(signal, path);
      metrics?.tmdbAttempt(timeout.signal.aborted ? 'timeout' : 'network');
      if (timeout.signal.aborted) {
        throw new TmdbError(`TMDB did not answer within ${settings.timeoutMs} ms for ${path}`, {
          kind: 'timeout',
          path,
        });
      }
      const cause = redactedCause(error, redact);
      throw new TmdbError(`TMDB could not be reached for ${path}: ${cause.message}`, { kind: 'network', path, cause });
    } finally {
      timeout.cancel();
    }
  }

  function canRetry(error: Error, signal: AbortSignal | undefined): error is TmdbError {
    if (!(error instanceof TmdbError) || signal?.aborted || !RETRYABLE_KINDS.has(error.kind)) return false;
    return error.retryAfterMs === null || error.retryAfterMs <= settings.maxRetryAfterMs;
  }

  function retryDelayMs(error: TmdbError, attemptNumber: number): number {
    if (error.retryAfterMs !== null) return error.retryAfterMs;
    const ceiling = Math.min(settings.backoffMaxMs, settings.backoffBaseMs * 2 ** (attemptNumber - 1));
    return Math.round(ceiling / 2 + (settings.random() * ceiling) / 2);
  }

  function toTmdbError(error: unknown, signal: AbortSignal | undefined, path: string): TmdbError {
    if (error instanceof TmdbError) return error;
    if (signal?.aborted) return abortedError(signal, path);
    const cause = redactedCause(error, redact);
    return new TmdbError(`TMDB request failed for ${path}: ${cause.message}`, { kind: 'network', path, cause });
  }

  return {
    queueLength: () => queue.size + queue.pending,

    async get(endpoint, query, schema, { signal, priority = 'normal', retries = settings.maxRetries } = {}) {
      const { url, path } = buildUrl(endpoint, query);
      try {
        // p-retry runs the loop; the wait is ours (Retry-After, injectable jitter), so its own delay is 0.
        const { status: httpStatus, body } = await pRetry(
          () => queue.add(() => attempt(url, path, signal), { priority: TMDB_PRIORITIES[priority], signal }),
          {
            retries,
            minTimeout: 0,
            signal,
            shouldRetry: ({ error }) => canRetry(error, signal),
            onFailedAttempt: async ({ error, attemptNumber, retriesLeft }) => {
              if (retriesLeft === 0 || !canRetry(error, signal)) return;
              const delayMs = retryDelayMs(error, attemptNumber);
              metrics?.tmdbRetry();
              logger?.warn(
                { path, status: error.status, kind: error.kind, attempt: attemptNumber, delayMs },
                'TMDB request failed; retrying',
              );
              await sleep(delayMs, signal);
            },
          },
        );
        const parsed = parseBody(body, httpStatus, schema, path);
        status?.answered();
        return parsed;
      } catch (error) {
        const failure = toTmdbError(error, signal, path);
        status?.failed(failure);
        throw failure;
      }
    },
  };
}

function parseJson(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

function parseBody<Output>(body: string, status: number, schema: z.ZodType<Output>, path: string): Output {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch (error) {
    throw new TmdbError(`TMDB sent a body that is not JSON for ${path}`, {
      kind: 'invalid-response',
      path,
      status,
      cause: error,
    });
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new TmdbError(`TMDB sent an unexpected body for ${path}: ${z.prettifyError(result.error)}`, {
      kind: 'invalid-response',
      path,
      status,
      cause: result.error,
    });
  }
  return result.data;
}

/** `Retry-After` is either delta-seconds or an HTTP date. */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | null {
  if (value === null || value.trim() === '') return null;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, Math.round(seconds * 1_000));
  const date = Date.parse(value);
  return Number.isNaN(date) ? null : Math.max(0, date - now);
}
