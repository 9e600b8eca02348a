import { z } from 'zod';
import type { TasteListener } from './taste-listener.js';

/**
 * A change committed in one process that the caches of every other process sharing the database must follow
 * (src/db/cache-notifications.ts carries it over PostgreSQL's LISTEN/NOTIFY). Member-level changes only: a guild's
 * own events reach the one process that runs its shard.
 */
export type CacheEvent =
  | { kind: 'rating'; userId: string; movieId: number; score: number | null }
  | { kind: 'feedback'; userId: string; movieId: number; value: 1 | -1 | null }
  | { kind: 'forget'; userId: string }
  | { kind: 'settings'; userId: string }
  /** TMDB's list of a film was stored anew. */
  | { kind: 'related-list'; movieId: number }
  /** Lists past TMDB's age limit were deleted. */
  | { kind: 'related-lists-pruned' };

/** Where a process announces what it changed; a no-op where no other process shares the data (SQLite). */
export interface CacheEventBus {
  publish(event: CacheEvent): void;
}

export const NO_CACHE_EVENTS: CacheEventBus = { publish: () => undefined };

/** What a process does with what it hears. */
export interface CacheEventHandler {
  /** Another process committed this change. */
  heard(event: CacheEvent): void;
  /** Changes may have been missed (the connection that carries them was lost): cached data can no longer be trusted. */
  lost(): void;
}

const snowflake = z.string().regex(/^\d{1,20}$/);
const movieId = z.number().int().positive();

/** A payload from another process is parsed like any outside input. */
export const cacheEventSchema: z.ZodType<CacheEvent> = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('rating'),
    userId: snowflake,
    movieId,
    score: z.number().min(0.5).max(5).nullable(),
  }),
  z.object({
    kind: z.literal('feedback'),
    userId: snowflake,
    movieId,
    value: z.union([z.literal(1), z.literal(-1)]).nullable(),
  }),
  z.object({ kind: z.literal('forget'), userId: snowflake }),
  z.object({ kind: z.literal('settings'), userId: snowflake }),
  z.object({ kind: z.literal('related-list'), movieId }),
  z.object({ kind: z.literal('related-lists-pruned') }),
]);

/**
 * `listener` (the recommendation service) as it is, except that each change it hears is also announced on `bus`,
 * after it was applied here: every service that tells it of a change tells the other processes too.
 */
export function announcingTasteChanges<Listener extends TasteListener>(
  listener: Listener,
  bus: CacheEventBus,
): Listener {
  return {
    ...listener,
    ratingChanged(userId, movieId, score) {
      listener.ratingChanged(userId, movieId, score);
      bus.publish({ kind: 'rating', userId, movieId, score });
    },
    feedbackChanged(userId, movieId, value) {
      listener.feedbackChanged(userId, movieId, value);
      bus.publish({ kind: 'feedback', userId, movieId, value });
    },
    userForgotten(userId) {
      listener.userForgotten(userId);
      bus.publish({ kind: 'forget', userId });
    },
    settingsChanged(userId) {
      listener.settingsChanged(userId);
      bus.publish({ kind: 'settings', userId });
    },
  };
}
