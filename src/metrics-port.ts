/**
 * What the bot reports for `/metrics`, as plain calls: the router, the TMDB transport, the caches and the job store
 * call these, and src/http/metrics.ts turns them into Prometheus series. A module takes only the methods it reports
 * (`Pick<MetricsPort, …>`), and NO_METRICS when nobody listens, so nothing here depends on prom-client.
 */
export interface MetricsPort {
  /** An interaction finished: which command, what kind (command, autocomplete, component…), how it ended. */
  interactionHandled(info: { command: string; kind: string; outcome: InteractionOutcome }): void;
  /** Discord took the interaction's first answer (reply, defer or autocomplete choices) this long after it arrived. */
  interactionAnswered(info: { command: string; kind: string; seconds: number }): void;
  /** One HTTP attempt to TMDB ended: its status code, or `timeout` / `network` when none came. */
  tmdbAttempt(status: string): void;
  /** A failed TMDB attempt is being retried. */
  tmdbRetry(): void;
  /** A cache was asked for something: found (`hit`) or not. */
  cacheLookup(cache: CacheName, hit: boolean): void;
  /** A guild's recommendation model was built from the database. */
  modelBuilt(seconds: number): void;
  /** A scheduled job's slot ended this way in this process. */
  jobRun(job: string, outcome: 'succeeded' | 'failed' | 'skipped'): void;
}

export type InteractionOutcome = 'ok' | 'refused' | 'failed' | 'gone';

/** The in-process caches whose hit rate is reported. */
export type CacheName = 'guild-models' | 'related-lists' | 'tmdb-lists' | 'tmdb-providers';

export const NO_METRICS: MetricsPort = {
  interactionHandled: () => undefined,
  interactionAnswered: () => undefined,
  tmdbAttempt: () => undefined,
  tmdbRetry: () => undefined,
  cacheLookup: () => undefined,
  modelBuilt: () => undefined,
  jobRun: () => undefined,
};
