import path from 'node:path';
import { z } from 'zod';
import { ConfigError } from './errors.js';

/** Every setting Marquee reads, in one place. `loadConfig` is pure: it reads only the env object it is given. */
const snowflake = z.string().regex(/^\d{17,20}$/, 'must be a Discord id (17-20 digits)');
const optionalText = z
  .string()
  .trim()
  .transform((value) => (value === '' ? undefined : value))
  .optional();
const url = (example: string) => z.url({ protocol: /^https?$/, error: `must be an http(s) URL such as ${example}` });

const envSchema = z.object({
  DISCORD_TOKEN: optionalText,
  DISCORD_APPLICATION_ID: optionalText.pipe(snowflake.optional()),
  DISCORD_DEV_GUILD_ID: optionalText.pipe(snowflake.optional()),
  DISCORD_API_BASE: optionalText.pipe(url('http://127.0.0.1:8080/api').optional()),
  TMDB_TOKEN: optionalText,
  TMDB_API_KEY: optionalText,
  TMDB_API_BASE: optionalText.pipe(url('https://api.themoviedb.org/3').default('https://api.themoviedb.org/3')),
  TMDB_LANGUAGE: optionalText.pipe(
    z
      .string()
      .regex(/^[a-z]{2}(-[A-Z]{2})?$/, 'must be a language tag such as en-US')
      .default('en-US'),
  ),
  TMDB_REGION: optionalText.pipe(
    z
      .string()
      .regex(/^[A-Z]{2}$/, 'must be a two-letter country code such as US')
      .default('US'),
  ),
  DATABASE_URL: optionalText.pipe(z.string().default('sqlite:data/marquee.sqlite')),
  LOG_LEVEL: optionalText.pipe(
    z
      .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
        error: 'must be one of fatal, error, warn, info, debug, trace, silent',
      })
      .default('info'),
  ),
  LOG_FORMAT: optionalText.pipe(
    z.enum(['auto', 'pretty', 'json'], { error: 'must be auto, pretty or json' }).default('auto'),
  ),
  AUTO_REGISTER_COMMANDS: optionalText.pipe(
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no', 'on', 'off'], { error: 'must be true or false' })
      .default('true')
      .transform((value) => ['true', '1', 'yes', 'on'].includes(value)),
  ),
  MEMBER_ACTIVE_DAYS: optionalText.pipe(
    z.coerce
      .number<string | undefined>({ error: 'must be a whole number of days, such as 180' })
      .int('must be a whole number of days, such as 180')
      .min(1, 'must be at least 1 day')
      .max(3650, 'must be at most 3650 days')
      .default(180),
  ),
  HTTP_PORT: optionalText.pipe(
    z.coerce
      .number<string | undefined>({ error: 'must be a port number such as 8080' })
      .int('must be a port number such as 8080')
      .min(0, 'must be a port number from 1 to 65535 (0: any free port)')
      .max(65_535, 'must be a port number from 1 to 65535')
      .optional(),
  ),
  HTTP_HOST: optionalText.pipe(z.string().default('127.0.0.1')),
  SHARD_COUNT: optionalText.pipe(
    z
      .union([z.literal('auto'), z.coerce.number<string>().int().min(1).max(10_000)], {
        error: 'must be a whole number of shards such as 4, or auto',
      })
      .optional(),
  ),
  SHARD_IDS: optionalText.pipe(
    z
      .string()
      .regex(/^\d+(\s*,\s*\d+)*$/, 'must list shard ids separated by commas, such as 0,1')
      .transform((list) => [...new Set(list.split(',').map((id) => Number(id.trim())))].sort((a, b) => a - b))
      .optional(),
  ),
  CACHE_TTL_SECONDS: optionalText.pipe(
    z.coerce
      .number<string | undefined>({ error: 'must be a whole number of seconds, such as 60' })
      .int('must be a whole number of seconds, such as 60')
      .min(1, 'must be at least 1 second')
      .max(86_400, 'must be at most 86400 seconds')
      .default(60),
  ),
});

/**
 * Which Discord shards this process runs: all of them (`undefined`: one shard, or discord.js's default), every shard of
 * `count` (`ids` undefined), or only `ids` of `count` (several hosts split the shards).
 */
export interface ShardPlan {
  count: number | 'auto';
  ids: number[] | undefined;
}

export type DatabaseTarget = { dialect: 'sqlite'; storage: string; url: string } | { dialect: 'postgres'; url: string };

export interface Config {
  discord: {
    token: string | undefined;
    applicationId: string | undefined;
    devGuildId: string | undefined;
    apiBase: string | undefined;
    /** At start, register the slash commands when Discord's differ from this version's (else only warn). */
    autoRegister: boolean;
  };
  tmdb: {
    token: string | undefined;
    apiKey: string | undefined;
    baseUrl: string;
    language: string;
    region: string;
  };
  database: DatabaseTarget;
  logLevel: z.infer<typeof envSchema>['LOG_LEVEL'];
  /** 'auto': human-readable on a terminal, JSON lines otherwise (for log collectors). */
  logFormat: z.infer<typeof envSchema>['LOG_FORMAT'];
  /** Members seen in a server within this many days are its neighbourhood. */
  memberActiveDays: number;
  /** The health and metrics endpoint (src/http/): off without a port; on 127.0.0.1 unless told otherwise. */
  http: { port: number | undefined; host: string };
  /** Undefined: one process runs every shard Discord's default gives it (one). */
  sharding: ShardPlan | undefined;
  /**
   * How long a cache another process can make stale (guild models, TMDB lists of loved films) is trusted without
   * hearing from PostgreSQL's NOTIFY: the safety net under it. Unused on SQLite, where one process owns the data.
   */
  cacheTtlMs: number;
}

