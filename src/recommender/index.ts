export * from './types.js';
export * from './config.js';
export * from './id-index.js';
export { rowsToColumns } from './coo.js';
export { createRecommenderModel } from './model.js';
export type { FavouriteFilm, ModelInput, RecommenderModel, ScoreOptions } from './model.js';
export type { NeighbourhoodOptions } from './neighbour-filter.js';
export type { PairSimilarity } from './pair-similarity.js';
export type { Agreement } from './agreement.js';
export { strongestSources, type CandidateScore, type RecommendOptions } from './recommend.js';
export type { FilmList, RelatedFilms } from './similar-films.js';
export * from './popular.js';
export { scoreCandidatesFor, type MemberScoring } from './member-scores.js';
export { fitBaselines, type Baselines, type BaselineOptions } from './baselines.js';
export * from './group.js';
export { ALL_GROUP_STRATEGIES, GROUP_STRATEGIES, type GroupStrategy } from './group-strategies.js';
export {
  memberUtilities,
  NO_UTILITY_REASONS,
  UTILITY_BASES,
  type MemberUtilityOptions,
  type NoUtilityReason,
  type Utility,
  type UtilityBasis,
} from './group-utilities.js';
export { DEFAULT_RANK_CALIBRATION, type RankCalibration } from './calibration.js';
export * from './learning/index.js';
