import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { safeEqual } from '../../lib/tokens.js';
import { installFaults } from '../faults.js';
import customerRoutes from './customers.js';
import { createEmulator } from './emulator.js';
import { installStripeErrorHandler, StripeApiError } from './errors.js';
import { eventApiRoutes, eventDebugRoutes } from './event-routes.js';
import { parseStripeForm } from './form.js';
import { installIdempotency } from './idempotency.js';
import invoiceRoutes from './invoices.js';
import pageRoutes from './pages.js';
import portalRoutes from './portal.js';
import renewalRoutes from './renewal-routes.js';
import sessionRoutes from './sessions.js';
import { newId } from './state.js';
import subscriptionRoutes from './subscriptions.js';
import { installTap } from '../tap.js';

const NO_KEY =
  "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY'). See https://stripe.com/docs/api#authentication for details, or we can help at https://support.stripe.com/.";

/** The key as Stripe echoes it back: prefix and last four characters. */
function maskKey(key: string): string {
  const [, prefix = '', rest = key] = /^((?:sk|rk|pk)_(?:test_|live_)?)(.*)$/.exec(key) ?? [];
  return `${prefix}${'*'.repeat(Math.max(rest.length - 4, 0))}${rest.slice(-4)}`;
}

/** Stripe takes the secret key as a Bearer token or as the Basic auth user name. */
function apiKeyOf(authorization: string | undefined): string | undefined {
  const [scheme, value] = authorization?.split(' ', 2) ?? [];
  if (!value) return undefined;
  if (scheme?.toLowerCase() === 'bearer') return value.trim();
  if (scheme?.toLowerCase() === 'basic') return Buffer.from(value, 'base64').toString().split(':')[0];
  return undefined;
}

/**
 * Emulator of Stripe's API at /sandbox/stripe/v1 (customers, prices, Checkout sessions in
 * subscription and payment mode, portal sessions, subscriptions, invoice items, invoices,
 * events) with the pages Stripe hosts (/checkout, /portal, /invoices), Stripe's test cards
 * (cards.ts), and the events it sends, signed, to /api/webhooks/stripe.
 * State lives in sandbox_resources, Idempotency-Key results in sandbox_idempotency.
 */
const stripeEmulator: FastifyPluginAsyncZod = async (app) => {
  const emu = createEmulator(app.ctx);
  installStripeErrorHandler(app);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!.replace(/^\/sandbox\/stripe/, '');
    return reply.status(404).send({
      error: {
        type: 'invalid_request_error',
        message: `Unrecognized request URL (${request.method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      },
    });
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    if (!reply.hasHeader('request-id')) void reply.header('request-id', newId('req', 14));
    return payload;
  });
  // Webhooks still on their way must not outlive the app (nor its database).
  app.addHook('preClose', async () => {
    await emu.events.drain();
  });
  const injectFault = installFaults(app);

  await app.register(
    async (api) => {
      api.removeContentTypeParser('application/x-www-form-urlencoded');
      api.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) => {
        done(null, parseStripeForm(body as string));
      });
      // Faults first (a rate limiter stands in front of Stripe), then the secret key.
      api.addHook('onRequest', async (request, reply) => {
        if (injectFault(reply)) return reply;
        const key = apiKeyOf(request.headers.authorization);
        const expected = app.ctx.config.stripe.secretKey;
        if (!key) throw new StripeApiError(401, { type: 'invalid_request_error', message: NO_KEY });
        if (!expected || !safeEqual(key, expected)) {
          throw new StripeApiError(401, { type: 'invalid_request_error', message: `Invalid API Key provided: ${maskKey(key)}` });
        }
      });
      installTap(api, 'stripe');
      installIdempotency(api, app.ctx.db, () => app.ctx.now());
      await api.register(customerRoutes, { emu });
      await api.register(sessionRoutes, { emu });
      await api.register(subscriptionRoutes, { emu });
      await api.register(invoiceRoutes, { emu });
      await api.register(eventApiRoutes, { emu });
    },
    { prefix: '/v1' },
  );
  await app.register(pageRoutes, { emu });
  await app.register(portalRoutes, { emu });
  await app.register(eventDebugRoutes, { emu });
  await app.register(renewalRoutes, { emu });
};

export default stripeEmulator;
