import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { found } from './billing.js';
import { renewSubscription } from './collection.js';
import type { Emulator } from './emulator.js';
import { IdParams } from './schemas.js';

/**
 * Sandbox aid (no API key), standing in for Stripe's test clocks: `POST
 * /sandbox/stripe/subscriptions/:id/renew` ends the subscription's current period now, so a
 * renewal (paid, or declined into past_due) or a scheduled cancellation can be rehearsed.
 * Answers once our webhook route has had the events.
 */
const renewalRoutes: FastifyPluginAsyncZod<{ emu: Emulator }> = async (app, { emu }) => {
  app.post('/subscriptions/:id/renew', { schema: { hide: true, params: IdParams } }, async (request) => {
    const subscription = await renewSubscription(emu, await found(emu.stores.subscriptions.get(request.params.id), 'subscription', request.params.id));
    await emu.events.drain();
    return subscription;
  });
};

export default renewalRoutes;
