import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Incoming stripe webhooks (placeholder). */
const stripeWebhookRoutes: FastifyPluginAsyncZod = async () => {};

export default stripeWebhookRoutes;
