import { QueryTypes } from 'sequelize';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { fakeFilms, startFakeTmdb, type FakeTmdb, type InteractionHandle } from '../../local-discord/index.js';
import { createLogger } from '../../src/logger.js';
import { createShutdown } from '../../src/shutdown.js';
import { startBotHarness, type BotHarness } from '../support/bot-harness.js';
import { snowflake } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';

const GUILD = '810000000000000701';
const CHANNEL = '820000000000000701';
const MEMBERS = Array.from({ length: 40 }, (_, index) => snowflake(700 + index));
const films = fakeFilms(12);

describe.each(databaseKinds())('a crowd at once, on %s', (kind) => {
  let tmdb: FakeTmdb;
  let bot: BotHarness;

  beforeAll(async () => {
    tmdb = await startFakeTmdb({ films });
  });
  afterAll(() => tmdb.close());
  beforeEach(async () => {
    bot = await startBotHarness({
      kind,
      tmdb,
      guilds: [{ id: GUILD, channels: [{ id: CHANNEL }], members: MEMBERS.map((id) => ({ id })) }],
    });
  });
  afterEach(() => bot.close());

  const rate = (userId: string, filmIndex: number, stars: number): InteractionHandle =>
    bot.fake.slash({
      guildId: GUILD,
      channelId: CHANNEL,
      userId,
      name: 'rate',
      options: { movie: String(films[filmIndex]!.id), stars },
    });
  const count = async (sql: string, replacements: Record<string, unknown> = {}) => {
    const [row] = await bot.app.database.sequelize.query<{ n: string | number }>(sql, {
      type: QueryTypes.SELECT,
      replacements,
    });
    return Number(row?.n);
  };
  /** Ratings stored without the diary entry written in the same unit of work. */
  const halfWritten = () =>
    count(`SELECT COUNT(*) AS n FROM ratings r
            WHERE NOT EXISTS (SELECT 1 FROM watch_log w WHERE w.user_id = r.user_id AND w.movie_id = r.movie_id)`);

  it('answers 30 members who rate at once, each in time, and stores 30 ratings', async () => {
    const handles = MEMBERS.slice(0, 30).map((userId, index) => rate(userId, index % films.length, 4));

    const edits = await Promise.all(handles.map((handle) => handle.waitFor('edit', 15_000)));

    // The fake Discord refuses a callback after 3 s: a recorded callback was in time.
    for (const handle of handles) {
      expect(handle.callbacks).toHaveLength(1);
      expect(handle.events.filter((event) => event.kind === 'rejected')).toEqual([]);
    }
    for (const edit of edits) expect(edit.message.content).toMatch(/^You rated /);
    expect(await count('SELECT COUNT(*) AS n FROM ratings')).toBe(30);
    expect(await count('SELECT COUNT(*) AS n FROM watch_log')).toBe(30);
    expect(await halfWritten()).toBe(0);
  });

  it('keeps one rating, of one of them, when a member rates a film 2★ and 4★ at once', async () => {
    const [member] = MEMBERS;
    const handles = [rate(member!, 0, 2), rate(member!, 0, 4)];

    const edits = await Promise.all(handles.map((handle) => handle.waitFor('edit', 15_000)));

    expect(edits.map((edit) => edit.message.content)).toEqual([
      expect.stringMatching(/^You rated /),
      expect.stringMatching(/^You rated /),
    ]);
    const stored = await bot.app.repos.ratings.listByUser(member!);
    expect(stored).toHaveLength(1);
    expect([2, 4]).toContain(stored[0]?.score);
    // The first rating logs the film as watched; the other finds it logged.
    expect(await count('SELECT COUNT(*) AS n FROM watch_log WHERE user_id = :member', { member })).toBe(1);
  });

  it('drains on SIGTERM during a burst: every confirmed rating stored, nothing half-written, then exits', async () => {
    const events: string[] = [];
    const exit = vi.fn<(code: number) => void>((code) => void events.push(`exit ${code}`));
    const { app } = bot;
    const close = app.database.close.bind(app.database);
    app.database.close = async () => {
      events.push('database closed');
      await close();
    };
    const destroy = app.client.destroy.bind(app.client);
    app.client.destroy = async () => {
      await destroy();
      events.push('gateway closed');
    };
    // The deadline is injected: it fires only if the test says so, so nothing here waits on a real 9 s.
    const deadline = vi.fn(
      (_ms: number, signal: AbortSignal) =>
        new Promise<void>((resolve) => signal.addEventListener('abort', () => resolve())),
    );
    const shutdown = createShutdown({
      steps: [{ name: 'bot', run: () => app.stop() }],
      timeoutMs: 9_000,
      exit,
      logger: createLogger({ level: 'silent' }),
      sleep: deadline,
    });

    const handles = MEMBERS.slice(0, 20).map((userId, index) => rate(userId, index % films.length, 3.5));
    await handles[0]!.waitFor('deferred', 10_000);
    const stopping = shutdown('SIGTERM');
    await stopping;

    expect(deadline).toHaveBeenCalledWith(9_000, expect.any(AbortSignal));
    expect(exit).toHaveBeenCalledTimes(1);
    expect(events).toEqual(['gateway closed', 'database closed', 'exit 0']);
    const confirmed = handles.filter((handle) => /^You rated /.test(handle.edits[0]?.message?.content ?? ''));
    expect(confirmed.length).toBeGreaterThan(0);
    // Drained: every interaction that reached the bot got its answer before the database closed.
    expect(confirmed).toHaveLength(handles.length);
    bot.app.database.close = close;
    // A database of its own, as the process that exited has none left open.
    await bot.restart();
    for (const handle of confirmed) {
      const userId = handle.payload.member.user.id;
      expect(await bot.app.repos.ratings.listByUser(userId)).toEqual([expect.objectContaining({ score: 3.5 })]);
    }
    expect(await halfWritten()).toBe(0);
  });
});
