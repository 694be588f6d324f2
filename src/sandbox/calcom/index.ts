import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { installFaults } from '../faults.js';
import calcomRoutes from './routes.js';
import { API_KEY, errorEnvelope, installCalcomErrorHandler } from './shared.js';

/** Cal.com's answer to a wrong API key, word for word. */
const INVALID_KEY = 'ApiAuthStrategy - api key - Your api key is not valid';

/**
 * Emulator of Cal.com API v2 at /sandbox/calcom: the account behind a key, its event types,
 * free slots and bookings, state in sandbox_resources. Any well-formed `cal_live_…` or
 * `cal_test_…` key is an account of its own (each business connects its own Cal.com).
 */
const calcomEmulator: FastifyPluginAsyncZod = async (app) => {
  installCalcomErrorHandler(app);
  const injectFault = installFaults(app);

  await app.register(async (api) => {
    // Faults first (as a rate limiter in front of Cal.com would), then the Bearer key.
    api.addHook('onRequest', async (request, reply) => {
      if (injectFault(reply)) return reply;
      const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      if (!key || !API_KEY.test(key)) return reply.status(401).send(errorEnvelope(app, request, 401, INVALID_KEY));
    });
    await api.register(calcomRoutes);
  });
};

export default calcomEmulator;
