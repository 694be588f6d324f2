import { createServer, type Server } from 'node:http';
import { timingSafeEqual, createHash } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { ErrorResponses } from './openapi.js';
import type { WebhookOutcome } from '../lib/metrics.js';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']);
const WEBHOOK_PREFIX = '/api/webhooks/';
const duplicates = new WeakSet<FastifyRequest>();

/** A webhook handler calls this when the event was already applied (the answer is still 2xx). */
export function markWebhookDuplicate(request: FastifyRequest) {
  duplicates.add(request);
}

function webhookOutcome(request: FastifyRequest, status: number): WebhookOutcome {
  if (status >= 500) return 'failed';
  if (status >= 400) return 'refused';
  return duplicates.has(request) ? 'duplicate' : 'applied';
}

const digest = (s: string) => createHash('sha256').update(s).digest();

/**
 * Prometheus metrics, off unless METRICS_TOKEN (GET /metrics with `Authorization: Bearer`)
 * or METRICS_PORT (a plain listener on 127.0.0.1, for a sidecar or node agent) is set. When
 * off, no per-request hook runs at all.
 */
export default fp(
  async function metricsPlugin(app: FastifyInstance) {
    const { config, metrics } = app.ctx;
    if (!config.metricsToken && config.metricsPort === undefined) return;

    app.addHook('onResponse', (request, reply, done) => {
      const route = request.routeOptions.url ?? 'unmatched';
      const labels = { route, method: METHODS.has(request.method) ? request.method : 'OTHER', status_class: `${Math.floor(reply.statusCode / 100)}xx` };
      metrics.httpRequests.inc(labels);
      metrics.httpDuration.observe(labels, reply.elapsedTime / 1000);
      if (route.startsWith(WEBHOOK_PREFIX)) {
        metrics.webhooks.inc({ provider: route.slice(WEBHOOK_PREFIX.length).split('/')[0]!, outcome: webhookOutcome(request, reply.statusCode) });
      }
      done();
    });

    const token = config.metricsToken;
    if (token) {
      const expected = digest(token);
      app.get('/metrics', {
        schema: {
          tags: ['Health'],
          summary: 'Prometheus metrics (text format); only when METRICS_TOKEN is set',
          security: [{ metrics: [] }],
          response: { 200: z.string(), ...ErrorResponses },
        },
        preValidation: async (request) => {
          const given = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
          if (!given || !timingSafeEqual(digest(given), expected)) throw new AppError('UNAUTHORIZED', 'A valid metrics token is required');
        },
        handler: async (_request, reply) => {
          reply.type(metrics.registry.contentType);
          return metrics.registry.metrics();
        },
      });
    }

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
