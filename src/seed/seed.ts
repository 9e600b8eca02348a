/**
 * Seeds a guild with members whose ratings and diaries follow the taste model (./taste.ts): what `npm run seed` and
 * the offline demo call. Deterministic for a seed, films and "as of" day; idempotent (seeding twice stores what
 * seeding once does); one transaction per batch of members, so a failure keeps the batches before it whole and
 * leaves no part of its own.
 *
 * ```ts
 * const report = await seedGuild(repos, { guildId, users: 50, ratingsPerUser: 40, seed: 1, films: catalogueSeedFilms(loadCatalogue()) });
 * ```
 */
import type { Repositories } from '../db/repositories/index.js';
import type { SeedDiaryRow, SeedMemberRow, SeedRatingRow, SeedUserRow } from '../db/repositories/seed.js';
import type { CatalogueFilm } from './catalogue.js';
import { memberTimeline, seedIdentities, snowflakeTime, startOfUtcDay, utcDay } from './members.js';
import { createTasteModel, TASTE_DEFAULTS } from './taste.js';

export interface SeedFilm {
  tmdbId: number;
  title: string;
  year: number | null;
  genreIds: readonly number[];
  runtime: number | null;
  /** TMDB's vote average (0-10) when films come from TMDB; absent for catalogue films (quality is then a seeded draw). */
  voteAverage?: number;
}

export interface SeedOptions {
  guildId: string;
  /** Not stored (Marquee keeps no server names): for callers that show the guild, such as the demo's local Discord. */
  guildName?: string;
  users: number;
  ratingsPerUser: number;
  seed: number;
  /** The films members rate; with every film's `voteAverage` set, their order is taken as most popular first. */
  films: readonly SeedFilm[];
  /** Taste clusters (default 4). */
  clusters?: number;
  /** Called after each batch of members is committed. */
  onProgress?: (membersDone: number, membersTotal: number) => void;
  /**
   * The seeded clock's "today": members were last seen within 30 days before it, and every time stored comes from
   * it and the seed (accounts' own times are fixed by the seed). Default: the start of the current UTC day, so the
   * bot, which counts members seen within MEMBER_ACTIVE_DAYS, sees the seeded members; pass it to pin the content.
   */
  asOf?: Date;
  /** Members written per transaction (default 500). */
  membersPerBatch?: number;
}

export interface SeededMember {
  userId: string;
  name: string;
  cluster: number;
}

export interface SeedReport {
  guildId: string;
  members: SeededMember[];
  /** Ratings and diary entries the seed gives the members (stored now, whether by this run or an earlier one). */
  ratings: number;
  diaryEntries: number;
  clusters: { id: number; label: string }[];
}

const SNOWFLAKE = /^\d{17,20}$/;
const DEFAULT_MEMBERS_PER_BATCH = 500;
/** A guild id that is not a snowflake of a plausible time was "created" at the start of the seeded accounts' window. */
const FALLBACK_GUILD_CREATED_MS = Date.UTC(2016, 0, 1);

/** The catalogue's films as seed films (their quality is a seeded draw: the catalogue holds no votes). */
export function catalogueSeedFilms(films: readonly CatalogueFilm[]): SeedFilm[] {
  return films.map(({ tmdbId, title, year, genreIds, runtime }) => ({ tmdbId, title, year, genreIds, runtime }));
}

function check(options: SeedOptions): void {
  const wholeAtLeast = (value: number, min: number) => Number.isInteger(value) && value >= min;
  if (!SNOWFLAKE.test(options.guildId)) throw new Error('The guild id must be a Discord id (17-20 digits).');
  if (!wholeAtLeast(options.users, 0)) throw new Error('The number of members must be a whole number, 0 or more.');
  if (!wholeAtLeast(options.ratingsPerUser, 0))
    throw new Error('The ratings per member must be a whole number, 0 or more.');
  if (!Number.isInteger(options.seed)) throw new Error('The seed must be a whole number.');
  if (options.ratingsPerUser > 0 && options.users > 0 && options.films.length === 0)
    throw new Error('There are no films to rate.');
  if (options.clusters !== undefined && !wholeAtLeast(options.clusters, 1))
    throw new Error('The number of taste clusters must be a whole number, 1 or more.');
}

/**
 * Seeds `options.guildId` (the database must be migrated). Member i's identity, taste, ratings and diary depend only
 * on the seed, the films, the "as of" day and i, so seeding more members later keeps the first ones as they were.
 */
export async function seedGuild(repos: Repositories, options: SeedOptions): Promise<SeedReport> {
  check(options);
  const { guildId, users, ratingsPerUser, seed, films } = options;
  const asOf = options.asOf ?? startOfUtcDay(new Date());
  const perBatch = Math.max(1, options.membersPerBatch ?? DEFAULT_MEMBERS_PER_BATCH);
  const model = createTasteModel(films, seed, { clusters: options.clusters ?? TASTE_DEFAULTS.clusters });
  const identities = seedIdentities(users, seed);
  const guildTime = snowflakeTime(guildId);
  const guildCreatedAt = guildTime !== null && guildTime < asOf.getTime() ? guildTime : FALLBACK_GUILD_CREATED_MS;

  await repos.unitOfWork(async (tx) => {
    await repos.seed.ensureGuild(guildId, new Date(guildCreatedAt), { tx });
    await repos.seed.ensureMovies(
      films.map((film) => ({
        tmdbId: film.tmdbId,
        title: film.title,
        // The catalogue knows the year only; TMDB's details replace the day when the bot fetches them.
        releaseDate: film.year === null ? null : `${String(film.year).padStart(4, '0')}-01-01`,
        genreIds: film.genreIds,
        runtime: film.runtime,
      })),
      asOf,
      { tx },
    );
  });

  const members: SeededMember[] = [];
  let ratings = 0;
  let diaryEntries = 0;
  for (let start = 0; start < users; start += perBatch) {
    const batch = {
      guildId,
      users: [] as SeedUserRow[],
      members: [] as SeedMemberRow[],
      ratings: [] as SeedRatingRow[],
      diary: [] as SeedDiaryRow[],
    };
    for (let index = start; index < Math.min(users, start + perBatch); index++) {
      const identity = identities[index]!;
      const draw = model.drawMember(index, ratingsPerUser);
      const timeline = memberTimeline({
        seed,
        index,
        accountCreatedAt: identity.createdAt,
        guildCreatedAt,
        asOf,
        ratings: draw.films.length,
      });
      const userId = identity.userId;
      members.push({ userId, name: identity.name, cluster: draw.taste.cluster });
      batch.users.push({ id: userId, createdAt: identity.createdAt });
      batch.members.push({ userId, firstSeenAt: timeline.firstSeenAt, lastSeenAt: timeline.lastSeenAt });
      draw.films.forEach((film, r) => {
        const movieId = films[film]!.tmdbId;
        const ratedAt = timeline.ratedAt[r]!;
        batch.ratings.push({ userId, movieId, score: draw.scores[r]!, ratedAt });
        if (timeline.logged[r]) batch.diary.push({ userId, movieId, watchedOn: utcDay(ratedAt), createdAt: ratedAt });
      });
    }
    await repos.unitOfWork((tx) => repos.seed.writeBatch(batch, { tx }));
    ratings += batch.ratings.length;
    diaryEntries += batch.diary.length;
    options.onProgress?.(members.length, users);
  }

  return {
    guildId,
    members,
    ratings,
    diaryEntries,
    clusters: model.clusters.map(({ id, label }) => ({ id, label })),
  };
}
