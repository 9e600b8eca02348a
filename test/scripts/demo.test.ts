import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import net, { type AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Writable } from 'node:stream';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runDemo, type DemoResult } from '../../scripts/demo/run.js';
import type { Transcript, TranscriptEntry, TranscriptMessage } from '../../scripts/demo/transcript.js';
import { transcriptEmbeds } from '../../scripts/demo/html.js';
import { chromiumInstalled, visibleEmbeds } from '../support/browser.js';
import { guardLoopback, isLoopback, type LoopbackGuard } from '../support/loopback-guard.js';

/** TEST-NET-1 (RFC 5737): an address that is never anyone's, so nothing could answer even if a packet left. */
const TEST_NET = '192.0.2.1';

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

async function demo(args: string[]) {
  const stdout = capture();
  const stderr = capture();
  const result = await runDemo(args, { stdout: stdout.stream, stderr: stderr.stream });
  return { ...result, stdout: stdout.read(), stderr: stderr.read() };
}

/** The transcript's entries, scene by scene (the entries before the first heading are left out). */
function scenes(transcript: Transcript): { title: string; entries: TranscriptEntry[] }[] {
  const out: { title: string; entries: TranscriptEntry[] }[] = [];
  for (const entry of transcript.entries) {
    if (entry.kind === 'scene') out.push({ title: entry.title, entries: [] });
    else out.at(-1)?.entries.push(entry);
  }
  return out;
}
const messagesOf = (entries: readonly TranscriptEntry[]): TranscriptMessage[] =>
  entries.flatMap((entry) => (entry.kind === 'message' ? [entry.message] : []));
const actionsOf = (entries: readonly TranscriptEntry[]) =>
  entries.flatMap((entry) => (entry.kind === 'action' ? [entry] : []));
const cards = (entries: readonly TranscriptEntry[]) =>
  messagesOf(entries).filter((message) => !message.ephemeral && message.embeds.length === 1);

describe('the loopback guard', () => {
  let guard: LoopbackGuard;
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_request, response) => response.end('ok'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
    guard = guardLoopback();
  });
  afterAll(async () => {
    guard.restore();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('refuses a connection to a TEST-NET address before any socket connects, and records it', () => {
    const before = guard.blocked.length;
    expect(() => net.connect({ host: TEST_NET, port: 80 })).toThrow(/loopback guard: a connection to 192\.0\.2\.1:80/);
    expect(() => net.createConnection(443, TEST_NET)).toThrow(/blocked/);
    const socket = new net.Socket();
    expect(() => socket.connect(80, TEST_NET)).toThrow(/blocked/);
    // Refused before Node began to connect: no lookup, no SYN.
    expect(socket.connecting).toBe(false);
    expect(socket.pending).toBe(true);
    socket.destroy();
    expect(() => tls.connect({ host: TEST_NET, port: 443 })).toThrow(/blocked/);
    // A name is refused before it is looked up: no DNS query leaves either.
    expect(() => net.connect({ host: 'discord.com', port: 443 })).toThrow(/discord\.com:443/);
    expect(guard.blocked.slice(before).map(({ host, port: blockedPort, via }) => [host, blockedPort, via])).toEqual([
      [TEST_NET, 80, 'net.connect'],
      [TEST_NET, 443, 'net.createConnection'],
      [TEST_NET, 80, 'net.Socket#connect'],
      [TEST_NET, 443, 'tls.connect'],
      ['discord.com', 443, 'net.connect'],
    ]);
  });

  it('lets loopback connections through', async () => {
    const before = guard.blocked.length;
    expect(await (await fetch(`http://127.0.0.1:${port}/`)).text()).toBe('ok');
    expect(await (await fetch(`http://localhost:${port}/`)).text()).toBe('ok');
    expect(guard.blocked.length).toBe(before);
  });

  it('knows loopback when it sees it', () => {
    for (const host of ['127.0.0.1', '127.8.9.10', 'localhost', 'LOCALHOST', '::1', '[::1]', '::ffff:127.0.0.1']) {
      expect(isLoopback(host)).toBe(true);
    }
    for (const host of [TEST_NET, '10.0.0.1', '192.168.1.1', '128.0.0.1', '::2', 'example.com', '0.0.0.0']) {
      expect(isLoopback(host)).toBe(false);
    }
  });
});

