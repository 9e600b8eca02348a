import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { z } from 'zod';
import { sleep as realSleep } from '../deadline.js';
import type { Logger } from '../logger.js';
import {
  cacheEventSchema,
  type CacheEvent,
  type CacheEventBus,
  type CacheEventHandler,
} from '../services/cache-events.js';

/** The PostgreSQL channel Marquee's processes announce their changes on. */
export const CACHE_CHANNEL = 'marquee_cache';
/** How the listening connection shows in `pg_stat_activity` (an operator, or a test, can find it by this). */
export const CACHE_LISTENER_NAME = 'marquee-cache-events';

export interface CacheNotificationsOptions {
  url: string;
  logger: Logger;
  /** What this process does with the changes of the others, and with a lost connection. */
  handler: CacheEventHandler;
  /** Waits between reconnection attempts, the last one repeating; default 1, 2, 5, 10, then every 30 s. */
  retryDelaysMs?: readonly number[];
  /** Injected so tests move time instead of waiting. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

export interface CacheNotifications extends CacheEventBus {
  /** Connects and LISTENs; a failure is logged and retried in the background (the TTL covers meanwhile). */
  start(): Promise<void>;
  stop(): Promise<void>;
  /** Whether changes of other processes are being heard now. */
  readonly listening: boolean;
}

const envelopeSchema = z.object({ origin: z.string(), event: cacheEventSchema });

/**
 * Cross-process cache invalidation over PostgreSQL's LISTEN/NOTIFY. Each change this process commits is sent as
 * `{ origin, event }` on CACHE_CHANNEL through a connection of its own that also LISTENs; every other process applies
 * it to its caches (its own echo is ignored by origin). When that connection is lost, changes may be missed: the
 * caches are dropped at once, the connection is made again (with back-off), and they are dropped once more after
 * LISTEN is back, since whatever was cached in the gap may have missed a change. A NOTIFY lost some other way (the
 * sender died between its commit and the NOTIFY) is covered by the caches' TTL.
 */
export function createCacheNotifications({
  url,
  logger,
  handler,
  retryDelaysMs = [1_000, 2_000, 5_000, 10_000, 30_000],
  sleep = (ms, signal) => realSleep(ms, signal).catch(() => undefined),
}: CacheNotificationsOptions): CacheNotifications {
  const log = logger.child({ component: 'cache-events' });
  const origin = randomUUID();
  const stopping = new AbortController();
  let current: pg.Client | undefined;
  let reconnecting: Promise<void> | undefined;

  function onNotification(message: pg.Notification): void {
    if (message.channel !== CACHE_CHANNEL) return;
    let parsed: z.infer<typeof envelopeSchema>;
    try {
      parsed = envelopeSchema.parse(JSON.parse(message.payload ?? ''));
    } catch (error) {
      log.warn({ err: error }, 'ignored a cache notification that is not one of ours');
      return;
    }
    if (parsed.origin === origin) return;
    log.debug({ kind: parsed.event.kind }, 'heard a change another process made');
    try {
      handler.heard(parsed.event);
    } catch (error) {
      log.error({ err: error, event: parsed.event }, 'could not apply a change another process made');
    }
  }

  async function connect(): Promise<void> {
    const client = new pg.Client({ connectionString: url, application_name: CACHE_LISTENER_NAME });
    client.on('notification', onNotification);
    client.on('error', (error) => lost(client, error));
    client.on('end', () => lost(client));
    try {
      await client.connect();
      await client.query(`LISTEN ${CACHE_CHANNEL}`);
    } catch (error) {
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw error;
    }
    if (stopping.signal.aborted) {
      await client.end().catch(() => undefined);
      return;
    }
    current = client;
  }

  function lost(client: pg.Client, error?: Error): void {
    if (client !== current || stopping.signal.aborted) return;
    current = undefined;
    log.warn({ err: error }, 'lost the connection that brings other processes’ changes; caches dropped, reconnecting');
    handler.lost();
    reconnect();
  }

  function reconnect(): void {
    reconnecting ??= (async () => {
      for (let attempt = 0; !stopping.signal.aborted; attempt++) {
        await sleep(retryDelaysMs[Math.min(attempt, retryDelaysMs.length - 1)] ?? 30_000, stopping.signal);
        if (stopping.signal.aborted) return;
        try {
          await connect();
          // Whatever was cached while nothing was heard may have missed a change.
          handler.lost();
          log.info('listening to other processes’ changes again');
          return;
        } catch (error) {
          log.warn({ err: error, attempt: attempt + 1 }, 'could not listen to other processes’ changes yet');
        }
      }
    })().finally(() => {
      reconnecting = undefined;
    });
  }

  return {
    async start() {
      try {
        await connect();
      } catch (error) {
        log.warn({ err: error }, 'could not listen to other processes’ changes; retrying (caches expire meanwhile)');
        reconnect();
      }
    },

    publish(event: CacheEvent) {
      const client = current;
      if (!client) {
        log.debug({ event }, 'not connected: other processes learn of this change when their caches expire');
        return;
      }
      client
        .query('SELECT pg_notify($1, $2)', [CACHE_CHANNEL, JSON.stringify({ origin, event })])
        .catch((error: unknown) => log.warn({ err: error }, 'could not announce a change to other processes'));
    },

    async stop() {
      stopping.abort();
      const client = current;
      current = undefined;
      await reconnecting;
      await client?.end().catch(() => undefined);
    },

    get listening() {
      return current !== undefined;
    },
  };
}
