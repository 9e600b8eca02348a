import { ChannelType, GuildScheduledEventStatus, type APIMessage } from 'discord-api-types/v10';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_BOT_PERMISSIONS } from '../../local-discord/index.js';
import type { App } from '../../src/app.js';
import { startBotHarness, type BotHarness, type JobTiming } from '../support/bot-harness.js';
import { databaseKinds } from '../support/databases.js';
import { createManualClock, createManualTicker } from '../support/manual-clock.js';

const GUILD = '810000000000001601';
const MOVIES = '820000000000001601';
const CINEMA = '820000000000001602';
const ADMIN_ROLE = '840000000000001601';
const ADMIN = '830000000000001601';

const kinds = databaseKinds();

/** One bot process's hand-moved time. */
function timing(start: string): JobTiming {
  return { clock: createManualClock(start), ticker: createManualTicker() };
}

async function startBot(kind: (typeof kinds)[number], jobs: JobTiming): Promise<BotHarness> {
  return startBotHarness({
    kind,
    jobs,
    guilds: [
      {
        id: GUILD,
        botPermissions: [...DEFAULT_BOT_PERMISSIONS, 'CreateEvents', 'Connect'],
        roles: [{ id: ADMIN_ROLE, name: 'Admins', permissions: ['ManageGuild'] }],
        channels: [
          { id: MOVIES, name: 'movies' },
          { id: CINEMA, name: 'Cinema', type: ChannelType.GuildVoice },
        ],
        members: [{ id: ADMIN, roles: [ADMIN_ROLE] }],
      },
    ],
  });
}

/** `/movienight schedule` by the admin; resolves with the new schedule's id once it is answered. */
async function schedule(bot: BotHarness, options: { day: number; time: string; timezone: string }): Promise<number> {
  const edit = await bot.fake
    .slash({
      guildId: GUILD,
      channelId: MOVIES,
      userId: ADMIN,
      name: 'movienight',
      subcommand: 'schedule',
      options: { ...options, channel: MOVIES, voice_channel: CINEMA },
    })
    .waitFor('edit');
  const id = /#(\d+)/.exec(edit.message.content)?.[1];
  if (!id) throw new Error(`not scheduled: ${edit.message.content}`);
  return Number(id);
}

/** Moves one process's clock to `at` and ticks its scheduler there, as node-cron does each minute; waits for the runs. */
async function tickAt(app: App, jobs: JobTiming, at: string): Promise<void> {
  await jobs.clock.set(at);
  jobs.ticker.tick();
  await app.jobs.whenIdle();
}

/** The guild's scheduled events: start time and status, in start order. */
function events(bot: BotHarness): [string, GuildScheduledEventStatus][] {
  return bot.fake
    .scheduledEvents(GUILD)
    .map((event): [string, GuildScheduledEventStatus] => [event.scheduled_start_time, event.status])
    .sort(([a], [b]) => a.localeCompare(b));
}

function nightPosts(bot: BotHarness): APIMessage[] {
  return bot.fake.messagesIn(MOVIES).filter((message) => message.author.id === bot.fake.botUserId);
}

