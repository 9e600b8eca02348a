import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { commands } from '../commands/index.js';
import { startFakeDiscord, startFakeTmdb, type FakeDiscord, type FakeTmdb } from '../local-discord/index.js';
import { registerCommands } from '../scripts/lib/register.js';
import { startMarquee, type Started } from '../src/start.js';

const APPLICATION_ID = '900000000000000901';
const GUILD = '810000000000000901';
/** A stack trace's frames, which no expected failure may print. */
const STACK_FRAME = /^\s+at /m;

/** A loopback port nothing listens on: connecting is refused at once. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

function capture() {
  let text = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      text += chunk.toString();
      done();
    },
  });
  return { stream, read: () => text };
}

describe('first run', () => {
  let discord: FakeDiscord;
  let tmdb: FakeTmdb;
  let dir: string;
  let closed: number;
  const running: Started[] = [];

  beforeAll(async () => {
    tmdb = await startFakeTmdb();
    closed = await closedPort();
  });
  afterAll(() => tmdb.close());
  beforeEach(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'marquee-first-run-'));
    discord = await startFakeDiscord({
      applicationId: APPLICATION_ID,
      guilds: [{ id: GUILD, channels: [{ id: '820000000000000901' }] }],
    });
  });
  afterEach(async () => {
    for (const started of running.splice(0)) await started.app?.stop();
    await discord.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const sqliteFile = () => path.join(dir, 'data', 'marquee.sqlite');
  const env = (overrides: Record<string, string> = {}) => ({
    DISCORD_TOKEN: discord.token,
    DISCORD_APPLICATION_ID: APPLICATION_ID,
    DISCORD_API_BASE: discord.apiBase,
    TMDB_TOKEN: tmdb.token,
    TMDB_API_BASE: tmdb.baseUrl,
    DATABASE_URL: `sqlite://${sqliteFile()}`,
    LOG_LEVEL: 'info',
    ...overrides,
  });

  async function start(environment: Record<string, string | undefined>, { isTTY = false } = {}) {
    const stdout = capture();
    const stderr = capture();
    const exit = vi.fn<(code: number) => void>();
    const started = await startMarquee({
      env: environment,
      stdout: stdout.stream,
      stderr: stderr.stream,
      isTTY,
      exit,
      signals: new EventEmitter(),
    });
    running.push(started);
    return { ...started, stdout: stdout.read, stderr: stderr.read, exit };
  }
  const jsonLines = (text: string) =>
    text
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as { level: number; msg: string; invite?: string });

  describe('npm start', () => {
    it('names every missing setting, and which script needs them, without a stack trace', async () => {
      const result = await start({});
      expect(result.exitCode).toBe(1);
      expect(result.stderr()).toMatch(/^npm start needs these settings fixed \(in \.env or the environment\):\n/);
      expect(result.stderr()).toContain('  - DISCORD_TOKEN is missing');
      expect(result.stderr()).toContain('  - TMDB_TOKEN or TMDB_API_KEY is missing');
      expect(result.stderr()).not.toMatch(STACK_FRAME);
      // No Discord token yet: the offline demo shows the bot working without one.
      expect(result.stderr()).toContain('Copy .env.example to .env');
      expect(result.stderr()).toContain('`npm run demo`');
    });

    it('offers the demo only when Discord’s settings are what is missing', async () => {
      const result = await start(env({ TMDB_TOKEN: '' }));
      expect(result.exitCode).toBe(1);
      expect(result.stderr()).toContain('  - TMDB_TOKEN or TMDB_API_KEY is missing');
      expect(result.stderr()).toContain('Copy .env.example to .env');
      expect(result.stderr()).not.toContain('npm run demo');
    });

    it('says Discord cannot be reached, before touching the database', async () => {
      const result = await start(env({ DISCORD_API_BASE: `http://127.0.0.1:${closed}/api` }));
      expect(result.exitCode).toBe(1);
      expect(result.stderr()).toBe(
        `Cannot reach 127.0.0.1:${closed} (ECONNREFUSED): check the network or DISCORD_API_BASE.\n`,
      );
      expect(existsSync(sqliteFile())).toBe(false);
    });

    it('says Discord rejected the token, before touching the database', async () => {
      const result = await start(env({ DISCORD_TOKEN: 'not-the-token' }));
      expect(result.exitCode).toBe(1);
      expect(result.stderr()).toBe(
        'Discord rejected DISCORD_TOKEN: reset it in the developer portal (your application → Bot → Reset Token) and put the new one in .env.\n',
      );
      expect(existsSync(sqliteFile())).toBe(false);
    });

    it('says when the application id is not the token’s application', async () => {
      const result = await start(env({ DISCORD_APPLICATION_ID: '900000000000000999' }));
      expect(result.exitCode).toBe(1);
      expect(result.stderr()).toBe(
        `DISCORD_APPLICATION_ID is 900000000000000999, but DISCORD_TOKEN belongs to application ${APPLICATION_ID}: copy the Application ID and the token from the same application.\n`,
      );
    });

    it('says TMDB rejected the key, naming the variable that holds it', async () => {
      const token = await start(env({ TMDB_TOKEN: 'wrong' }));
      expect(token.exitCode).toBe(1);
      expect(token.stderr()).toMatch(/^TMDB rejected TMDB_TOKEN: copy the API Read Access Token from themoviedb\.org/);
      const key = await start(env({ TMDB_TOKEN: '', TMDB_API_KEY: 'wrong' }));
      expect(key.stderr()).toMatch(/^TMDB rejected TMDB_API_KEY: /);
      expect(existsSync(sqliteFile())).toBe(false);
    });

    it('says the database cannot be reached, without a stack trace', async () => {
      const result = await start(env({ DATABASE_URL: `postgres://marquee:secret@127.0.0.1:${closed}/marquee` }));
      expect(result.exitCode).toBe(1);
      expect(result.stderr()).toBe(
        `Cannot reach the database at 127.0.0.1:${closed}/marquee (ECONNREFUSED): check that it runs and that DATABASE_URL is right.\n`,
      );
      expect(result.stderr() + result.stdout()).not.toContain('secret');
    });

    it('says the SQLite file cannot be opened where DATABASE_URL points', async () => {
      const blocked = path.join(dir, 'a-file');
      writeFileSync(blocked, '');
      const result = await start(env({ DATABASE_URL: `sqlite://${blocked}/data/marquee.sqlite` }));
      expect(result.exitCode).toBe(1);
      expect(result.stderr()).toMatch(
        /^Cannot open the SQLite file .*a-file\/data\/marquee\.sqlite \(ENOTDIR\): check that the folder exists and is writable, or set DATABASE_URL\.\n$/,
      );
    });

    it('starts anyway when TMDB is merely unreachable, and says so', async () => {
      const result = await start(env({ TMDB_API_BASE: `http://127.0.0.1:${closed}/3` }));
      expect(result.exitCode).toBe(0);
      const lines = jsonLines(result.stdout());
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 40,
          msg: 'TMDB is not answering (ECONNREFUSED); starting anyway: members get the films already stored until it answers.',
        }),
      );
      await discord.waitUntil(() => jsonLines(result.stdout()).some((line) => line.msg.startsWith('Logged in as')));
    });

    it('logs in, says as whom, in how many servers and how to invite it, and registers missing commands', async () => {
      const result = await start(env());
      expect(result.exitCode).toBe(0);
      await discord.waitForRequest('PUT', `/applications/${APPLICATION_ID}/commands`);
      const messages = jsonLines(result.stdout()).map((line) => line.msg);
      expect(messages).toEqual(
        expect.arrayContaining([
          'Logged in as Marquee in 1 server',
          `Invite Marquee to a server: https://discord.com/oauth2/authorize?client_id=${APPLICATION_ID}&scope=bot+applications.commands&permissions=85056`,
        ]),
      );
      await discord.waitUntil(() =>
        jsonLines(result.stdout()).some((line) => line.msg.startsWith('Registered the slash')),
      );
      expect(
        discord
          .commands()
          .map((command) => command.name)
          .sort(),
      ).toEqual(commands.map((command) => command.data.name).sort());
      expect(result.stderr()).toBe('');

      // The next start finds them current and registers nothing.
      await result.shutdown?.('SIGTERM');
      expect(result.exit).toHaveBeenCalledWith(0);
      const again = await start(env());
      await discord.waitForRequest('GET', `/applications/${APPLICATION_ID}/commands`);
      await discord.waitUntil(() => jsonLines(again.stdout()).some((line) => line.msg.startsWith('Logged in as')));
      expect(discord.requestsTo('PUT', /commands$/)).toHaveLength(1);
    });

    it('only warns about stale commands when told not to register, and uses the dev server when set', async () => {
      discord.registerCommands([{ name: 'rate', description: 'An older /rate' }], GUILD);
      const result = await start(env({ AUTO_REGISTER_COMMANDS: 'false', DISCORD_DEV_GUILD_ID: GUILD }));
      const warning = await discord.waitUntil(() =>
        jsonLines(result.stdout()).find((line) => line.level === 40 && line.msg.includes('npm run register')),
      );
      expect(warning.msg).toMatch(new RegExp(`^The slash commands registered in server ${GUILD} differ`));
      expect(discord.requestsTo('PUT', /commands$/)).toEqual([]);
    });

    it('prints lines for people on a terminal, and JSON when asked or when not on one', async () => {
      const pretty = await start(env(), { isTTY: true });
      await discord.waitUntil(() => pretty.stdout().includes('Logged in as'));
      expect(pretty.stdout()).toMatch(/^\S*\d\d:\d\d:\d\d\S* \S*INFO \S* Logged in as Marquee in 1 server/m);
      expect(pretty.stdout()).not.toContain('{"level"');
      await pretty.shutdown?.('SIGTERM');
      const json = await start(env({ LOG_FORMAT: 'json' }), { isTTY: true });
      await discord.waitUntil(() => json.stdout().includes('Logged in as'));
      expect(jsonLines(json.stdout()).length).toBeGreaterThan(0);
      expect(
        json
          .stdout()
          .split('\n')
          .filter(Boolean)
          .every((line) => line.startsWith('{')),
      ).toBe(true);
    });
  });

  describe('npm run register', () => {
    async function register(environment: Record<string, string | undefined>) {
      let out = '';
      let err = '';
      const code = await registerCommands({
        env: environment,
        out: (text) => (out += text),
        err: (text) => (err += text),
      });
      return { code, out, err };
    }

    it('names the missing Discord settings and asks nothing of TMDB', async () => {
      const result = await register({});
      expect(result.code).toBe(1);
      expect(result.err).toMatch(/^npm run register needs these settings fixed/);
      expect(result.err).toContain('DISCORD_TOKEN');
      expect(result.err).not.toContain('TMDB');
      expect(result.err).not.toMatch(STACK_FRAME);
    });

    it('says Discord cannot be reached, or rejected the token', async () => {
      const unreachable = await register(env({ DISCORD_API_BASE: `http://127.0.0.1:${closed}/api` }));
      expect(unreachable).toMatchObject({ code: 1 });
      expect(unreachable.err).toBe(
        `Cannot reach 127.0.0.1:${closed} (ECONNREFUSED): check the network or DISCORD_API_BASE.\n`,
      );
      const rejected = await register(env({ DISCORD_TOKEN: 'not-the-token' }));
      expect(rejected.code).toBe(1);
      expect(rejected.err).toMatch(/^Discord rejected DISCORD_TOKEN: reset it in the developer portal/);
    });

    it('says what it registers, and where', async () => {
      const result = await register(env());
      expect(result.code).toBe(0);
      expect(result.out).toMatch(
        new RegExp(`^Registering ${commands.length} slash commands globally with ${discord.apiBase}…\\n`),
      );
      expect(result.out).toMatch(new RegExp(`Registered ${commands.length} commands globally .*: /`));
      expect(discord.commands()).toHaveLength(commands.length);
      expect(result.err).toBe('');
    });
  });
});
