import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeDiscord, type FakeDiscord } from '../../local-discord/index.js';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
/** tsx's loader by absolute path: the scripts run in an empty folder, as on a fresh machine without a .env. */
const TSX = import.meta.resolve('tsx');

/** The environment without any of Marquee's settings, so the developer's own never reach these runs. */
function cleanEnv(settings: Record<string, string>): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(DISCORD_|TMDB_|DATABASE_URL|LOG_|AUTO_REGISTER)/.test(name)),
  );
  return { ...env, ...settings };
}

/** Runs a script of the project the way npm does, in `cwd`, and resolves with its exit code and output. */
function run(script: string, cwd: string, settings: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', TSX, path.join(ROOT, script)], {
      cwd,
      env: cleanEnv(settings),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('first-run failures of the real processes', () => {
  let dir: string;
  let discord: FakeDiscord;
  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'marquee-first-run-process-'));
    discord = await startFakeDiscord({ applicationId: '900000000000000911' });
  });
  afterAll(async () => {
    await discord.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('npm start exits 1 with the missing settings, no stack trace', async () => {
    const { code, stdout, stderr } = await run('src/index.ts', dir, {});
    expect(code).toBe(1);
    expect(stderr).toMatch(/^npm start needs these settings fixed/);
    expect(stderr).not.toMatch(/^\s+at /m);
    expect(stdout).toBe('');
  }, 30_000);

  it('npm start exits 1 when Discord rejects the token, before migrating', async () => {
    const { code, stderr } = await run('src/index.ts', dir, {
      DISCORD_TOKEN: 'not-the-token',
      DISCORD_APPLICATION_ID: '900000000000000911',
      DISCORD_API_BASE: discord.apiBase,
      TMDB_TOKEN: 'unused',
      DATABASE_URL: 'sqlite:data/never.sqlite',
    });
    expect(code).toBe(1);
    expect(stderr).toBe(
      'Discord rejected DISCORD_TOKEN: reset it in the developer portal (your application → Bot → Reset Token) and put the new one in .env.\n',
    );
    expect(existsSync(path.join(dir, 'data', 'never.sqlite'))).toBe(false);
  }, 30_000);

  it('npm run register exits 1 when Discord rejects the token, no stack trace', async () => {
    const { code, stdout, stderr } = await run('scripts/register-commands.ts', dir, {
      DISCORD_TOKEN: 'not-the-token',
      DISCORD_APPLICATION_ID: '900000000000000911',
      DISCORD_API_BASE: discord.apiBase,
    });
    expect(code).toBe(1);
    expect(stdout).toMatch(/^Registering \d+ slash commands globally/);
    expect(stderr).toMatch(/^Discord rejected DISCORD_TOKEN: /);
    expect(stderr).not.toMatch(/^\s+at /m);
  }, 30_000);
});