describe.each(kinds)('scheduled movie nights firing, on %s', (kind) => {
  let bot: BotHarness | undefined;
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });

  it.each([
    {
      zone: 'Europe/Berlin',
      change: 'spring forward on 29 March 2026 (UTC+1 → UTC+2)',
      created: '2026-03-21T12:00:00Z',
      // Sundays at 20:00: 19:00 UTC before the change, 18:00 UTC after it.
      before: '2026-03-22T19:00:00Z',
      after: '2026-03-29T18:00:00Z',
      wrongAfter: '2026-03-29T19:00:00Z',
    },
    {
      zone: 'America/New_York',
      change: 'fall back on 1 November 2026 (UTC−4 → UTC−5)',
      created: '2026-10-24T12:00:00Z',
      before: '2026-10-26T00:00:00Z',
      after: '2026-11-02T01:00:00Z',
      wrongAfter: '2026-11-02T00:00:00Z',
    },
  ])('posts at 20:00 local time in $zone on both sides of the $change', async (night) => {
    const jobs = timing(night.created);
    bot = await startBot(kind, jobs);
    const id = await schedule(bot, { day: 0, time: '20:00', timezone: night.zone });
    const minuteBefore = (at: string) => new Date(Date.parse(at) - 60_000).toISOString();

    await tickAt(bot.app, jobs, minuteBefore(night.before));
    expect(nightPosts(bot)).toHaveLength(0);
    await tickAt(bot.app, jobs, night.before);
    expect(nightPosts(bot)).toHaveLength(1);

    // The week of the change: the minute before and the UTC time of last week post nothing.
    for (const at of [minuteBefore(night.after), night.after, night.wrongAfter].sort()) {
      const posts = nightPosts(bot).length;
      await tickAt(bot.app, jobs, at);
      expect(nightPosts(bot).length - posts).toBe(at === night.after ? 1 : 0);
    }
    const runs = await bot.app.repos.jobRuns.list(`schedule:${id}`);
    expect(runs.map((run) => [run.dueAt.toISOString(), run.startedAt.toISOString(), run.outcome])).toEqual([
      [new Date(night.after).toISOString(), new Date(night.after).toISOString(), 'succeeded'],
      [new Date(night.before).toISOString(), new Date(night.before).toISOString(), 'succeeded'],
    ]);
    // Each night is one message, with mentions off, about the voice channel it is for.
    const posts = bot.fake.requestsTo('POST', `/channels/${MOVIES}/messages`);
    expect(posts).toHaveLength(2);
    expect(posts.map((request) => (request.body as { allowed_mentions?: unknown }).allowed_mentions)).toEqual([
      { parse: [] },
      { parse: [] },
    ]);
    // Nobody is in the voice channel: each night is a 🍿 call, a movie night for that voice channel.
    expect(nightPosts(bot)[0]?.content).toContain('🍿');
    const [nights] = await bot.app.database.sequelize.query(
      `SELECT COUNT(*) AS n FROM movie_nights WHERE voice_channel_id = '${CINEMA}'`,
    );
    expect(Number((nights as { n: number | string }[])[0]?.n)).toBe(2);
  });

  it('posts a night missed while the bot was down when it starts within 30 minutes, and skips it after', async () => {
    const jobs = timing('2026-12-01T12:00:00Z');
    bot = await startBot(kind, jobs);
    const id = await schedule(bot, { day: 5, time: '20:00', timezone: 'Europe/Berlin' });

    // Down from before Friday's 20:00 until 20:10 (no tick came): the new process catches the night up.
    await jobs.clock.set('2026-12-04T19:10:00Z');
    await bot.restart();
    await bot.app.jobs.whenIdle();
    expect(nightPosts(bot)).toHaveLength(1);
    // The night's Discord event was started, and the next Friday's created.
    expect(events(bot)).toEqual([
      ['2026-12-04T19:00:00.000Z', GuildScheduledEventStatus.Active],
      ['2026-12-11T19:00:00.000Z', GuildScheduledEventStatus.Scheduled],
    ]);

    // The next Friday it comes back at 20:31: too late for a movie night; logged and recorded, nothing posted.
    await jobs.clock.set('2026-12-11T19:31:00Z');
    await bot.restart();
    await bot.app.jobs.whenIdle();
    expect(nightPosts(bot)).toHaveLength(1);
    expect(bot.logs).toContainEqual(expect.objectContaining({ msg: 'slot skipped', job: `schedule:${id}` }));
    // The skipped night's event is gone; the one after it is listed.
    expect(events(bot)).toEqual([
      ['2026-12-04T19:00:00.000Z', GuildScheduledEventStatus.Active],
      ['2026-12-18T19:00:00.000Z', GuildScheduledEventStatus.Scheduled],
    ]);

    const runs = await bot.app.repos.jobRuns.list(`schedule:${id}`);
    expect(runs.map((run) => [run.dueAt.toISOString(), run.outcome, run.startedAt.toISOString()])).toEqual([
      ['2026-12-11T19:00:00.000Z', 'skipped', '2026-12-11T19:31:00.000Z'],
      ['2026-12-04T19:00:00.000Z', 'succeeded', '2026-12-04T19:10:00.000Z'],
    ]);

    // The week after, on time again.
    await tickAt(bot.app, jobs, '2026-12-18T19:00:00Z');
    expect(nightPosts(bot)).toHaveLength(2);
  });

  it('forgets a server’s schedules when the bot leaves it: nothing fires for them after', async () => {
    const jobs = timing('2026-12-01T12:00:00Z');
    bot = await startBot(kind, jobs);
    const id = await schedule(bot, { day: 5, time: '20:00', timezone: 'Europe/Berlin' });
    expect(bot.app.jobs.names()).toContain(`schedule:${id}`);

    bot.fake.removeGuild(GUILD);
    await bot.fake.waitUntil(() => bot?.logs.some((line) => line.msg === 'left guild; its data was deleted'));
    expect(await bot.app.repos.schedules.all()).toEqual([]);
    // The minute's read of the schedules drops its job.
    await jobs.clock.advance(60_000);
    await bot.app.jobs.whenIdle();
    expect(bot.app.jobs.names()).not.toContain(`schedule:${id}`);

    await tickAt(bot.app, jobs, '2026-12-04T19:00:00Z');
    expect(bot.fake.requestsTo('POST', `/channels/${MOVIES}/messages`)).toEqual([]);
    expect(await bot.app.repos.jobRuns.list(`schedule:${id}`)).toEqual([]);
  });
});

