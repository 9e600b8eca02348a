import type { RecommendationService } from '../services/recommendations/index.js';
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

/**
 * TMDB's lists of the films members loved (the similar-films source of the picks), nightly at 04:45 UTC, after the
 * cache pass: lists older than 180 days are deleted (TMDB's terms), missing or 30-day-stale ones fetched, a bounded
 * batch on the TMDB client's background lane. Catch-up `always`: a night missed still leaves lists to refresh.
 */
export function relatedFilmsJob(recommendations: Pick<RecommendationService, 'refreshRelatedFilms'>): JobDefinition {
  return {
    name: 'related-films',
    cron: '45 4 * * *',
    timeZone: 'UTC',
    catchUp: CATCH_UP.always,
    async run({ signal, log }) {
      await recommendations.refreshRelatedFilms({ signal, log });
    },
  };
}
