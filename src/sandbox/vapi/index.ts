import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { safeEqual } from '../../lib/tokens.js';
import { installFaults } from '../faults.js';
import assistantRoutes from './assistants.js';
import callRoutes from './calls.js';
import fileRoutes from './files.js';
import simulateRoutes from './simulate.js';
import { installTap } from '../tap.js';
import storageRoutes from './storage.js';
import { errorBody, installVapiErrorHandler } from './shared.js';

/** VAPI's answer to a missing or wrong API key, word for word. */
const INVALID_KEY = 'Invalid Key. Hot tip, you may be using the private key instead of the public key, or vice versa.';

/**
 * Emulator of VAPI's REST API at /sandbox/vapi: assistants, tools, files, phone numbers and
 * calls, state in sandbox_resources. Sandbox extras: POST /simulate-call plays a call and
 * sends its server messages; /storage serves the file and recording URLs it hands out.
 */
const vapiEmulator: FastifyPluginAsyncZod = async (app) => {
  installVapiErrorHandler(app);
  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!.replace(/^\/sandbox\/vapi/, '');
    return reply.status(404).send(errorBody(404, `Cannot ${request.method} ${path}`));
  });
  const injectFault = installFaults(app);

  // The API proper: faults first (as a rate limiter in front of VAPI would), then the Bearer key.
  await app.register(async (api) => {
    api.addHook('onRequest', async (request, reply) => {
      if (injectFault(reply)) return reply;
      const key = /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const expected = app.ctx.config.vapi.apiKey;
      if (!key || !expected || !safeEqual(key, expected)) return reply.status(401).send(errorBody(401, INVALID_KEY));
    });
    installTap(api, 'vapi');
    await api.register(assistantRoutes);
    await api.register(fileRoutes);
    await api.register(callRoutes);
  });
  await app.register(simulateRoutes);
  await app.register(storageRoutes);
};

export default vapiEmulator;
