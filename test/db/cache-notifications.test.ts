import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CACHE_CHANNEL,
  CACHE_LISTENER_NAME,
  createCacheNotifications,
  type CacheNotifications,
} from '../../src/db/cache-notifications.js';
import { createLogger } from '../../src/logger.js';
import type { CacheEvent } from '../../src/services/cache-events.js';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../support/databases.js';

const silent = createLogger({ level: 'silent' });

/** A process's side: what it heard, how often it dropped its caches, and its reconnect waits, released by the test. */
function listener() {
  const heard: CacheEvent[] = [];
  let drops = 0;
  const waits: (() => void)[] = [];
  return {
    heard,
    get drops() {
      return drops;
    },
    get waiting() {
      return waits.length;
    },
    handler: { heard: (event: CacheEvent) => void heard.push(event), lost: () => void drops++ },
    sleep: () => new Promise<void>((resolve) => waits.push(resolve)),
    release: () => waits.splice(0).forEach((wake) => wake()),
  };
}

async function until(check: () => boolean, description: string): Promise<void> {
  for (let attempt = 0; attempt < 2_000; attempt++) {
    if (check()) return;
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
  throw new Error(`timed out waiting for ${description}`);
}

// LISTEN/NOTIFY is PostgreSQL's; on SQLite one process owns the data and nothing is announced.
describe.each(databaseKinds().filter((kind) => kind === 'postgres'))('cache notifications on %s', (kind) => {
  let database: TestDatabase;
  let url: string;
  const a = listener();
  const b = listener();
  let sender: CacheNotifications;
  let receiver: CacheNotifications;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    url = database.target.url;
    sender = createCacheNotifications({ url, logger: silent, handler: a.handler, sleep: a.sleep });
    receiver = createCacheNotifications({ url, logger: silent, handler: b.handler, sleep: b.sleep });
    await Promise.all([sender.start(), receiver.start()]);
  });
  afterAll(async () => {
    await Promise.all([sender.stop(), receiver.stop()]);
    await database.destroy();
  });

  it('delivers what one process announces to the other, and not back to itself', async () => {
    const event: CacheEvent = { kind: 'rating', userId: '830000000000000801', movieId: 603, score: 4.5 };
    sender.publish(event);
    await until(() => b.heard.length === 1, 'the other process to hear');
    expect(b.heard).toEqual([event]);
    expect(a.heard).toEqual([]);
  });

  it('ignores a payload on the channel that is not one of ours', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query('SELECT pg_notify($1, $2)', [CACHE_CHANNEL, '{"origin":"x","event":{"kind":"drop tables"}}']);
    await client.end();
    sender.publish({ kind: 'settings', userId: '830000000000000802' });
    await until(() => b.heard.length === 2, 'the next real event');
    expect(b.heard[1]).toEqual({ kind: 'settings', userId: '830000000000000802' });
  });

  it('drops the caches when its connection is lost, re-subscribes, drops them again, then hears again', async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    await client.query(
      'SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND pid <> pg_backend_pid()',
      [CACHE_LISTENER_NAME],
    );
    await client.end();

    await until(() => b.drops === 1 && b.waiting === 1, 'the loss to be noticed');
    expect(receiver.listening).toBe(false);
    // Nothing heard meanwhile is lost for good: the caches were dropped, and what was announced is in the database.
    a.release();
    b.release();
    await until(() => receiver.listening && b.drops === 2, 'the receiver to listen again');
    await until(() => sender.listening, 'the sender to listen again');

    sender.publish({ kind: 'forget', userId: '830000000000000803' });
    await until(() => b.heard.length === 3, 'an event after re-subscribing');
    expect(b.heard[2]).toEqual({ kind: 'forget', userId: '830000000000000803' });
  });
});
