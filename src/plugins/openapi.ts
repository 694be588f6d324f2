import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { jsonSchemaTransform } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../errors.js';
import { safeEqual } from '../lib/tokens.js';
import { gatesOf } from './auth.js';
import { publicDocument } from './openapi-audience.js';
import { withBodyExample } from './openapi-examples.js';
import { describeParameters } from './openapi-parameters.js';

export const ErrorBody = z.object({
  error: z.string(),
  code: z.string(),
  details: z.unknown().optional(),
});

/**
 * Swagger UI's static files, found through its package rather than its own __dirname, so that
 * the plugin can be bundled into the built server (scripts/build-server.mjs).
 */
const SWAGGER_UI_FILES = join(dirname(createRequire(import.meta.url).resolve('@fastify/swagger-ui')), 'static');
const SWAGGER_UI_LOGO = { type: 'image/svg+xml', content: readFileSync(join(SWAGGER_UI_FILES, 'logo.svg')) };

/** Every route documents the uniform error body for its 4xx and 5xx answers. */
export const ErrorResponses = { '4xx': ErrorBody, '5xx': ErrorBody } as const;

/**
 * OpenAPI 3.1 from the route schemas: the public document at /api/openapi.json and its reference
 * UI at /docs; the operator document, with the admin and cron operations, at
 * /api/openapi.operator.json behind the admin key.
 */
export default fp(
  async function openapi(app: FastifyInstance) {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Epoch Voice API',
          version: '1.0.0',
          description: 'Control plane for AI phone receptionists: accounts, assistants, calls, billing.',
        },
        servers: [{ url: app.ctx.config.appUrl }],
        components: {
          securitySchemes: {
            session: { type: 'apiKey', in: 'cookie', name: app.sessionCookie.name },
            apiKey: { type: 'http', scheme: 'bearer', bearerFormat: 'evk_…', description: 'Organization API key, accepted wherever a session is' },
            admin: { type: 'apiKey', in: 'header', name: 'x-admin-key' },
            cron: { type: 'http', scheme: 'bearer' },
            // Provider webhooks: each authenticated by its provider's own header.
            vapiSecret: { type: 'apiKey', in: 'header', name: 'x-vapi-secret', description: 'Or `Authorization: Bearer <secret>`, or `x-vapi-signature`' },
            twilioSignature: { type: 'apiKey', in: 'header', name: 'x-twilio-signature' },
            stripeSignature: { type: 'apiKey', in: 'header', name: 'stripe-signature' },
            metrics: { type: 'http', scheme: 'bearer', description: 'METRICS_TOKEN' },
          },
        },
      },
      // Wherever a session is accepted, an API key is too: document both alternatives.
      // The route's plan gate and role check are published as x-plan-feature / x-role; every
      // request body gets an example its own zod schema accepts.
      transform: (input) => {
        const out = jsonSchemaTransform(input);
        const security = out.schema.security as Array<Record<string, string[]>> | undefined;
        if (security?.some((s) => 'session' in s) && !security.some((s) => 'apiKey' in s)) {
          out.schema = { ...out.schema, security: [...security, { apiKey: [] }] };
        }
        const gate = gatesOf(input.route.preValidation);
        const extensions = { ...(gate.feature && { 'x-plan-feature': gate.feature }), ...(gate.role && { 'x-role': gate.role }) };
        out.schema = { ...out.schema, ...extensions };
        if (out.schema.body) out.schema = { ...out.schema, body: withBodyExample(out.schema.body, input.schema.body) };
        for (const part of ['params', 'querystring', 'headers'] as const) {
          if (out.schema[part]) out.schema = { ...out.schema, [part]: describeParameters(out.url, out.schema[part]) };
        }
        return out;
      },
      hideUntagged: true,
    });
    await app.register(swaggerUi, {
      routePrefix: '/docs',
      baseDir: SWAGGER_UI_FILES,
      logo: SWAGGER_UI_LOGO,
      uiConfig: { docExpansion: 'list', deepLinking: true },
      transformSpecification: (doc) => publicDocument(doc),
    });
    app.get('/api/openapi.json', { schema: { hide: true } }, async () => publicDocument(app.swagger()));
    app.get('/api/openapi.operator.json', { schema: { hide: true } }, async (request) => {
      const key = request.headers['x-admin-key'];
      if (typeof key !== 'string' || !safeEqual(key, app.ctx.config.adminApiKey)) {
        throw new AppError('UNAUTHORIZED', 'A valid x-admin-key header is required');
      }
      return app.swagger();
    });
  },
  { name: 'openapi', dependencies: ['auth'] },
);
