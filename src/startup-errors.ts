import { DiscordAPIError, DiscordjsErrorCodes } from 'discord.js';
import type { Config } from './config.js';
import { StartupError } from './errors.js';
import { TmdbError } from './tmdb/errors.js';

/**
 * First-run failures in one plain sentence each, with what to do (README "Troubleshooting" lists them). Anything
 * these do not recognise is unexpected and keeps its stack trace.
 */
export const STARTUP_MESSAGES = {
  discordUnreachable: (where: string, code: string) =>
    `Cannot reach ${where} (${code}): check the network or DISCORD_API_BASE.`,
  discordTokenRejected:
    'Discord rejected DISCORD_TOKEN: reset it in the developer portal (your application → Bot → Reset Token) and put the new one in .env.',
  applicationMismatch: (configured: string, actual: string) =>
    `DISCORD_APPLICATION_ID is ${configured}, but DISCORD_TOKEN belongs to application ${actual}: copy the Application ID and the token from the same application.`,
  tmdbKeyRejected: (variable: 'TMDB_TOKEN' | 'TMDB_API_KEY') =>
    `TMDB rejected ${variable}: copy the API Read Access Token from themoviedb.org → Settings → API into TMDB_TOKEN in .env.${variable === 'TMDB_API_KEY' ? ' (An API key goes in TMDB_API_KEY.)' : ''}`,
  tmdbUnreachable: (code: string) =>
    `TMDB is not answering (${code}); starting anyway: members get the films already stored until it answers.`,
  databaseUnreachable: (where: string, code: string) =>
    `Cannot reach the database at ${where} (${code}): check that it runs and that DATABASE_URL is right.`,
  databaseUnopenable: (file: string, code: string) =>
    `Cannot open the SQLite file ${file} (${code}): check that the folder exists and is writable, or set DATABASE_URL.`,
} as const;

/** Network failures as Node and undici name them: a host that does not resolve, refuses, or never answers. */
const NETWORK_CODES = new Set([
  'ENOTFOUND',
  'EAI_AGAIN',
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_SOCKET',
  'CERT_HAS_EXPIRED',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
]);

/** The network error code anywhere in an error's `cause` chain (undici wraps it: `fetch failed` ← `ECONNREFUSED`). */
export function networkCode(error: unknown, depth = 0): string | undefined {
  if (!(error instanceof Error) || depth > 5) return undefined;
  const { code } = error as { code?: unknown };
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
  // @discordjs/rest gives up on a request with an AbortError after its own timeout.
  if (error.name === 'AbortError' || error.name === 'TimeoutError') return 'no answer';
  return networkCode(error.cause, depth + 1);
}

/** "discord.com", or the host of DISCORD_API_BASE when one is set. */
export function discordHost(apiBase: string | undefined): string {
  return apiBase ? new URL(apiBase).host : 'discord.com';
}

/** A Discord REST or login failure as a first-run sentence, or null when it is not one we expect. */
export function explainDiscordFailure(error: unknown, apiBase: string | undefined): StartupError | null {
  const tokenRejected =
    (error instanceof DiscordAPIError && error.status === 401) ||
    (error instanceof Error && (error as { code?: unknown }).code === DiscordjsErrorCodes.TokenInvalid);
  if (tokenRejected) return new StartupError(STARTUP_MESSAGES.discordTokenRejected, { cause: error });
  const code = networkCode(error);
  if (code) return new StartupError(STARTUP_MESSAGES.discordUnreachable(discordHost(apiBase), code), { cause: error });
  return null;
}

/** A TMDB failure of the start-up check: a rejected key stops the start; anything else is only worth a warning. */
export function explainTmdbFailure(
  error: unknown,
  tmdb: Pick<Config['tmdb'], 'token'>,
): { fatal: StartupError } | { warning: string } | null {
  if (!(error instanceof TmdbError)) return null;
  if (error.kind === 'unauthorized') {
    return { fatal: new StartupError(STARTUP_MESSAGES.tmdbKeyRejected(tmdb.token ? 'TMDB_TOKEN' : 'TMDB_API_KEY')) };
  }
  const code = networkCode(error.cause) ?? (error.status ? `HTTP ${error.status}` : error.kind);
  return { warning: STARTUP_MESSAGES.tmdbUnreachable(code) };
}

/** A database that cannot be reached or opened, as a first-run sentence; null for anything else. */
export function explainDatabaseFailure(error: unknown, database: Config['database']): StartupError | null {
  if (!(error instanceof Error)) return null;
  const parent = (error as { parent?: unknown }).parent ?? error.cause;
  const raw = (parent as { code?: unknown } | undefined)?.code ?? (error as { code?: unknown }).code;
  const code = typeof raw === 'string' ? raw : undefined;
  if (database.dialect === 'postgres') {
    const where = new URL(database.url);
    const unreachable =
      /^Sequelize(Connection|HostNotFound|HostNotReachable|ConnectionRefused|ConnectionTimedOut|AccessDenied)/.test(
        error.name,
      ) ||
      (code !== undefined && NETWORK_CODES.has(code));
    if (!unreachable) return null;
    // Never the password: host, port and database name only.
    const target = `${where.hostname}:${where.port || '5432'}${where.pathname}`;
    return new StartupError(
      STARTUP_MESSAGES.databaseUnreachable(target, code ?? error.message.split('\n')[0] ?? error.name),
      { cause: error },
    );
  }
  if (code && /^(SQLITE_CANTOPEN|SQLITE_READONLY|SQLITE_PERM|EACCES|EROFS|ENOENT|ENOTDIR)$/.test(code)) {
    return new StartupError(STARTUP_MESSAGES.databaseUnopenable(database.storage, code), { cause: error });
  }
  return null;
}
