import type { MovieSummary } from './tmdb/types.js';

/** The ten ratings a member can give, as `/rate` offers them. */
export const STAR_VALUES = [0.5, 1, 1.5, 2, 2.5, 3, 3.5, 4, 4.5, 5] as const;
export type StarValue = (typeof STAR_VALUES)[number];

export function isStarValue(value: number): value is StarValue {
  return (STAR_VALUES as readonly number[]).includes(value);
}

/** `3.5` → `★★★½`; a value between half stars is rounded to the nearest half. */
export function stars(score: number): string {
  const halves = Math.round(Math.min(5, Math.max(0, score)) * 2);
  return '★'.repeat(Math.floor(halves / 2)) + (halves % 2 ? '½' : '');
}

/**
 * A count or an average of members is shown only when at least this many members are behind it, so it
 * never points at one or two people (GUIDE §9). The naming policy (src/services/naming-policy.ts) applies it
 * to pick reasons; the card renderer (src/discord/embeds.ts) to server averages. Here, since both layers read it.
 */
export const MIN_MEMBERS_FOR_AGGREGATE = 3;

/** `plural(1, 'film')` → `1 film`, `plural(2, 'entry', 'entries')` → `2 entries`. */
export function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

export function releaseYear(movie: Pick<MovieSummary, 'releaseDate'>): string | null {
  return movie.releaseDate?.slice(0, 4) || null;
}

/** Cuts text to `max` characters, ending with an ellipsis when it had to cut. */
export function truncate(text: string, max: number): string {
  const chars = [...text];
  return chars.length <= max
    ? text
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

/** "Title (Year)": same-named films are told apart by their year. At most `max` characters. */
export function movieLabel(movie: Pick<MovieSummary, 'title' | 'releaseDate'>, max = 100): string {
  const year = releaseYear(movie);
  const suffix = year ? ` (${year})` : '';
  return `${truncate(movie.title, max - suffix.length)}${suffix}`;
}

export function formatRuntime(minutes: number | null): string | null {
  if (!minutes) return null;
  const hours = Math.floor(minutes / 60);
  return hours ? `${hours} h ${String(minutes % 60).padStart(2, '0')} min` : `${minutes} min`;
}

/** Discord's own mention syntax, which renders as the member's name to everyone who can see them. */
export const mention = (userId: string): string => `<@${userId}>`;

/** TMDB ids fit a PostgreSQL INTEGER; longer digit strings are treated as text. */
const MAX_TMDB_ID = 2_147_483_647;

/** Digits that can be a TMDB id (as typed, or as a select option's value), or null. */
export function parseTmdbId(value: string): number | null {
  if (!/^\d{1,10}$/.test(value)) return null;
  const id = Number(value);
  return id > 0 && id <= MAX_TMDB_ID ? id : null;
}

export function tmdbMovieUrl(tmdbId: number): string {
  return `https://www.themoviedb.org/movie/${tmdbId}`;
}
