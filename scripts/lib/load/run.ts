import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { InteractionResponseType } from 'discord-api-types/v10';
import { QueryTypes } from 'sequelize';
import pg from 'pg';
import { commands } from '../../../commands/index.js';
import type { DatabaseTarget } from '../../../src/config.js';
import { createDatabase } from '../../../src/db/database.js';
import { createLogger } from '../../../src/logger.js';
import {
  fakeFilms,
  startFakeDiscord,
  startFakeTmdb,
  type FakeDiscord,
  type FakeFilm,
  type InteractionEvent,
  type InteractionHandle,
  type OptionsInput,
} from '../../../local-discord/index.js';
import { startBotProcess, type BotProcess } from './bot-process.js';
import { percentiles, type RampStep, type RunResult, type ScenarioResult, type ShutdownResult } from './stats.js';

export interface LoadOptions {
  database: 'sqlite' | 'postgres';
  /** A PostgreSQL server where a fresh database may be created (and dropped) for the run. */
  postgresUrl?: string | undefined;
  /** `ratings` /rate from `members` members, spread evenly over `overMs`. */
  burst: { members: number; ratings: number; overMs: number };
  /** Members who each send /rate, /watched add and /recommend at the same moment. */
  mixedMembers: number;
  /** Members sending one command each at the same moment, step by step. */
  ramp: readonly number[];
  /** A burst like `burst`, with SIGTERM sent to the bot `sigtermAfterMs` after it began. */
  shutdown: { members: number; ratings: number; overMs: number; sigtermAfterMs: number };
  /** The fake TMDB's answer time, as a real network's. */
  tmdbLatencyMs: number;
  /** Where the bot's log (and the SQLite file) go; kept when given. */
  workDir?: string | undefined;
}

const APPLICATION_ID = '1100000000000000001';
const GUILD = '810000000000000001';
const CHANNEL = '820000000000000001';
/** Discord's deadline for the first callback; the fake refuses later ones with 10062. */
const DEADLINE_MS = 3_000;
/** How long after its dispatch an interaction may still get its final answer. */
const ANSWER_WAIT_MS = 20_000;

const memberId = (index: number): string => String(830_000_000_000_000_000n + BigInt(index));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

interface Sent {
  command: 'rate' | 'watched' | 'recommend';
  userId: string;
  filmId?: number;
  stars?: number;
  /** `performance.now()` at the dispatch (the fake Discord's clock too). */
  at: number;
  handle: InteractionHandle | undefined;
}

const EXPECTED: Record<Sent['command'], RegExp> = {
  rate: /^You rated /,
  watched: /^Logged \*\*/,
  // A member with fewer than 5 ratings gets the onboarding panel first (its picks follow the panel).
  recommend: /^\*\*(?:\d picks? for you|Rate a few films to start)\*\*/,
};

const isAnswer = (event: InteractionEvent): boolean =>
  event.kind === 'edit' ||
  event.kind === 'followup' ||
  (event.kind === 'callback' && event.callbackType === InteractionResponseType.ChannelMessageWithSource);

function outcome(sent: Sent): { callbackMs?: number; answerMs?: number; text?: string; error?: string } {
  const events = sent.handle?.events ?? [];
  const callback = events.find((event) => event.kind === 'callback');
  const answer = events.find(isAnswer);
  const rejected = events.find((event) => event.kind === 'rejected');
  const text = answer?.message?.content ?? '';
  const error = !sent.handle
    ? 'not delivered (bot gone)'
    : !callback
      ? rejected
        ? `callback refused: ${String(rejected.error?.code)} ${rejected.error?.message ?? ''}`
        : 'no callback'
      : !answer
        ? 'no answer'
        : EXPECTED[sent.command].test(text)
          ? undefined
          : `${sent.command}: ${text.slice(0, 70)}`;
  return {
    ...(callback ? { callbackMs: callback.elapsedMs } : {}),
    ...(answer ? { answerMs: answer.elapsedMs, text } : {}),
    ...(error ? { error } : {}),
  };
}

const settled = (sent: Sent): boolean =>
  !sent.handle || sent.handle.events.some((event) => isAnswer(event) || event.kind === 'rejected');

async function waitSettled(all: readonly Sent[], timeoutMs: number): Promise<void> {
  const until = performance.now() + timeoutMs;
  while (performance.now() < until && !all.every(settled)) await sleep(20);
}

