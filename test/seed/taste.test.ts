import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRepositories } from '../../src/db/repositories/index.js';
import { createRecommenderModel, PICK_SOURCES, type RatingColumns } from '../../src/recommender/index.js';
import {
  DISCORD_EPOCH_MS,
  memberTimeline,
  seedIdentities,
  snowflakeAt,
  snowflakeTime,
} from '../../src/seed/members.js';
import { seedGuild, type SeedReport } from '../../src/seed/seed.js';
import { clusterLabel, createTasteModel, toHalfStars, type TasteFilm } from '../../src/seed/taste.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { syntheticSeedFilms } from '../support/seed-support.js';

const HALF_STARS = [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5];
const FILMS = syntheticSeedFilms(300);

describe('the taste model', () => {
  it('rounds a rating to half stars and keeps it within 0.5..5', () => {
    expect(toHalfStars(3.24)).toBe(3);
    expect(toHalfStars(3.26)).toBe(3.5);
    expect(toHalfStars(4.76)).toBe(5);
    expect(toHalfStars(0.1)).toBe(0.5);
    expect(toHalfStars(-2)).toBe(0.5);
    expect(toHalfStars(7.3)).toBe(5);
  });

  it('gives every member distinct films, as many as asked (at most the list), each rated in half stars', () => {
    const model = createTasteModel(FILMS, 5);
    for (let index = 0; index < 50; index++) {
      const draw = model.drawMember(index, 40);
      expect(draw.films).toHaveLength(40);
      expect(new Set(draw.films).size).toBe(40);
      for (const score of draw.scores) expect(HALF_STARS).toContain(score);
    }
    expect(createTasteModel(FILMS.slice(0, 12), 5).drawMember(0, 40).films).toHaveLength(12);
  });

  it('draws the same guild for the same seed, whatever order members are drawn in, and another for another seed', () => {
    const first = createTasteModel(FILMS, 5);
    const again = createTasteModel(FILMS, 5);
    const forwards = [0, 1, 2, 3].map((index) => first.drawMember(index, 30));
    const backwards = [3, 2, 1, 0].map((index) => again.drawMember(index, 30)).reverse();
    expect(JSON.stringify(backwards)).toBe(JSON.stringify(forwards));
    expect(again.clusters).toEqual(first.clusters);
    const other = createTasteModel(FILMS, 6);
    expect(JSON.stringify([0, 1, 2, 3].map((index) => other.drawMember(index, 30)))).not.toBe(JSON.stringify(forwards));
  });

  it('deals each cluster favourite genres that go together, and names it after them', () => {
    const model = createTasteModel(FILMS, 5, { clusters: 4 });
    expect(model.clusters).toHaveLength(4);
    const firsts = model.clusters.map((cluster) => cluster.favouriteGenres[0]);
    expect(new Set(firsts).size).toBe(4);
    for (const cluster of model.clusters) {
      expect(cluster.favouriteGenres).toHaveLength(2);
      expect(cluster.dislikedGenres).toHaveLength(1);
      expect(cluster.favouriteGenres).not.toContain(cluster.dislikedGenres[0]);
      expect(cluster.label).toBe(clusterLabel(cluster.favouriteGenres));
    }
    expect(clusterLabel([27, 53])).toBe('horror and thrillers');
    expect(clusterLabel([16, 10751, 35])).toBe('animation, family films and comedies');
  });

  it("has a cluster's members rate films of its favourite genres higher than films of its disliked genre", () => {
    const model = createTasteModel(FILMS, 5);
    const genresOf = (film: number) => FILMS[film]!.genreIds;
    for (const cluster of model.clusters) {
      const liked: number[] = [];
      const disliked: number[] = [];
      for (let index = 0; index < 400; index++) {
        const draw = model.drawMember(index, 40);
        if (draw.taste.cluster !== cluster.id) continue;
        draw.films.forEach((film, at) => {
          const genres = genresOf(film);
          const score = draw.scores[at]!;
          if (genres.some((genre) => cluster.favouriteGenres.includes(genre))) liked.push(score);
          else if (genres.some((genre) => cluster.dislikedGenres.includes(genre))) disliked.push(score);
        });
      }
      const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
      expect(liked.length, cluster.label).toBeGreaterThan(100);
      expect(disliked.length, cluster.label).toBeGreaterThan(10);
      expect(mean(liked) - mean(disliked), `${cluster.label}: liked vs disliked`).toBeGreaterThan(0.8);
    }
  });

  it("takes TMDB's vote average as quality and the list's order as popularity", () => {
    const films: TasteFilm[] = [
      { genreIds: [18], voteAverage: 8.5 },
      { genreIds: [18], voteAverage: 6.5 },
      { genreIds: [18], voteAverage: 4.5 },
    ];
    const model = createTasteModel(films, 1);
    expect([...model.quality]).toEqual([1, 0, -1]);
    expect(model.popularity[0]).toBeGreaterThan(model.popularity[1]!);
    expect(model.popularity[1]).toBeGreaterThan(model.popularity[2]!);
    const means = [0, 0, 0];
    for (let index = 0; index < 300; index++) {
      const draw = model.drawMember(index, 3);
      draw.films.forEach((film, at) => (means[film]! += draw.scores[at]! / 300));
    }
    // One point of quality is one star before rounding; ratings clamped at 5 take some of it off the best film.
    expect(means[0]! - means[1]!).toBeGreaterThan(0.4);
    expect(means[1]! - means[2]!).toBeGreaterThan(0.7);
  });
});

