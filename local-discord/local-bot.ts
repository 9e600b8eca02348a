/**
 * The real bot's configuration for a run against the local Discord and a local TMDB: what the end-to-end tests'
 * harness, the load benchmark's bot and the offline demo all need, built in code (no `.env` is read).
 */
import { loadConfig, type Config } from '../src/config.js';

export interface LocalBotSettings {
  /** The local Discord: its token and REST base (`fake.token`, `fake.apiBase`). */
  discord: { token: string; apiBase: string };
  applicationId: string;
  /** A local TMDB (`startFakeTmdb`, `startCatalogueTmdb`), or TMDB's address for tests that intercept it with nock. */
  tmdb: { baseUrl: string; token: string };
  databaseUrl: string;
  /** More settings, as environment variables would give them (e.g. `{ MEMBER_ACTIVE_DAYS: '30' }`). */
  env?: Readonly<Record<string, string>>;
}

/** The bot's Config for a local run, checked as `npm start` checks it (Discord and TMDB required). */
export function localBotConfig({ discord, applicationId, tmdb, databaseUrl, env = {} }: LocalBotSettings): Config {
  return loadConfig(
    {
      DISCORD_TOKEN: discord.token,
      DISCORD_APPLICATION_ID: applicationId,
      DISCORD_API_BASE: discord.apiBase,
      TMDB_TOKEN: tmdb.token,
      TMDB_API_BASE: tmdb.baseUrl,
      DATABASE_URL: databaseUrl,
      LOG_LEVEL: 'debug',
      ...env,
    },
    ['discord', 'tmdb'],
  );
}