// Two bot processes on one SQLite file is not a supported setup (README, Database); on PostgreSQL it is.
describe.each(kinds.filter((kind) => kind === 'postgres'))('two bot processes sharing %s', (kind) => {
  let bot: BotHarness | undefined;
  afterEach(async () => {
    await bot?.close();
    bot = undefined;
  });

  it('post a scheduled night once, whichever fires first and however much later the other does', async () => {
    const first = timing('2026-12-01T12:00:00Z');
    bot = await startBot(kind, first);
    const id = await schedule(bot, { day: 5, time: '20:00', timezone: 'Europe/Berlin' });
    const second = timing('2026-12-01T12:00:00Z');
    // The second process reads the schedule from the database as it starts.
    const other = await bot.startInstance({ jobs: second });
    expect(other.jobs.names()).toContain(`schedule:${id}`);

    // Friday: the first process fires on the minute, the second 40 seconds later.
    await Promise.all([tickAt(bot.app, first, '2026-12-04T19:00:00Z'), tickAt(other, second, '2026-12-04T19:00:40Z')]);
    expect(nightPosts(bot)).toHaveLength(1);
    // Nobody was in voice: the night was a 🍿 call, which closes (nobody joined) five minutes later.
    await Promise.all([tickAt(bot.app, first, '2026-12-04T19:06:00Z'), tickAt(other, second, '2026-12-04T19:06:00Z')]);
    await vi.waitFor(async () => expect(await bot!.app.repos.movieNights.openInChannel(MOVIES)).toBeNull(), {
      timeout: 10_000,
      interval: 50,
    });

    // The next Friday the second process is first; the first fires after the second's run has finished.
    await tickAt(other, second, '2026-12-11T19:00:00Z');
    await tickAt(bot.app, first, '2026-12-11T19:00:40Z');
    expect(nightPosts(bot)).toHaveLength(2);

    const runs = await bot.app.repos.jobRuns.list(`schedule:${id}`);
    expect(runs.map((run) => [run.dueAt.toISOString(), run.outcome])).toEqual([
      ['2026-12-11T19:00:00.000Z', 'succeeded'],
      ['2026-12-04T19:00:00.000Z', 'succeeded'],
    ]);
  });
});
