import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import blockedNumbersRoutes from './blocked-numbers.routes.js';
import callHandlingRoutes from './call-handling.routes.js';
import digestRoutes from './digest.routes.js';

/** Call handling and insights beyond the raw call records: blocked callers, after-hours and languages, the daily digest. */
const insightsRoutes: FastifyPluginAsyncZod = async (app) => {
  await app.register(blockedNumbersRoutes);
  await app.register(callHandlingRoutes);
  await app.register(digestRoutes);
};

export default insightsRoutes;
