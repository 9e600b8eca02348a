import type { CoreDeps } from '../context.js';
import type { BackgroundWork } from './background-work.js';
import { announcingTasteChanges, type CacheEventBus } from './cache-events.js';
import type { MetricsPort } from '../metrics-port.js';
import { createDiaryService } from './diary.js';
import { createGuildService } from './guilds.js';
import { createGuildRegionService } from './guild-region.js';
import { createImportService, type ImportServiceOptions } from './imports.js';
import { createFeedbackService } from './feedback.js';
import { createMembersService } from './members.js';
import { createMovieNightService, type MovieNightBoard, type MovieNightOptions } from './movie-nights/index.js';
import type { Timers } from './movie-nights/timers.js';
import { createMovieService, type MovieServiceOptions } from './movies.js';
import { createNamingPolicy } from './naming-policy.js';
import { createOnboardingService, type OnboardingOptions } from './onboarding.js';
import { createPrivacyService } from './privacy.js';
import { createProfileService } from './profiles.js';
import { createRatingService } from './ratings.js';
import {
  createRecommendationService,
  RECOMMENDATION_SERVICE_DEFAULTS,
  type RecommendationServiceOptions,
} from './recommendations/index.js';
import { createScheduleService, type NightEventCalendar, type ScheduleServiceOptions } from './schedules/index.js';
import { movieNightStarter } from './schedules/movie-night-starter.js';
import { createStatsService } from './stats.js';
import { createTmdbHealthService } from './tmdb-health.js';
import { createWatchlistService, type WatchlistServiceOptions } from './watchlist.js';

/** Budgets and sizes of the use cases; tests shorten the budgets instead of waiting on real timeouts. */
export interface ServiceOptions {
  imports?: ImportServiceOptions;
  movies?: MovieServiceOptions;
  onboarding?: OnboardingOptions;
  recommendations?: RecommendationServiceOptions;
  watchlist?: WatchlistServiceOptions;
  schedules?: ScheduleServiceOptions;
  movieNights?: MovieNightOptions;
}

/** What the use cases run outside a member's request. */
export interface ServiceDeps {
  background: BackgroundWork;
  /** Where changes other processes' caches must follow are announced (PostgreSQL NOTIFY; none on SQLite). */
  cacheEvents?: CacheEventBus;
  /** Cache hit rates and model builds (for /metrics). */
  metrics?: Pick<MetricsPort, 'cacheLookup' | 'modelBuilt'>;
  /** Discord's scheduled events announcing the scheduled nights (an adapter built with the Discord client). */
  nightEvents?: NightEventCalendar;
  /** Discord as movie nights use it (src/discord/movie-night-board.ts); without it they post nothing. */
  movieNightBoard?: MovieNightBoard;
  /** Waiting for movie-night deadlines and edit intervals (the jobs clock); default: real timers. */
  timers?: Timers;
}

/** Builds every use case once, wiring the ones that depend on each other. */
export function createServices(
  core: CoreDeps,
  { background, cacheEvents, metrics, nightEvents, movieNightBoard, timers }: ServiceDeps,
  options: ServiceOptions = {},
) {
  const members = createMembersService({
    repos: core.repos,
    clock: core.clock,
    activeDays: core.config.memberActiveDays,
  });
  const naming = createNamingPolicy({ users: core.repos.users });
  const local = createRecommendationService(
    core,
    { members, naming, background, ...(cacheEvents ? { cacheEvents } : {}), ...(metrics ? { metrics } : {}) },
    options.recommendations,
  );
  const recommendations = cacheEvents ? announcingTasteChanges(local, cacheEvents) : local;
  const ratings = createRatingService(core, { taste: recommendations });
  // The panel asks for as many ratings as make picks personal.
  const goal = options.recommendations?.fewRatings ?? RECOMMENDATION_SERVICE_DEFAULTS.fewRatings;
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
    guildRegion: createGuildRegionService(core),
    onboarding: createOnboardingService(core, { ratings, members, goal }, options.onboarding),
    stats: createStatsService(core, { recommendations }),
    tmdb: createTmdbHealthService(core),
    imports: createImportService(core, { taste: recommendations }, options.imports),
    schedules: createScheduleService(
      core,
      { starter: movieNightStarter(movieNights), calendar: nightEvents },
      options.schedules,
    ),
  };
}

export type Services = ReturnType<typeof createServices>;
