import type { CoreDeps } from '../../context.js';
import type { MembersService } from '../members.js';
import type { NamingPolicy } from '../naming-policy.js';
import type { TasteListener } from '../taste-listener.js';
import { createFilmFacts } from './film-facts.js';
import { createGuildModels, type GuildModelOptions } from './guild-models.js';
import { createPopularFilms, type PopularFilmsOptions } from './popular-films.js';
import { createRecommendUseCases, type RecommendUseCaseOptions } from './recommend.js';
import { createTasteSettings } from './taste-settings.js';
import { MINUTE_MS } from '../../time.js';

export type { NamedBacker, PickReason, RecommendationPick, RecommendRequest } from './recommend.js';

export interface RecommendationServiceOptions extends GuildModelOptions, PopularFilmsOptions, RecommendUseCaseOptions {}

export const RECOMMENDATION_SERVICE_DEFAULTS = {
  idleMs: 30 * MINUTE_MS,
  maxGuilds: 200,
  sweepIntervalMs: MINUTE_MS,
  membershipRefreshMs: 5 * MINUTE_MS,
  excludeWatchlisted: true,
  popularPages: 3,
  popularBudgetMs: 5_000,
  cachedPopularLimit: 200,
  maxContributors: 3,
  model: {},
  coldStart: {},
} as const satisfies Required<RecommendationServiceOptions>;

export interface RecommendationServiceDeps {
  members: Pick<MembersService, 'activeSince' | 'activeMemberIds'>;
  /** Who of a pick's backers may be named, and when they may be counted. */
  naming: NamingPolicy;
}

/**
 * Personal picks. Wiring only: the per-guild models (./guild-models.ts) kept current through TasteListener,
 * the members' taste settings (./taste-settings.ts), film facts for the filters (./film-facts.ts), cold-start
 * films from TMDB (./popular-films.ts) and the use cases (./recommend.ts).
 */
export function createRecommendationService(
  core: CoreDeps,
  { members, naming }: RecommendationServiceDeps,
  options: RecommendationServiceOptions = {},
) {
  const settings = { ...RECOMMENDATION_SERVICE_DEFAULTS, ...options };
  const log = core.logger.child({ component: 'recommendations' });
  const taste = createTasteSettings({ users: core.repos.users, log });
  const facts = createFilmFacts({ movies: core.repos.movies });
  const models = createGuildModels({ repos: core.repos, members, settings: taste, clock: core.clock, log }, settings);
  const popular = createPopularFilms({ catalog: core.catalog, movies: core.repos.movies, facts, log }, settings);
  const { recommend, similarMembers } = createRecommendUseCases(
    { repos: core.repos, catalog: core.catalog, clock: core.clock, log, models, facts, popular, naming },
    settings,
  );

  const listener: TasteListener = {
    ratingChanged(userId, movieId, score) {
      models.publish({ kind: 'rating', userId, movieId, score });
    },
    feedbackChanged(userId, movieId, value) {
      models.publish({ kind: 'feedback', userId, movieId, value });
    },
    userForgotten(userId) {
      models.publish({ kind: 'forget', userId });
      taste.forgotten(userId);
    },
    settingsChanged(userId) {
      taste.changed(userId);
    },
  };

  return {
    ...listener,
    recommend,
    similarMembers,
    /** The bot left the guild: its model goes at once rather than when idle, and one being built is not kept. */
    guildForgotten: models.forget,
    /** Clears the timers (idle sweep, pending refit); cached models are dropped. */
    stop: models.stop,
  };
}

export type RecommendationService = ReturnType<typeof createRecommendationService>;
