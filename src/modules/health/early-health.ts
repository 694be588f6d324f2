import type { IncomingMessage, ServerResponse } from 'node:http';
import type { FastifyInstance } from 'fastify';
import { requestIdOf, type AccessLog } from '../../lib/request-log.js';
import { metricsOn } from '../../plugins/metrics.js';

const BODY = JSON.stringify({ status: 'ok' });
const LENGTH = Buffer.byteLength(BODY);

/**
 * `GET /api/health` answered before Fastify routes it, while the route's last database answer
 * is fresh: load balancers poll it all day, and Fastify's routing, request objects and hooks
 * cost a third more than the answer. Same status, body, headers, access line and metrics as
 * the route; anything else (a stale check, a query string, HEAD, shutting down) goes to the route.
 */
export function answerHealthEarly(app: FastifyInstance, fresh: () => boolean, accessLog: AccessLog | undefined) {
  const { lifecycle, metrics } = app.ctx;
  const countIt = metricsOn(app.ctx.config);
  const server = app.server;
  const [route] = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  if (!route) return;
  server.removeListener('request', route);
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (req.url !== '/api/health' || req.method !== 'GET' || lifecycle.closing || !fresh()) return route(req, res);
    const start = performance.now();
    const id = requestIdOf(req);
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'x-request-id': id, 'content-length': LENGTH }).end(BODY);
    const ms = performance.now() - start;
    accessLog?.completed(id, 'GET', '/api/health', 200, ms, req.socket.remoteAddress);
    if (countIt) metrics.http('/api/health', 'GET', 200, ms / 1000);
  });
}
