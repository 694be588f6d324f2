import { and, eq, sql } from 'drizzle-orm';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { webhookEvents } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { markWebhookDuplicate } from '../../plugins/metrics.js';
import { WebhookSignatureError, type BillingEvent } from '../../providers/stripe/port.js';
import { handleStripeEvent } from '../billing/stripe-sync.service.js';
import { recordWebhookEvent } from '../calls/calls.repo.js';

const PROVIDER = 'stripe';

/** Text Postgres cannot store (jsonb, text): NUL, and JSON escapes of half a surrogate pair. */
const UNSTORABLE = /\u0000|\\u0000|\\ud[89ab][0-9a-f]{2}(?!\\ud[c-f][0-9a-f]{2})|(?<!\\ud[89ab][0-9a-f]{2})\\ud[c-f][0-9a-f]{2}/i;

/**
 * Stripe's events. The signature covers the exact bytes Stripe sent, so JSON bodies stay raw
 * text inside this plugin (and only here). Verified before anything else (400, nothing
 * stored); then the event id is stored once (the primary key decides) and the event handled
 * by re-reading its subscription or invoice from Stripe, so duplicates and reordering change
 * nothing. A failure answers 500 and Stripe retries; a retry of an event never completed runs again.
 */
const stripeWebhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  const eventKey = (id: string) => and(eq(webhookEvents.provider, PROVIDER), eq(webhookEvents.eventKey, id));

  app.post('/api/webhooks/stripe', {
    schema: {
      tags: ['Webhooks'],
      security: [{ stripeSignature: [] }],
      summary: 'Stripe events (checkout, subscriptions, invoices)',
      description:
        'Authenticated by the `Stripe-Signature` header (HMAC-SHA256 of the raw body with the webhook secret, at most 5 minutes old). ' +
        'A body or signature that does not verify is answered 400 and changes nothing. Each event id is processed once.',
      body: z.string().describe('The event as Stripe sent it (JSON), verified byte for byte'),
      response: { 200: z.object({ received: z.literal(true) }), ...ErrorResponses },
    },
    handler: async (request) => {
      const signature = request.headers['stripe-signature'];
      let event: BillingEvent;
      try {
        event = await ctx.providers.stripe.parseWebhookEvent(request.body, typeof signature === 'string' ? signature : undefined);
      } catch (err) {
        if (err instanceof WebhookSignatureError) throw new AppError('BAD_REQUEST', 'Invalid Stripe webhook signature');
        // Reading the event is pure: a signed body that is not an event fails here.
        throw new AppError('BAD_REQUEST', 'The signed body is not a Stripe event');
      }
      if (typeof event.id !== 'string' || !event.id || typeof event.type !== 'string') {
        throw new AppError('BAD_REQUEST', 'The signed body is not a Stripe event');
      }
      if (UNSTORABLE.test(request.body)) throw new AppError('BAD_REQUEST', 'The event contains NUL or unpaired surrogate characters');
      const log = request.log.child({ stripeEvent: event.type, stripeEventId: event.id, stripeObject: event.objectId });
      const fresh = await recordWebhookEvent(ctx.db, {
        provider: PROVIDER,
        eventKey: event.id,
        type: event.type,
        payload: JSON.parse(request.body) as unknown,
      });
      if (!fresh) {
        const [seen] = await ctx.db.select({ processedAt: webhookEvents.processedAt }).from(webhookEvents).where(eventKey(event.id));
        if (seen?.processedAt) {
          log.info('stripe event already processed');
          markWebhookDuplicate(request);
          return { received: true as const };
        }
      }
      const outcome = await handleStripeEvent(ctx, event);
      await ctx.db.update(webhookEvents).set({ processedAt: sql`now()` }).where(eventKey(event.id));
      log.info({ outcome }, 'stripe event');
      return { received: true as const };
    },
  });
};

export default stripeWebhookRoutes;