describe('npm run demo, offline', () => {
  let guard: LoopbackGuard;
  let run: DemoResult & { stdout: string; stderr: string };
  let kept: DemoResult & { stdout: string; stderr: string };
  const outputs = mkdtempSync(path.join(os.tmpdir(), 'marquee-demo-test-'));
  const jsonFile = path.join(outputs, 'transcript.json');
  const htmlFile = path.join(outputs, 'transcript.html');

  beforeAll(async () => {
    guard = guardLoopback();
    try {
      run = await demo(['--json', jsonFile, '--html', htmlFile]);
      kept = await demo(['--keep']);
    } finally {
      guard.restore();
    }
  }, 120_000);
  afterAll(() => {
    rmSync(outputs, { recursive: true, force: true });
    if (kept.workDir) rmSync(kept.workDir, { recursive: true, force: true });
  });

  it('plays the story and exits 0, connecting to nothing but loopback', () => {
    expect(run.stderr).toBe('');
    expect(run.exitCode).toBe(0);
    expect(guard.blocked).toEqual([]);
    // The bot's REST calls and gateway, and its TMDB requests, all went through the guard.
    expect(guard.allowed).toBeGreaterThan(2);
  });

  it('removes its temp folder afterwards', () => {
    expect(run.workDir).toBeDefined();
    expect(existsSync(run.workDir!)).toBe(false);
  });

  it('opens the onboarding panel for the newcomer’s /recommend, ephemeral and visible only to her', () => {
    const [first] = scenes(run.transcript!);
    const [action] = actionsOf(first!.entries);
    expect(action).toMatchObject({ member: 'Nia Okafor', text: expect.stringMatching(/^\/recommend/) });
    const messages = messagesOf(first!.entries);
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ ephemeral: true, visibleTo: 'Nia Okafor', bot: true });
    expect(messages[0]?.content).toContain('Rate a few films to start');
    expect(messages[0]?.components).toHaveLength(5);
  });

  it('takes her ratings on the panel (4 on page 1, Next, 1 on page 2), then sends picks with reasons of both kinds', () => {
    const second = scenes(run.transcript!)[1]!;
    const texts = actionsOf(second.entries).map((action) => action.text);
    expect(texts.filter((text) => text.startsWith('rates '))).toHaveLength(5);
    expect(texts.slice(4, 5)).toEqual(['clicks [Next films]']);
    expect(run.story?.rated).toHaveLength(5);
    // The panel stays private throughout; the picks are public cards, each with a reason.
    for (const message of messagesOf(second.entries).filter((m) => m.ephemeral)) {
      expect(message.visibleTo).toBe('Nia Okafor');
    }
    const picks = cards(second.entries);
    expect(picks.length).toBeGreaterThan(0);
    expect(picks.map((card) => card.embeds[0]?.title)).toEqual(run.story?.firstPicks.map((film) => film.title));
    const reasons = picks.map((card) => card.embeds[0]?.description ?? '');
    expect(reasons.every((text) => /Because you loved|agree with you|Popular on|Loved in this server/.test(text))).toBe(
      true,
    );
    // From members who agree with her, and from films like the ones she loved.
    expect(reasons.some((text) => text.includes('Because you loved'))).toBe(true);
    expect(reasons.some((text) => /<@\d+> rated it .* \(agrees with you on \d+ films?\)/.test(text))).toBe(true);
    expect(picks.every((card) => card.reactions.some((reaction) => reaction.emoji === '👎'))).toBe(true);
  });

  it('leaves the film she gave 👎 out of her next picks', () => {
    const { disliked, secondPicks, firstPicks } = run.story!;
    expect(firstPicks.map((film) => film.tmdbId)).toContain(disliked.tmdbId);
    expect(actionsOf(scenes(run.transcript!)[2]!.entries)).toEqual([
      { kind: 'action', member: 'Nia Okafor', text: `reacts 👎 under ${disliked.title}` },
    ]);
    const again = cards(scenes(run.transcript!)[3]!.entries);
    expect(again.length).toBeGreaterThan(0);
    expect(again.map((card) => card.embeds[0]?.title)).toEqual(secondPicks.map((film) => film.title));
    expect(again.map((card) => card.embeds[0]?.title)).not.toContain(disliked.title);
  });

  it('runs a movie night for four members: each one’s fit, their votes, and a winner', () => {
    const night = scenes(run.transcript!)[4]!;
    const members = run.story!.night.members;
    expect(members).toHaveLength(4);
    const joined = actionsOf(night.entries).filter((action) => action.text.startsWith('joins the voice channel'));
    expect(joined.map((action) => action.member)).toEqual(members.map((member) => member.name));
    const [poll, ...later] = messagesOf(night.entries).filter(
      (message) => !message.ephemeral && message.embeds.length === 5,
    );
    expect(poll?.content).toContain('Movie night** for 4 members');
    for (const embed of poll!.embeds) {
      for (const member of members) expect(embed.description).toMatch(new RegExp(`<@${member.id}> \\d\\.\\d`));
    }
    const votes = actionsOf(night.entries).filter((action) => /^clicks \[\d\]$/.test(action.text));
    expect(votes).toHaveLength(4);
    // The card, edited when the poll closed: the winner crowned, four votes in all.
    const closed = later.at(-1)!;
    expect(closed.edited).toBe(true);
    expect(closed.content).toContain('(4 votes in all)');
    expect(closed.embeds.some((embed) => embed.title?.startsWith('🏆'))).toBe(true);
    const result = messagesOf(night.entries).find((message) => message.content.includes('Tonight’s film'));
    expect(result?.content).toContain(run.story!.night.winner.title);
  });

  it('ends with her /profile', () => {
    const profile = messagesOf(scenes(run.transcript!)[5]!.entries);
    expect(profile[0]?.embeds[0]).toMatchObject({ title: 'Your Marquee profile', author: { name: 'Nia Okafor' } });
    expect(profile[0]?.embeds[0]?.fields?.[0]).toMatchObject({ name: 'Ratings', value: '5' });
  });

  it('prints a readable transcript that labels the local TMDB’s figures as the demo’s', () => {
    expect(run.stdout).toContain('Marquee offline demo · #film-club in Film Club');
    expect(run.stdout.replace(/\s+/g, ' ')).toContain('computed from this demo server’s ratings, not TMDB’s');
    expect(run.stdout).toMatch(/── 1\. .*\n\nNia Okafor: \/recommend/);
    expect(run.stdout).toContain('Marquee (only Nia Okafor can see this):');
    expect(run.stdout).toMatch(/TMDB \(demo figures\): \d+\.\d\/10 \(\d+ votes?\)/);
    // Every "TMDB" figure the bot showed is labelled; none is left bare.
    expect(run.stdout).not.toMatch(/TMDB: \d/);
    expect(run.stdout).not.toMatch(/TMDB \d+\.\d\/10(?! \(demo figure\))/);
    expect(run.stdout).toContain('@Nia Okafor');
    expect(run.stdout).not.toMatch(/<@\d+>/);
  });

  it('writes the transcript as JSON that parses back to the record, and as an HTML page', () => {
    const parsed = JSON.parse(readFileSync(jsonFile, 'utf8')) as Transcript;
    expect(parsed).toEqual(run.transcript);
    // The README's screenshots are taken of scenes by these ids (npm run demo:screenshots).
    expect(parsed.entries.flatMap((entry) => (entry.kind === 'scene' ? [entry.id] : []))).toEqual([
      'onboarding',
      'first-picks',
      'thumbs-down',
      'picks-again',
      'movie-night',
      'profile',
    ]);
    const html = readFileSync(htmlFile, 'utf8');
    expect(html).toContain('<!doctype html>');
    expect(html).toContain('TMDB (demo figures)');
    expect(html).toContain('class="demo-notes"');
  });

  it.runIf(chromiumInstalled)(
    'shows every embed of the transcript on that page in a real browser, loading nothing from anywhere',
    async () => {
      const transcript = run.transcript!;
      const check = await visibleEmbeds(htmlFile, transcript);
      expect(check.missing).toEqual([]);
      expect(check.visible).toHaveLength(transcriptEmbeds(transcript).length);
      expect(check.visible.length).toBeGreaterThan(10);
      expect(check.onPage).toBe(check.visible.length);
      expect(check.externalRequests).toEqual([]);
    },
    60_000,
  );

  it('keeps its folder with --keep and says where the database is', () => {
    expect(kept.exitCode).toBe(0);
    const database = path.join(kept.workDir!, 'marquee-demo.sqlite');
    expect(kept.stdout).toContain(`database: ${database}`);
    expect(existsSync(database)).toBe(true);
    expect(existsSync(path.join(kept.workDir!, 'bot.log'))).toBe(true);
  });

  it('repeats the same story for the same seed', () => {
    expect(kept.story).toEqual(run.story);
  });
});

