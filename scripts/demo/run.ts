/**
 * `npm run demo`: the offline demo from start to finish. A temp folder with a throwaway SQLite file, the world
 * (./world.ts), the story (./story.ts), the transcript printed as text (and written as JSON or HTML when asked),
 * then everything stopped and the folder removed, on every way out. Returns the exit code rather than exiting, so
 * tests run it in-process.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parseDemoArgs, DEMO_USAGE, DemoUsageError } from './cli.js';
import { DEMO_FIGURES_NOTE } from './demo-figures.js';
import { renderDemoHtml } from './html-output.js';
import { createScene } from './scene.js';
import { playStory, type StoryOutcome } from './story.js';
import { renderText } from './text.js';
import type { Transcript } from './transcript.js';
import { startWorld, type DemoWorld } from './world.js';

export interface DemoIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
  /** Aborted on SIGINT/SIGTERM: the demo stops between steps and cleans up. */
  signal?: AbortSignal;
  /** Another catalogue file (tests); default data/catalogue.json. */
  cataloguePath?: string | URL;
}

export interface DemoResult {
  exitCode: number;
  /** The temp folder (removed unless `--keep`). */
  workDir?: string;
  transcript?: Transcript;
  story?: StoryOutcome;
}

/** The transcript's framing: the server, the channel, the note on the local TMDB's figures. */
function newTranscript(world: DemoWorld): Transcript {
  const { report } = world;
  return {
    guildName: world.guild.name,
    channelName: world.text.name,
    botName: 'Marquee',
    entries: [],
    memberNames: world.names,
    recordedAt: world.clock().toISOString(),
    notes: [
      `${world.guild.name} is a made-up server: ${report.members.length} members seeded with ${report.ratings} ratings ` +
        `of ${world.films.length} films from the built-in catalogue, in ${report.clusters.length} taste groups ` +
        `(${report.clusters.map((cluster) => cluster.label).join('; ')}). Every member chose to be named in ` +
        'explanations (/privacy settings show_name).',
      DEMO_FIGURES_NOTE,
    ],
  };
}

/** Writes the `--json` and `--html` files. */
async function writeOutputs(transcript: Transcript, json: string | undefined, html: string | undefined) {
  if (json) await writeFile(json, `${JSON.stringify(transcript, null, 2)}\n`);
  if (html) await writeFile(html, renderDemoHtml(transcript));
}

export async function runDemo(args: readonly string[], io: DemoIo): Promise<DemoResult> {
  const say = (stream: NodeJS.WritableStream, text: string) => stream.write(text);
  let options;
  try {
    options = parseDemoArgs(args);
  } catch (error) {
    if (!(error instanceof DemoUsageError)) throw error;
    say(io.stderr, `${error.message}\n\n${DEMO_USAGE}`);
    return { exitCode: 1 };
  }
  if (options.help) {
    say(io.stdout, DEMO_USAGE);
    return { exitCode: 0 };
  }

  const workDir = mkdtempSync(path.join(os.tmpdir(), 'marquee-demo-'));
  let world: DemoWorld | undefined;
  let exitCode = 1;
  let transcript: Transcript | undefined;
  let story: StoryOutcome | undefined;
  try {
    io.signal?.throwIfAborted();
    world = await startWorld({
      dir: workDir,
      seed: options.seed,
      ...(io.cataloguePath ? { cataloguePath: io.cataloguePath } : {}),
    });
    io.signal?.throwIfAborted();
    transcript = newTranscript(world);
    const scene = createScene({
      fake: world.fake,
      app: world.app,
      log: world.log,
      guildId: world.guild.id,
      channelId: world.text.id,
      transcript,
    });
    story = await playStory(world, scene, io.signal);
    if (world.log.errors.length > 0) {
      throw new Error(`the bot logged ${world.log.errors.length} error(s), the first: ${world.log.errors[0]}`);
    }
    say(io.stdout, renderText(transcript));
    await writeOutputs(transcript, options.json, options.html);
    exitCode = 0;
  } catch (error) {
    const reason = io.signal?.aborted
      ? 'it was interrupted'
      : error instanceof Error
        ? error.message.replace(/\.$/, '')
        : String(error);
    say(
      io.stderr,
      `The demo could not finish: ${reason}.${options.keep ? '' : ' Run it with --keep to look at bot.log.'}\n`,
    );
  } finally {
    await world?.close();
    if (options.keep) {
      say(
        io.stdout,
        `\nKept the demo's folder: ${workDir}\n  database: ${path.join(workDir, 'marquee-demo.sqlite')}\n  bot log:  ${path.join(workDir, 'bot.log')}\n`,
      );
    } else rmSync(workDir, { recursive: true, force: true });
  }
  return {
    exitCode,
    workDir,
    ...(transcript ? { transcript } : {}),
    ...(story ? { story } : {}),
  };
}
