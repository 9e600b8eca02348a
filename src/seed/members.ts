/**
 * Who the seeded members are and when they did things, from a seeded clock: Faker names, Discord snowflakes of
 * accounts created 2016-2025, and each member's days in the guild up to the seed's "as of" day.
 */
import { Faker, en } from '@faker-js/faker';
import { createRandom } from '../recommender/evaluation/random.js';
import { streamSeed } from './taste.js';

/** Discord's epoch (2015-01-01T00:00:00Z), the zero of a snowflake's timestamp. */
export const DISCORD_EPOCH_MS = 1_420_070_400_000;
const DAY_MS = 86_400_000;
/** Seeded accounts were created in this window, as a real server's members were. */
const ACCOUNTS_FROM_MS = Date.UTC(2016, 0, 1);
const ACCOUNTS_UNTIL_MS = Date.UTC(2026, 0, 1);
/** A seeded member was last seen within this many days before the seed's day, so the bot counts them as active. */
const LAST_SEEN_WITHIN_DAYS = 30;

/** A snowflake: `(ms − Discord epoch) << 22 | increment` (worker and process bits left 0). */
export function snowflakeAt(ms: number, increment = 0): string {
  return ((BigInt(Math.floor(ms - DISCORD_EPOCH_MS)) << 22n) | BigInt(increment & 0xfff)).toString();
}

/** When a snowflake was made (epoch ms), or null for a string that is not one. */
export function snowflakeTime(id: string): number | null {
  if (!/^\d{1,20}$/.test(id)) return null;
  return Number(BigInt(id) >> 22n) + DISCORD_EPOCH_MS;
}

export interface SeededIdentity {
  userId: string;
  name: string;
  /** When the Discord account was made: the snowflake's own time. */
  createdAt: Date;
}

/**
 * `count` members with distinct Faker names and distinct snowflakes. Member i's identity depends only on the seed
 * and the members before it, so seeding more members later keeps the first ones.
 */
export function seedIdentities(count: number, seed: number): SeededIdentity[] {
  const faker = new Faker({ locale: [en] });
  faker.seed(seed);
  const clock = createRandom(streamSeed(seed, 'accounts'));
  const names = new Set<string>();
  const ids = new Set<string>();
  const identities: SeededIdentity[] = [];
  for (let index = 0; index < count; index++) {
    let name = `${faker.person.firstName()} ${faker.person.lastName()}`;
    while (names.has(name)) name = `${faker.person.firstName()} ${faker.person.lastName()}`;
    names.add(name);
    let ms = Math.floor(ACCOUNTS_FROM_MS + clock() * (ACCOUNTS_UNTIL_MS - ACCOUNTS_FROM_MS));
    let userId = snowflakeAt(ms, index);
    while (ids.has(userId)) userId = snowflakeAt(++ms, index);
    ids.add(userId);
    identities.push({ userId, name, createdAt: new Date(ms) });
  }
  return identities;
}

export interface MemberTimeline {
  firstSeenAt: Date;
  lastSeenAt: Date;
  /** One time per rating, between joining and last seen. */
  ratedAt: Date[];
  /** Which ratings also have a diary entry (the film logged that day). */
  logged: boolean[];
}

/** The start of the UTC day of `date`: the seed's default "as of" day. */
export function startOfUtcDay(date: Date): Date {
  return new Date(Math.floor(date.getTime() / DAY_MS) * DAY_MS);
}

/** `YYYY-MM-DD` of an instant in UTC (seeded members keep the default time zone, UTC). */
export function utcDay(date: Date): string {
  return date.toISOString().slice(0, 10);
}

/**
 * Member `index`'s days in the guild: joined after both their account and the guild were made and before `asOf`,
 * last seen within 30 days before `asOf` (never before joining), each rating at a uniform time in between, and
 * about a third of the rated films logged in the diary at the time of rating.
 */
export function memberTimeline(options: {
  seed: number;
  index: number;
  accountCreatedAt: Date;
  guildCreatedAt: number;
  asOf: Date;
  ratings: number;
  diaryShare?: number;
}): MemberTimeline {
  const { seed, index, accountCreatedAt, guildCreatedAt, asOf, ratings, diaryShare = 0.35 } = options;
  const random = createRandom(streamSeed(seed, 'timeline', index));
  const end = asOf.getTime() - 1;
  const earliest = Math.min(Math.max(accountCreatedAt.getTime(), guildCreatedAt), end);
  const joined = Math.floor(earliest + random() * (end - earliest));
  const lastSeen = Math.max(joined, Math.floor(end - random() * LAST_SEEN_WITHIN_DAYS * DAY_MS));
  const ratedAt: Date[] = [];
  const logged: boolean[] = [];
  for (let r = 0; r < ratings; r++) {
    ratedAt.push(new Date(Math.floor(joined + random() * (lastSeen - joined))));
    logged.push(random() < diaryShare);
  }
  return { firstSeenAt: new Date(joined), lastSeenAt: new Date(lastSeen), ratedAt, logged };
}
