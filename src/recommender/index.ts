export * from './types.js';
export * from './config.js';
export * from './id-index.js';
export { rowsToColumns } from './coo.js';
export { createRecommenderModel } from './model.js';
export type { ModelInput, NeighbourhoodOptions, PairSimilarity, RecommendOptions, RecommenderModel } from './model.js';
export * from './cold-start.js';
export { fitBaselines, type Baselines, type BaselineOptions } from './baselines.js';