describe('npm run demo, when it cannot run', () => {
  it('says what is wrong with its arguments and exits 1', async () => {
    const result = await demo(['--seed', 'many']);
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(/^--seed takes a whole number, not “many”\.\n\nUsage: npm run demo/);
    expect(result.workDir).toBeUndefined();
  });

  it('says in a sentence why it stopped, exits 1 and removes its folder', async () => {
    const stdout = capture();
    const stderr = capture();
    const result = await runDemo([], {
      stdout: stdout.stream,
      stderr: stderr.stream,
      cataloguePath: path.join(os.tmpdir(), 'no-such-catalogue.json'),
    });
    expect(result.exitCode).toBe(1);
    expect(stderr.read()).toMatch(/^The demo could not finish: .*no-such-catalogue\.json.*\. Run it with --keep/);
    expect(stderr.read()).not.toMatch(/\n\s+at /);
    expect(existsSync(result.workDir!)).toBe(false);
  });

  it('stops between steps when interrupted, and cleans up', async () => {
    const stop = new AbortController();
    stop.abort();
    const stderr = capture();
    const result = await runDemo([], { stdout: capture().stream, stderr: stderr.stream, signal: stop.signal });
    expect(result.exitCode).toBe(1);
    expect(stderr.read()).toMatch(/^The demo could not finish: it was interrupted\./);
    expect(existsSync(result.workDir!)).toBe(false);
  });
});
