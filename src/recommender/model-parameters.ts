import type { RecommenderConfig } from './config.js';
import type { PredictionParameters } from './predict.js';
import type { RankingParameters } from './recommend.js';
import { rankWeights } from './similar-films.js';

/**
 * What the model's steps read, as literals of one shape for every model rather than `config` itself: V8 may change a
 * per-model object's hidden class after a few models (slack tracking), and every optimised function reading it then
 * deoptimises.
 */
export function modelParameters(config: RecommenderConfig) {
  const { ratingMin, ratingMax } = config;
  const prediction: PredictionParameters = {
    neighbours: config.predictionNeighbours,
    minSupport: config.minSupport,
    shrinkage: config.shrinkage,
    damping: config.damping,
    ratingMin,
    ratingMax,
  };
  const ranking: RankingParameters = {
    neighbours: config.rankingNeighbours,
    exponent: config.similarityExponent,
    liked: config.likedRating,
    voteFloor: config.voteFloor,
    ratingMax,
    thumbsUpVote: config.thumbsUpVote,
    thumbsDownVote: config.thumbsDownVote,
    agreementTolerance: config.agreementTolerance,
    minSharedFilms: config.minSharedFilms,
    agreementShrinkage: config.agreementShrinkage,
    rankWeights: rankWeights(config.listLength, config.listRankOffset, config.listRankExponent),
    listWeight: config.listWeight,
    neighbourWeight: config.neighbourWeight,
    favouritesWeight: config.favouritesWeight,
    popularWeight: config.popularWeight,
    seedEvidence: config.seedEvidence,
  };
  const memberFeedback = {
    dislikePenalty: config.dislikePenalty,
    likeBoost: config.likeBoost,
    halfLifeMs: config.feedbackHalfLifeMs,
  };
  const seedParameters = {
    lovedRating: config.lovedRating,
    seedFloor: config.seedFloor,
    ratingMin,
    ratingMax,
    thumbsUpSeed: config.thumbsUpSeed,
    dislikedSeedWeight: config.dislikedSeedWeight,
    listLength: config.listLength,
  };
  return { prediction, ranking, memberFeedback, seedParameters };
}
