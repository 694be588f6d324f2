import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';

/** Incoming vapi webhooks (placeholder). */
const vapiWebhookRoutes: FastifyPluginAsyncZod = async () => {};

export default vapiWebhookRoutes;
