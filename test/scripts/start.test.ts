import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const run = promisify(execFile);

describe('starting the bot', () => {
  // An empty folder: no .env to pick settings up from.
  const cwd = mkdtempSync(path.join(os.tmpdir(), 'marquee-start-'));
  afterAll(() => rmSync(cwd, { recursive: true, force: true }));

  it('with an empty environment, lists every missing setting in one message and exits non-zero, without a stack trace', async () => {
    const failure = await run(tsx, [path.join(root, 'src/index.ts')], {
      cwd,
      env: { PATH: process.env.PATH ?? '' },
    }).then(
      () => null,
      (error: unknown) => error as { code: number; stdout: string; stderr: string },
    );

    expect(failure?.code).toBe(1);
    expect(failure?.stderr).toMatch(/DISCORD_TOKEN is missing/);
    expect(failure?.stderr).toMatch(/DISCORD_APPLICATION_ID is missing/);
    expect(failure?.stderr).toMatch(/TMDB_TOKEN or TMDB_API_KEY is missing/);
    expect(failure?.stderr).toMatch(/npm run demo/);
    expect(failure?.stderr).not.toMatch(/\n\s+at /);
    expect(failure?.stdout).toBe('');
  });
});
