import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import { createFeedbackService, type CardInput } from '../../src/services/feedback.js';
import type { TasteListener } from '../../src/services/taste-listener.js';
import { movieSummary, snowflake } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { createFilmTestCore, type FilmTestCore } from '../support/film-support.js';

const GUILD = snowflake(1);
const alice = snowflake(10);
const stranger = snowflake(12);
const t0 = new Date('2026-03-10T12:00:00Z');

describe.each(databaseKinds())('feedback service on %s', (kind) => {
  let film: FilmTestCore;

  /** A feedback service whose recommender only remembers what it was told. */
  function service(feedbackChanged: TasteListener['feedbackChanged'] = () => undefined) {
    const heard: Parameters<TasteListener['feedbackChanged']>[] = [];
    const feedback = createFeedbackService(film.core, {
      taste: {
        feedbackChanged: (...change) => {
          heard.push(change);
          feedbackChanged(...change);
        },
      },
    });
    return { feedback, heard };
  }

  const card = (messageId: string): CardInput => ({
    messageId,
    guildId: GUILD,
    channelId: snowflake(500),
    forUserId: alice,
    pick: { movie: { tmdbId: 103 }, source: 'neighbours', score: 5.28 },
  });
  const feedbackOf = (userId: string) => film.core.repos.feedback.listByUser(userId);

  beforeAll(async () => {
    film = await createFilmTestCore(kind, t0);
  });
  afterAll(() => film.destroy());
  beforeEach(async () => {
    for (const table of ['recommendation_items', 'recommendation_messages']) {
      await film.test.db.sequelize.query(`DELETE FROM ${table}`);
    }
    await film.reset();
    await film.core.repos.movies.upsertSummaries([movieSummary(103)], t0);
    await film.core.repos.guilds.touchMember(GUILD, alice, t0);
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('records which film a card shows, so a 👍 on it lands after a restart, and takes it back only with the same reaction', async () => {
    const messageId = snowflake(9_001);
    await service().feedback.recordCard(card(messageId));
    expect(await film.core.repos.recommendations.find(messageId)).toMatchObject({
      guildId: GUILD,
      audience: 'member',
      forUserId: alice,
      items: [{ position: 1, movieId: 103, source: 'neighbours', score: 5.28 }],
    });

    // A fresh service: nothing of the card is in memory.
    const { feedback, heard } = service();
    // Someone Marquee never stored reacts: they are created, since feedback belongs to a user.
    expect(await feedback.recordReaction({ messageId, userId: stranger, value: 1, action: 'add' })).toBe('recorded');
    expect(await feedbackOf(stranger)).toEqual([{ userId: stranger, movieId: 103, value: 1, messageId }]);
    expect(await feedback.recordReaction({ messageId, userId: stranger, value: -1, action: 'remove' })).toBe('ignored');
    expect(await feedbackOf(stranger)).toHaveLength(1);
    expect(await feedback.recordReaction({ messageId, userId: stranger, value: 1, action: 'remove' })).toBe('removed');
    expect(await feedbackOf(stranger)).toEqual([]);

    // The recommender hears each write, and nothing of the removal that did not match.
    expect(heard).toEqual([
      [stranger, 103, 1],
      [stranger, 103, null],
    ]);
  });

  it('keeps a 👎 written while the member takes back their 👍, reading none of their other feedback', async () => {
    const { feedback } = service();
    const messageId = snowflake(9_003);
    await feedback.recordCard(card(messageId));
    await feedback.recordReaction({ messageId, userId: stranger, value: 1, action: 'add' });
    const { feedback: stored } = film.core.repos;
    const readAll = vi.spyOn(stored, 'listByUser');
    const removeIf = stored.removeIf;
    // The 👎 lands after the 👍 removal began and before its delete: the interleaving that used to erase it.
    vi.spyOn(stored, 'removeIf').mockImplementation(async (...args) => {
      await feedback.recordReaction({ messageId, userId: stranger, value: -1, action: 'add' });
      return removeIf(...args);
    });

    expect(await feedback.recordReaction({ messageId, userId: stranger, value: 1, action: 'remove' })).toBe('ignored');

    expect(readAll).not.toHaveBeenCalled();
    vi.restoreAllMocks();
    expect(await stored.listByUser(stranger)).toEqual([{ userId: stranger, movieId: 103, value: -1, messageId }]);
  });

  it('keeps the reaction when the recommender cannot take it', async () => {
    const { feedback } = service(() => {
      throw new Error('model broken');
    });
    const messageId = snowflake(9_004);
    await feedback.recordCard(card(messageId));

    expect(await feedback.recordReaction({ messageId, userId: alice, value: -1, action: 'add' })).toBe('recorded');

    expect(await feedbackOf(alice)).toEqual([{ userId: alice, movieId: 103, value: -1, messageId }]);
  });

  it('ignores reactions on messages that are not pick cards', async () => {
    const { feedback, heard } = service();

    expect(await feedback.recordReaction({ messageId: snowflake(9_999), userId: alice, value: 1, action: 'add' })).toBe(
      'ignored',
    );

    expect(await film.count('feedback')).toBe(0);
    expect(heard).toEqual([]);
  });
});
