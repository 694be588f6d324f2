import type { FastifyReply } from 'fastify';
import { hasZodFastifySchemaValidationErrors, type FastifyPluginAsyncZod, type ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { randomBase62, safeEqual } from '../../lib/tokens.js';
import { installFaults } from '../faults.js';
import { respond, tokensOf } from './responder.js';

type ErrorType = 'invalid_request_error' | 'authentication_error' | 'not_found_error' | 'api_error';

/** Anthropic's error body: `{type:"error", error:{type, message}, request_id}`, with the request-id header. */
function sendError(reply: FastifyReply, status: number, type: ErrorType, message: string) {
  const requestId = `req_${randomBase62(16)}`;
  return reply.status(status).header('request-id', requestId).send({ type: 'error', error: { type, message }, request_id: requestId });
}

const TextBlock = z.looseObject({ type: z.literal('text'), text: z.string() });
const Content = z.union([z.string(), z.array(z.looseObject({ type: z.string(), text: z.string().optional() }))]);
const MessagesBody = z.looseObject({
  model: z.string().min(1),
  max_tokens: z.number().int().min(1),
  system: z.union([z.string(), z.array(TextBlock)]).optional(),
  messages: z.array(z.looseObject({ role: z.enum(['user', 'assistant']), content: Content })).min(1),
  output_config: z
    .looseObject({ format: z.object({ type: z.literal('json_schema'), schema: z.record(z.string(), z.unknown()) }).nullish() })
    .optional(),
});

const textOf = (content: z.infer<typeof Content>) =>
  typeof content === 'string' ? content : content.map((block) => block.text ?? '').join('\n');

/**
 * Emulator of Anthropic's Messages API at /sandbox/anthropic: `POST /v1/messages` with our
 * ANTHROPIC_API_KEY (as `x-api-key`, or as the Bearer token this SDK sends), answering in
 * the real Message shape with rule-made text (see responder.ts). Stateless: nothing to keep.
 */
const anthropicEmulator: FastifyPluginAsyncZod = async (app) => {
  app.setErrorHandler((err, _request, reply) => {
    if (hasZodFastifySchemaValidationErrors(err)) {
      const message = err.validation.map((v) => `${String(v.instancePath).split('/').filter(Boolean).join('.')}: ${v.message}`).join('; ');
      return sendError(reply, 400, 'invalid_request_error', message);
    }
    const status = (err as { statusCode?: number }).statusCode;
    if (status && status >= 400 && status < 500) return sendError(reply, status, 'invalid_request_error', (err as Error).message);
    app.log.error({ err }, 'anthropic emulator error');
    return sendError(reply, 500, 'api_error', 'Internal server error');
  });
  app.setNotFoundHandler((_request, reply) => sendError(reply, 404, 'not_found_error', 'Not found'));
  const injectFault = installFaults(app);

  await app.register(async (scope) => {
    const api = scope.withTypeProvider<ZodTypeProvider>();
    // Faults first (429 rate limit, 529 overloaded…), then the key, before the body is read.
    api.addHook('onRequest', async (request, reply) => {
      if (injectFault(reply)) return reply;
      const header = request.headers['x-api-key'];
      const key = (typeof header === 'string' ? header : undefined) ?? /^Bearer (.+)$/.exec(request.headers.authorization ?? '')?.[1];
      const expected = app.ctx.config.anthropicApiKey;
      if (!key || !expected || !safeEqual(key, expected)) return sendError(reply, 401, 'authentication_error', 'invalid x-api-key');
    });

    api.post('/v1/messages', { schema: { hide: true, body: MessagesBody } }, async (request, reply) => {
      const body = request.body;
      const system = typeof body.system === 'string' ? body.system : (body.system ?? []).map((b) => b.text).join('\n');
      const lastUser = body.messages.findLast((m) => m.role === 'user');
      const prompt = lastUser ? textOf(lastUser.content) : '';
      const { text, stopReason } = respond({ system, prompt, maxTokens: body.max_tokens, schema: body.output_config?.format?.schema });
      const inputText = system + body.messages.map((m) => textOf(m.content)).join('\n');
      return reply.header('request-id', `req_${randomBase62(16)}`).send({
        id: `msg_${randomBase62(18)}`,
        type: 'message',
        role: 'assistant',
        model: body.model,
        content: [{ type: 'text', text, citations: null }],
        stop_reason: stopReason,
        stop_sequence: null,
        stop_details: null,
        container: null,
        usage: { input_tokens: tokensOf(inputText), output_tokens: tokensOf(text), cache_creation_input_tokens: 0, cache_read_input_tokens: 0, service_tier: 'standard' },
      });
    });
  });
};

export default anthropicEmulator;
