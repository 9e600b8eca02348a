import { isTimeoutReason } from '../deadline.js';

/** What went wrong with a TMDB call, coarse enough to branch on. */
export const TMDB_ERROR_KINDS = [
  /** 401 or 403: the token or key is wrong or revoked (TMDB `status_code` 7). */
  'unauthorized',
  /** 404: no such film (TMDB `status_code` 34). */
  'not-found',
  /** 429 after our retries (TMDB `status_code` 25). */
  'rate-limited',
  /** Any other 4xx: our request was wrong; retrying cannot help. */
  'bad-request',
  /** 5xx after our retries. */
  'server',
  /** No HTTP answer at all (DNS, connection reset, …) after our retries. */
  'network',
  /** The per-request timeout (after retries) or a caller deadline such as `AbortSignal.timeout(2000)`. */
  'timeout',
  /** The caller aborted. */
  'aborted',
  /** A 2xx whose body is not JSON or does not match the schema. */
  'invalid-response',
] as const;

export type TmdbErrorKind = (typeof TMDB_ERROR_KINDS)[number];

export interface TmdbErrorDetails {
  kind: TmdbErrorKind;
  /** URL path and query of the request, without `api_key`. */
  path: string;
  status?: number | null;
  statusCode?: number | null;
  /** How long TMDB asked us to wait (from `Retry-After`), when it said so. */
  retryAfterMs?: number | null;
  cause?: unknown;
}

/** A failed TMDB call. Its message, `path` and `cause` never contain the token or the api_key. */
export class TmdbError extends Error {
  override readonly name = 'TmdbError';
  readonly kind: TmdbErrorKind;
  /** HTTP status, or null when there was no HTTP answer. */
  readonly status: number | null;
  /** TMDB's own `status_code` from the error body, when it sent one. */
  readonly statusCode: number | null;
  readonly path: string;
  readonly retryAfterMs: number | null;

  constructor(
    message: string,
    { kind, path, status = null, statusCode = null, retryAfterMs = null, cause }: TmdbErrorDetails,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.kind = kind;
    this.path = path;
    this.status = status;
    this.statusCode = statusCode;
    this.retryAfterMs = retryAfterMs;
  }
}

export function kindForStatus(status: number): TmdbErrorKind {
  if (status === 401 || status === 403) return 'unauthorized';
  if (status === 404) return 'not-found';
  if (status === 429) return 'rate-limited';
  if (status >= 500) return 'server';
  return 'bad-request';
}

/**
 * The TmdbError for a caller's signal that fired: `AbortSignal.timeout()` aborts with a `TimeoutError`,
 * which we report as 'timeout'; anything else is 'aborted'.
 */
export function abortedError(signal: AbortSignal, path: string): TmdbError {
  const reason: unknown = signal.reason;
  const timedOut = isTimeoutReason(reason);
  return new TmdbError(
    timedOut
      ? `TMDB request gave up: the caller's deadline passed (${path})`
      : `TMDB request aborted by the caller (${path})`,
    { kind: timedOut ? 'timeout' : 'aborted', path, cause: reason },
  );
}

/** Replaces every secret, and any `api_key=` query value, in text that may reach a log line or an error. */
export function createRedactor(secrets: readonly (string | undefined)[]): (text: string) => string {
  const literals = secrets.filter((secret): secret is string => secret !== undefined && secret.length > 0);
  return (text) => {
    let safe = text.replace(/([?&]api_key=)[^&#\s"']*/gi, '$1[redacted]');
    for (const secret of literals) safe = safe.split(secret).join('[redacted]');
    return safe;
  };
}

/** A copy of an underlying error (node-fetch puts the full URL in its messages) with secrets removed. */
export function redactedCause(error: unknown, redact: (text: string) => string): Error {
  if (!(error instanceof Error)) return new Error(redact(String(error)));
  const copy = new Error(redact(error.message));
  copy.name = error.name;
  const code: unknown = (error as { code?: unknown }).code;
  if (typeof code === 'string') Object.assign(copy, { code });
  return copy;
}
