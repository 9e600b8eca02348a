import type { Logger } from '../../logger.js';
import { HOUR_MS, SECOND_MS } from '../../time.js';

/**
 * Waiting, injected: the app passes the jobs module's clock (src/jobs/clock.ts has the same shape), a test a manual
 * one, so a 10-minute poll or a one-second edit interval takes no real time.
 */
export interface Timers {
  /** Resolves once `ms` of this clock's time has passed, or at once when `signal` fires; never rejects. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

/** Long waits are cut into pieces of at most this (a timer over 2³¹ ms would fire at once), then re-armed. */
const MAX_SLEEP_MS = HOUR_MS;
/** Work still due right after a sweep (a step failed) is tried again after this, not in a tight loop. */
const RETRY_MS = 10 * SECOND_MS;

export interface DeadlineTimerDeps {
  clock: () => Date;
  timers: Timers;
  /** The earliest time work will be due (the repository's `nextDeadline`). */
  next: () => Promise<Date | null>;
  /** The sweep: does the work due, then arms the timer again. */
  onDue: () => Promise<void>;
  log: Logger;
}

/**
 * The in-process timer of the movie-night deadlines, armed to the earliest one known, so a poll closes on the
 * second rather than at the next minute's job; the job (src/jobs/movie-night-deadlines.ts) is what makes closing
 * survive a restart or a crash, and both call the same sweep.
 */
export function createDeadlineTimer({ clock, timers, next, onDue, log }: DeadlineTimerDeps) {
  let armed: { at: number; controller: AbortController } | null = null;
  let lastWakeAt = Number.NEGATIVE_INFINITY;
  let stopped = false;

  function wake(): void {
    armed = null;
    lastWakeAt = clock().getTime();
    onDue().catch((error: unknown) => log.error({ err: error }, 'movie-night deadline sweep failed'));
  }

  /** Reads the next deadline and waits for it, unless a wait for an earlier one is on. */
  async function arm(): Promise<void> {
    if (stopped) return;
    const at = (await next())?.getTime() ?? null;
    if (stopped) return;
    if (at === null) {
      armed?.controller.abort();
      armed = null;
      return;
    }
    if (armed !== null && armed.at <= at) return;
    armed?.controller.abort();
    const now = clock().getTime();
    const wait = (at > now ? at : Math.max(at, lastWakeAt + RETRY_MS)) - now;
    if (wait <= 0) return wake();
    const controller = new AbortController();
    armed = { at, controller };
    void timers.sleep(Math.min(wait, MAX_SLEEP_MS), controller.signal).then(() => {
      if (controller.signal.aborted) return;
      if (wait > MAX_SLEEP_MS) {
        armed = null;
        void arm();
        return;
      }
      wake();
    });
  }

  return {
    arm,

    stop(): void {
      stopped = true;
      armed?.controller.abort();
      armed = null;
    },
  };
}

export interface CardRefresherDeps {
  clock: () => Date;
  timers: Timers;
  /** At most one edit of a card per this many milliseconds. */
  intervalMs: number;
  /** Renders the card from what is stored now and edits it. */
  refresh: (nightId: number) => Promise<void>;
  log: Logger;
}

/**
 * Live counts on the poll card, at most one edit per `intervalMs` per card: a change that comes sooner waits for
 * the interval, and every change made meanwhile lands in that one edit (it renders what is stored when it runs).
 */
export function createCardRefresher({ clock, timers, intervalMs, refresh, log }: CardRefresherDeps) {
  const cards = new Map<number, { lastAt: number; queued: boolean; chain: Promise<void> }>();
  const stopping = new AbortController();

  return {
    /** Asks for an edit of the card; resolves once the edit that covers this change is done. */
    request(nightId: number): Promise<void> {
      let card = cards.get(nightId);
      if (!card) {
        card = { lastAt: Number.NEGATIVE_INFINITY, queued: false, chain: Promise.resolve() };
        cards.set(nightId, card);
      }
      if (card.queued || stopping.signal.aborted) return card.chain;
      const entry = card;
      entry.queued = true;
      entry.chain = entry.chain.then(async () => {
        const wait = entry.lastAt + intervalMs - clock().getTime();
        if (wait > 0) await timers.sleep(wait, stopping.signal);
        // Changes from here on need another edit: this one may have read the database before them.
        entry.queued = false;
        if (stopping.signal.aborted) return;
        entry.lastAt = clock().getTime();
        await refresh(nightId).catch((error: unknown) =>
          log.warn({ err: error, nightId }, 'could not edit the movie-night card'),
        );
      });
      return entry.chain;
    },

    /** The card will not change again (closed, cancelled): its state goes once its last edit is done. */
    forget(nightId: number): void {
      const card = cards.get(nightId);
      if (!card) return;
      void card.chain.then(() => {
        if (cards.get(nightId) === card && !card.queued) cards.delete(nightId);
      });
    },

    /** Resolves once no edit is waiting or running. */
    async whenIdle(): Promise<void> {
      while ([...cards.values()].some((card) => card.queued)) {
        await Promise.all([...cards.values()].map((card) => card.chain));
      }
      await Promise.all([...cards.values()].map((card) => card.chain));
    },

    stop(): void {
      stopping.abort();
    },
  };
}

export type DeadlineTimer = ReturnType<typeof createDeadlineTimer>;
export type CardRefresher = ReturnType<typeof createCardRefresher>;
