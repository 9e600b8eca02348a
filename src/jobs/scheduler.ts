import type { Logger } from '../logger.js';
import type { Clock } from './clock.js';
import { nextFireTime, parseCron, previousFireTime, type CronSchedule } from './cron.js';
import { isTimeZone } from './time-zone.js';

/**
 * The scheduler port: says when, and nothing else. `run` receives the slot it fires for (the instant
 * the expression names, not the moment the timer woke), so every process names a slot the same way and
 * the durable claim on (job, slot) can keep it to one run.
 */
export interface Scheduler {
  /** Calls `run(dueAt)` at each fire time after now; throws at once on a bad expression or zone. */
  schedule(name: string, cronExpression: string, timeZone: string, run: (dueAt: Date) => void): void;
  /** No `run` of that name is called after this. False when nothing of that name was scheduled. */
  unschedule(name: string): boolean;
  /** No `run` is called after this. Does not wait for runs in progress: the job runner does. */
  stop(): void;
}

/** Something that wakes the scheduler on every minute boundary: node-cron in production, a test's hand. */
export interface Ticker {
  start(onTick: () => void): void;
  stop(): void;
}

export interface CronSchedulerOptions {
  ticker: Ticker;
  clock: Clock;
  logger: Logger;
}

interface Entry {
  name: string;
  schedule: CronSchedule;
  timeZone: string;
  run: (dueAt: Date) => void;
  next: Date;
}

/**
 * Fires from the pure `nextFireTime`/`previousFireTime`, woken by a ticker each minute. Every slot is a
 * whole minute in every zone (offsets are whole minutes), so a tick lands on it. A tick that comes late
 * fires the latest slot that has passed; slots skipped over in between are logged, not run.
 */
export function createCronScheduler({ ticker, clock, logger }: CronSchedulerOptions): Scheduler {
  const entries = new Map<string, Entry>();
  let ticking = false;
  let stopped = false;

  function onTick(): void {
    if (stopped) return;
    const now = clock.now();
    for (const entry of entries.values()) {
      if (entry.next.getTime() > now.getTime()) continue;
      const dueAt = previousFireTime(entry.schedule, entry.timeZone, now);
      if (dueAt.getTime() > entry.next.getTime()) {
        logger.warn(
          { job: entry.name, firstMissed: entry.next, dueAt },
          'scheduler woke late; earlier slots were passed over',
        );
      }
      entry.next = nextFireTime(entry.schedule, entry.timeZone, now);
      try {
        entry.run(dueAt);
      } catch (error) {
        logger.error({ err: error, job: entry.name, dueAt }, 'scheduled run threw');
      }
    }
  }

  return {
    schedule(name, cronExpression, timeZone, run) {
      if (stopped) throw new Error(`scheduler stopped; cannot schedule ${name}`);
      if (entries.has(name)) throw new Error(`job ${name} is scheduled twice`);
      if (!isTimeZone(timeZone)) throw new RangeError(`job ${name}: unknown time zone "${timeZone}"`);
      const schedule = parseCron(cronExpression);
      const next = nextFireTime(schedule, timeZone, clock.now());
      entries.set(name, { name, schedule, timeZone, run, next });
      logger.debug({ job: name, cron: cronExpression, timeZone, next }, 'scheduled');
      if (!ticking) {
        ticking = true;
        ticker.start(onTick);
      }
    },
    unschedule(name) {
      const removed = entries.delete(name);
      if (removed) logger.debug({ job: name }, 'unscheduled');
      return removed;
    },
    stop() {
      if (stopped) return;
      stopped = true;
      entries.clear();
      if (ticking) ticker.stop();
    },
  };
}