export async function runLoad(options: LoadOptions): Promise<RunResult> {
  const workDir = options.workDir ?? mkdtempSync(path.join(os.tmpdir(), 'marquee-load-'));
  mkdirSync(workDir, { recursive: true });
  const films = fakeFilms(80);
  const members = 20 + Math.max(options.burst.members, 70) + options.mixedMembers * 3 + Math.max(...options.ramp, 0);
  const { target, drop } = await freshDatabase(options, workDir);
  const fake = await startFakeDiscord({
    applicationId: APPLICATION_ID,
    guilds: [
      {
        id: GUILD,
        channels: [{ id: CHANNEL, name: 'film-night' }],
        members: Array.from({ length: members }, (_, index) => ({ id: memberId(index), username: `member${index}` })),
      },
    ],
    commands: commands.map((command) => command.data.toJSON()),
  });
  const tmdb = await startFakeTmdb({ films, latencyMs: options.tmdbLatencyMs });
  const bot = startBotProcess(
    {
      DISCORD_TOKEN: fake.token,
      DISCORD_APPLICATION_ID: APPLICATION_ID,
      DISCORD_API_BASE: fake.apiBase,
      TMDB_TOKEN: tmdb.token,
      TMDB_API_BASE: tmdb.baseUrl,
      DATABASE_URL: target.url,
      LOG_LEVEL: 'info',
      // Set, even empty, so that nothing from a developer's .env reaches the benchmark's bot.
      DISCORD_DEV_GUILD_ID: '',
      TMDB_API_KEY: '',
      MEMBER_ACTIVE_DAYS: '180',
    },
    path.join(workDir, 'bot.log'),
  );
  try {
    // The bot gives up itself if it cannot start; this bounds a bot that hangs instead.
    const notReady = setTimeout(() => bot.kill(), 60_000);
    await bot.ready.finally(() => clearTimeout(notReady));
    const driver = createDriver(fake);
    await driver.warmUp(films.slice(0, 70));

    let next = 0;
    const take = (count: number) => Array.from({ length: count }, () => next++);
    const scenarios: ScenarioResult[] = [];
    const burstMembers = take(options.burst.members);
    const burst = await driver.ratingBurst(burstMembers, films.slice(0, 20), options.burst);
    scenarios.push(
      await summarise(
        `${options.burst.ratings} /rate from ${burstMembers.length} members over ${options.burst.overMs / 1_000} s`,
        burst,
        target,
      ),
    );

    const mixedMembers = take(options.mixedMembers);
    const mixed = await driver.mixed(mixedMembers, films.slice(20, 40));
    scenarios.push(
      await summarise(`${mixedMembers.length} members × /rate + /watched add + /recommend at once`, mixed, target),
    );

    const ramp: RampStep[] = [];
    const rampFilms = films.slice(40, 50);
    for (const count of options.ramp) {
      const step = await driver.mixedOnce(take(count), rampFilms);
      const callbacks = step.map(outcome).flatMap(({ callbackMs }) => (callbackMs === undefined ? [] : [callbackMs]));
      ramp.push({
        members: count,
        sent: step.length,
        answered: step.filter((sent) => outcome(sent).answerMs !== undefined).length,
        callbackP99Ms: percentiles(callbacks).p99,
      });
    }

    const shutdownMembers = take(options.shutdown.members);
    const shutdown = await driver.burstThenTerminate(shutdownMembers, films.slice(50, 70), options.shutdown, bot);
    return {
      database: options.database,
      scenarios,
      ramp,
      shutdown: { ...shutdown.result, ...(await shutdownRows(shutdown.sent, target)) },
      botErrors: bot.errorLines,
    };
  } finally {
    bot.kill();
    await fake.close();
    await tmdb.close();
    await drop();
    if (!options.workDir) rmSync(workDir, { recursive: true, force: true });
  }
}

