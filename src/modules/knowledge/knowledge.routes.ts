import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { KB_KEY_PATTERN, kbSlug } from '../../domain/knowledge.js';
import { LIMITS } from '../../domain/limits.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as kb from './knowledge.service.js';
import { refreshWebsiteKnowledge } from './website-refresh.js';

const tags = ['Knowledge Base'];
const security = [{ session: [] }];
/** A section's name in words ("Price list") or its key ("price-list"); either becomes the key. */
export const SectionKey = z
  .string()
  .trim()
  .min(1)
  .max(LIMITS.kbSectionName)
  .transform(kbSlug)
  .refine((key) => key.length > 0, 'Needs at least one letter or digit')
  .refine((key) => !key || KB_KEY_PATTERN.test(key), `Is too long: keep it under ${LIMITS.kbSectionName} letters`)
  .describe('The section\'s name in plain words ("Price list") or its key ("price-list"); stored as the key');

/** The "Knowledge Base" group: sections as Markdown files on VAPI behind one query tool. */
const knowledgeRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.get('/api/kb', {
    schema: {
      tags,
      security,
      summary: 'Knowledge-base sections of the active assistant; canEdit on Starter and above',
      response: {
        200: z.object({
          assistantId: z.string(),
          vapiAssistantId: z.string(),
          canEdit: z.boolean(),
          sections: z.array(
            z.object({ key: z.string(), label: z.string(), text: z.string(), vapiFileId: z.string().nullable(), fileName: z.string(), updatedAt: z.string() }),
          ),
        }),
        ...ErrorResponses,
      },
    },
    handler: (request) => kb.getKnowledgeBase(ctx, authOf(request)),
  });

  app.put('/api/kb', {
    preValidation: app.requireFeature('knowledgeBase'),
    schema: {
      tags,
      security,
      summary: 'Create or replace a section: a Markdown file uploaded to VAPI (Starter+)',
      body: z.object({ sectionKey: SectionKey, text: z.string().trim().min(1).max(LIMITS.kbSectionText) }),
      response: {
        200: z.object({ success: z.literal(true), section: z.object({ key: z.string(), vapiFileId: z.string(), fileName: z.string() }) }),
        ...ErrorResponses,
      },
    },
    handler: async (request) => ({
      success: true as const,
      section: await kb.putSection(ctx, authOf(request), { key: request.body.sectionKey, text: request.body.text }),
    }),
  });

  app.post('/api/kb/refresh', {
    preValidation: [app.requireFeature('knowledgeBase'), app.requireManager],
    schema: {
      tags,
      security,
      summary: 'Re-read the website pages now; the website section is re-uploaded only if the text changed (Starter+)',
      response: {
        200: z.object({ pagesChecked: z.number(), pagesChanged: z.number(), uploaded: z.boolean(), errors: z.number() }),
        ...ErrorResponses,
      },
    },
    handler: (request) => refreshWebsiteKnowledge(ctx, authOf(request).organizationId),
  });

  app.delete('/api/kb', {
    preValidation: app.requireFeature('knowledgeBase'),
    schema: {
      tags,
      security,
      summary: 'Remove a section (and its VAPI file) (Starter+)',
      querystring: z.object({ section: SectionKey }),
      response: { 200: z.object({ success: z.literal(true) }), ...ErrorResponses },
    },
    handler: async (request) => {
      await kb.deleteSection(ctx, authOf(request), request.query.section);
      return { success: true as const };
    },
  });
};

export default knowledgeRoutes;