/** What an entry point needs beyond the defaults: `start` needs both, `register` only Discord, `migrate` neither. */
export type Requirement = 'discord' | 'discord-application' | 'tmdb';

/**
 * Parses a `DATABASE_URL`. SQLite accepts `sqlite:relative/path.sqlite` (relative to `cwd`),
 * `sqlite:///absolute/path.sqlite`, `sqlite://relative/path.sqlite` and `sqlite::memory:`.
 */
export function parseDatabaseUrl(raw: string, cwd: string): DatabaseTarget | string {
  if (/^postgres(ql)?:\/\//.test(raw)) {
    try {
      new URL(raw);
    } catch {
      return 'DATABASE_URL is not a valid postgres:// URL';
    }
    return { dialect: 'postgres', url: raw };
  }
  if (raw.startsWith('sqlite:')) {
    const rest = raw.slice('sqlite:'.length);
    if (rest === ':memory:' || rest === '//:memory:') return { dialect: 'sqlite', storage: ':memory:', url: raw };
    const file = rest.startsWith('///') ? rest.slice(2) : rest.startsWith('//') ? rest.slice(2) : rest;
    if (file === '') return 'DATABASE_URL names no SQLite file (e.g. sqlite:data/marquee.sqlite)';
    return { dialect: 'sqlite', storage: path.resolve(cwd, file), url: raw };
  }
  return 'DATABASE_URL must start with postgres:// or sqlite: (e.g. sqlite:data/marquee.sqlite)';
}

export function loadConfig(
  env: Readonly<Record<string, string | undefined>>,
  requirements: readonly Requirement[] = [],
  cwd = '.',
): Config {
  const parsed = envSchema.safeParse(env);
  const problems: string[] = parsed.success
    ? []
    : parsed.error.issues.map((issue) => `${String(issue.path[0])} ${issue.message}`);
  const values = parsed.success ? parsed.data : undefined;

  const database = parseDatabaseUrl(values?.DATABASE_URL ?? env.DATABASE_URL ?? 'sqlite:data/marquee.sqlite', cwd);
  if (typeof database === 'string') problems.push(database);

  const present = (name: keyof typeof envSchema.shape) => (env[name] ?? '').trim() !== '';
  if (requirements.includes('discord') && !present('DISCORD_TOKEN')) {
    problems.push('DISCORD_TOKEN is missing: the bot token from the Discord developer portal (Bot → Reset Token)');
  }
  if (
    (requirements.includes('discord') || requirements.includes('discord-application')) &&
    !present('DISCORD_APPLICATION_ID')
  ) {
    problems.push(
      'DISCORD_APPLICATION_ID is missing: the application id from the Discord developer portal (General Information)',
    );
  }
  if (requirements.includes('tmdb') && !present('TMDB_TOKEN') && !present('TMDB_API_KEY')) {
    problems.push(
      'TMDB_TOKEN or TMDB_API_KEY is missing: the API Read Access Token (preferred) or API key from themoviedb.org → Settings → API',
    );
  }

  const sharding = values ? shardPlan(values.SHARD_COUNT, values.SHARD_IDS, problems) : undefined;
  if (sharding && typeof database !== 'string' && database.dialect === 'sqlite' && isSharded(sharding)) {
    problems.push(
      'SHARD_COUNT/SHARD_IDS need PostgreSQL: one SQLite file cannot be shared by several processes or hosts (set DATABASE_URL to postgres://…, or leave SHARD_COUNT unset for one process)',
    );
  }

  if (problems.length > 0 || !values || typeof database === 'string') throw new ConfigError(problems);
  return {
    discord: {
      token: values.DISCORD_TOKEN,
      applicationId: values.DISCORD_APPLICATION_ID,
      devGuildId: values.DISCORD_DEV_GUILD_ID,
      apiBase: values.DISCORD_API_BASE,
      autoRegister: values.AUTO_REGISTER_COMMANDS,
    },
    tmdb: {
      token: values.TMDB_TOKEN,
      apiKey: values.TMDB_API_KEY,
      baseUrl: values.TMDB_API_BASE.replace(/\/+$/, ''),
      language: values.TMDB_LANGUAGE,
      region: values.TMDB_REGION,
    },
    database,
    logLevel: values.LOG_LEVEL,
    logFormat: values.LOG_FORMAT,
    memberActiveDays: values.MEMBER_ACTIVE_DAYS,
    http: { port: values.HTTP_PORT, host: values.HTTP_HOST },
    sharding,
    cacheTtlMs: values.CACHE_TTL_SECONDS * 1_000,
  };
}

/** SHARD_COUNT and SHARD_IDS together: ids need a number of shards, and each must be below it. */
function shardPlan(
  count: number | 'auto' | undefined,
  ids: number[] | undefined,
  problems: string[],
): ShardPlan | undefined {
  if (ids !== undefined && typeof count !== 'number') {
    problems.push('SHARD_IDS needs SHARD_COUNT set to the total number of shards across every host, such as 4');
    return undefined;
  }
  if (ids !== undefined && typeof count === 'number' && ids.some((id) => id >= count)) {
    problems.push(`SHARD_IDS must be shard ids below SHARD_COUNT (0 to ${count - 1})`);
    return undefined;
  }
  return count === undefined ? undefined : { count, ids };
}

/** More than one shard in all, or 'auto' (which may be more): other processes may share the database. */
export function isSharded(plan: ShardPlan | undefined): boolean {
  return plan !== undefined && (plan.count === 'auto' || plan.count > 1);
}

/** Loads `.env` from the working directory when there is one; real environment variables win. */
export function loadDotEnv(file = '.env'): void {
  try {
    process.loadEnvFile(file);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
}