function createDriver(fake: FakeDiscord) {
  const slash = (sent: Omit<Sent, 'handle' | 'at'>, options: OptionsInput, subcommand?: string): Sent => {
    const at = performance.now();
    try {
      const handle = fake.slash({
        guildId: GUILD,
        channelId: CHANNEL,
        userId: sent.userId,
        name: sent.command,
        ...(subcommand ? { subcommand } : {}),
        options,
      });
      return { ...sent, at, handle };
    } catch {
      return { ...sent, at, handle: undefined };
    }
  };
  const rate = (userId: string, film: FakeFilm, stars: number) =>
    slash({ command: 'rate', userId, filmId: film.id, stars }, { movie: String(film.id), stars });
  const watched = (userId: string, film: FakeFilm, stars: number) =>
    slash({ command: 'watched', userId, filmId: film.id, stars }, { movie: String(film.id), stars }, 'add');
  const recommend = (userId: string) => slash({ command: 'recommend', userId }, {});
  const starsFor = (index: number) => ((index % 10) + 1) / 2;

  /** `ratings` /rate spread over `overMs`, member i % n; each member rates distinct films. */
  async function spread(
    memberIndexes: readonly number[],
    pool: readonly FakeFilm[],
    ratings: number,
    overMs: number,
    stop?: () => boolean,
  ) {
    const sent: Sent[] = [];
    const started = performance.now();
    for (let index = 0; index < ratings && !stop?.(); index++) {
      const wait = started + (index * overMs) / ratings - performance.now();
      if (wait > 0) await sleep(wait);
      const member = index % memberIndexes.length;
      const round = Math.floor(index / memberIndexes.length);
      // 7 is prime to the pool's size (20): a member's rounds land on distinct films.
      const film = pool[(member + round * 7) % pool.length]!;
      sent.push(rate(memberId(memberIndexes[member]!), film, starsFor(index)));
    }
    return sent;
  }

  return {
    /** Members pick films from autocomplete before rating them: TMDB's search stores them, as in real use. */
    async warmUp(pool: readonly FakeFilm[]): Promise<void> {
      for (let start = 0; start < pool.length; start += 10) {
        const handles = pool.slice(start, start + 10).map((film, index) =>
          fake.autocomplete({
            guildId: GUILD,
            channelId: CHANNEL,
            userId: memberId(start + index),
            name: 'rate',
            options: { movie: film.title, stars: 4 },
            focused: 'movie',
          }),
        );
        await Promise.all(handles.map((handle) => handle.waitFor('autocomplete', 10_000)));
      }
      await sleep(1_000);
    },

    async ratingBurst(
      memberIndexes: readonly number[],
      pool: readonly FakeFilm[],
      { ratings, overMs }: { ratings: number; overMs: number },
    ) {
      const sent = await spread(memberIndexes, pool, ratings, overMs);
      await waitSettled(sent, ANSWER_WAIT_MS);
      return sent;
    },

    async mixed(memberIndexes: readonly number[], pool: readonly FakeFilm[]) {
      const half = Math.floor(pool.length / 2);
      const sent = memberIndexes.flatMap((index, position) => [
        rate(memberId(index), pool[position % half]!, starsFor(position)),
        watched(memberId(index), pool[half + (position % half)]!, starsFor(position + 3)),
        recommend(memberId(index)),
      ]);
      await waitSettled(sent, ANSWER_WAIT_MS);
      return sent;
    },

    /** One command per member, all at once: /rate, /watched add and /recommend in turn. */
    async mixedOnce(memberIndexes: readonly number[], pool: readonly FakeFilm[]) {
      const sent = memberIndexes.map((index, position) => {
        const film = pool[position % pool.length]!;
        if (position % 3 === 0) return rate(memberId(index), film, starsFor(position));
        if (position % 3 === 1) return watched(memberId(index), film, starsFor(position));
        return recommend(memberId(index));
      });
      await waitSettled(sent, ANSWER_WAIT_MS);
      return sent;
    },

    async burstThenTerminate(
      memberIndexes: readonly number[],
      pool: readonly FakeFilm[],
      { ratings, overMs, sigtermAfterMs }: LoadOptions['shutdown'],
      bot: BotProcess,
    ): Promise<{ sent: Sent[]; result: Pick<ShutdownResult, 'exitMs' | 'exitCode'> }> {
      let terminating = false;
      const sending = spread(memberIndexes, pool, ratings, overMs, () => terminating);
      await sleep(sigtermAfterMs);
      terminating = true;
      // Docker's grace: SIGKILL 10 s after SIGTERM.
      const result = await bot.terminate(10_000);
      const sent = await sending;
      return { sent, result };
    },
  };
}

