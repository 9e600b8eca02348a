import type { Database } from '../database.js';
import { createFeedbackRepository } from './feedback.js';
import { createGuildsRepository } from './guilds.js';
import { createJobRunsRepository } from './job-runs.js';
import { createMovieCacheRepository } from './movie-cache.js';
import { createMoviesRepository } from './movies.js';
import { createRatingsRepository } from './ratings.js';
import { createRecommendationsRepository } from './recommendations.js';
import { createUsersRepository } from './users.js';
import { createWatchLogRepository } from './watch-log.js';
import { createWatchlistRepository } from './watchlist.js';

export function createRepositories({ models, sequelize }: Database) {
  return {
    users: createUsersRepository(models),
    guilds: createGuildsRepository(models),
    movies: createMoviesRepository(models),
    ratings: createRatingsRepository(models, sequelize),
    watchLog: createWatchLogRepository(models),
    watchlist: createWatchlistRepository(models),
    recommendations: createRecommendationsRepository(models, sequelize),
    feedback: createFeedbackRepository(models),
    jobRuns: createJobRunsRepository(sequelize),
    movieCache: createMovieCacheRepository(sequelize),
  };
}

export type Repositories = ReturnType<typeof createRepositories>;
