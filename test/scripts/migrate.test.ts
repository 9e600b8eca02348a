import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { QueryTypes } from 'sequelize';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEmptyTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';

const root = fileURLToPath(new URL('../..', import.meta.url));
const tsx = path.join(root, 'node_modules', '.bin', 'tsx');
const run = promisify(execFile);

describe.each(databaseKinds())('npm run migrate on %s', (kind) => {
  let test: TestDatabase;
  beforeAll(async () => {
    test = await createEmptyTestDatabase(kind);
  });
  afterAll(() => test.destroy());

  const migrate = (...args: string[]) =>
    run(tsx, [path.join(root, 'scripts/migrate.ts'), ...args], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', DATABASE_URL: test.target.url, LOG_LEVEL: 'silent' },
    });
  const tables = async () => {
    const sql =
      kind === 'postgres'
        ? `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public'`
        : `SELECT name FROM sqlite_master WHERE type = 'table' AND name <> 'sqlite_sequence'`;
    const rows = await test.db.sequelize.query<{ name: string }>(sql, { type: QueryTypes.SELECT });
    return rows.map((row) => row.name).filter((name) => name !== 'marquee_migrations');
  };

  it('applies, reports and reverts every migration', async () => {
    expect((await migrate('up')).stdout).toMatch(/^Applied /);
    expect(await tables()).toContain('ratings');
    expect((await migrate('status')).stdout).toMatch(/^executed {2}\S+initial-schema$/m);
    expect((await migrate('down', '--to', '0')).stdout).toMatch(/^Reverted /);
    expect(await tables()).toEqual([]);
    expect((await migrate('status')).stdout).toMatch(/^pending {3}\S+initial-schema$/m);
  });

  it('refuses an unknown command with a message and a non-zero exit', async () => {
    const failure = await migrate('sideways').catch((error: unknown) => error as { code: number; stderr: string });
    expect(failure).toMatchObject({ code: 1, stderr: expect.stringMatching(/Unknown command "sideways"/) });
  });
});
