import type { CoreDeps } from '../../context.js';
import { DuplicateScheduleError, type StoredSchedule } from '../../db/repositories/schedules.js';
import { UserFacingError } from '../../errors.js';
import { nextFireTime } from '../../jobs/cron.js';
import type { Logger } from '../../logger.js';
import { ALL_GROUP_STRATEGIES, type GroupStrategy } from '../../recommender/group-strategies.js';
import { canonicalTimeZone, matchTimeZones } from '../../time.js';
import type { NightEventCalendar, NightEventOutcome, ScheduledNight, ScheduledNightStarter } from './ports.js';
import {
  describeSlot,
  formatTimeOfDay,
  isWeekday,
  parseTimeOfDay,
  readWeeklyCron,
  weeklyCron,
  type WeeklySlot,
} from './weekly.js';

export type * from './ports.js';
export * from './weekly.js';

/** The strategies a schedule may name (the group recommender's), for the command's choices. */
export const SCHEDULE_STRATEGIES: readonly GroupStrategy[] = ALL_GROUP_STRATEGIES;

export interface ScheduleServiceOptions {
  /** Schedules one server may keep. */
  maxPerGuild?: number;
}

export const SCHEDULE_DEFAULTS = { maxPerGuild: 10 } as const satisfies Required<ScheduleServiceOptions>;

export interface ScheduleServiceDeps {
  /** Starts the night when a schedule fires (the movie-night use case, or the plain announcement). */
  starter: ScheduledNightStarter;
  /** Discord's scheduled events; without it schedules create none. */
  calendar?: NightEventCalendar | undefined;
}

/** A schedule as members see it: its weekly slot in its zone, where it posts, and when it next fires. */
export interface Schedule extends WeeklySlot {
  id: number;
  guildId: string;
  channelId: string;
  voiceChannelId: string | null;
  strategy: GroupStrategy | null;
  timeZone: string;
  /** `20:00`. */
  time: string;
  /** The Discord event of the next night, when Marquee could create one. */
  eventId: string | null;
  createdBy: string | null;
  /** The next night, as an instant. */
  nextAt: Date;
}

export interface ScheduleRequest {
  guildId: string;
  channelId: string;
  voiceChannelId: string | null;
  strategy: string | null;
  /** 0 = Sunday … 6 = Saturday, as cron counts. */
  weekday: number;
  /** `HH:MM`, 24 h. */
  time: string;
  timeZone: string;
  createdBy: string;
}

/** What became of the Discord event of a new schedule: `off` when the bot has no calendar at all. */
export type ScheduleEventOutcome = NightEventOutcome | { kind: 'off' };

export interface ScheduleCreated {
  schedule: Schedule;
  event: ScheduleEventOutcome;
}

export interface ScheduleRemoved {
  schedule: Schedule;
  /** Whether its Discord event was deleted: null when it had none. */
  eventCancelled: boolean | null;
}

/** What a run of a schedule's job gets from the jobs module. */
export interface ScheduleRunContext {
  dueAt: Date;
  signal: AbortSignal;
  log: Logger;
}

function toStrategy(strategy: string | null): GroupStrategy | null {
  return SCHEDULE_STRATEGIES.find((known) => known === strategy) ?? null;
}

function badTimeZone(input: string): UserFacingError {
  const shown = input.trim().slice(0, 64);
  const close = matchTimeZones(input);
  const hint = close.length > 0 ? ` Did you mean ${close.join(', ')}?` : '';
  return new UserFacingError(
    'bad-timezone',
    `"${shown}" is not a time zone Marquee knows.${hint} Use an IANA name such as Europe/Berlin, America/New_York or UTC (start typing a city and pick one).`,
  );
}

/**
 * Scheduled movie nights: a weekly slot per schedule, several per server (up to `maxPerGuild`). Each is a job of
 * the jobs module (src/jobs/definitions.ts), which fires it once at its local time however many processes run;
 * `fire` then starts the night through the `ScheduledNightStarter` port. Changes are told to `subscribe`rs (the
 * jobs module, which picks them up at once in this process; others re-read the table each minute).
 */
