import type { CoreDeps } from '../context.js';
import type { BackgroundWork } from './background-work.js';
import { createDiaryService } from './diary.js';
import { createGuildService } from './guilds.js';
import { createFeedbackService } from './feedback.js';
import { createMembersService } from './members.js';
import { createMovieService, type MovieServiceOptions } from './movies.js';
import { createNamingPolicy } from './naming-policy.js';
import { createPrivacyService } from './privacy.js';
import { createProfileService } from './profiles.js';
import { createRatingService } from './ratings.js';
import { createRecommendationService, type RecommendationServiceOptions } from './recommendations/index.js';
import { createStatsService } from './stats.js';
import { createTmdbHealthService } from './tmdb-health.js';
import { createWatchlistService, type WatchlistServiceOptions } from './watchlist.js';

/** Budgets and sizes of the use cases; tests shorten the budgets instead of waiting on real timeouts. */
export interface ServiceOptions {
  movies?: MovieServiceOptions;
  recommendations?: RecommendationServiceOptions;
  watchlist?: WatchlistServiceOptions;
}

/** What the use cases run outside a member's request. */
export interface ServiceDeps {
  background: BackgroundWork;
}

/** Builds every use case once, wiring the ones that depend on each other. */
export function createServices(core: CoreDeps, { background }: ServiceDeps, options: ServiceOptions = {}) {
  const members = createMembersService({
    repos: core.repos,
    clock: core.clock,
    activeDays: core.config.memberActiveDays,
  });
  const naming = createNamingPolicy({ users: core.repos.users });
  const recommendations = createRecommendationService(core, { members, naming, background }, options.recommendations);
  const ratings = createRatingService(core, { taste: recommendations });
  return {
    members,
    recommendations,
    ratings,
    feedback: createFeedbackService(core, { taste: recommendations }),
    movies: createMovieService(core, { members, ...options.movies }),
    diary: createDiaryService(core, { ratings }),
    watchlist: createWatchlistService(core, options.watchlist),
    profiles: createProfileService(core, { similarMembers: recommendations.similarMembers, naming }),
    privacy: createPrivacyService(core, { taste: recommendations }),
    guilds: createGuildService({ members, models: recommendations }),
    stats: createStatsService(core, { recommendations }),
    tmdb: createTmdbHealthService(core),
  };
}

export type Services = ReturnType<typeof createServices>;
