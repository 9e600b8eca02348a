import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../../src/config.js';
import { createDatabase } from '../../../src/db/database.js';
import { migrateUp } from '../../../src/db/migrator.js';
import { createRepositories } from '../../../src/db/repositories/index.js';
import { chooseLogFormat } from '../../../src/log-format.js';
import { createLogger, type Logger } from '../../../src/logger.js';
import { loadCatalogue } from '../../../src/seed/catalogue.js';
import { catalogueSeedFilms, seedGuild, type SeedFilm, type SeedReport } from '../../../src/seed/seed.js';
import { tmdbSeedFilms } from '../../../src/seed/tmdb-films.js';
import { createMovieCatalog } from '../../../src/tmdb/catalog.js';
import { createTmdbClient } from '../../../src/tmdb/client.js';
import { TmdbError } from '../../../src/tmdb/errors.js';
import type { Config } from '../../../src/config.js';
import type { Repositories } from '../../../src/db/repositories/index.js';

export const USAGE =
  'npm run seed -- [--guild ID] [--users N] [--ratings-per-user M] [--source catalogue|tmdb] [--seed S] [--as-of YYYY-MM-DD] [--database-url URL]';

/** The demo guild's id when `--guild` is not given (a snowflake of 2017-04-09). */
export const DEMO_GUILD_ID = '300706430976000000';

export const SEED_SOURCES = ['catalogue', 'tmdb'] as const;
export type SeedSource = (typeof SEED_SOURCES)[number];

export interface SeedArgs {
  guildId: string;
  users: number;
  ratingsPerUser: number;
  /** Null: TMDB when a token or key is configured, else the catalogue. */
  source: SeedSource | null;
  seed: number;
  /** Null: today (UTC). */
  asOf: Date | null;
  databaseUrl: string | null;
}

const SNOWFLAKE = /^\d{17,20}$/;

/** Reads the command line; an Error naming what is wrong, with the usage, otherwise. */
export function parseSeedArgs(argv: readonly string[]): SeedArgs {
  const wrong = (message: string) => new Error(`${message}\nUsage: ${USAGE}`);
  let values: Record<string, string | undefined>;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: {
        guild: { type: 'string' },
        users: { type: 'string' },
        'ratings-per-user': { type: 'string' },
        source: { type: 'string' },
        seed: { type: 'string' },
        'as-of': { type: 'string' },
        'database-url': { type: 'string' },
      },
    }));
  } catch (error) {
    // Node's first sentence names the flag ("Unknown option '--user'"); the rest is about positionals we take none of.
    throw wrong(`${(error as Error).message.split(/\.(\s|$)/)[0] ?? 'Unreadable arguments'}.`);
  }
  const whole = (flag: string, fallback: number, min: number, max: number): number => {
    const text = values[flag];
    if (text === undefined) return fallback;
    const value = /^\d+$/.test(text) ? Number(text) : Number.NaN;
    if (!(value >= min && value <= max)) {
      throw wrong(`--${flag} must be a whole number from ${min.toLocaleString('en')} to ${max.toLocaleString('en')}.`);
    }
    return value;
  };
  const guildId = values.guild ?? DEMO_GUILD_ID;
  if (!SNOWFLAKE.test(guildId)) throw wrong('--guild must be a server’s Discord id (17-20 digits).');
  const source = values.source ?? null;
  if (source !== null && !(SEED_SOURCES as readonly string[]).includes(source)) {
    throw wrong(`--source must be ${SEED_SOURCES.join(' or ')}.`);
  }
  const asOfText = values['as-of'];
  let asOf: Date | null = null;
  if (asOfText !== undefined) {
    asOf = new Date(`${asOfText}T00:00:00Z`);
    if (
      !/^\d{4}-\d{2}-\d{2}$/.test(asOfText) ||
      Number.isNaN(asOf.getTime()) ||
      !asOf.toISOString().startsWith(asOfText)
    ) {
      throw wrong('--as-of must be a day such as 2026-06-01.');
    }
  }
  const databaseUrl = values['database-url'];
  if (databaseUrl !== undefined && databaseUrl.trim() === '') throw wrong('--database-url is empty.');
  return {
    guildId,
    users: whole('users', 50, 1, 1_000_000),
    ratingsPerUser: whole('ratings-per-user', 40, 0, 10_000),
    source: source as SeedSource | null,
    seed: whole('seed', 1, 0, 4_294_967_295),
    asOf,
    databaseUrl: databaseUrl ?? null,
  };
}

export interface SeedCliIo {
  env: Readonly<Record<string, string | undefined>>;
  /** Progress lines (when not a terminal) and the summary (stdout). */
  print(text: string): void;
  /** Where the progress bar draws, when it is a terminal (stderr); null: a line at every tenth of the members. */
  terminal: NodeJS.WriteStream | null;
  /** Milliseconds, for the elapsed time in the summary (default performance.now). */
  now?: () => number;
}