export function createScheduleService(
  { repos, clock }: Pick<CoreDeps, 'repos' | 'clock'>,
  { starter, calendar }: ScheduleServiceDeps,
  options: ScheduleServiceOptions = {},
) {
  const { maxPerGuild } = { ...SCHEDULE_DEFAULTS, ...options };
  const listeners = new Set<() => void>();
  const changed = () => {
    for (const listener of listeners) listener();
  };

  function view(stored: StoredSchedule, now = clock()): Schedule {
    const slot = readWeeklyCron(stored.cron);
    return {
      ...slot,
      id: stored.id,
      guildId: stored.guildId,
      channelId: stored.channelId,
      voiceChannelId: stored.voiceChannelId,
      strategy: toStrategy(stored.strategy),
      timeZone: stored.timeZone,
      time: formatTimeOfDay(slot),
      eventId: stored.eventId,
      createdBy: stored.createdBy,
      nextAt: nextFireTime(stored.cron, stored.timeZone, now),
    };
  }

  function night(stored: StoredSchedule, dueAt: Date): ScheduledNight {
    return {
      guildId: stored.guildId,
      channelId: stored.channelId,
      voiceChannelId: stored.voiceChannelId,
      strategy: toStrategy(stored.strategy),
      scheduleId: stored.id,
      dueAt,
    };
  }

  /** Creates the event of the night at `startsAt` and records it; an event whose schedule went meanwhile is deleted. */
  async function announce(stored: StoredSchedule, startsAt: Date): Promise<ScheduleEventOutcome> {
    if (!calendar) return { kind: 'off' };
    const outcome = await calendar.announce({
      guildId: stored.guildId,
      scheduleId: stored.id,
      channelId: stored.channelId,
      voiceChannelId: stored.voiceChannelId,
      startsAt,
    });
    const eventId = outcome.kind === 'created' ? outcome.eventId : null;
    if (!(await repos.schedules.setEventId(stored.id, eventId)) && eventId !== null) {
      await calendar.cancel(stored.guildId, eventId);
    }
    return outcome;
  }

  /**
   * After a slot: the night's own event is started (it ran) or deleted (it was skipped), and the event of the next
   * night is created, so the server's Events list always shows the coming one. Failures are logged, never thrown.
   */
  async function rollEvent(stored: StoredSchedule, dueAt: Date, ran: boolean, log: Logger): Promise<void> {
    if (!calendar) return;
    try {
      if (stored.eventId !== null) {
        if (ran) await calendar.begin(stored.guildId, stored.eventId);
        else await calendar.cancel(stored.guildId, stored.eventId);
      }
    } catch (error) {
      log.warn({ err: error, eventId: stored.eventId }, 'could not update the Discord event of this night');
    }
    try {
      const outcome = await announce(stored, nextFireTime(stored.cron, stored.timeZone, dueAt));
      if (outcome.kind !== 'created') log.warn({ outcome }, 'no Discord event for the next night');
    } catch (error) {
      log.warn({ err: error }, 'could not create the Discord event of the next night');
    }
  }

  return {
    maxPerGuild,

    /** Hears about every schedule created or removed in this process; returns the unsubscribe. */
    subscribe(listener: () => void): () => void {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },

    /** The server's schedules, the next to fire first. */
    async list(guildId: string): Promise<Schedule[]> {
      const now = clock();
      const rows = await repos.schedules.listForGuild(guildId);
      return rows.map((row) => view(row, now)).sort((a, b) => a.nextAt.getTime() - b.nextAt.getTime() || a.id - b.id);
    },

    /** Every schedule of every server (id, slot, zone, creation): what the jobs module schedules. */
    async all(): Promise<StoredSchedule[]> {
      return repos.schedules.all();
    },

    /**
     * Schedules a weekly night. Refuses, writing nothing, a weekday or time that is not one (`25:00`), a zone that is
     * not an IANA name (suggesting close ones), an unknown strategy, a slot the channel already has, and a server at
     * its limit. Channel checks (a text channel the bot can post in) and the member's Manage Server are Discord's,
     * made by the command before this. Then creates the Discord event of the first night, if it can.
     */
    async create(request: ScheduleRequest): Promise<ScheduleCreated> {
      if (!Number.isInteger(request.weekday) || !isWeekday(request.weekday)) {
        throw new UserFacingError('bad-weekday', 'Pick the day of the week from the list.');
      }
      const time = parseTimeOfDay(request.time);
      if (!time) {
        throw new UserFacingError(
          'bad-time',
          `"${request.time.trim().slice(0, 16)}" is not a time of day: give it as HH:MM on a 24-hour clock, e.g. 20:00 or 19:30.`,
        );
      }
      const timeZone = canonicalTimeZone(request.timeZone);
      if (!timeZone) throw badTimeZone(request.timeZone);
      if (request.strategy !== null && toStrategy(request.strategy) === null) {
        throw new UserFacingError(
          'bad-strategy',
          `"${request.strategy.slice(0, 32)}" is not a strategy: pick one of ${SCHEDULE_STRATEGIES.join(', ')}.`,
        );
      }
      const slot: WeeklySlot = { weekday: request.weekday, ...time };
      const now = clock();
      const stored = await repos.unitOfWork(async (tx) => {
        if ((await repos.schedules.countForGuild(request.guildId, { tx })) >= maxPerGuild) {
          throw new UserFacingError(
            'schedule-limit',
            `This server already has ${maxPerGuild} scheduled movie nights, the most Marquee keeps: remove one with /movienight unschedule first.`,
          );
        }
        // The guild and the member as every command records them (the schedule's foreign keys need both rows).
        await repos.guilds.touchMember(request.guildId, request.createdBy, now, { tx });
        try {
          return await repos.schedules.insert(
            {
              guildId: request.guildId,
              channelId: request.channelId,
              voiceChannelId: request.voiceChannelId,
              strategy: request.strategy,
              cron: weeklyCron(slot),
              timeZone,
              createdBy: request.createdBy,
              createdAt: now,
            },
            { tx },
          );
        } catch (error) {
          if (!(error instanceof DuplicateScheduleError)) throw error;
          throw new UserFacingError(
            'schedule-duplicate',
            `That channel already has a movie night ${describeSlot(slot)} (${timeZone}): see /movienight schedules.`,
            { cause: error },
          );
        }
      });
      changed();
      const schedule = view(stored, now);
      // The schedule stands whatever becomes of its event: the command tells the member.
      const event = await announce(stored, schedule.nextAt).catch((error: unknown): ScheduleEventOutcome => ({
        kind: 'failed',
        reason: String(error),
      }));
      return { schedule: { ...schedule, eventId: event.kind === 'created' ? event.eventId : null }, event };
    },

    /** Removes the server's schedule `id` (refused when the server has none of that id) and its Discord event. */
    async remove(guildId: string, id: number): Promise<ScheduleRemoved> {
      const removed = await repos.unitOfWork(async (tx) => {
        const stored = await repos.schedules.get(id, { tx });
        if (!stored || stored.guildId !== guildId) return null;
        await repos.schedules.delete(guildId, id, { tx });
        return stored;
      });
      if (!removed) {
        throw new UserFacingError(
          'schedule-missing',
          `This server has no scheduled movie night #${id}: /movienight schedules lists the ones it has.`,
        );
      }
      changed();
      let eventCancelled: boolean | null = null;
      if (calendar && removed.eventId !== null) {
        eventCancelled = await calendar.cancel(guildId, removed.eventId).then(
          () => true,
          () => false,
        );
      }
      return { schedule: view(removed), eventCancelled };
    },

    /**
     * A schedule's slot came (the jobs module calls this once per slot across processes): starts the night, then
     * moves its Discord event on. A schedule deleted since the job was read posts nothing.
     */
    async fire(id: number, { dueAt, signal, log }: ScheduleRunContext): Promise<void> {
      const stored = await repos.schedules.get(id);
      if (!stored) {
        log.info({ scheduleId: id }, 'schedule was deleted; nothing posted');
        return;
      }
      try {
        await starter.start(night(stored, dueAt), { signal });
      } finally {
        if (!signal.aborted) await rollEvent(stored, dueAt, true, log);
      }
    },

    /** A slot was skipped (the bot was down past the catch-up bound): only the Discord event moves on. */
    async skipped(id: number, { dueAt, log }: ScheduleRunContext): Promise<void> {
      const stored = await repos.schedules.get(id);
      if (stored) await rollEvent(stored, dueAt, false, log);
    },
  };
}

export type ScheduleService = ReturnType<typeof createScheduleService>;
