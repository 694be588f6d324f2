import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { DELIVERY_STATUSES, WEBHOOK_EVENTS } from '../../db/schema/index.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { stopKicks } from './events.js';
import { MAX_WEBHOOK_URL_LENGTH } from './transport.js';
import * as service from './webhook-endpoints.service.js';

const tags = ['Webhook Endpoints'];
const security = [{ session: [] }];

const Url = z.string().trim().min(1).max(MAX_WEBHOOK_URL_LENGTH).describe('http(s) URL on a public address');
const Events = z
  .array(z.enum(WEBHOOK_EVENTS))
  .min(1, 'Subscribe to at least one event')
  .max(WEBHOOK_EVENTS.length)
  .transform((events) => [...new Set(events)]);

const EndpointView = z.object({
  id: z.string(),
  url: z.string(),
  events: z.array(z.enum(WEBHOOK_EVENTS)),
  enabled: z.boolean(),
  secretPrefix: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
const WithSecret = EndpointView.extend({ secret: z.string().describe('The signing secret (whsec_…); shown only in this answer') });
const DeliveryView = z.object({
  id: z.string(),
  eventId: z.string().describe('The same on every attempt: de-duplicate on it'),
  eventType: z.string(),
  status: z.enum(DELIVERY_STATUSES),
  attempts: z.number(),
  responseStatusCode: z.number().nullable().describe("The receiver's HTTP status on the last attempt"),
  error: z.string().nullable(),
  nextAttemptAt: z.string().nullable(),
  createdAt: z.string(),
  deliveredAt: z.string().nullable(),
});
const Params = z.object({ id: z.uuid('Not a valid id') });

const SIGNING =
  'Each delivery is a POST of `{ id, type, createdAt, organizationId, data }` with headers `Epoch-Event-Id`, ' +
  '`Epoch-Event-Type` and `Epoch-Signature: t=<unix seconds>,v1=<hex HMAC-SHA256(secret, "<t>.<raw body>")>`. ' +
  'Any 2xx answer is success; otherwise it is retried with exponential backoff (30 s doubling, at most 1 h apart) for 24 h.';

/** Outgoing webhooks: anyone signed in reads; owners and admins change them from the dashboard. */
const webhookEndpointsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('onClose', () => stopKicks(ctx));
  app.addHook('preValidation', app.requireSession);
  const manage = [app.requireManager, app.requireBrowserSession];

  app.get('/api/webhook-endpoints', {
    schema: { tags, security, summary: 'Webhook endpoints', description: SIGNING, response: { 200: z.object({ endpoints: z.array(EndpointView) }), ...ErrorResponses } },
    handler: (request) => service.listEndpoints(ctx, authOf(request)),
  });

  app.post('/api/webhook-endpoints', {
    preValidation: manage,
    schema: {
      tags,
      security,
      summary: 'Add an endpoint; its signing secret is shown only in this answer',
      description: SIGNING,
      body: z.object({ url: Url, events: Events, enabled: z.boolean().optional() }),
      response: { 201: WithSecret, ...ErrorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await service.createEndpoint(ctx, authOf(request), request.body)),
  });

  app.get('/api/webhook-endpoints/:id', {
    schema: { tags, security, summary: 'One webhook endpoint', params: Params, response: { 200: z.object({ endpoint: EndpointView }), ...ErrorResponses } },
    handler: (request) => service.getEndpoint(ctx, authOf(request), request.params.id),
  });

  app.patch('/api/webhook-endpoints/:id', {
    preValidation: manage,
    schema: {
      tags,
      security,
      summary: 'Change the URL, the events, or pause/resume deliveries',
      params: Params,
      body: z
        .object({ url: Url.optional(), events: Events.optional(), enabled: z.boolean().optional() })
        .refine((b) => b.url !== undefined || b.events !== undefined || b.enabled !== undefined, 'Nothing to change'),
      response: { 200: z.object({ endpoint: EndpointView }), ...ErrorResponses },
    },
    handler: (request) => service.updateEndpoint(ctx, authOf(request), request.params.id, request.body),
  });

  app.delete('/api/webhook-endpoints/:id', {
    preValidation: manage,
    schema: { tags, security, summary: 'Delete an endpoint and its delivery log', params: Params, response: { 200: z.object({ deleted: z.literal(true) }), ...ErrorResponses } },
    handler: async (request) => {
      await service.deleteEndpoint(ctx, authOf(request), request.params.id);
      return { deleted: true as const };
    },
  });

  app.post('/api/webhook-endpoints/:id/rotate-secret', {
    preValidation: manage,
    schema: { tags, security, summary: 'Replace the signing secret (the new one is shown only in this answer)', params: Params, response: { 200: WithSecret, ...ErrorResponses } },
    handler: (request) => service.rotateSecret(ctx, authOf(request), request.params.id),
  });

  app.post('/api/webhook-endpoints/:id/test', {
    preValidation: manage,
    schema: {
      tags,
      security,
      summary: 'Send a `ping` event now and answer how it went (not retried)',
      params: Params,
      response: { 200: z.object({ delivery: DeliveryView }), ...ErrorResponses },
    },
    handler: (request) => service.sendTestEvent(ctx, authOf(request), request.params.id),
  });

  app.get('/api/webhook-endpoints/:id/deliveries', {
    schema: {
      tags,
      security,
      summary: 'Delivery log: newest first, with status and response code (cursor pagination)',
      params: Params,
      querystring: z.object({ cursor: z.string().max(200).optional(), limit: z.coerce.number().int().min(1).max(100).default(20) }),
      response: { 200: z.object({ deliveries: z.array(DeliveryView), nextCursor: z.string().nullable() }), ...ErrorResponses },
    },
    handler: (request) => service.listDeliveries(ctx, authOf(request), request.params.id, request.query),
  });
};

export default webhookEndpointsRoutes;
