import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { commands } from '../../commands/index.js';
import { SQLITE_CANNOT_SHARD } from '../../src/sharding.js';
import {
  shardOfGuild,
  startFakeDiscord,
  startFakeTmdb,
  type FakeDiscord,
  type FakeTmdb,
  type InteractionHandle,
} from '../../local-discord/index.js';
import { APPLICATION_ID } from '../support/bot-harness.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const TSX = import.meta.resolve('tsx');

/** The environment without any of Marquee's settings, so the developer's own never reach these runs. */
function cleanEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(
      ([name]) => !/^(DISCORD_|TMDB_|DATABASE_URL|LOG_|AUTO_REGISTER|HTTP_|SHARD|CACHE_TTL)/.test(name),
    ),
  );
  return { ...env, ...settings, LOG_FORMAT: 'json' };
}

interface Running {
  child: ChildProcess;
  stdout: string[];
  stderr: () => string;
  exit: Promise<number | null>;
}

function run(script: string, cwd: string, settings: Record<string, string>): Running {
  const child = spawn(process.execPath, ['--import', TSX, path.join(ROOT, script)], {
    cwd,
    env: cleanEnv(settings),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout: string[] = [];
  let stderr = '';
  let partial = '';
  child.stdout.on('data', (chunk: Buffer) => {
    const lines = (partial + chunk.toString()).split('\n');
    partial = lines.pop() ?? '';
    stdout.push(...lines);
  });
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exit = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return { child, stdout, stderr: () => stderr, exit };
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('sharding refuses SQLite', () => {
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'marquee-sharding-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));
  const settings = {
    DISCORD_TOKEN: 'unused',
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    TMDB_TOKEN: 'unused',
    DATABASE_URL: 'sqlite:data/marquee.sqlite',
  };

  it('npm run start:sharded stops with one sentence on SQLite, before anything starts', async () => {
    const manager = run('src/sharding-manager.ts', cwd, settings);
    expect(await manager.exit).toBe(1);
    expect(manager.stderr()).toBe(`${SQLITE_CANNOT_SHARD}\n`);
  }, 30_000);

  it('SHARD_COUNT=2 npm start stops with the settings message on SQLite', async () => {
    const bot = run('src/index.ts', cwd, { ...settings, SHARD_COUNT: '2' });
    expect(await bot.exit).toBe(1);
    expect(bot.stderr()).toMatch(/SHARD_COUNT\/SHARD_IDS need PostgreSQL: one SQLite file cannot be shared/);
  }, 30_000);
});

describe.each(databaseKinds().filter((kind) => kind === 'postgres'))('npm run start:sharded on %s', (kind) => {
  let database: TestDatabase;
  let fake: FakeDiscord;
  let tmdb: FakeTmdb;
  let manager: Running;
  let port: number;
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'marquee-sharded-'));
  const guilds = Array.from({ length: 4 }, (_, k) => String(810_000_000_000_000_900n + (BigInt(k) << 22n)));

  const logged = (message: string) => manager.stdout.some((line) => line.includes(message));
  /** A guild of each shard, for a rating written through one shard process and read through the other. */
  const guildOf = (shard: number) => guilds.find((id) => shardOfGuild(id, 2) === shard)!;
  const channelOf = (guildId: string) => String(820_000_000_000_000_900n + BigInt(guilds.indexOf(guildId)));
  const VIV = '830000000000000901';
  /** Agrees with Viv on every film both rated; a member of both guilds (not named in reasons: show_name is off). */
  const UMA = '830000000000000902';
  /** Films of the fake TMDB (`fakeFilms`, ids from 10001) both loved; FILM_X is one Uma rates later. */
  const LIKED = [10_001, 10_002, 10_003, 10_004, 10_005, 10_006];
  const FILM_X = 10_150;

  /** Resolves once a shard process logged that it handled this interaction. */
  const handled = (handle: InteractionHandle) =>
    fake.waitUntil(
      () => manager.stdout.some((line) => line.includes(handle.id) && line.includes('"interaction handled"')),
      { timeoutMs: 20_000, description: `a shard process to finish interaction ${handle.id}` },
    );
  /** Viv's /recommend in the guild of shard 1: the films picked for her from the members who agree with her. */
  async function vivsNeighbourPicks(): Promise<number[]> {
    const guildId = guildOf(1);
    const handle = fake.slash({ guildId, channelId: channelOf(guildId), userId: VIV, name: 'recommend' });
    await handled(handle);
    const cards = [...handle.edits, ...handle.followups].flatMap((event) => (event.message ? [event.message.id] : []));
    const items = await database.db.models.RecommendationItem.findAll({ where: { messageId: cards } });
    return items.filter((item) => item.source === 'neighbours').map((item) => item.movieId);
  }

  const health = async () => {
    const response = await fetch(`http://127.0.0.1:${port}/healthz`);
    return { status: response.status, body: (await response.json()) as { shards: { id: number; status: string }[] } };
  };
  /**
   * Asks /healthz again until it answers `status`, for up to `timeoutMs`: each shard's database probe has 1 s and a
   * reconnecting shard takes discord.js's backoff, so on a loaded machine one answer proves nothing either way.
   */
  const healthUntil = async (status: number, timeoutMs: number) => {
    let latest: Awaited<ReturnType<typeof health>> | undefined;
    let asking = true;
    const asker = (async () => {
      while (asking && latest?.status !== status) latest = await health();
    })();
    try {
      return await fake.waitUntil(() => latest?.status === status && latest, {
        timeoutMs,
        description: `/healthz to answer ${status}`,
      });
    } finally {
      asking = false;
      await asker;
    }
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    fake = await startFakeDiscord({
      applicationId: APPLICATION_ID,
      // SHARD_COUNT=auto takes Discord's recommendation.
      recommendedShards: 2,
      guilds: guilds.map((id) => ({
        id,
        channels: [{ id: channelOf(id) }],
        members: [
          ...(id === guildOf(1) ? [{ id: VIV, username: 'viv' }] : []),
          ...(id === guildOf(0) || id === guildOf(1) ? [{ id: UMA, username: 'uma' }] : []),
        ],
      })),
      commands: commands.map((command) => command.data.toJSON()),
    });
    tmdb = await startFakeTmdb();
    // Viv and Uma loved the same films; both are members of shard 1's guild, seen today (the processes' real clock).
    const seen = new Date();
    const { Movie, User, Guild, GuildMember, Rating } = database.db.models;
    await Movie.bulkCreate(
      tmdb.films
        .filter((film) => LIKED.includes(film.id))
        .map((film) => ({
          tmdbId: film.id,
          title: film.title,
          searchTitle: film.title.toLowerCase(),
          releaseDate: film.releaseDate,
          genreIds: [...film.genreIds],
          popularity: film.popularity,
          fetchedAt: seen,
        })),
    );
    await User.bulkCreate([{ id: VIV }, { id: UMA }]);
    await Guild.bulkCreate([guildOf(0), guildOf(1)].map((id) => ({ id })));
    await GuildMember.bulkCreate(
      [VIV, UMA].map((userId) => ({ guildId: guildOf(1), userId, firstSeenAt: seen, lastSeenAt: seen })),
    );
    await Rating.bulkCreate(
      [VIV, UMA].flatMap((userId) => LIKED.map((movieId) => ({ userId, movieId, score: 5, ratedAt: seen }))),
    );
    port = await freePort();
    manager = run('src/sharding-manager.ts', cwd, {
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_BASE: fake.apiBase,
      TMDB_TOKEN: tmdb.token,
      TMDB_API_BASE: tmdb.baseUrl,
      DATABASE_URL: database.target.url,
      SHARD_COUNT: 'auto',
      HTTP_PORT: String(port),
      // A cached model is trusted for an hour: a change another process made can only arrive through NOTIFY.
      CACHE_TTL_SECONDS: '3600',
    });
    await fake.waitUntil(() => logged('Every shard of this host is ready'), {
      timeoutMs: 90_000,
      description: `both shard processes to be ready (stderr so far: ${manager.stderr().slice(-2_000)})`,
    });
  }, 120_000);
  afterAll(async () => {
    manager.child.kill('SIGKILL');
    await fake.close();
    await tmdb.close();
    await database.destroy();
    rmSync(cwd, { recursive: true, force: true });
  });

  it('spawns one process per recommended shard, each identifying with its own shard id', () => {
    expect(fake.identifies.map(({ shard }) => shard).sort()).toEqual([
      [0, 2],
      [1, 2],
    ]);
    // Each process heard only its own guilds.
    expect(guilds.map((id) => shardOfGuild(id, 2)).sort()).toEqual([0, 0, 1, 1]);
  });

  it('a rating written through one shard process is in the other’s next /recommend, through NOTIFY', async () => {
    // Shard 1's process builds and caches its guild's model: Uma has rated nothing Viv has not, so no pick of hers.
    expect(await vivsNeighbourPicks()).toEqual([]);

    const guildId = guildOf(0);
    const rating = fake.slash({
      guildId,
      channelId: channelOf(guildId),
      userId: UMA,
      name: 'rate',
      options: { movie: String(FILM_X), stars: 5 },
    });
    await handled(rating);
    expect(rating.edits[0]?.message?.content).toContain('You rated');

    // NOTIFY is asynchronous: ask again until shard 1's process has heard (its cached model is trusted for an hour).
    let backed = await vivsNeighbourPicks();
    for (let attempt = 0; !backed.includes(FILM_X) && attempt < 50; attempt++) backed = await vivsNeighbourPicks();
    expect(backed).toContain(FILM_X);
  }, 60_000);

  it('serves /healthz for every shard process on HTTP_PORT, 503 while one shard is down', async () => {
    const up = await healthUntil(200, 20_000);
    expect(up.body.shards.map(({ id, status }) => [id, status])).toEqual([
      [0, 'ok'],
      [1, 'ok'],
    ]);

    fake.pauseGateway();
    fake.closeSessions({ shardId: 1 });
    const down = await healthUntil(503, 20_000);
    expect(down.body.shards.map(({ id, status }) => [id, status])).toEqual([
      [0, 'ok'],
      [1, 'unavailable'],
    ]);
    fake.resumeGateway();
    expect((await healthUntil(200, 40_000)).status).toBe(200);
  }, 90_000);

  it('adds up the shard processes’ metrics on /metrics', async () => {
    const response = await fetch(`http://127.0.0.1:${port}/metrics`);
    const body = await response.text();
    expect(response.status).toBe(200);
    // Shard 1's process keeps its guild's model from the /recommend above; shard 0's built none.
    expect(body).toContain('marquee_cached_models 1');
    expect(body).toContain('marquee_tmdb_queue_length');
  });

  it('stops every shard process on SIGTERM and exits 0 within Docker’s 10 s', async () => {
    manager.child.kill('SIGTERM');
    expect(await manager.exit).toBe(0);
    await fake.waitUntil(() => fake.openSessions === 0, { description: 'every shard to disconnect' });
  }, 15_000);
});
