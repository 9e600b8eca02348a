import type { MetricsPort } from '../metrics-port.js';
import type { JobRunStore } from './types.js';

/**
 * The job store, telling `metrics` how each slot this process claimed ended: a slot another process claimed is not
 * counted here (it is counted where it ran), so the series add up across processes.
 */
export function observedJobRuns(store: JobRunStore, metrics: Pick<MetricsPort, 'jobRun'>): JobRunStore {
  return {
    ...store,
    async claim(claim) {
      const claimed = await store.claim(claim);
      if (claimed && claim.outcome === 'skipped') metrics.jobRun(claim.job, 'skipped');
      return claimed;
    },
    async finish(end) {
      await store.finish(end);
      metrics.jobRun(end.job, end.outcome);
    },
  };
}
