import type { RecommenderModel, ScoreOptions } from './model.js';
import type { CandidateScore } from './recommend.js';

/** One member as a pick for several people scores films for them: their guild's model, their id, the sources' inputs. */
export interface MemberScoring extends ScoreOptions {
  model: RecommenderModel;
  userId: string;
}

/**
 * score(i) of the member's own ranking (recommend.ts) for each candidate film, in the candidates' order, with each
 * source's part: deterministic (no random draws; the same model and inputs give the same figures), so a group pick
 * can combine its participants' scores. Films the member rated or turned down are scored like any other: the caller
 * decides what a group leaves out. A film no source reaches scores 0.
 */
export function scoreCandidatesFor(member: MemberScoring, candidates: readonly number[]): CandidateScore[] {
  const { model, userId, ...sources } = member;
  return model.scoreCandidates(userId, candidates, sources);
}
