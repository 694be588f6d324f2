import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { markWebhookDuplicate } from '../../plugins/metrics.js';
import { verifyVapiRequest, VapiWebhookBody } from '../../providers/vapi/webhook.js';
import { ingestCallMessage } from '../calls/call-events.service.js';
import { answerToolCalls } from '../calls/tool-calls.service.js';
import { answerAssistantRequest, AssistantRequestAnswer } from '../insights/assistant-request.js';

const ToolCallsAnswer = z.object({
  results: z.array(z.object({ toolCallId: z.string(), name: z.string(), result: z.string().optional(), error: z.string().optional() })),
});
const Received = z.object({ received: z.literal(true) });

/**
 * VAPI server messages. Verified first (shared secret, bearer or HMAC of the raw body),
 * then: tool calls are answered, call events stored once, everything else acknowledged.
 * Always 200 once verified: VAPI does not retry, the sync-calls job recovers what we miss.
 */
const vapiWebhookRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  // Verified on the raw body (x-vapi-signature is an HMAC over the exact bytes VAPI sent),
  // before parsing it: an unauthenticated body, however large, costs no JSON.parse.
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (request, body, done) => {
    const raw = body as string;
    if (!verifyVapiRequest(request.headers, ctx.config.vapi.webhookSecret, raw)) return done(new AppError('UNAUTHORIZED', 'Invalid VAPI webhook secret'), undefined);
    (request as FastifyRequest & { rawBody?: string }).rawBody = raw;
    try {
      done(null, JSON.parse(raw));
    } catch {
      done(new AppError('BAD_REQUEST', 'Body is not valid JSON'), undefined);
    }
  });

  app.post('/api/webhooks/vapi', {
    // End-of-call reports carry the whole transcript and message list.
    bodyLimit: 5 * 1024 * 1024,
    schema: {
      tags: ['Webhooks'],
      security: [{ vapiSecret: [] }],
      summary: 'VAPI server messages (status updates, tool calls, end-of-call reports)',
      description: 'Authenticated by `x-vapi-secret`, `Authorization: Bearer <secret>` or `x-vapi-signature` (HMAC-SHA256 of the body).',
      body: VapiWebhookBody,
      response: { 200: z.union([ToolCallsAnswer, AssistantRequestAnswer, Received]), ...ErrorResponses },
    },
    // A request without a body never reaches the parser above.
    preValidation: async (request) => {
      if ((request as FastifyRequest & { rawBody?: string }).rawBody === undefined && !verifyVapiRequest(request.headers, ctx.config.vapi.webhookSecret)) {
        throw new AppError('UNAUTHORIZED', 'Invalid VAPI webhook secret');
      }
    },
    handler: async (request) => {
      const { message } = request.body;
      if (message.type === 'tool-calls') return { results: await answerToolCalls(ctx, message) };
      if (message.type === 'assistant-request') return await answerAssistantRequest(ctx, message);
      const outcome = await ingestCallMessage(ctx, message);
      if (outcome === 'duplicate') markWebhookDuplicate(request);
      request.log.info({ vapiMessage: message.type, vapiCallId: message.call?.id, outcome }, 'vapi server message');
      return { received: true as const };
    },
  });
};

export default vapiWebhookRoutes;
