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
