import pg from 'pg';
import { Status } from 'discord.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Schedule } from '../../src/deadline.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { databaseKinds } from '../support/databases.js';
import { settle } from '../support/manual-clock.js';

const GUILD = '810000000000000701';
const CHANNEL = '820000000000000701';
const ALICE = '830000000000000701';

interface Answer {
  status: number;
  body: string;
  json: () => Record<string, unknown>;
}

/** A database probe the test breaks and mends, and a schedule whose timeouts fire when the test says. */
function controls() {
  let failure: 'fail' | 'hang' | null = null;
  const timers = new Set<() => void>();
  const schedule: Schedule = (callback) => {
    timers.add(callback);
    return () => timers.delete(callback);
  };
  return {
    break: (how: 'fail' | 'hang') => (failure = how),
    mend: () => (failure = null),
    /** Passes every pending timeout (the 1 s the database may take). */
    fireTimeouts: () => {
      for (const callback of [...timers]) {
        timers.delete(callback);
        callback();
      }
    },
    probe: (real: () => Promise<unknown>) => () => {
      if (failure === 'fail') return Promise.reject(new Error('connect ECONNREFUSED 127.0.0.1:5432'));
      if (failure === 'hang') return new Promise(() => undefined);
      return real();
    },
    schedule,
  };
}

describe.each(databaseKinds())('/healthz and /metrics on %s', (kind) => {
  let bot: BotHarness;
  const control = controls();
  let base: string;

  async function get(path: string, init: RequestInit = {}): Promise<Answer> {
    const response = await fetch(`${base}${path}`, init);
    const body = await response.text();
    return { status: response.status, body, json: () => JSON.parse(body) as Record<string, unknown> };
  }

  /** Asks /healthz until it answers `status` (each answer is immediate; between asks, pending I/O runs). */
  async function healthBecomes(status: number): Promise<Answer> {
    let answer = await get('/healthz');
    for (let attempt = 0; answer.status !== status && attempt < 500; attempt++) {
      await settle();
      await new Promise((resolve) => setImmediate(resolve));
      answer = await get('/healthz');
    }
    expect(answer.status).toBe(status);
    return answer;
  }

  beforeAll(async () => {
    let real: () => Promise<unknown> = () => Promise.reject(new Error('not started'));
    bot = await startBotHarness({
      kind,
      guilds: [{ id: GUILD, channels: [{ id: CHANNEL, name: 'films' }], members: [{ id: ALICE, username: 'alice' }] }],
      env: { HTTP_PORT: '0' },
      app: { health: { database: control.probe(() => real()), schedule: control.schedule } },
    });
    real = () => bot.app.database.sequelize.query('SELECT 1');
    base = `http://127.0.0.1:${String(bot.app.httpPort)}`;
  });
  afterAll(() => bot.close());

  it('answers 200 while the shard is ready and the database answers, on 127.0.0.1 by default', async () => {
    const answer = await get('/healthz');
    expect(answer.status).toBe(200);
    expect(answer.json()).toEqual({ status: 'ok', gateway: 'ready', database: 'ok' });
    expect(bot.app.httpPort).toBeGreaterThan(0);
    expect(bot.logs.find((line) => line.component === 'http')).toMatchObject({ host: '127.0.0.1' });
  });

  it('answers 503 with the reason while the gateway is closed, and 200 once the shard is back', async () => {
    bot.fake.pauseGateway();
    expect(bot.fake.closeSessions()).toBe(1);

    const down = await healthBecomes(503);
    expect(down.json()).toMatchObject({ status: 'unavailable', database: 'ok' });
    expect(String(down.json().gateway)).toMatch(/^shard 0 is /);

    bot.fake.resumeGateway();
    await bot.fake.waitUntil(() => bot.app.client.ws.shards.get(0)?.status === Status.Ready, {
      timeoutMs: 15_000,
      description: 'the shard to be ready again',
    });
    expect((await healthBecomes(200)).json()).toEqual({ status: 'ok', gateway: 'ready', database: 'ok' });
  });

  it('answers 503 when the database fails or does not answer SELECT 1 within 1 s, and 200 after', async () => {
    control.break('fail');
    const failed = await get('/healthz');
    expect(failed.status).toBe(503);
    expect(failed.json()).toEqual({
      status: 'unavailable',
      gateway: 'ready',
      database: 'connect ECONNREFUSED 127.0.0.1:5432',
    });

    control.break('hang');
    const pending = get('/healthz');
    await settle();
    control.fireTimeouts();
    const hung = await pending;
    expect(hung.status).toBe(503);
    expect(hung.json().database).toBe('SELECT 1 did not answer within 1000 ms');

    control.mend();
    expect((await get('/healthz')).status).toBe(200);
  });

  it('exports interactions by command and outcome, answer latency, TMDB, caches, models and jobs', async () => {
    const handle = bot.fake.slash({ guildId: GUILD, channelId: CHANNEL, userId: ALICE, name: 'about' });
    await handle.waitFor('reply');
    await bot.fake.waitUntil(
      () => bot.logs.some((line) => line.interactionId === handle.id && line.msg === 'interaction handled'),
      { description: '/about to finish' },
    );

    const metrics = await get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.body).toContain('marquee_interactions_total{command="about",kind="command",outcome="ok"} 1');
    expect(metrics.body).toContain('marquee_interaction_answer_seconds_count{command="about",kind="command"} 1');
    for (const name of [
      'marquee_tmdb_requests_total',
      'marquee_tmdb_retries_total 0',
      'marquee_tmdb_queue_length 0',
      'marquee_cache_lookups_total',
      'marquee_model_build_seconds',
      'marquee_cached_models 0',
      'marquee_job_runs_total',
      'process_cpu_user_seconds_total',
    ]) {
      expect(metrics.body).toContain(name);
    }
    // No movie night is open in this server.
    expect(metrics.body).toContain('marquee_open_polls 0');
  });

  it('serves nothing else: other paths are 404, other methods 405', async () => {
    expect((await get('/')).status).toBe(404);
    expect((await get('/healthz', { method: 'POST' })).status).toBe(405);
  });
});

