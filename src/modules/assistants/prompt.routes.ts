import type { FastifyPluginAsyncZod, ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as s from './assistants.schemas.js';
import * as prompt from './prompt.service.js';
import * as voice from './voice.service.js';

const tags = ['Voice & Prompt'];
const security = [{ session: [] }];

/** The "Voice & Prompt" group, plus prompt versions with restore. */
const promptRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const catalog = voice.createVoiceCatalog(ctx);

  app.get('/api/voice/catalog', {
    schema: { tags, summary: 'Every available voice with a preview URL (cached 24 h)', response: { 200: z.array(s.CatalogVoice), ...ErrorResponses } },
    handler: async (_request, reply) => {
      reply.header('cache-control', `public, max-age=${voice.CATALOG_TTL_MS / 1000}`);
      return catalog();
    },
  });

  await app.register(async (scope) => {
    const authed = scope.withTypeProvider<ZodTypeProvider>();
    authed.addHook('preValidation', app.requireSession);

    authed.get('/api/voice', {
      schema: {
        tags,
        security,
        summary: 'The current voice; canEdit on Advanced and above',
        response: {
          200: z.object({ provider: z.literal('elevenlabs'), voiceId: z.string().nullable(), voiceName: z.string(), canEdit: z.boolean() }),
          ...ErrorResponses,
        },
      },
      handler: (request) => voice.getVoice(ctx, authOf(request)),
    });

    authed.put('/api/voice', {
      preValidation: app.requireFeature('editVoice'),
      schema: { tags, security, summary: 'Change the voice; rewrites the persona section (Advanced+)', body: s.VoiceBody, response: { 200: s.Success, ...ErrorResponses } },
      handler: async (request) => {
        await voice.setVoice(ctx, authOf(request), catalog, request.body);
        return { success: true as const };
      },
    });

    authed.get('/api/prompt', {
      schema: {
        tags,
        security,
        summary: 'The full system prompt; canEdit on Advanced and above',
        response: {
          200: z.object({ systemPrompt: z.string(), assistantName: z.string(), vapiAssistantId: z.string(), canEdit: z.boolean() }),
          ...ErrorResponses,
        },
      },
      handler: (request) => prompt.getPrompt(ctx, authOf(request)),
    });

    authed.put('/api/prompt', {
      preValidation: app.requireFeature('editPrompt'),
      schema: {
        tags,
        security,
        summary: 'Overwrite the system prompt; managed sections and inline tools are preserved (Advanced+)',
        body: s.PromptBody,
        response: { 200: s.Success, ...ErrorResponses },
      },
      handler: async (request) => {
        await prompt.putPrompt(ctx, authOf(request), request.body.systemPrompt);
        return { success: true as const };
      },
    });

    authed.post('/api/prompt/regenerate', {
      preValidation: app.requireFeature('regeneratePrompt'),
      schema: {
        tags,
        security,
        summary: 'Rewrite sections with AI from the business data (template fallback) (Advanced+)',
        body: s.RegenerateBody,
        response: {
          200: z.object({ success: z.literal(true), systemPrompt: z.string(), regenerated: z.array(z.string()) }),
          ...ErrorResponses,
        },
      },
      handler: async (request) => ({ success: true as const, ...(await prompt.regeneratePrompt(ctx, authOf(request), request.body.sections)) }),
    });

    authed.get('/api/prompt/versions', {
      schema: {
        tags,
        security,
        summary: 'Every version of the prompt, newest first: who, when, which section',
        querystring: z.object({ limit: z.coerce.number().int().min(1).max(100).default(20) }),
        response: {
          200: z.object({
            versions: z.array(
              z.object({ id: z.string(), reason: z.string(), userId: z.string().nullable(), systemPrompt: z.string(), createdAt: z.string() }),
            ),
          }),
          ...ErrorResponses,
        },
      },
      handler: (request) => prompt.listVersions(ctx, authOf(request), request.query.limit),
    });

    authed.post('/api/prompt/versions/:id/restore', {
      preValidation: app.requireFeature('editPrompt'),
      schema: {
        tags,
        security,
        summary: 'Make an earlier version the current prompt (recorded as a new version) (Advanced+)',
        params: s.IdParams,
        response: { 200: z.object({ success: z.literal(true), systemPrompt: z.string() }), ...ErrorResponses },
      },
      handler: async (request) => ({ success: true as const, systemPrompt: await prompt.restoreVersion(ctx, authOf(request), request.params.id) }),
    });
  });
};

export default promptRoutes;
