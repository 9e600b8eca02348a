import type { CoreDeps } from '../../context.js';
import {
  DEFAULT_RECOMMENDER_CONFIG,
  meanScale,
  type FavouriteFilm,
  type SourceParts,
} from '../../recommender/index.js';
import { MINUTE_MS } from '../../time.js';
import type { BackgroundWork } from '../background-work.js';
import type { CacheEvent, CacheEventBus, CacheEventHandler } from '../cache-events.js';
import type { MetricsPort } from '../../metrics-port.js';
import type { MembersService } from '../members.js';
import type { NamingPolicy } from '../naming-policy.js';
import type { TasteListener } from '../taste-listener.js';
import { createFilmFacts } from './film-facts.js';
import { createGroupPicks } from './group.js';
import { createGuildModels, type GuildModelOptions } from './guild-models.js';
import { createPopularFilms, type PopularFilmsOptions } from './popular-films.js';
import { createRecommendUseCases, type RecommendUseCaseOptions } from './recommend.js';
import { createRelatedFilms, RELATED_FILMS_DEFAULTS, type RelatedFilmsOptions } from './related-films.js';
import { createSourceLearning, type SourceLearningOptions } from './source-learning.js';
import { createTasteSettings } from './taste-settings.js';

export type { NamedBacker, PickReason, RecommendationPick, RecommendRequest, SeedFilm } from './recommend.js';
export type { PopularListName } from './popular-films.js';
export type { RelatedFilmsReport } from './related-films.js';
export type { GroupPickFilm, GroupPickRequest, GroupPicks } from './group.js';

export interface RecommendationServiceOptions
  extends GuildModelOptions, PopularFilmsOptions, RecommendUseCaseOptions, RelatedFilmsOptions, SourceLearningOptions {}

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
  sourceLearningDays: 180,
  random: Math.random,
  ...RELATED_FILMS_DEFAULTS,
} as const satisfies Required<RecommendationServiceOptions>;

export interface RecommendationServiceDeps {
  members: Pick<MembersService, 'activeSince' | 'activeMemberIds'>;
  /** Who of a pick's backers may be named, and when they may be counted. */
  naming: NamingPolicy;
  /** Where TMDB's list of a film a member just loved is fetched, without the member waiting. */
  background: BackgroundWork;
  /** Where the lists this process stores are announced to the other processes (default: nowhere). */
  cacheEvents?: CacheEventBus;
  /** Cache hit rates and model builds (for /metrics). */
  metrics?: Pick<MetricsPort, 'cacheLookup' | 'modelBuilt'>;
}

/**
 * Personal picks. Wiring only: the per-guild models (./guild-models.ts) kept current through TasteListener,
 * the members' taste settings (./taste-settings.ts), film facts for the filters (./film-facts.ts), TMDB's lists of
 * loved films (./related-films.ts), TMDB's popular films (./popular-films.ts), the server's learnt source weights
 * (./source-learning.ts) and the use cases (./recommend.ts, ./group.ts).
 */
export function createRecommendationService(
  core: CoreDeps,
  { members, naming, background, cacheEvents, metrics }: RecommendationServiceDeps,
  options: RecommendationServiceOptions = {},
) {
  const settings = { ...RECOMMENDATION_SERVICE_DEFAULTS, ...options };
  const { lovedRating } = { ...DEFAULT_RECOMMENDER_CONFIG, ...settings.model };
  const log = core.logger.child({ component: 'recommendations' });
  const taste = createTasteSettings({ users: core.repos.users, log });
  const facts = createFilmFacts({ movies: core.repos.movies });
  const learning = createSourceLearning({ repo: core.repos.recommendations, clock: core.clock }, settings);
  const observed = metrics ? { metrics } : {};
  const models = createGuildModels(
    {
      repos: core.repos,
      members,
      settings: taste,
      sourceEvidence: learning.evidence,
      clock: core.clock,
      log,
      ...observed,
    },
    settings,
  );
  const popular = createPopularFilms({ catalog: core.catalog, movies: core.repos.movies, facts, log }, settings);
  const related = createRelatedFilms(
    {
      repo: core.repos.relatedFilms,
      catalog: core.catalog,
      facts,
      background,
      clock: core.clock,
      log,
      ...(cacheEvents ? { cacheEvents } : {}),
      ...observed,
    },
    settings,
  );
  const { recommend, similarMembers } = createRecommendUseCases(
    {
      repos: core.repos,
      catalog: core.catalog,
      clock: core.clock,
      log,
      models,
      learning,
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

  /** Changes other processes committed: the caches follow them; TMDB work stays with the process that made them. */
  const remote: CacheEventHandler = {
    heard(event: CacheEvent) {
      switch (event.kind) {
        case 'rating':
        case 'feedback':
        case 'forget':
          models.publish(event);
          if (event.kind === 'forget') taste.forgotten(event.userId);
          return;
        case 'settings':
          taste.changed(event.userId);
          return;
        case 'related-list':
          related.forget([event.movieId]);
          return;
        case 'related-lists-pruned':
          related.forget();
          return;
      }
    },
    lost() {
      models.clear();
      related.forget();
    },
  };

  return {
    ...listener,
    ...remote,
    /** Guild models cached now (for /metrics). */
    cachedModels: () => models.size,
    recommend,
    similarMembers,
    /** The server's favourites, as "Loved in this server" picks read them (members who share their taste), best first. */
    async serverFavourites(guildId: string, userId: string, count: number): Promise<FavouriteFilm[]> {
      const entry = await models.modelFor(guildId, userId);
      return entry.model.favourites({ allowedNeighbours: models.allowedNeighbours(entry), count });
    },
    /** The multipliers g_s of the sources' weights that deterministic rankings (group picks) use now. */
    async sourceWeights(guildId: string, userId: string): Promise<SourceParts> {
      const entry = await models.modelFor(guildId, userId);
      return meanScale(entry.sources.evidence);
    },
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
