import { raceSignal, startDeadline, type Schedule } from '../deadline.js';

/** What `/healthz` answers: 200 with `status: 'ok'`, or 503 with what is wrong. */
export interface HealthReport {
  status: 'ok' | 'unavailable';
  /** `ready`, or why not (e.g. `shard 1 is Connecting`). */
  gateway: string;
  /** `ok`, or why not (e.g. `SELECT 1 did not answer within 1000 ms`). */
  database: string;
}

export interface HealthCheckOptions {
  /** null once every shard of this process is ready; otherwise what is not. */
  gateway: () => string | null;
  /** `SELECT 1`; rejects when the database does not answer. */
  database: () => Promise<unknown>;
  /** How long the database may take (Docker's HEALTHCHECK and load balancers want an answer quickly). */
  timeoutMs?: number;
  /** Injected so tests pass the timeout without waiting. */
  schedule?: Schedule;
}

/** Longest error text in a report: enough to say what failed, never a dump. */
const MAX_REASON_LENGTH = 200;

/** The process is healthy while every shard it runs is ready and the database answers within `timeoutMs`. */
export function createHealthCheck({ gateway, database, timeoutMs = 1_000, schedule }: HealthCheckOptions) {
  async function probeDatabase(): Promise<string> {
    const deadline = startDeadline(timeoutMs, schedule);
    try {
      await raceSignal(database(), deadline.signal, () => {
        throw new Error(`SELECT 1 did not answer within ${timeoutMs} ms`);
      });
      return 'ok';
    } catch (error) {
      const text = error instanceof Error ? error.message : String(error);
      return text.length > MAX_REASON_LENGTH ? `${text.slice(0, MAX_REASON_LENGTH - 1)}…` : text;
    } finally {
      deadline.cancel();
    }
  }

  return async function check(): Promise<HealthReport> {
    const shards = gateway();
    const db = await probeDatabase();
    const ok = shards === null && db === 'ok';
    return { status: ok ? 'ok' : 'unavailable', gateway: shards ?? 'ready', database: db };
  };
}

export type HealthCheck = ReturnType<typeof createHealthCheck>;
