import type { GrowableCsr } from './growable-csr.js';
import type { IdIndex } from './id-index.js';
import type { MemberStats } from './member-stats.js';
import type { FeedbackValue } from './types.js';

/**
 * What a model knows, passed whole to its steps: the ratings both ways round and the reactions, over dense
 * indices. The fitted baselines travel apart, since a refit replaces them.
 */
export interface ModelData {
  readonly users: IdIndex<string>;
  readonly items: IdIndex<number>;
  /** Row u: the films member u rated, with the ratings. */
  readonly byUser: GrowableCsr;
  /** Row i: the members who rated film i, with the ratings (the inverted index). */
  readonly byItem: GrowableCsr;
  /** 👍/👎 by member, then film. */
  readonly feedback: Map<number, Map<number, FeedbackValue>>;
  /** Liked films and rating sums per member, kept current with the rows. */
  readonly stats: MemberStats;
}
