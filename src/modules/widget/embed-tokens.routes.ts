import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as service from './embed-tokens.service.js';
import { CreatedEmbedToken, CreateEmbedTokenBody, EmbedTokenView } from './widget.schemas.js';

export const tags = ['Widget & Embed Tokens'];
const security = [{ session: [] }];

/**
 * Embed tokens, managed by a signed-in owner or admin: listing and creating need the
 * embedWidget feature (Pro+); revoking does not, so a downgraded organization can still
 * switch its widget off.
 */
const embedTokenRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.get('/api/embed-token', {
    preValidation: app.requireFeature('embedWidget'),
    schema: {
      tags,
      security,
      summary: 'Live embed tokens of the organization (prefix only; Pro+)',
      response: { 200: z.object({ tokens: z.array(EmbedTokenView) }), ...ErrorResponses },
    },
    handler: (request) => service.listEmbedTokens(ctx, authOf(request)),
  });

  app.post('/api/embed-token', {
    preValidation: [app.requireFeature('embedWidget'), app.requireManager],
    schema: {
      tags,
      security,
      summary: 'Create an embed token (ept_…) for the website widget; the full token is shown only in this answer (Pro+, owner or admin)',
      description:
        '`allowedDomains`: 1–20 hosts where the widget may run, checked against the browser’s `Origin`: an exact host (`mysite.com`, matching http and https on the default port), ' +
        '`host:port` (`localhost:5173`), or a wildcard `*.example.com` (any subdomain, not `example.com` itself). No scheme, path or IPv6. `label` defaults to the first domain.',
      body: CreateEmbedTokenBody,
      response: { 200: CreatedEmbedToken, ...ErrorResponses },
    },
    handler: (request) => service.createEmbedToken(ctx, authOf(request), request.body),
  });

  app.delete('/api/embed-token', {
    preValidation: app.requireManager,
    schema: {
      tags,
      security,
      summary: 'Revoke an embed token, effective at once (owner or admin)',
      querystring: z.object({ id: z.uuid('Not a valid id') }),
      response: { 200: z.object({ revoked: z.literal(true) }), ...ErrorResponses },
    },
    handler: async (request) => {
      await service.revokeEmbedToken(ctx, authOf(request), request.query.id);
      return { revoked: true as const };
    },
  });
};

export default embedTokenRoutes;
