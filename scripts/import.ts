/**
 * npm run import -- --user ID --file FILE [--guild ID] [--format letterboxd|imdb]
 * Imports a member's Letterboxd export (zip or CSV) or IMDb ratings CSV, as /import does; a progress bar on a terminal.
 * Exits 1 when the file is refused or the import stopped before its end (what was imported stays).
 */
import { loadDotEnv } from '../src/config.js';
import { runImportCli } from './lib/import/cli.js';
import { runScript } from './lib/run-script.js';

await runScript(async () => {
  loadDotEnv();
  const summary = await runImportCli(process.argv.slice(2), {
    env: process.env,
    print: (text) => console.log(text),
    terminal: process.stderr.isTTY ? process.stderr : null,
    onInterrupt: (stop) => process.once('SIGINT', stop),
  });
  if (summary.end.kind !== 'done') process.exitCode = 1;
}, 'npm run import');