async function withDatabase<Result>(
  target: DatabaseTarget,
  work: (query: (sql: string, replacements: Record<string, unknown>) => Promise<number>) => Promise<Result>,
): Promise<Result> {
  const database = createDatabase(target, createLogger({ level: 'silent' }));
  try {
    return await work(async (sql, replacements) => {
      const [row] = await database.sequelize.query<{ n: string | number }>(sql, {
        type: QueryTypes.SELECT,
        replacements,
      });
      return Number(row?.n ?? 0);
    });
  } finally {
    await database.close();
  }
}

async function summarise(name: string, sent: readonly Sent[], target: DatabaseTarget): Promise<ScenarioResult> {
  const outcomes = sent.map(outcome);
  const errors: Record<string, number> = {};
  for (const { error } of outcomes) if (error) errors[error] = (errors[error] ?? 0) + 1;
  const answers = outcomes.flatMap(({ answerMs }) => (answerMs === undefined ? [] : [answerMs]));
  const expected = sent.filter((item) => item.stars !== undefined);
  const rowsStored = await withDatabase(target, async (count) => {
    let stored = 0;
    for (const item of expected) {
      stored += await count('SELECT COUNT(*) AS n FROM ratings WHERE user_id = :userId AND movie_id = :movieId', {
        userId: item.userId,
        movieId: item.filmId,
      });
    }
    return stored;
  });
  // Answers per second held: from the first dispatch to the last answer.
  const first = Math.min(...sent.map((item) => item.at));
  const last = Math.max(...sent.map((item, index) => item.at + (outcomes[index]?.answerMs ?? 0)));
  return {
    scenario: name,
    sent: sent.length,
    acknowledged: outcomes.filter(({ callbackMs }) => callbackMs !== undefined && callbackMs <= DEADLINE_MS).length,
    answered: answers.length,
    succeeded: outcomes.filter(({ error }) => error === undefined).length,
    perSecond: (answers.length / Math.max(last - first, 1)) * 1_000,
    callbackMs: percentiles(outcomes.flatMap(({ callbackMs }) => (callbackMs === undefined ? [] : [callbackMs]))),
    answerMs: percentiles(answers),
    errors,
    rowsStored,
    rowsExpected: expected.length,
  };
}

/** Ratings the bot confirmed ("You rated …"), whether each is stored with those stars, and ratings without a diary entry. */
async function shutdownRows(
  sent: readonly Sent[],
  target: DatabaseTarget,
): Promise<Omit<ShutdownResult, 'exitMs' | 'exitCode'>> {
  const confirmed = sent.filter((item) => outcome(item).text?.startsWith('You rated'));
  return withDatabase(target, async (count) => {
    let confirmedStored = 0;
    for (const item of confirmed) {
      confirmedStored += await count(
        'SELECT COUNT(*) AS n FROM ratings WHERE user_id = :userId AND movie_id = :movieId AND score = :stars',
        { userId: item.userId, movieId: item.filmId, stars: item.stars },
      );
    }
    const halfWritten = await count(
      `SELECT COUNT(*) AS n FROM ratings r
        WHERE NOT EXISTS (SELECT 1 FROM watch_log w WHERE w.user_id = r.user_id AND w.movie_id = r.movie_id)`,
      {},
    );
    return { confirmed: confirmed.length, confirmedStored, halfWritten };
  });
}

async function freshDatabase(
  options: LoadOptions,
  workDir: string,
): Promise<{ target: DatabaseTarget; drop: () => Promise<void> }> {
  if (options.database === 'sqlite') {
    const storage = path.join(workDir, 'load.sqlite');
    return { target: { dialect: 'sqlite', storage, url: `sqlite://${storage}` }, drop: () => Promise.resolve() };
  }
  if (!options.postgresUrl) throw new Error('PostgreSQL needs --postgres-url (or TEST_DATABASE_URL)');
  const admin = options.postgresUrl;
  const name = `marquee_load_${randomUUID().replaceAll('-', '')}`;
  const run = async (sql: string) => {
    const client = new pg.Client({ connectionString: admin });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
  };
  await run(`CREATE DATABASE ${name}`);
  const url = new URL(admin);
  url.pathname = `/${name}`;
  return {
    target: { dialect: 'postgres', url: url.toString() },
    drop: () => run(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}
