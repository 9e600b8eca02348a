import type { RecommendationsRepository, ShownPickRow } from '../../db/repositories/recommendations.js';
import {
  pickOutcome,
  evidenceFrom,
  requestScale,
  type RandomSource,
  type ShownPick,
  type SourceParts,
  type SourceEvidence,
} from '../../recommender/index.js';
import { DAY_MS } from '../../time.js';

export interface SourceLearningOptions {
  /** Pick cards older than this many days no longer count in a server's source weights. */
  sourceLearningDays?: number;
  /** Where the Thompson draws come from (Math.random; a seeded source in tests). */
  random?: RandomSource;
}

export interface SourceLearningDeps {
  repo: Pick<RecommendationsRepository, 'shownPicks'>;
  clock: () => Date;
}

/** A stored card and what its member did, in the terms of the outcome rules (epoch ms). */
export function shownPickOf(row: ShownPickRow): ShownPick {
  return {
    source: row.source,
    shownAt: row.shownAt.getTime(),
    reaction: row.reaction && { value: row.reaction.value, at: row.reaction.at.getTime() },
    rating: row.rating && { score: row.rating.score, at: row.rating.at.getTime() },
  };
}

/**
 * Each server's evidence about its pick sources (src/recommender/learning/), rebuilt from the server's stored pick
 * cards of the last `sourceLearningDays` (180: a server's members and taste change) and the reactions and ratings of
 * the members they were for (learning/outcomes.ts); and the Thompson draw of a request.
 */
export function createSourceLearning({ repo, clock }: SourceLearningDeps, options: Required<SourceLearningOptions>) {
  return {
    async evidence(guildId: string): Promise<SourceEvidence> {
      const since = new Date(clock().getTime() - options.sourceLearningDays * DAY_MS);
      const rows = await repo.shownPicks(guildId, since);
      return evidenceFrom(
        rows.map((row) => {
          const pick = shownPickOf(row);
          return { source: pick.source, outcome: pickOutcome(pick) };
        }),
      );
    },

    /** One request's multipliers of the sources' weights: a Thompson draw once the server has any outcome. */
    draw(evidence: SourceEvidence): SourceParts {
      return requestScale(evidence, options.random);
    },
  };
}

export type SourceLearning = ReturnType<typeof createSourceLearning>;
