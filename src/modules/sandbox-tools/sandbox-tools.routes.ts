import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { E164 } from '../calls/calls.routes.js';
import { simulateCall } from './sandbox-tools.service.js';
import { SANDBOX_RECEIVER_PATH } from '../webhook-endpoints/transport.js';
import { receiverIdFor } from '../../sandbox/webhook-receiver/routes.js';

const tags = ['Sandbox'];
const security = [{ session: [] }];

const SimulateCallBody = z
  .object({ customerNumber: E164.optional().describe('Who calls; default a fictional 555-01XX number') })
  .nullish();
const SimulatedCall = z.object({
  callId: z.string().describe('Our id of the call: GET /api/calls/{id}'),
  vapiCallId: z.string(),
  customerNumber: z.string().nullable(),
  durationSeconds: z.number().nullable(),
});

/**
 * Tools for trying the product without real calls, mounted only in the sandbox (so
 * `GET /api/sandbox` answering at all is how the dashboard knows it runs there).
 */
const sandboxToolsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.get('/api/sandbox', {
    schema: {
      tags,
      security,
      summary: 'Says this server runs in sandbox mode (404 outside it)',
      response: { 200: z.object({ sandbox: z.literal(true) }), ...ErrorResponses },
    },
    handler: async () => ({ sandbox: true as const }),
  });

  app.get('/api/sandbox/webhook-receiver', {
    schema: {
      tags,
      security,
      summary: "The built-in webhook receiver's URL for this organization: point an endpoint at it, GET it to see what arrived",
      response: { 200: z.object({ url: z.string() }), ...ErrorResponses },
    },
    handler: async (request) => ({ url: `${ctx.config.appUrl}${SANDBOX_RECEIVER_PATH}${receiverIdFor(ctx, authOf(request).organizationId)}` }),
  });

  app.post('/api/sandbox/simulate-call', {
    schema: {
      tags,
      security,
      summary: 'Play a sample call on the active assistant through the VAPI emulator',
      description:
        'A fictional caller, a short receptionist conversation and summary, one to three minutes. Answers once the ' +
        'end-of-call report reached the VAPI webhook: the call is then in GET /api/calls and its minutes in the usage. ' +
        '409 when the organization has no active assistant yet.',
      body: SimulateCallBody,
      response: { 200: SimulatedCall, ...ErrorResponses },
    },
    handler: (request) => simulateCall(ctx, authOf(request).organizationId, request.body ?? {}),
  });
};

export default sandboxToolsRoutes;
