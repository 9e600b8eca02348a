import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Logger } from '../logger.js';
import type { Exposition } from './metrics.js';

/** What `/healthz` answers with: `ok` decides between 200 and 503, `body` is the JSON sent either way. */
export interface HealthAnswer {
  ok: boolean;
  body: unknown;
}

export interface HttpServerOptions {
  host: string;
  /** 0 picks a free port (tests). */
  port: number;
  health: () => Promise<HealthAnswer>;
  metrics: () => Promise<Exposition>;
  logger: Logger;
}

export interface HttpServer {
  /** Listens; resolves with the port (the chosen one when 0 was asked for). */
  start(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The health and metrics endpoint: `GET /healthz` (200 or 503, JSON) and `GET /metrics` (Prometheus text). Nothing
 * else: other paths are 404, other methods 405. It reads state and changes none, so it needs no authentication as
 * long as it listens where only the operator reaches it (127.0.0.1 by default).
 */
export function createHttpServer({ host, port, health, metrics, logger }: HttpServerOptions): HttpServer {
  const log = logger.child({ component: 'http' });

  async function answer(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path !== '/healthz' && path !== '/metrics') return send(response, 404, 'text/plain', 'Not found\n');
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.setHeader('allow', 'GET, HEAD');
      return send(response, 405, 'text/plain', 'Method not allowed\n');
    }
    if (path === '/healthz') {
      const { ok, body } = await health();
      return send(response, ok ? 200 : 503, 'application/json', `${JSON.stringify(body)}\n`);
    }
    const exposition = await metrics();
    return send(response, 200, exposition.contentType, exposition.body);
  }

  const server = createServer((request, response) => {
    answer(request, response).catch((error: unknown) => {
      log.error({ err: error, url: request.url }, 'health or metrics request failed');
      if (!response.headersSent) send(response, 500, 'text/plain', 'Internal error\n');
      else response.destroy();
    });
  });

  return {
    start: () =>
      new Promise<number>((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          server.off('error', reject);
          const chosen = (server.address() as AddressInfo).port;
          log.info({ host, port: chosen }, `Health and metrics on http://${host}:${chosen}/healthz and /metrics`);
          resolve(chosen);
        });
      }),
    stop: () =>
      new Promise<void>((resolve, reject) => {
        if (!server.listening) return resolve();
        server.closeAllConnections();
        server.close((error) => (error ? reject(error) : resolve()));
      }),
  };
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.writeHead(status, { 'content-type': contentType, 'cache-control': 'no-store' });
  response.end(body);
}
