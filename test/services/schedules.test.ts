import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/logger.js';
import { createPrivacyService } from '../../src/services/privacy.js';
import {
  createScheduleService,
  type NightEvent,
  type NightEventCalendar,
  type NightEventOutcome,
  type ScheduleRequest,
  type ScheduleService,
  type ScheduledNight,
} from '../../src/services/schedules/index.js';
import { snowflake } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { createFilmTestCore, recordingTaste, type FilmTestCore } from '../support/film-support.js';

const silent = createLogger({ level: 'silent' });
const GUILD = snowflake(1);
const OTHER_GUILD = snowflake(2);
const MOVIES = snowflake(11);
const LOUNGE = snowflake(12);
const CINEMA = snowflake(13);
const ADMIN = snowflake(21);
const WEEK_MS = 7 * 86_400_000;

/** A calendar that records what it was asked and answers `created` with numbered ids, or what the test sets. */
function recordingCalendar() {
  const calls: string[] = [];
  const announced: NightEvent[] = [];
  let next = 0;
  let answer: NightEventOutcome | undefined;
  const calendar: NightEventCalendar = {
    async announce(night) {
      announced.push(night);
      calls.push(`announce:${night.startsAt.toISOString()}`);
      return answer ?? { kind: 'created', eventId: `event-${++next}` };
    },
    async begin(_guildId, eventId) {
      calls.push(`begin:${eventId}`);
    },
    async cancel(_guildId, eventId) {
      calls.push(`cancel:${eventId}`);
    },
  };
  return {
    calendar,
    calls,
    announced,
    answer(outcome: NightEventOutcome) {
      answer = outcome;
    },
  };
}

