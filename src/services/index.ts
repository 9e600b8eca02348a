import type { CoreDeps } from '../context.js';
import type { BackgroundWork } from './background-work.js';
import { createDiaryService } from './diary.js';
import { createGuildService } from './guilds.js';
import { createFeedbackService } from './feedback.js';
import { createMembersService } from './members.js';
import { createMovieNightService, type MovieNightBoard, type MovieNightOptions } from './movie-nights/index.js';
import type { Timers } from './movie-nights/timers.js';
import { createMovieService, type MovieServiceOptions } from './movies.js';
import { createNamingPolicy } from './naming-policy.js';
import { createPrivacyService } from './privacy.js';
import { createProfileService } from './profiles.js';
import { createRatingService } from './ratings.js';
import { createRecommendationService, type RecommendationServiceOptions } from './recommendations/index.js';
import { createTmdbHealthService } from './tmdb-health.js';
import { createWatchlistService, type WatchlistServiceOptions } from './watchlist.js';

/** Budgets and sizes of the use cases; tests shorten the budgets instead of waiting on real timeouts. */
export interface ServiceOptions {
  movies?: MovieServiceOptions;
  recommendations?: RecommendationServiceOptions;
  watchlist?: WatchlistServiceOptions;
  movieNights?: MovieNightOptions;
}

/** What the use cases run outside a member's request. */
export interface ServiceDeps {
  background: BackgroundWork;
  /** Discord as movie nights use it (src/discord/movie-night-board.ts); without it they post nothing. */
  movieNightBoard?: MovieNightBoard;
  /** Waiting for movie-night deadlines and edit intervals (the jobs clock); default: real timers. */
  timers?: Timers;
}

/** Builds every use case once, wiring the ones that depend on each other. */
export function createServices(
  core: CoreDeps,
  { background, movieNightBoard, timers }: ServiceDeps,
  options: ServiceOptions = {},
) {
  const members = createMembersService({
    repos: core.repos,
    clock: core.clock,
    activeDays: core.config.memberActiveDays,
  });
  const naming = createNamingPolicy({ users: core.repos.users });
  const recommendations = createRecommendationService(core, { members, naming, background }, options.recommendations);
  const ratings = createRatingService(core, { taste: recommendations });
  const watchlist = createWatchlistService(core, options.watchlist);
  const movieNights = createMovieNightService(
    core,
    {
      recommendations,
      naming,
      watchlist,
      ...(movieNightBoard ? { board: movieNightBoard } : {}),
      ...(timers ? { timers } : {}),
    },
    options.movieNights,
  );
  return {
    members,
    recommendations,
    ratings,
    feedback: createFeedbackService(core, { taste: recommendations }),
    movies: createMovieService(core, { members, ...options.movies }),
    diary: createDiaryService(core, { ratings }),
    watchlist,
    movieNights,
    profiles: createProfileService(core, { similarMembers: recommendations.similarMembers, naming }),
    privacy: createPrivacyService(core, { taste: recommendations, movieNights }),
    guilds: createGuildService({ members, models: recommendations }),
    tmdb: createTmdbHealthService(core),
  };
}

export type Services = ReturnType<typeof createServices>;
