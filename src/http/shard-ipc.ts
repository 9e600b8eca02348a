import { randomUUID } from 'node:crypto';
import { AggregatorRegistry } from 'prom-client';
import { z } from 'zod';
import type { Logger } from '../logger.js';
import type { HealthCheck, HealthReport } from './health.js';
import type { Exposition, Metrics } from './metrics.js';

/**
 * Under `npm run start:sharded` one HTTP_PORT serves every shard process: the manager asks each process over the IPC
 * channel ShardingManager opened (`{ marquee: 'health' | 'metrics', requestId }`) and each answers with its report.
 */
const requestSchema = z.object({ marquee: z.enum(['health', 'metrics']), requestId: z.string() });
const answerSchema = z.object({
  marquee: z.enum(['health', 'metrics']),
  requestId: z.string(),
  answer: z.unknown(),
});
const healthSchema = z.object({
  status: z.enum(['ok', 'unavailable']),
  gateway: z.string(),
  database: z.string(),
});

/** In a shard process: answers the manager's questions with this process's health and metrics. Returns a stop. */
export function answerShardManager({
  health,
  metrics,
  logger,
}: {
  health: HealthCheck;
  metrics: Metrics;
  logger: Logger;
}): () => void {
  const listener = (message: unknown) => {
    const request = requestSchema.safeParse(message);
    if (!request.success || !process.send) return;
    const { marquee, requestId } = request.data;
    const answer = marquee === 'health' ? health() : metrics.registry.getMetricsAsJSON();
    answer.then(
      (value) => process.send?.({ marquee, requestId, answer: value }),
      (error: unknown) => logger.warn({ err: error, marquee }, 'could not answer the sharding manager'),
    );
  };
  process.on('message', listener);
  return () => process.off('message', listener);
}

/** A shard process as the manager sees it (discord.js's Shard). */
export interface ShardProcess {
  id: number;
  send(message: unknown): Promise<unknown>;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  off(event: 'message', listener: (message: unknown) => void): unknown;
}

/** Every shard's health, as `/healthz` of the manager answers it. */
export interface ShardsHealth {
  status: 'ok' | 'unavailable';
  shards: ({ id: number } & (HealthReport | { status: 'unavailable'; process: string }))[];
}

/**
 * In the manager: asks each shard process in turn, each within `timeoutMs`; a process that does not answer (starting,
 * respawning, hung) is unavailable.
 */
export function askShards(shards: () => readonly ShardProcess[], timeoutMs = 1_500) {
  function ask(shard: ShardProcess, marquee: 'health' | 'metrics'): Promise<unknown> {
    const requestId = randomUUID();
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        shard.off('message', listener);
        reject(new Error(`shard ${shard.id} did not answer within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener = (message: unknown) => {
        const parsed = answerSchema.safeParse(message);
        if (!parsed.success || parsed.data.requestId !== requestId) return;
        clearTimeout(timer);
        shard.off('message', listener);
        resolve(parsed.data.answer);
      };
      shard.on('message', listener);
      shard.send({ marquee, requestId }).catch((error: unknown) => {
        clearTimeout(timer);
        shard.off('message', listener);
        reject(error instanceof Error ? error : new Error(String(error)));
      });
    });
  }

  return {
    async health(): Promise<ShardsHealth> {
      const reports = await Promise.all(
        shards().map(async (shard) => {
          try {
            return { id: shard.id, ...healthSchema.parse(await ask(shard, 'health')) };
          } catch (error) {
            return { id: shard.id, status: 'unavailable' as const, process: (error as Error).message };
          }
        }),
      );
      const ok = reports.length > 0 && reports.every((report) => report.status === 'ok');
      return { status: ok ? 'ok' : 'unavailable', shards: reports };
    },

    /** Every shard's series added up (counters and gauges summed, as prom-client aggregates cluster workers). */
    async metrics(): Promise<Exposition> {
      const answers = await Promise.allSettled(shards().map((shard) => ask(shard, 'metrics')));
      const registries = answers.flatMap((answer) =>
        answer.status === 'fulfilled' && Array.isArray(answer.value) ? [answer.value] : [],
      );
      const registry = AggregatorRegistry.aggregate(registries);
      return { contentType: registry.contentType, body: await registry.metrics() };
    },
  };
}
