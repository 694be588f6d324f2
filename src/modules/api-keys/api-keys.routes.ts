import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '../../domain/limits.js';
import { AppError } from '../../errors.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as service from './api-keys.service.js';

const tags = ['API Keys'];
const security = [{ session: [] }];
const KeyView = z.object({
  id: z.string(),
  label: z.string(),
  prefix: z.string(),
  lastUsedAt: z.string().nullable(),
  expiresAt: z.string().nullable(),
  createdAt: z.string(),
});

/** Organization API keys: owners manage them from a signed-in browser. */
const apiKeysRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);
  // Route-level, so the OpenAPI document can publish the gate (x-role).
  const ownerOnly = [app.requireBrowserSession, app.requireOwner];

  app.get('/api/api-keys', {
    preValidation: ownerOnly,
    schema: { tags, security, summary: 'Live API keys (prefix only)', response: { 200: z.object({ keys: z.array(KeyView) }), ...ErrorResponses } },
    handler: (request) => service.listApiKeys(ctx, authOf(request)),
  });

  app.post('/api/api-keys', {
    preValidation: ownerOnly,
    schema: {
      tags,
      security,
      summary: 'Create an API key (evk_…); the full key is shown only in this answer',
      body: z.object({
        label: z.string().trim().min(1).max(LIMITS.apiKeyLabel),
        expiresAt: z.iso.datetime({ offset: true }).optional(),
      }),
      response: { 201: KeyView.extend({ key: z.string() }), ...ErrorResponses },
    },
    handler: async (request, reply) => {
      const expiresAt = request.body.expiresAt ? new Date(request.body.expiresAt) : undefined;
      if (expiresAt && expiresAt <= ctx.now()) {
        throw new AppError('VALIDATION_FAILED', 'expiresAt must be in the future', { details: [{ field: 'body.expiresAt', message: 'Must be in the future' }] });
      }
      return reply.status(201).send(await service.createApiKey(ctx, authOf(request), { label: request.body.label, expiresAt }));
    },
  });

  app.delete('/api/api-keys/:id', {
    preValidation: ownerOnly,
    schema: {
      tags,
      security,
      summary: 'Revoke an API key, effective at once',
      params: z.object({ id: z.uuid('Not a valid id') }),
      response: { 200: z.object({ revoked: z.literal(true) }), ...ErrorResponses },
    },
    handler: async (request) => {
      await service.revokeApiKey(ctx, authOf(request), request.params.id);
      return { revoked: true as const };
    },
  });
};

export default apiKeysRoutes;
