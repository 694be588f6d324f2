import type { FastifyInstance } from 'fastify';
import vapiWebhookRoutes from './vapi.routes.js';
import stripeWebhookRoutes from './stripe.routes.js';
import twilioWebhookRoutes from './twilio.routes.js';

/** Each provider's webhooks in its own encapsulated plugin (own body parsers). */
export async function registerWebhooks(app: FastifyInstance) {
  await app.register(vapiWebhookRoutes);
  await app.register(stripeWebhookRoutes);
  await app.register(twilioWebhookRoutes);
}
