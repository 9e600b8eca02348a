import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { createRandom } from '../../src/recommender/evaluation/random.js';
import { createFeedbackService } from '../../src/services/feedback.js';
import { createMembersService } from '../../src/services/members.js';
import { createNamingPolicy } from '../../src/services/naming-policy.js';
import { createRecommendationService, type RecommendationService } from '../../src/services/recommendations/index.js';
import { createSourceLearning } from '../../src/services/recommendations/source-learning.js';
import { movieSummary, snowflake } from '../support/builders.js';
import { databaseKinds } from '../support/databases.js';
import { createFilmTestCore, type FilmTestCore } from '../support/film-support.js';
import { createManualBackground } from '../support/manual-background.js';

const GUILD = snowflake(1);
const alice = snowflake(10);
const bob = snowflake(11);
const DAY = 86_400_000;
const t0 = new Date('2026-06-01T12:00:00Z');

describe.each(databaseKinds())('a server’s learnt source weights, on %s', (kind) => {
  let film: FilmTestCore;
  let recommendations: RecommendationService;

  const card = (messageId: string, movieId: number, source: 'similar-films' | 'popular', createdAt = t0) =>
    film.core.repos.recommendations.record({
      messageId,
      guildId: GUILD,
      channelId: snowflake(600),
      audience: 'member',
      forUserId: alice,
      createdAt,
      items: [{ position: 1, movieId, source, score: 1 }],
    });

  beforeAll(async () => {
    film = await createFilmTestCore(kind, t0);
  });
  afterAll(() => film.destroy());
  beforeEach(async () => {
    for (const table of ['recommendation_items', 'recommendation_messages']) {
      await film.test.db.sequelize.query(`DELETE FROM ${table}`);
    }
    await film.reset();
    await film.core.repos.movies.upsertSummaries(
      [1, 2, 3, 4].map((id) => movieSummary(id)),
      t0,
    );
    for (const userId of [alice, bob]) await film.core.repos.guilds.touchMember(GUILD, userId, t0);
    const members = createMembersService({ repos: film.core.repos, clock: film.core.clock, activeDays: 180 });
    recommendations = createRecommendationService(
      film.core,
      { members, naming: createNamingPolicy({ users: film.core.repos.users }), background: createManualBackground() },
      { random: createRandom(1) },
    );
  });
  afterEach(() => recommendations.stop());

  it('counts the outcomes of the last 180 days’ cards, as the outcome rules read them', async () => {
    await card(snowflake(501), 1, 'similar-films');
    await card(snowflake(502), 2, 'popular');
    await card(snowflake(503), 3, 'popular', new Date(t0.getTime() - 200 * DAY));
    const { repos } = film.core;
    await repos.feedback.set({ userId: alice, movieId: 1, value: 1, messageId: snowflake(501) }, t0);
    await repos.feedback.set({ userId: alice, movieId: 2, value: -1, messageId: snowflake(502) }, t0);
    await repos.feedback.set(
      { userId: alice, movieId: 3, value: -1, messageId: snowflake(503) },
      new Date(t0.getTime() - 199 * DAY),
    );
    const learning = createSourceLearning(
      { repo: repos.recommendations, clock: film.core.clock },
      { sourceLearningDays: 180, random: createRandom(1) },
    );

    expect(await learning.evidence(GUILD)).toEqual({
      'similar-films': { successes: 1, failures: 0 },
      neighbours: { successes: 0, failures: 0 },
      'server-favourites': { successes: 0, failures: 0 },
      popular: { successes: 0, failures: 1 },
    });
  });

  it('follows the reactions of the members a server’s picks were for, without rebuilding its model', async () => {
    expect(await recommendations.sourceWeights(GUILD, alice)).toEqual({
      'similar-films': 1,
      neighbours: 1,
      'server-favourites': 1,
      popular: 1,
    });
    await card(snowflake(501), 1, 'similar-films');
    await card(snowflake(502), 2, 'popular');
    const feedback = createFeedbackService(film.core, { taste: recommendations });

    await feedback.recordReaction({ messageId: snowflake(501), userId: alice, value: 1, action: 'add' });
    await feedback.recordReaction({ messageId: snowflake(502), userId: alice, value: -1, action: 'add' });
    // Bob's reaction on Alice's card teaches his own taste, not how her pick was received.
    await feedback.recordReaction({ messageId: snowflake(501), userId: bob, value: -1, action: 'add' });

    // p̄ = 2/4 = ½, prior Beta(2, 2): similar films Beta(3, 2) → (3/5)/½ = 1.2; popular Beta(2, 3) → 0.8.
    const weights = await recommendations.sourceWeights(GUILD, alice);
    expect(weights['similar-films']).toBeCloseTo(1.2, 12);
    expect(weights.popular).toBeCloseTo(0.8, 12);
    expect(weights.neighbours).toBeCloseTo(1, 12);
  });
});
