import cron, { type Logger as NodeCronLogger, type ScheduledTask } from 'node-cron';
import type { Logger } from '../logger.js';
import { createSystemClock, type Clock } from './clock.js';
import { createCronScheduler, type Scheduler, type Ticker } from './scheduler.js';

/**
 * node-cron as the minute tick, in UTC. Why not hand node-cron each job's expression and zone: node-cron
 * 4.6 drops a local time that a spring-forward change skips (a daily 02:30 job does not run that day), and
 * picks a repeated autumn time by the sign of the zone's offset (Europe/Berlin: the second 02:30;
 * America/New_York: the first 01:30), so processes and zones would disagree about which slot is due.
 * `nextFireTime` decides instead; UTC has no such changes, and test/jobs/node-cron.test.ts runs this
 * adapter under fake timers across all four changes.
 */
export function createNodeCronTicker(logger: Logger): Ticker {
  const log: NodeCronLogger = {
    info: (message) => logger.debug({ component: 'node-cron' }, message),
    warn: (message) => logger.warn({ component: 'node-cron' }, message),
    error: (message, err) => logger.error({ component: 'node-cron', err: err ?? message }, 'node-cron error'),
    debug: (message) => logger.debug({ component: 'node-cron' }, String(message)),
  };
  let task: ScheduledTask | undefined;
  return {
    start(onTick) {
      task = cron.createTask('* * * * *', () => onTick(), {
        name: 'marquee-jobs',
        timezone: 'UTC',
        logger: log,
        // node-cron drops a tick that wakes more than this late; the next tick would then fire the slot late.
        missedExecutionTolerance: 30_000,
      });
      void task.start();
    },
    stop() {
      void task?.destroy();
      task = undefined;
    },
  };
}

export interface NodeCronSchedulerOptions {
  logger: Logger;
  clock?: Clock;
}

/** The production scheduler. */
export function createNodeCronScheduler({ logger, clock = createSystemClock() }: NodeCronSchedulerOptions): Scheduler {
  return createCronScheduler({ ticker: createNodeCronTicker(logger), clock, logger });
}