export interface SeedCliResult {
  report: SeedReport;
  source: SeedSource;
  films: number;
  elapsedMs: number;
}

function createProgressView(io: SeedCliIo) {
  let bar: cliProgress.SingleBar | null = null;
  let reportedTenth = -1;
  return {
    update(done: number, total: number) {
      if (io.terminal) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              stream: io.terminal,
              format: '{bar} {value}/{total} members seeded | {eta_formatted} left',
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(total, 0);
        }
        bar.update(done);
        return;
      }
      const tenth = Math.floor((done / total) * 10);
      if (tenth > reportedTenth) {
        reportedTenth = tenth;
        io.print(`Seeded ${done.toLocaleString('en')} of ${total.toLocaleString('en')} members`);
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

async function filmsFrom(source: SeedSource, config: Config, repos: Repositories, logger: Logger): Promise<SeedFilm[]> {
  if (source === 'catalogue') return catalogueSeedFilms(loadCatalogue());
  const client = createTmdbClient({
    baseUrl: config.tmdb.baseUrl,
    language: config.tmdb.language,
    region: config.tmdb.region,
    logger,
    ...(config.tmdb.token ? { token: config.tmdb.token } : {}),
    ...(config.tmdb.apiKey ? { apiKey: config.tmdb.apiKey } : {}),
  });
  const catalog = createMovieCatalog({ client, store: repos.movies, logger });
  try {
    return await tmdbSeedFilms(catalog);
  } catch (error) {
    if (!(error instanceof TmdbError)) throw error;
    throw new Error(
      `TMDB did not give its film lists (${error.message}); run with --source catalogue to seed from the built-in catalogue.`,
      { cause: error },
    );
  }
}

function summaryLine({ report, source, films, elapsedMs }: SeedCliResult): string {
  const count = (value: number) => value.toLocaleString('en');
  const from = source === 'tmdb' ? `${count(films)} TMDB films` : `${count(films)} catalogue films`;
  return (
    `Seeded guild ${report.guildId}: ${count(report.members.length)} members in ${count(report.clusters.length)} taste clusters, ` +
    `${count(report.ratings)} ratings and ${count(report.diaryEntries)} diary entries of ${from}, in ${(elapsedMs / 1_000).toFixed(1)} s.`
  );
}

/**
 * `npm run seed`: a guild of Faker-named members with ratings and diaries from the taste model (src/seed/), in the
 * database of DATABASE_URL (or `--database-url`), migrated first. Films from TMDB's lists when a token or key is set,
 * else from the built-in catalogue. Prints progress and a one-line summary; resolves with what it seeded.
 */
export async function runSeedCli(argv: readonly string[], io: SeedCliIo): Promise<SeedCliResult> {
  const args = parseSeedArgs(argv);
  const now = io.now ?? (() => performance.now());
  const started = now();
  const env = args.databaseUrl === null ? io.env : { ...io.env, DATABASE_URL: args.databaseUrl };
  const config = loadConfig(env);
  const hasTmdb = config.tmdb.token !== undefined || config.tmdb.apiKey !== undefined;
  const source = args.source ?? (hasTmdb ? 'tmdb' : 'catalogue');
  if (source === 'tmdb' && !hasTmdb) {
    throw new Error(
      `--source tmdb needs TMDB_TOKEN or TMDB_API_KEY set; without one, seed from the catalogue.\nUsage: ${USAGE}`,
    );
  }
  // Warnings only unless LOG_LEVEL asks for more: the summary is what the operator reads.
  const logger = createLogger({
    level: io.env.LOG_LEVEL ? config.logLevel : 'warn',
    destination: process.stderr,
    format: chooseLogFormat(config.logFormat, io.terminal !== null),
  });
  const database = createDatabase(config.database, logger);
  try {
    await migrateUp(database, logger);
    const repos = createRepositories(database);
    const films = await filmsFrom(source, config, repos, logger);
    const view = createProgressView(io);
    let report: SeedReport;
    try {
      report = await seedGuild(repos, {
        guildId: args.guildId,
        users: args.users,
        ratingsPerUser: args.ratingsPerUser,
        seed: args.seed,
        films,
        ...(args.asOf ? { asOf: args.asOf } : {}),
        onProgress: (done, total) => view.update(done, total),
      });
    } finally {
      view.stop();
    }
    const result: SeedCliResult = { report, source, films: films.length, elapsedMs: now() - started };
    io.print(summaryLine(result));
    return result;
  } finally {
    await database.close();
  }
}