describe.each(databaseKinds())('schedule service on %s', (kind) => {
  let film: FilmTestCore;
  let schedules: ScheduleService;
  let started: ScheduledNight[];
  let starterFails: Error | null;
  let events: ReturnType<typeof recordingCalendar>;
  let changes: number;
  // A Tuesday in December: Berlin is at UTC+1.
  const now = new Date('2026-12-01T12:00:00Z');

  const request = (overrides: Partial<ScheduleRequest> = {}): ScheduleRequest => ({
    guildId: GUILD,
    channelId: MOVIES,
    voiceChannelId: CINEMA,
    strategy: null,
    weekday: 5,
    time: '20:00',
    timeZone: 'Europe/Berlin',
    createdBy: ADMIN,
    ...overrides,
  });

  function build(maxPerGuild = 10) {
    schedules = createScheduleService(
      film.core,
      {
        starter: {
          async start(night) {
            started.push(night);
            if (starterFails) throw starterFails;
          },
        },
        calendar: events.calendar,
      },
      { maxPerGuild },
    );
    schedules.subscribe(() => {
      changes += 1;
    });
  }

  async function expectNothingWritten(): Promise<void> {
    expect(await film.count('schedules')).toBe(0);
    expect(await film.count('guild_members')).toBe(0);
    expect(changes).toBe(0);
    expect(events.calls).toEqual([]);
  }

  beforeAll(async () => {
    film = await createFilmTestCore(kind, now);
  });
  afterAll(() => film.destroy());
  beforeEach(async () => {
    await film.reset();
    started = [];
    starterFails = null;
    events = recordingCalendar();
    changes = 0;
    build();
  });

  it('schedules a weekly night at its local time, creates the event of the first night and tells subscribers', async () => {
    const { schedule, event } = await schedules.create(request({ timeZone: 'europe/berlin', strategy: 'borda' }));

    expect(schedule).toMatchObject({
      guildId: GUILD,
      channelId: MOVIES,
      voiceChannelId: CINEMA,
      strategy: 'borda',
      weekday: 5,
      hour: 20,
      minute: 0,
      time: '20:00',
      timeZone: 'Europe/Berlin',
      createdBy: ADMIN,
      eventId: 'event-1',
      // Friday 4 December, 20:00 in Berlin (UTC+1).
      nextAt: new Date('2026-12-04T19:00:00Z'),
    });
    expect(event).toEqual({ kind: 'created', eventId: 'event-1' });
    expect(events.announced).toEqual([
      { guildId: GUILD, scheduleId: schedule.id, channelId: MOVIES, voiceChannelId: CINEMA, startsAt: schedule.nextAt },
    ]);
    const [stored] = await film.core.repos.schedules.all();
    expect(stored).toMatchObject({ cron: '0 20 * * 5', timeZone: 'Europe/Berlin', eventId: 'event-1' });
    expect(changes).toBe(1);
    expect(await schedules.list(GUILD)).toEqual([schedule]);
  });

  it('works out the next night in local time across a daylight-saving change', async () => {
    film.setNow(new Date('2026-03-28T12:00:00Z'));
    const { schedule } = await schedules.create(request({ weekday: 0, time: '20:30' }));
    // Sunday 29 March: Berlin moved to UTC+2 at 02:00 that morning.
    expect(schedule.nextAt).toEqual(new Date('2026-03-29T18:30:00Z'));
  });

  it.each([
    ['25:00', 'bad-time', /"25:00" is not a time of day: give it as HH:MM on a 24-hour clock/],
    ['20:60', 'bad-time', /"20:60" is not a time of day/],
    ['8pm', 'bad-time', /"8pm" is not a time of day/],
  ])('refuses the time %s, writing nothing', async (time, code, message) => {
    await expect(schedules.create(request({ time }))).rejects.toMatchObject({
      code,
      message: expect.stringMatching(message),
    });
    await expectNothingWritten();
  });

  it('refuses a zone that is none, suggesting close names for a typo and none for Mars, writing nothing', async () => {
    const mars = schedules.create(request({ timeZone: 'Mars/Olympus' }));
    await expect(mars).rejects.toMatchObject({
      code: 'bad-timezone',
      message:
        '"Mars/Olympus" is not a time zone Marquee knows. Use an IANA name such as Europe/Berlin, America/New_York or UTC (start typing a city and pick one).',
    });
    await expect(schedules.create(request({ timeZone: 'Europe/Berln' }))).rejects.toMatchObject({
      code: 'bad-timezone',
      message: expect.stringContaining('Did you mean Europe/Berlin?'),
    });
    await expectNothingWritten();
  });

  it('refuses a weekday or strategy that is none (a crafted payload), writing nothing', async () => {
    await expect(schedules.create(request({ weekday: 7 }))).rejects.toMatchObject({ code: 'bad-weekday' });
    await expect(schedules.create(request({ strategy: 'dictatorship' }))).rejects.toMatchObject({
      code: 'bad-strategy',
      message: expect.stringContaining('average, least_misery'),
    });
    await expectNothingWritten();
  });

  it('refuses a slot the channel already has, but takes it in another channel', async () => {
    await schedules.create(request());
    await expect(schedules.create(request({ voiceChannelId: null }))).rejects.toMatchObject({
      code: 'schedule-duplicate',
      message: 'That channel already has a movie night Fridays at 20:00 (Europe/Berlin): see /movienight schedules.',
    });
    expect(await film.count('schedules')).toBe(1);
    await schedules.create(request({ channelId: LOUNGE }));
    expect(await film.count('schedules')).toBe(2);
  });

  it('keeps a server to its limit of schedules, counting only that server', async () => {
    build(2);
    await schedules.create(request({ weekday: 5 }));
    await schedules.create(request({ weekday: 6 }));
    await schedules.create(request({ guildId: OTHER_GUILD, weekday: 6 }));
    await expect(schedules.create(request({ weekday: 0 }))).rejects.toMatchObject({
      code: 'schedule-limit',
      message: expect.stringContaining('already has 2 scheduled movie nights'),
    });
    expect((await schedules.list(GUILD)).map((s) => s.weekday)).toEqual([5, 6]);
  });

  it('keeps the schedule when the bot may not create events, and says so', async () => {
    events.answer({ kind: 'not-allowed' });
    const { schedule, event } = await schedules.create(request());
    expect(event).toEqual({ kind: 'not-allowed' });
    expect(schedule.eventId).toBeNull();
    expect(await film.count('schedules')).toBe(1);
  });

  it('lists a server’s schedules by their next night', async () => {
    await schedules.create(request({ weekday: 6, time: '18:00' }));
    await schedules.create(request({ weekday: 3, time: '21:00' }));
    await schedules.create(request({ guildId: OTHER_GUILD }));
    expect((await schedules.list(GUILD)).map((s) => [s.weekday, s.time])).toEqual([
      [3, '21:00'],
      [6, '18:00'],
    ]);
  });

  it('removes a schedule and deletes its event; refuses one that does not exist or is another server’s', async () => {
    const { schedule } = await schedules.create(request());
    const theirs = await schedules.create(request({ guildId: OTHER_GUILD }));
    changes = 0;

    await expect(schedules.remove(GUILD, theirs.schedule.id)).rejects.toMatchObject({ code: 'schedule-missing' });
    await expect(schedules.remove(GUILD, 999)).rejects.toMatchObject({
      code: 'schedule-missing',
      message: 'This server has no scheduled movie night #999: /movienight schedules lists the ones it has.',
    });
    expect(changes).toBe(0);

    const removed = await schedules.remove(GUILD, schedule.id);
    expect(removed).toMatchObject({ schedule: { id: schedule.id }, eventCancelled: true });
    expect(events.calls).toContain(`cancel:${schedule.eventId}`);
    expect(await schedules.list(GUILD)).toEqual([]);
    expect(await schedules.list(OTHER_GUILD)).toHaveLength(1);
    expect(changes).toBe(1);
  });

  describe('when a schedule fires', () => {
    const dueAt = new Date('2026-12-04T19:00:00Z');
    const context = () => ({ dueAt, signal: new AbortController().signal, log: silent });

    it('starts the night once, then starts its event and creates the next night’s a week on', async () => {
      const { schedule } = await schedules.create(request({ strategy: 'gfar' }));
      events.calls.length = 0;
      await schedules.fire(schedule.id, context());

      expect(started).toEqual([
        { guildId: GUILD, channelId: MOVIES, voiceChannelId: CINEMA, strategy: 'gfar', scheduleId: schedule.id, dueAt },
      ]);
      expect(events.calls).toEqual(['begin:event-1', `announce:${new Date(dueAt.getTime() + WEEK_MS).toISOString()}`]);
      expect((await film.core.repos.schedules.get(schedule.id))?.eventId).toBe('event-2');
    });

    it('posts nothing for a schedule deleted since its job was read', async () => {
      const { schedule } = await schedules.create(request());
      await schedules.remove(GUILD, schedule.id);
      await schedules.fire(schedule.id, context());
      expect(started).toEqual([]);
    });

    it('still moves the event on when the night could not be started, and fails the run', async () => {
      const { schedule } = await schedules.create(request());
      starterFails = new Error('Missing Permissions');
      await expect(schedules.fire(schedule.id, context())).rejects.toThrow('Missing Permissions');
      expect((await film.core.repos.schedules.get(schedule.id))?.eventId).toBe('event-2');
    });

    it('deletes the event of a skipped night and creates the next one', async () => {
      const { schedule } = await schedules.create(request());
      events.calls.length = 0;
      await schedules.skipped(schedule.id, context());
      expect(started).toEqual([]);
      expect(events.calls).toEqual(['cancel:event-1', `announce:${new Date(dueAt.getTime() + WEEK_MS).toISOString()}`]);
    });
  });

  it('belongs to the server: the member who made it is in their export, and deleting their data only unlinks them', async () => {
    const { schedule } = await schedules.create(request());
    const privacy = createPrivacyService(film.core, recordingTaste());
    expect((await privacy.export(ADMIN)).schedulesCreated).toMatchObject([
      { scheduleId: schedule.id, guildId: GUILD, channelId: MOVIES, cron: '0 20 * * 5', timezone: 'Europe/Berlin' },
    ]);
    await privacy.deleteEverything(ADMIN);
    expect(await schedules.list(GUILD)).toMatchObject([{ id: schedule.id, createdBy: null }]);
  });

  it('goes with its server: deleting the guild’s data deletes its schedules', async () => {
    await schedules.create(request());
    await film.core.repos.guilds.delete(GUILD);
    expect(await film.count('schedules')).toBe(0);
  });
});
