import { createServer, type Server } from 'node:http';
import type { FastifyInstance, FastifyRequest, onResponseHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import type { Config } from '../config.js';
import type { WebhookOutcome } from '../lib/metrics.js';

export const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const WEBHOOK_PREFIX = '/api/webhooks/';
const duplicates = new WeakSet<FastifyRequest>();

/** Metrics are on when they can be read: METRICS_TOKEN or METRICS_PORT is set. */
export const metricsOn = (config: Config) => Boolean(config.metricsToken || config.metricsPort !== undefined);

/** A webhook handler calls this when the event was already applied (the answer is still 2xx). */
export function markWebhookDuplicate(request: FastifyRequest) {
  duplicates.add(request);
}

function webhookOutcome(request: FastifyRequest, status: number): WebhookOutcome {
  if (status >= 500) return 'failed';
  if (status >= 400) return 'refused';
  return duplicates.has(request) ? 'duplicate' : 'applied';
}

/**
 * Prometheus metrics, off unless METRICS_TOKEN (GET /metrics with `Authorization: Bearer`, a
 * route of modules/health) or METRICS_PORT (a plain listener on 127.0.0.1, for a sidecar or
 * node agent) is set. When off, no per-request hook runs at all.
 */
export default fp(
  async function metricsPlugin(app: FastifyInstance) {
    const { config, metrics } = app.ctx;
    if (!metricsOn(config)) return;

    // A hook per route, closed over its pattern: no per-request route lookup.
    app.addHook('onRoute', (route) => {
      const pattern = route.url;
      const provider = pattern.startsWith(WEBHOOK_PREFIX) ? pattern.slice(WEBHOOK_PREFIX.length).split('/')[0]! : undefined;
      const hook: onResponseHookHandler = (request, reply, done) => {
        metrics.http(pattern, METHODS.has(request.method) ? request.method : 'OTHER', reply.statusCode, reply.elapsedTime / 1000);
        if (provider) metrics.webhooks.inc({ provider, outcome: webhookOutcome(request, reply.statusCode) });
        done();
      };
      route.onResponse = route.onResponse ? [...[route.onResponse].flat(), hook] : [hook];
    });
    // Requests no route matched are counted by the not-found handler (app.ts, errors.ts).
    // GET /metrics on the main port (METRICS_TOKEN) is a route of modules/health, so the OpenAPI document lists it.
    if (config.metricsPort !== undefined) {
      const server: Server = createServer((req, res) => {
        if (req.method !== 'GET' || req.url?.split('?')[0] !== '/metrics') {
          res.writeHead(404).end();
          return;
        }
        metrics.registry.metrics().then(
          (text) => res.writeHead(200, { 'content-type': metrics.registry.contentType }).end(text),
          (err) => {
            app.log.error({ err }, 'metrics scrape failed');
            res.writeHead(500).end();
          },
        );
      });
      app.addHook('onReady', () => new Promise<void>((resolve, reject) => server.once('error', reject).listen(config.metricsPort, '127.0.0.1', resolve)));
      app.addHook('onClose', () => {
        server.closeAllConnections();
        return new Promise<void>((resolve) => (server.listening ? server.close(() => resolve()) : resolve()));
      });
    }
  },
  { name: 'metrics' },
);
