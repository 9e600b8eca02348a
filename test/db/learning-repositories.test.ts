import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRepositories, type Repositories } from '../../src/db/repositories/index.js';
import type { RecommendationSource } from '../../src/db/repositories/recommendations.js';
import { movieSummary, snowflake } from '../support/builders.js';
import { createTestDatabase, databaseKinds, emptyAllTables, type TestDatabase } from '../support/databases.js';

const DAY = 86_400_000;

describe.each(databaseKinds())('what the learning reads from the database, on %s', (kind) => {
  let test: TestDatabase;
  let repos: Repositories;
  const guild = snowflake(1);
  const otherGuild = snowflake(2);
  const alice = snowflake(10);
  const bob = snowflake(11);
  const t0 = new Date('2026-05-01T12:00:00Z');
  const at = (days: number) => new Date(t0.getTime() + days * DAY);

  const card = (
    messageId: string,
    guildId: string,
    forUserId: string | null,
    movieId: number,
    source: RecommendationSource,
    createdAt: Date,
  ) =>
    repos.recommendations.record({
      messageId,
      guildId,
      channelId: snowflake(600),
      audience: source === 'group' ? 'group' : 'member',
      forUserId,
      createdAt,
      items: [{ position: 1, movieId, source, score: 1 }],
    });

  beforeAll(async () => {
    test = await createTestDatabase(kind);
    repos = createRepositories(test.db);
  });
  afterAll(() => test.destroy());
  beforeEach(async () => {
    await emptyAllTables(test.db);
    await repos.movies.upsertSummaries(
      [1, 2, 3, 4, 5].map((id) => movieSummary(id)),
      t0,
    );
    for (const userId of [alice, bob]) {
      await repos.guilds.touchMember(guild, userId, t0);
      await repos.guilds.touchMember(otherGuild, userId, t0);
    }
  });

  it('dates a reaction by the clock it is given, a changed reaction by the change, and reads each with its card’s source', async () => {
    await card(snowflake(501), guild, alice, 1, 'similar-films', t0);
    await card(snowflake(502), guild, alice, 2, 'popular', t0);
    await card(snowflake(503), guild, null, 3, 'group', t0);
    await repos.feedback.set({ userId: alice, movieId: 1, value: 1, messageId: snowflake(501) }, at(1));
    await repos.feedback.set({ userId: alice, movieId: 1, value: -1, messageId: snowflake(501) }, at(2));
    await repos.feedback.set({ userId: alice, movieId: 2, value: 1, messageId: snowflake(502) }, at(3));
    await repos.feedback.set({ userId: alice, movieId: 3, value: 1, messageId: snowflake(503) }, at(4));
    await repos.feedback.set({ userId: alice, movieId: 4, value: -1, messageId: null }, at(5));

    expect(await repos.feedback.listReactions(alice)).toEqual([
      { movieId: 1, value: -1, at: at(2), source: 'similar-films' },
      { movieId: 2, value: 1, at: at(3), source: 'popular' },
      // A group card is no personal pick, and a reaction whose card is gone has no source.
      { movieId: 3, value: 1, at: at(4), source: null },
      { movieId: 4, value: -1, at: at(5), source: null },
    ]);
    expect(await repos.feedback.listReactions(bob)).toEqual([]);
  });

  it('lists a guild’s personal pick cards since a time, with the reaction and rating of the member each was for', async () => {
    await card(snowflake(501), guild, alice, 1, 'similar-films', at(0));
    await card(snowflake(502), guild, alice, 2, 'neighbours', at(1));
    await card(snowflake(503), guild, alice, 3, 'popular', at(-10)); // before `since`
    await card(snowflake(504), otherGuild, alice, 4, 'popular', at(1)); // another guild
    await card(snowflake(505), guild, null, 5, 'group', at(1)); // a group pick
    await repos.feedback.set({ userId: alice, movieId: 1, value: 1, messageId: snowflake(501) }, at(2));
    // Bob reacting on Alice's card is Bob's feedback, not the outcome of her pick.
    await repos.feedback.set({ userId: bob, movieId: 2, value: -1, messageId: snowflake(502) }, at(2));
    await repos.ratings.upsert({ userId: alice, movieId: 2, score: 4.5, ratedAt: at(3) });
    await repos.ratings.upsert({ userId: bob, movieId: 1, score: 1, ratedAt: at(3) });

    const rows = await repos.recommendations.shownPicks(guild, at(-1));

    expect(rows.sort((a, b) => a.shownAt.getTime() - b.shownAt.getTime())).toEqual([
      { source: 'similar-films', shownAt: at(0), reaction: { value: 1, at: at(2) }, rating: null },
      { source: 'neighbours', shownAt: at(1), reaction: null, rating: { score: 4.5, at: at(3) } },
    ]);
  });

  it('counts the guild’s members who rated since a time and their ratings, leaving out everyone else', async () => {
    const outsider = snowflake(12);
    await repos.guilds.touchMember(otherGuild, outsider, t0);
    await repos.ratings.upsert({ userId: alice, movieId: 1, score: 4, ratedAt: at(1) });
    await repos.ratings.upsert({ userId: alice, movieId: 2, score: 3, ratedAt: at(2) });
    await repos.ratings.upsert({ userId: bob, movieId: 1, score: 5, ratedAt: at(-5) });
    await repos.ratings.upsert({ userId: outsider, movieId: 1, score: 5, ratedAt: at(1) });

    expect(await repos.ratings.guildActivity(guild, t0)).toEqual({ members: 1, ratings: 2 });
    expect(await repos.ratings.guildActivity(guild, at(-30))).toEqual({ members: 2, ratings: 3 });
    expect(await repos.ratings.guildActivity(otherGuild, at(-30))).toEqual({ members: 3, ratings: 4 });
  });
});
