import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { WebhookSignatureError, type BillingEvent } from '../../providers/stripe/port.js';

/**
 * Stripe's events. The signature covers the exact bytes Stripe sent, so JSON bodies stay raw
 * text inside this plugin (and only here). Verified before anything else; a stub until the
 * Billing group processes events: it acknowledges each verified event.
 */
const stripeWebhookRoutes: FastifyPluginAsyncZod = async (app) => {
  app.removeContentTypeParser('application/json');
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => done(null, body));

  app.post('/api/webhooks/stripe', {
    schema: {
      tags: ['Webhooks'],
      summary: 'Stripe events (checkout, subscriptions, invoices)',
      description:
        'Authenticated by the `Stripe-Signature` header (HMAC-SHA256 of the raw body with the webhook secret, at most 5 minutes old). ' +
        'A body or signature that does not verify is answered 400 and changes nothing.',
      body: z.string().describe('The event as Stripe sent it (JSON), verified byte for byte'),
      response: { 200: z.object({ received: z.literal(true) }), ...ErrorResponses },
    },
    handler: async (request) => {
      const signature = request.headers['stripe-signature'];
      let event: BillingEvent;
      try {
        event = app.ctx.providers.stripe.parseWebhookEvent(request.body, typeof signature === 'string' ? signature : undefined);
      } catch (err) {
        if (err instanceof WebhookSignatureError) throw new AppError('BAD_REQUEST', 'Invalid Stripe webhook signature');
        throw err;
      }
      request.log.info({ stripeEvent: event.type, stripeEventId: event.id, stripeObject: event.objectId }, 'stripe event');
      return { received: true as const };
    },
  });
};

export default stripeWebhookRoutes;