describe('seeded members', () => {
  it('makes snowflakes from a time and reads the time back', () => {
    const ms = Date.UTC(2019, 4, 4, 12, 0, 0, 123);
    const id = snowflakeAt(ms, 7);
    expect(BigInt(id) & 0xfffn).toBe(7n);
    expect(snowflakeTime(id)).toBe(ms);
    expect(snowflakeAt(DISCORD_EPOCH_MS)).toBe('0');
    expect(snowflakeTime('general')).toBeNull();
  });

  it('names members with Faker and gives them distinct Discord ids of accounts made 2016-2025, the same for a seed', () => {
    const members = seedIdentities(2_000, 3);
    expect(new Set(members.map((member) => member.userId)).size).toBe(2_000);
    expect(new Set(members.map((member) => member.name)).size).toBe(2_000);
    for (const member of members) {
      expect(member.userId).toMatch(/^\d{17,20}$/);
      expect(member.name).toMatch(/^\S+ \S.*$/);
      expect(snowflakeTime(member.userId)).toBe(member.createdAt.getTime());
      expect(member.createdAt.getTime()).toBeGreaterThanOrEqual(Date.UTC(2016, 0, 1));
      expect(member.createdAt.getTime()).toBeLessThan(Date.UTC(2026, 0, 1));
    }
    expect(seedIdentities(2_000, 3)).toEqual(members);
    expect(seedIdentities(500, 3)).toEqual(members.slice(0, 500));
    expect(seedIdentities(10, 4)[0]).not.toEqual(members[0]);
  });

  it('has a member join after their account and the guild were made, rate after joining, and be seen within 30 days', () => {
    const asOf = new Date('2026-11-30T00:00:00Z');
    const accountCreatedAt = new Date('2024-02-01T00:00:00Z');
    const guildCreatedAt = Date.UTC(2024, 5, 1);
    for (let index = 0; index < 100; index++) {
      const timeline = memberTimeline({ seed: 2, index, accountCreatedAt, guildCreatedAt, asOf, ratings: 20 });
      expect(timeline.firstSeenAt.getTime()).toBeGreaterThanOrEqual(guildCreatedAt);
      expect(timeline.lastSeenAt.getTime()).toBeGreaterThanOrEqual(timeline.firstSeenAt.getTime());
      expect(timeline.lastSeenAt.getTime()).toBeLessThan(asOf.getTime());
      expect(asOf.getTime() - timeline.lastSeenAt.getTime()).toBeLessThanOrEqual(30 * 86_400_000);
      for (const ratedAt of timeline.ratedAt) {
        expect(ratedAt.getTime()).toBeGreaterThanOrEqual(timeline.firstSeenAt.getTime());
        expect(ratedAt.getTime()).toBeLessThanOrEqual(timeline.lastSeenAt.getTime());
      }
    }
  });
});

