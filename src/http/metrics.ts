import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import type { MetricsPort } from '../metrics-port.js';

export interface MetricsGauges {
  /** TMDB requests waiting in the client's queue or in flight. */
  tmdbQueueLength: () => number;
  /** Guild recommendation models cached in memory. */
  cachedModels: () => number;
  /**
   * Movie-night polls still open: the place for the movie-night issue to plug its count into (`marquee_open_polls`
   * is exported only when given).
   */
  openPolls?: () => number | Promise<number>;
}

/** A Prometheus text exposition. */
export interface Exposition {
  contentType: string;
  body: string;
}

export interface Metrics {
  /** What the bot's modules report to. */
  port: MetricsPort;
  registry: Registry;
  render(): Promise<Exposition>;
}

/**
 * The bot's Prometheus series on a registry of its own (never prom-client's global one, so two bots in one test process
 * do not mix), with Node's default process metrics. Cache hit rate: `rate(marquee_cache_lookups_total{result="hit"}[5m])
 * / rate(marquee_cache_lookups_total[5m])` per `cache`.
 */
export function createMetrics(gauges: MetricsGauges): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const interactions = new Counter({
    name: 'marquee_interactions_total',
    help: 'Interactions handled, by command, kind (command, autocomplete, component, …) and outcome (ok, refused, failed, gone)',
    labelNames: ['command', 'kind', 'outcome'] as const,
    registers,
  });
  const answers = new Histogram({
    name: 'marquee_interaction_answer_seconds',
    help: "Time from an interaction's arrival to Discord taking its first answer (reply, defer or choices); Discord's limit is 3 s",
    labelNames: ['command', 'kind'] as const,
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2, 3, 5],
    registers,
  });
  const tmdbRequests = new Counter({
    name: 'marquee_tmdb_requests_total',
    help: 'HTTP attempts to TMDB by status code, or timeout / network when no answer came',
    labelNames: ['status'] as const,
    registers,
  });
  const tmdbRetries = new Counter({
    name: 'marquee_tmdb_retries_total',
    help: 'TMDB attempts retried after a 429, a 5xx, a timeout or a network error',
    registers,
  });
  new Gauge({
    name: 'marquee_tmdb_queue_length',
    help: 'TMDB requests waiting in the rate-capped queue or in flight',
    registers,
    collect() {
      this.set(gauges.tmdbQueueLength());
    },
  });
  const cacheLookups = new Counter({
    name: 'marquee_cache_lookups_total',
    help: 'In-memory cache lookups by cache (guild-models, related-lists, tmdb-lists, tmdb-providers) and result (hit, miss)',
    labelNames: ['cache', 'result'] as const,
    registers,
  });
  const modelBuilds = new Histogram({
    name: 'marquee_model_build_seconds',
    help: "Builds of a guild's recommendation model from the database (the count is the number of builds)",
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers,
  });
  new Gauge({
    name: 'marquee_cached_models',
    help: 'Guild recommendation models cached in memory',
    registers,
    collect() {
      this.set(gauges.cachedModels());
    },
  });
  const jobRuns = new Counter({
    name: 'marquee_job_runs_total',
    help: 'Scheduled job slots this process ran, by job and outcome (succeeded, failed, skipped)',
    labelNames: ['job', 'outcome'] as const,
    registers,
  });
  const { openPolls } = gauges;
  if (openPolls) {
    new Gauge({
      name: 'marquee_open_polls',
      help: 'Movie-night polls still open',
      registers,
      async collect() {
        this.set(await openPolls());
      },
    });
  }

  const port: MetricsPort = {
    interactionHandled: ({ command, kind, outcome }) => interactions.inc({ command, kind, outcome }),
    interactionAnswered: ({ command, kind, seconds }) => answers.observe({ command, kind }, seconds),
    tmdbAttempt: (status) => tmdbRequests.inc({ status }),
    tmdbRetry: () => tmdbRetries.inc(),
    cacheLookup: (cache, hit) => cacheLookups.inc({ cache, result: hit ? 'hit' : 'miss' }),
    modelBuilt: (seconds) => modelBuilds.observe(seconds),
    jobRun: (job, outcome) => jobRuns.inc({ job, outcome }),
  };

  return {
    port,
    registry,
    async render() {
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
