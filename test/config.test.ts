import { describe, expect, it } from 'vitest';
import { loadConfig, parseDatabaseUrl } from '../src/config.js';
import { ConfigError } from '../src/errors.js';

function problemsOf(
  env: Record<string, string>,
  requirements: Parameters<typeof loadConfig>[1] = [],
): readonly string[] {
  try {
    loadConfig(env, requirements);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('loadConfig', () => {
  it('needs nothing for migrations and uses a SQLite file under ./data by default', () => {
    const config = loadConfig({}, [], '/srv/marquee');
    expect(config.database).toEqual({
      dialect: 'sqlite',
      storage: '/srv/marquee/data/marquee.sqlite',
      url: 'sqlite:data/marquee.sqlite',
    });
    expect(config.tmdb).toMatchObject({ baseUrl: 'https://api.themoviedb.org/3', language: 'en-US', region: 'US' });
    expect(config.memberActiveDays).toBe(180);
  });

  it('reports every missing setting of the bot at once, naming what to set', () => {
    const problems = problemsOf({}, ['discord', 'tmdb']);
    expect(problems).toHaveLength(3);
    expect(problems.join('\n')).toMatch(/DISCORD_TOKEN/);
    expect(problems.join('\n')).toMatch(/DISCORD_APPLICATION_ID/);
    expect(problems.join('\n')).toMatch(/TMDB_TOKEN or TMDB_API_KEY/);
  });

  it('asks register for the Discord application only, not for TMDB', () => {
    expect(problemsOf({ DISCORD_TOKEN: 'x', DISCORD_APPLICATION_ID: '123456789012345678' }, ['discord'])).toEqual([]);
  });

  it('accepts the TMDB API key instead of the token', () => {
    expect(problemsOf({ TMDB_API_KEY: 'k' }, ['tmdb'])).toEqual([]);
  });

  it('reports malformed values together, each with the variable name', () => {
    const problems = problemsOf({
      DISCORD_APPLICATION_ID: '12ab',
      TMDB_API_BASE: 'ftp://example.org',
      TMDB_REGION: 'usa',
      LOG_LEVEL: 'loud',
      MEMBER_ACTIVE_DAYS: 'soon',
      DATABASE_URL: 'mysql://localhost/db',
    });
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'DISCORD_APPLICATION_ID',
      'TMDB_API_BASE',
      'TMDB_REGION',
      'LOG_LEVEL',
      'MEMBER_ACTIVE_DAYS',
      'DATABASE_URL',
    ]);
  });

  it('reads the log format and the opt-out of registering commands at start', () => {
    expect(loadConfig({})).toMatchObject({ logFormat: 'auto', discord: { autoRegister: true } });
    expect(loadConfig({ LOG_FORMAT: 'pretty', AUTO_REGISTER_COMMANDS: 'false' })).toMatchObject({
      logFormat: 'pretty',
      discord: { autoRegister: false },
    });
    expect(problemsOf({ LOG_FORMAT: 'fancy', AUTO_REGISTER_COMMANDS: 'maybe' }).map((p) => p.split(' ')[0])).toEqual([
      'LOG_FORMAT',
      'AUTO_REGISTER_COMMANDS',
    ]);
  });

  it('treats empty values as unset, as a copied .env.example leaves them', () => {
    expect(loadConfig({ DISCORD_DEV_GUILD_ID: '', LOG_LEVEL: '' }).logLevel).toBe('info');
  });

  it('puts the list of problems in one message without a stack trace', () => {
    expect(() => loadConfig({}, ['discord'])).toThrow(/Marquee needs these settings fixed[\s\S]*- DISCORD_TOKEN/);
  });
});