/** Each film's ratings by the members of each cluster (sum and count), and each member's own. */
function clusterRatings(columns: RatingColumns, clusterOf: ReadonlyMap<string, number>) {
  const sums = new Map<string, { sum: number; count: number }>();
  const own = new Map<string, Map<number, number>>();
  const raters = new Map<number, number>();
  for (let entry = 0; entry < columns.itemIds.length; entry++) {
    const userId = columns.users[columns.userCodes[entry]!]!;
    const itemId = columns.itemIds[entry]!;
    const rating = columns.ratings[entry]!;
    const key = `${String(clusterOf.get(userId))}:${String(itemId)}`;
    const total = sums.get(key) ?? { sum: 0, count: 0 };
    total.sum += rating;
    total.count++;
    sums.set(key, total);
    const mine = own.get(userId) ?? new Map<number, number>();
    mine.set(itemId, rating);
    own.set(userId, mine);
    raters.set(itemId, (raters.get(itemId) ?? 0) + 1);
  }
  /** The film's mean rating among the member's cluster-mates (the member left out) is at least 4. */
  const ratedHighlyByCluster = (userId: string, itemId: number): boolean => {
    const total = sums.get(`${String(clusterOf.get(userId))}:${String(itemId)}`);
    const mine = own.get(userId)?.get(itemId);
    const sum = (total?.sum ?? 0) - (mine ?? 0);
    const count = (total?.count ?? 0) - (mine === undefined ? 0 : 1);
    return count > 0 && sum / count >= 4;
  };
  const mostPopular = [...raters].sort((a, b) => b[1] - a[1] || a[0] - b[0]).map(([itemId]) => itemId);
  return { own, ratedHighlyByCluster, mostPopular };
}

describe('a seeded guild', () => {
  let test: TestDatabase;
  let report: SeedReport;
  let columns: RatingColumns;
  const guildId = '300706430976000000';

  beforeAll(async () => {
    test = await createTestDatabase('sqlite');
    const repos = createRepositories(test.db);
    report = await seedGuild(repos, {
      guildId,
      users: 200,
      ratingsPerUser: 40,
      seed: 7,
      films: FILMS,
      asOf: new Date('2026-11-30T00:00:00Z'),
    });
    columns = await repos.ratings.loadGuildRatings(guildId, new Date('2026-06-01T00:00:00Z'));
  });
  afterAll(() => test.destroy());

  it('has findable taste: the user-based model picks what the member’s cluster loves at least twice as often as the most popular films are', async ({
    annotate,
  }) => {
    expect(columns.users).toHaveLength(200);
    const clusterOf = new Map(report.members.map((member) => [member.userId, member.cluster]));
    const { own, ratedHighlyByCluster, mostPopular } = clusterRatings(columns, clusterOf);
    const model = createRecommenderModel({ ratings: columns });
    let picks = 0;
    let picksLoved = 0;
    let popular = 0;
    let popularLoved = 0;
    for (const { userId } of report.members) {
      const recommendation = model.recommend(userId, { count: 10, explain: false, sources: [PICK_SOURCES.neighbours] });
      for (const pick of recommendation.picks) {
        picks++;
        if (ratedHighlyByCluster(userId, pick.itemId)) picksLoved++;
      }
      const unseenPopular = mostPopular.filter((itemId) => !own.get(userId)?.has(itemId)).slice(0, 10);
      for (const itemId of unseenPopular) {
        popular++;
        if (ratedHighlyByCluster(userId, itemId)) popularLoved++;
      }
    }
    expect(picks).toBe(2_000);
    const pickShare = picksLoved / picks;
    const popularShare = popularLoved / popular;
    const shares = `picks rated highly by the member's cluster: ${(100 * pickShare).toFixed(1)}%; most popular unseen films: ${(100 * popularShare).toFixed(1)}%`;
    await annotate(shares);
    expect(pickShare, shares).toBeGreaterThanOrEqual(2 * popularShare);
  });
});
