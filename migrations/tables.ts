/**
 * Our tables, parents before children: create or insert in this order, delete or drop in reverse
 * (`childrenFirst`). Each migration that creates tables lists them in a group of its own, which its `down`
 * drops; a new migration adds its group and appends it to `TABLES`.
 */

/** 2026.11.21T00.00.00.initial-schema */
export const INITIAL_SCHEMA_TABLES = [
  'users',
  'guilds',
  'guild_members',
  'movies',
  'ratings',
  'watch_log',
  'watchlist',
  'recommendation_messages',
  'recommendation_items',
  'feedback',
  'movie_nights',
  'movie_night_participants',
  'movie_night_candidates',
  'movie_night_votes',
  'schedules',
] as const;

/** 2026.11.30T01.00.00.forget-tombstones */
export const FORGET_TOMBSTONE_TABLES = ['member_tombstones', 'guild_tombstones'] as const;

/** 2026.11.30T02.00.00.job-runs */
export const JOB_RUN_TABLES = ['job_runs'] as const;

/** 2026.12.01T00.00.00.related-films */
export const RELATED_FILM_TABLES = ['related_lists', 'related_films'] as const;

/** 2026.12.02T00.00.00.movie-nights */
export const MOVIE_NIGHT_TABLES = ['movie_night_forecasts'] as const;

/** 2026.12.04T00.00.00.imports */
export const IMPORT_TABLES = ['import_runs'] as const;

/** Every table of ours, parents before children. */
export const TABLES = [
  ...INITIAL_SCHEMA_TABLES,
  ...FORGET_TOMBSTONE_TABLES,
  ...JOB_RUN_TABLES,
  ...RELATED_FILM_TABLES,
  ...MOVIE_NIGHT_TABLES,
  ...IMPORT_TABLES,
] as const;

export type Table = (typeof TABLES)[number];

/** The tables in an order that deleting rows or dropping tables can follow without breaking a foreign key. */
export function childrenFirst<Name extends string>(tables: readonly Name[]): Name[] {
  return [...tables].reverse();
}