describe('parseDatabaseUrl', () => {
  it.each([
    ['sqlite:data/marquee.sqlite', '/app/data/marquee.sqlite'],
    ['sqlite:./db.sqlite', '/app/db.sqlite'],
    ['sqlite:///var/lib/marquee.sqlite', '/var/lib/marquee.sqlite'],
    ['sqlite://data/x.sqlite', '/app/data/x.sqlite'],
    ['sqlite::memory:', ':memory:'],
  ])('reads %s as the SQLite file %s', (url, storage) => {
    expect(parseDatabaseUrl(url, '/app')).toMatchObject({ dialect: 'sqlite', storage });
  });

  it('selects PostgreSQL for postgres:// and postgresql:// URLs', () => {
    expect(parseDatabaseUrl('postgres://u@h:5432/db', '/')).toEqual({
      dialect: 'postgres',
      url: 'postgres://u@h:5432/db',
    });
    expect(parseDatabaseUrl('postgresql://u@h/db', '/')).toMatchObject({ dialect: 'postgres' });
  });
});

describe('deployment settings', () => {
  const PG = 'postgres://marquee@db:5432/marquee';

  it('serves no HTTP endpoint by default, and binds it to 127.0.0.1 unless told otherwise', () => {
    expect(loadConfig({}).http).toEqual({ port: undefined, host: '127.0.0.1' });
    expect(loadConfig({ HTTP_PORT: '8080', HTTP_HOST: '0.0.0.0' }).http).toEqual({ port: 8080, host: '0.0.0.0' });
    expect(problemsOf({ HTTP_PORT: '80a' })).toEqual(['HTTP_PORT must be a port number such as 8080']);
    expect(problemsOf({ HTTP_PORT: '70000' })[0]).toMatch(/^HTTP_PORT must be a port number from 1 to 65535/);
  });

  it('runs one process of one shard by default, and reads SHARD_COUNT with SHARD_IDS', () => {
    expect(loadConfig({}).sharding).toBeUndefined();
    expect(loadConfig({ DATABASE_URL: PG, SHARD_COUNT: 'auto' }).sharding).toEqual({ count: 'auto', ids: undefined });
    expect(loadConfig({ DATABASE_URL: PG, SHARD_COUNT: '4', SHARD_IDS: '3, 1,1' }).sharding).toEqual({
      count: 4,
      ids: [1, 3],
    });
  });

  it('refuses shard ids without a count, or beyond it, naming what to set', () => {
    expect(problemsOf({ DATABASE_URL: PG, SHARD_IDS: '0,1' })).toEqual([
      'SHARD_IDS needs SHARD_COUNT set to the total number of shards across every host, such as 4',
    ]);
    expect(problemsOf({ DATABASE_URL: PG, SHARD_COUNT: '2', SHARD_IDS: '1,2' })).toEqual([
      'SHARD_IDS must be shard ids below SHARD_COUNT (0 to 1)',
    ]);
    expect(problemsOf({ DATABASE_URL: PG, SHARD_COUNT: 'some' })).toEqual([
      'SHARD_COUNT must be a whole number of shards such as 4, or auto',
    ]);
  });

  it('refuses to shard on SQLite: one file cannot be shared by several processes or hosts', () => {
    const refusal = /^SHARD_COUNT\/SHARD_IDS need PostgreSQL: one SQLite file cannot be shared/;
    expect(problemsOf({ SHARD_COUNT: '2' })).toEqual([expect.stringMatching(refusal)]);
    expect(problemsOf({ SHARD_COUNT: 'auto' })).toEqual([expect.stringMatching(refusal)]);
    expect(problemsOf({ SHARD_COUNT: '4', SHARD_IDS: '0' })).toEqual([expect.stringMatching(refusal)]);
    expect(problemsOf({ SHARD_COUNT: '1' })).toEqual([]);
  });

  it('trusts caches another process can make stale for CACHE_TTL_SECONDS (60 by default)', () => {
    expect(loadConfig({}).cacheTtlMs).toBe(60_000);
    expect(loadConfig({ CACHE_TTL_SECONDS: '15' }).cacheTtlMs).toBe(15_000);
    expect(problemsOf({ CACHE_TTL_SECONDS: '0' })).toEqual(['CACHE_TTL_SECONDS must be at least 1 second']);
  });
});
