import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Incoming twilio webhooks (placeholder). */
const twilioWebhookRoutes: FastifyPluginAsyncZod = async () => {};

export default twilioWebhookRoutes;
