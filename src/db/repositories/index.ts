import type { Database } from '../database.js';
import { createFeedbackRepository } from './feedback.js';
import { createGuildsRepository } from './guilds.js';
import { createImportsRepository } from './imports.js';
import { createJobRunsRepository } from './job-runs.js';
import { createMovieCacheRepository } from './movie-cache.js';
import { createMemberDataRepository } from './member-data.js';
import { createMoviesRepository } from './movies.js';
import { createMovieNightsRepository } from './movie-nights.js';
import { createRatingsRepository } from './ratings.js';
import { createRecommendationsRepository } from './recommendations.js';
import { createRelatedFilmsRepository } from './related-films.js';
import { createSchedulesRepository } from './schedules.js';
import { createSeedRepository } from './seed.js';
import { createTombstonesRepository } from './tombstones.js';
import { createUsersRepository } from './users.js';
import { createWatchLogRepository } from './watch-log.js';
import { createWatchlistRepository } from './watchlist.js';
import { createUnitOfWork } from '../unit-of-work.js';

export function createRepositories(database: Database) {
  const { models, sequelize } = database;
  return {
    /** Runs repository calls given its `tx` in one transaction (see unit-of-work.ts). */
    unitOfWork: createUnitOfWork(sequelize),
    users: createUsersRepository(models),
    guilds: createGuildsRepository(models),
    movies: createMoviesRepository(models),
    ratings: createRatingsRepository(models, sequelize),
    watchLog: createWatchLogRepository(models),
    watchlist: createWatchlistRepository(models),
    recommendations: createRecommendationsRepository(models, sequelize),
    feedback: createFeedbackRepository(models, sequelize),
    jobRuns: createJobRunsRepository(sequelize),
    movieCache: createMovieCacheRepository(sequelize),
    memberData: createMemberDataRepository(sequelize),
    relatedFilms: createRelatedFilmsRepository(sequelize),
    schedules: createSchedulesRepository(sequelize),
    movieNights: createMovieNightsRepository(database),
    tombstones: createTombstonesRepository(database),
    imports: createImportsRepository(models, sequelize),
    /** Bulk, idempotent writes of `npm run seed` and the demo (src/seed/seed.ts). */
    seed: createSeedRepository(database),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
