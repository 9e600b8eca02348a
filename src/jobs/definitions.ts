import type { TmdbCacheService } from '../services/tmdb-cache.js';
import { CATCH_UP } from './catch-up.js';
import type { JobDefinition } from './types.js';

/**
 * TMDB's 6-month cache limit, daily at 04:15 UTC (a quiet hour in Europe and the Americas; UTC so daylight
 * saving never moves or doubles it). Catch-up `always`: a pass missed while the bot was down still counts.
 */
export function tmdbCacheJob(tmdbCache: Pick<TmdbCacheService, 'enforceAgeLimit'>): JobDefinition {
  return {
    name: 'tmdb-cache',
    cron: '15 4 * * *',
    timeZone: 'UTC',
    catchUp: CATCH_UP.always,
    async run({ signal, log }) {
      await tmdbCache.enforceAgeLimit({ signal, log });
    },
  };
}