// On PostgreSQL the database itself goes away: the bot's connections are ended and its database renamed.
describe.each(databaseKinds().filter((kind) => kind === 'postgres'))('/healthz when %s goes away', (kind) => {
  let bot: BotHarness;
  let name: string;
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: process.env.TEST_DATABASE_URL });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };

  beforeAll(async () => {
    bot = await startBotHarness({
      kind,
      guilds: [{ id: GUILD, channels: [{ id: CHANNEL, name: 'films' }], members: [{ id: ALICE, username: 'alice' }] }],
      env: { HTTP_PORT: '0' },
    });
    name = new URL(bot.database.target.url).pathname.slice(1);
  });
  afterAll(() => bot.close());

  const health = async () => {
    const response = await fetch(`http://127.0.0.1:${String(bot.app.httpPort)}/healthz`);
    return { status: response.status, body: (await response.json()) as Record<string, unknown> };
  };

  it('answers 503 while its backends are terminated and its database renamed, and 200 once it is back', async () => {
    expect((await health()).status).toBe(200);
    await admin(async (client) => {
      // The bot's connections (pool and LISTEN) are ended; the rename needs none left.
      for (let attempt = 0; ; attempt++) {
        await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1', [name]);
        try {
          await client.query(`ALTER DATABASE ${name} RENAME TO ${name}_away`);
          return;
        } catch (error) {
          if (attempt >= 20) throw error;
        }
      }
    });

    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body).toMatchObject({ status: 'unavailable', gateway: 'ready' });
    expect(String(down.body.database)).not.toBe('ok');

    await admin((client) => client.query(`ALTER DATABASE ${name}_away RENAME TO ${name}`));
    let up = await health();
    for (let attempt = 0; up.status !== 200 && attempt < 50; attempt++) up = await health();
    expect(up).toEqual({ status: 200, body: { status: 'ok', gateway: 'ready', database: 'ok' } });
  });
});
