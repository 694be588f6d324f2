import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { found } from './billing.js';
import type { Emulator } from './emulator.js';
import { IdParams } from './schemas.js';

/** GET /v1/events/:id, as on Stripe: a webhook's event can be fetched back to check it. */
export const eventApiRoutes: FastifyPluginAsyncZod<{ emu: Emulator }> = async (api, { emu }) => {
  api.get('/events/:id', { schema: { hide: true, params: IdParams } }, async (request) => {
    const record = await found(emu.stores.events.get(request.params.id), 'event', request.params.id);
    return record.event;
  });
};

/**
 * Sandbox aids (no API key): every event with its deliveries to our webhook route, newest
 * first, and a resend (duplicates and late, out-of-order arrivals, as Stripe's retries make).
 */
export const eventDebugRoutes: FastifyPluginAsyncZod<{ emu: Emulator }> = async (app, { emu }) => {
  app.get(
    '/events',
    {
      schema: {
        hide: true,
        querystring: z.object({ type: z.string().optional(), limit: z.coerce.number().int().min(1).max(1000).default(100) }),
      },
    },
    async (request) => {
      const { type, limit } = request.query;
      const records = await emu.stores.events.list({ limit: type ? 1000 : limit });
      const data = records.filter((record) => !type || record.event.type === type).slice(0, limit);
      return { object: 'list', data };
    },
  );

  app.post('/events/:id/resend', { schema: { hide: true, params: IdParams } }, async (request) => {
    const record = await found(emu.stores.events.get(request.params.id), 'event', request.params.id);
    return { id: record.event.id, status: await emu.events.resend(record.event.id) };
  });
};
