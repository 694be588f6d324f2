import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '../../domain/limits.js';
import { AFTER_HOURS_MODES } from '../../db/schema/index.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as service from './call-handling.service.js';

const tags = ['Call Handling'];
const security = [{ session: [] }];

// Made on first use: ICU's language names cost ~12–16 ms, which a restart should not wait for.
let languageNames: Intl.DisplayNames | undefined;
const languageName = (code: string) => (languageNames ??= new Intl.DisplayNames(['en'], { type: 'language' })).of(code);
/** An ISO 639-1 code that names a language ("es"), not merely two letters. */
const LanguageCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z]{2}$/, { message: 'Use an ISO 639-1 code such as en or es', abort: true })
  // Intl throws for strings not shaped like a code; the regex above has already refused those.
  .refine((code) => /^[a-z]{2}$/.test(code) && languageName(code) !== code, 'Unknown ISO 639-1 language code');

const AfterHoursView = z.object({ afterHours: z.enum(AFTER_HOURS_MODES) });
const LanguagesView = z.object({ languages: z.array(z.string()) });

/** How the assistant handles calls: outside opening hours, and in which languages. */
const callHandlingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.get('/api/after-hours', {
    schema: { tags, security, summary: 'What the assistant does outside business hours', response: { 200: AfterHoursView, ...ErrorResponses } },
    handler: (request) => service.getAfterHours(ctx, authOf(request)),
  });
  app.put('/api/after-hours', {
    schema: {
      tags,
      security,
      summary: 'take-message | transfer-anyway | book-only; rewrites the hours section and syncs to VAPI',
      body: AfterHoursView,
      response: { 200: AfterHoursView.extend({ success: z.literal(true) }), ...ErrorResponses },
    },
    handler: async (request) => ({ success: true as const, ...(await service.setAfterHours(ctx, authOf(request), request.body.afterHours)) }),
  });

  const VoicemailView = z.object({ enabled: z.boolean(), message: z.string().nullable() });
  app.get('/api/voicemail', {
    schema: { tags, security, summary: 'Voicemail detection on outbound calls, and the message left on a machine', response: { 200: VoicemailView, ...ErrorResponses } },
    handler: (request) => service.getVoicemail(ctx, authOf(request)),
  });

  app.put('/api/voicemail', {
    preValidation: [app.requireFeature('outbound'), app.requireManager],
    schema: {
      tags,
      security,
      summary: 'Turn voicemail detection on or off for outbound calls, with the message to leave (Enterprise)',
      body: z.object({ enabled: z.boolean(), message: z.string().trim().min(1).max(LIMITS.voicemailMessage).nullable().optional() }),
      response: { 200: VoicemailView.extend({ success: z.literal(true) }), ...ErrorResponses },
    },
    handler: async (request) => ({ success: true as const, ...(await service.setVoicemail(ctx, authOf(request), request.body)) }),
  });

  app.get('/api/languages', {
    schema: { tags, security, summary: 'The languages the assistant speaks (ISO 639-1, the first is the default)', response: { 200: LanguagesView, ...ErrorResponses } },
    handler: (request) => service.getLanguages(ctx, authOf(request)),
  });
  app.put('/api/languages', {
    schema: {
      tags,
      security,
      summary: "Set up to 5 languages; the assistant answers in the caller's; rewrites the persona section and syncs to VAPI",
      body: z.object({
        languages: z
          .array(LanguageCode)
          .min(1)
          .max(5)
          .refine((list) => new Set(list).size === list.length, 'Each language once'),
      }),
      response: { 200: LanguagesView.extend({ success: z.literal(true) }), ...ErrorResponses },
    },
    handler: async (request) => ({ success: true as const, ...(await service.setLanguages(ctx, authOf(request), request.body.languages)) }),
  });
};

export default callHandlingRoutes;
