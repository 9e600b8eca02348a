import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { runLoad, type LoadOptions } from './run.js';
import { formatRuns, type RunResult } from './stats.js';

const USAGE =
  'usage: npm run load -- [--db sqlite,postgres] [--runs 3] [--postgres-url URL] [--json out.json] [--quick] [--keep DIR]';

/** Issue 12's load: 200 /rate from 20 members over 4 s, 30 members mixing commands, a ramp, SIGTERM mid-burst. */
export const FULL_LOAD = {
  burst: { members: 20, ratings: 200, overMs: 4_000 },
  mixedMembers: 30,
  ramp: [2, 4, 8, 16, 32],
  shutdown: { members: 20, ratings: 100, overMs: 2_000, sigtermAfterMs: 1_000 },
  tmdbLatencyMs: 30,
} as const satisfies Omit<LoadOptions, 'database'>;

/** A small load for the script's own test. */
export const QUICK_LOAD = {
  burst: { members: 4, ratings: 12, overMs: 300 },
  mixedMembers: 2,
  ramp: [2],
  shutdown: { members: 3, ratings: 9, overMs: 600, sigtermAfterMs: 200 },
  tmdbLatencyMs: 0,
} as const satisfies Omit<LoadOptions, 'database'>;

const argsSchema = z.object({
  db: z.array(z.enum(['sqlite', 'postgres'])).min(1),
  runs: z.coerce.number().int().min(1).max(9),
  postgresUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// URL')
    .optional(),
  json: z.string().min(1).optional(),
  quick: z.boolean(),
  keep: z.string().min(1).optional(),
});

export type LoadArgs = z.infer<typeof argsSchema>;

export function parseLoadArgs(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): LoadArgs {
  const { values, positionals } = parseArgs({
    args: [...argv],
    allowPositionals: true,
    options: {
      db: { type: 'string', default: 'sqlite,postgres' },
      runs: { type: 'string', default: '3' },
      'postgres-url': { type: 'string' },
      json: { type: 'string' },
      quick: { type: 'boolean', default: false },
      keep: { type: 'string' },
    },
  });
  const parsed = argsSchema.safeParse({
    db: values.db.split(',').map((name) => name.trim()),
    runs: values.runs,
    postgresUrl: values['postgres-url'] ?? env.TEST_DATABASE_URL,
    json: values.json,
    quick: values.quick,
    keep: values.keep,
  });
  if (!parsed.success || positionals.length > 0) {
    throw new Error(
      `${parsed.success ? `unexpected argument ${positionals[0]}` : z.prettifyError(parsed.error)}\n${USAGE}`,
    );
  }
  if (parsed.data.db.includes('postgres') && !parsed.data.postgresUrl) {
    throw new Error(
      `PostgreSQL needs a server: --postgres-url postgres://user@host:5432/db, or TEST_DATABASE_URL\n${USAGE}`,
    );
  }
  return parsed.data;
}

/** Runs every database `runs` times (one fresh bot, database and fakes per run) and formats the medians. */
export async function runLoadCli(
  argv: readonly string[],
  env: Readonly<Record<string, string | undefined>>,
  progress: (line: string) => void,
): Promise<{ text: string; runs: RunResult[] }> {
  const args = parseLoadArgs(argv, env);
  const load = args.quick ? QUICK_LOAD : FULL_LOAD;
  const all: RunResult[] = [];
  const tables: string[] = [];
  for (const database of args.db) {
    const runs: RunResult[] = [];
    for (let run = 1; run <= args.runs; run++) {
      progress(`${database}: run ${run} of ${args.runs}…\n`);
      runs.push(
        await runLoad({
          ...load,
          database,
          postgresUrl: args.postgresUrl,
          workDir: args.keep ? `${args.keep}/${database}-${run}` : undefined,
        }),
      );
    }
    all.push(...runs);
    tables.push(formatRuns(runs));
  }
  if (args.json) await writeFile(args.json, JSON.stringify(all, null, 2));
  return { text: `\n${tables.join('\n')}`, runs: all };
}
