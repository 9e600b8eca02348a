import { readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { parseArgs } from 'node:util';
import cliProgress from 'cli-progress';
import { loadConfig } from '../../../src/config.js';
import { createApp } from '../../../src/app.js';
import type { BackgroundTasks } from '../../../src/jobs/index.js';
import { migrateUp } from '../../../src/db/migrator.js';
import { guessFormat } from '../../../src/import/parse.js';
import { IMPORT_FORMATS, type ImportFormat } from '../../../src/import/rows.js';
import { progressLine, summaryLines, type ImportSummary } from '../../../src/import/summary.js';
import { chooseLogFormat } from '../../../src/log-format.js';
import { createLogger } from '../../../src/logger.js';

/**
 * The script starts no background work: the TMDB lists of films the member loved, which the bot fetches after each
 * rating, are fetched by the bot's nightly related-films job (or at the member's next /recommend) instead of keeping
 * the operator waiting for them.
 */
const SKIPPED_BACKGROUND: BackgroundTasks = {
  run: () => undefined,
  whenIdle: () => Promise.resolve(),
  stop: () => Promise.resolve(),
};

export const USAGE = 'npm run import -- --user ID --file FILE [--guild ID] [--format letterboxd|imdb]';

export interface ImportArgs {
  userId: string;
  file: string;
  guildId: string | null;
  format: ImportFormat | null;
}

const SNOWFLAKE = /^\d{17,20}$/;

/** Reads the command line; an Error naming what is wrong (and the usage) otherwise. */
export function parseImportArgs(argv: readonly string[]): ImportArgs {
  const { values } = parseArgs({
    args: [...argv],
    options: {
      user: { type: 'string' },
      file: { type: 'string' },
      guild: { type: 'string' },
      format: { type: 'string' },
    },
  });
  const wrong = (message: string) => new Error(`${message}\nUsage: ${USAGE}`);
  if (!values.user || !SNOWFLAKE.test(values.user))
    throw wrong('--user must be the member’s Discord id (17-20 digits).');
  if (!values.file) throw wrong('--file is missing: the export zip or CSV to import.');
  if (values.guild !== undefined && !SNOWFLAKE.test(values.guild))
    throw wrong('--guild must be a server’s Discord id.');
  const format = values.format ?? null;
  if (format !== null && !(IMPORT_FORMATS as readonly string[]).includes(format)) {
    throw wrong(`--format must be ${IMPORT_FORMATS.join(' or ')}.`);
  }
  return {
    userId: values.user,
    file: values.file,
    guildId: values.guild ?? null,
    format: format as ImportFormat | null,
  };
}

export interface ImportCliIo {
  env: Readonly<Record<string, string | undefined>>;
  /** Summary lines (stdout). */
  print(text: string): void;
  /** Where the progress bar draws, when it is a terminal (stderr); null: one line per tenth of the way instead. */
  terminal: NodeJS.WriteStream | null;
  /** Called with a function that stops the import (SIGINT); the script wires it to the signal. */
  onInterrupt?(stop: () => void): void;
}

/** Draws progress: a cli-progress bar on a terminal, else a line at every tenth of the films looked up. */
function createProgressView(io: ImportCliIo) {
  let bar: cliProgress.SingleBar | null = null;
  let reportedTenth = -1;
  return {
    update(progress: Parameters<typeof progressLine>[0]) {
      if (io.terminal) {
        if (!bar) {
          bar = new cliProgress.SingleBar(
            {
              stream: io.terminal,
              format: '{bar} {value}/{total} films looked up | {done}/{rows} rows done | {imported} imported',
              hideCursor: true,
            },
            cliProgress.Presets.shades_classic,
          );
          bar.start(progress.films, 0);
        }
        const { counts } = progress;
        bar.update(progress.filmsLookedUp, {
          done: counts.rows - counts.notReached,
          rows: counts.rows,
          imported: counts.imported,
        });
        return;
      }
      const tenth = progress.films === 0 ? 10 : Math.floor((progress.filmsLookedUp / progress.films) * 10);
      if (tenth > reportedTenth) {
        reportedTenth = tenth;
        io.print(progressLine(progress));
      }
    },
    stop() {
      bar?.stop();
    },
  };
}

/**
 * `npm run import`: imports one member's Letterboxd or IMDb export from a file, as `/import` does (same checks,
 * matching and writes, and the same one-import-per-member claim, so it never runs beside the member's own), with a
 * progress bar on a terminal. With `--guild` the member is recorded as a member of that server, so their ratings count
 * there. The unmatched rows are written beside the file. Resolves with the summary; the caller sets the exit code.
 */
export async function runImportCli(argv: readonly string[], io: ImportCliIo): Promise<ImportSummary> {
  const args = parseImportArgs(argv);
  const config = loadConfig(io.env, ['tmdb']);
  // Warnings only unless LOG_LEVEL asks for more: the summary is what the operator reads.
  const logger = createLogger({
    level: io.env.LOG_LEVEL ? config.logLevel : 'warn',
    destination: process.stderr,
    format: chooseLogFormat(config.logFormat, io.terminal !== null),
  });
  const bytes = await readFile(args.file);
  const app = createApp({ config, logger, background: SKIPPED_BACKGROUND });
  try {
    await migrateUp(app.database, logger);
    const file = { name: path.basename(args.file), bytes };
    const format = args.format ?? guessFormat(file);
    const parsed = await app.services.imports.parse(format, file);
    if (args.guildId) await app.services.members.seen(args.guildId, args.userId, new Date());
    const view = createProgressView(io);
    const started = await app.services.imports.start(
      { userId: args.userId, parsed },
      { progress: (progress) => view.update(progress), finished: () => Promise.resolve(view.stop()) },
    );
    io.onInterrupt?.(() => void app.services.imports.stop(5_000));
    const summary = await started.done;
    const unmatchedPath = summary.unmatchedFile ? path.join(path.dirname(args.file), summary.unmatchedFile.name) : null;
    if (summary.unmatchedFile && unmatchedPath) await writeFile(unmatchedPath, summary.unmatchedFile.text);
    const again = `npm run import -- --user ${args.userId} --file ${unmatchedPath ?? args.file}`;
    for (const line of summaryLines(summary, again)) io.print(line);
    return summary;
  } finally {
    await app.stop();
  }
}
