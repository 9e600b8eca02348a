import type { CoreDeps } from '../../context.js';
import { DEFAULT_RECOMMENDER_CONFIG } from '../../recommender/index.js';
import { MINUTE_MS } from '../../time.js';
import type { BackgroundWork } from '../background-work.js';
import type { MembersService } from '../members.js';
import type { NamingPolicy } from '../naming-policy.js';
import type { TasteListener } from '../taste-listener.js';
import { createFilmFacts } from './film-facts.js';
import { createGroupPicks } from './group.js';
import { createGuildModels, type GuildModelOptions } from './guild-models.js';
import { createPopularFilms, type PopularFilmsOptions } from './popular-films.js';
import { createRecommendUseCases, type RecommendUseCaseOptions } from './recommend.js';
import { createRelatedFilms, RELATED_FILMS_DEFAULTS, type RelatedFilmsOptions } from './related-films.js';
import { createTasteSettings } from './taste-settings.js';

export type { NamedBacker, PickReason, RecommendationPick, RecommendRequest, SeedFilm } from './recommend.js';
export type { PopularListName } from './popular-films.js';
export type { RelatedFilmsReport } from './related-films.js';
export type { GroupPickFilm, GroupPickRequest, GroupPicks } from './group.js';

export interface RecommendationServiceOptions
  extends GuildModelOptions, PopularFilmsOptions, RecommendUseCaseOptions, RelatedFilmsOptions {}

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
  fewRatings: 5,
  genreBoost: 1,
  cardBudgetMs: 3_000,
  tieBreakBudgetMs: 1_500,
  model: {},
  ...RELATED_FILMS_DEFAULTS,
} as const satisfies Required<RecommendationServiceOptions>;

export interface RecommendationServiceDeps {
  members: Pick<MembersService, 'activeSince' | 'activeMemberIds'>;
  /** Who of a pick's backers may be named, and when they may be counted. */
  naming: NamingPolicy;
  /** Where TMDB's list of a film a member just loved is fetched, without the member waiting. */
  background: BackgroundWork;
}

/**
 * Personal picks. Wiring only: the per-guild models (./guild-models.ts) kept current through TasteListener,
 * the members' taste settings (./taste-settings.ts), film facts for the filters (./film-facts.ts), TMDB's lists of
 * loved films (./related-films.ts), TMDB's popular films (./popular-films.ts) and the use cases (./recommend.ts,
 * ./group.ts).
 */
export function createRecommendationService(
  core: CoreDeps,
  { members, naming, background }: RecommendationServiceDeps,
  options: RecommendationServiceOptions = {},
) {
  const settings = { ...RECOMMENDATION_SERVICE_DEFAULTS, ...options };
  const { lovedRating } = { ...DEFAULT_RECOMMENDER_CONFIG, ...settings.model };
  const log = core.logger.child({ component: 'recommendations' });
  const taste = createTasteSettings({ users: core.repos.users, log });
  const facts = createFilmFacts({ movies: core.repos.movies });
  const models = createGuildModels({ repos: core.repos, members, settings: taste, clock: core.clock, log }, settings);
  const popular = createPopularFilms({ catalog: core.catalog, movies: core.repos.movies, facts, log }, settings);
  const related = createRelatedFilms(
    { repo: core.repos.relatedFilms, catalog: core.catalog, facts, background, clock: core.clock, log },
    settings,
  );
  const { recommend, similarMembers } = createRecommendUseCases(
    {
      repos: core.repos,
      catalog: core.catalog,
      clock: core.clock,
      log,
      models,
      facts,
      popular,
      related,
      naming,
      defaultRegion: core.config.tmdb.region,
      lovedRating,
    },
    settings,
  );
  const group = createGroupPicks(
    { repos: core.repos, catalog: core.catalog, log, models, facts, popular, related, lovedRating },
    { genreBoost: settings.genreBoost },
  );

  const listener: TasteListener = {
    ratingChanged(userId, movieId, score) {
      models.publish({ kind: 'rating', userId, movieId, score });
      if (score !== null && score >= lovedRating) related.loved(movieId);
    },
    feedbackChanged(userId, movieId, value) {
      models.publish({ kind: 'feedback', userId, movieId, value });
      if (value === 1) related.loved(movieId);
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
    /** Picks for a group (a movie night): the group recommender over the members' own rankings (./group.ts). */
    recommendForGroup: group.recommendForGroup,
    /** The nightly pass over TMDB's lists (the related-films job). */
    refreshRelatedFilms: (run: { signal?: AbortSignal; log?: typeof log } = {}) =>
      related.refreshDue({ ...run, lovedRating }),
    /** The bot left the guild: its model goes at once rather than when idle, and one being built is not kept. */
    guildForgotten: models.forget,
    /** Clears the timers (idle sweep, pending refit); cached models are dropped. */
    stop: models.stop,
  };
}

export type RecommendationService = ReturnType<typeof createRecommendationService>;
