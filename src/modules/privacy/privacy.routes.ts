import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as service from './privacy.service.js';

const tags = ['Privacy'];
const security = [{ session: [] }];
const Days = z.number().int().min(1, 'at least 1 day').max(3650, 'at most 3650 days').nullable();
/** 0 days of recordings = calls are not recorded at all (VAPI's artifactPlan.recordingEnabled off). */
const RecordingDays = z.number().int().min(0, 'at least 0 days (0 = do not record)').max(3650, 'at most 3650 days').nullable();
const Privacy = z.object({ transcriptRetentionDays: Days, recordingRetentionDays: RecordingDays, redactPii: z.boolean() });

/** How long transcripts and recordings are kept (null = keep), and PII redaction at storage. */
const privacyRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.get('/api/privacy', {
    schema: { tags, security, summary: 'Retention windows and PII redaction', response: { 200: Privacy, ...ErrorResponses } },
    handler: (request) => service.getPrivacy(ctx, authOf(request)),
  });

  app.put('/api/privacy', {
    preValidation: app.requireManager,
    schema: {
      tags,
      security,
      summary: 'Set retention (days, null = keep) and redaction of card numbers, SSNs and dates of birth',
      body: Privacy,
      response: { 200: Privacy, ...ErrorResponses },
    },
    handler: (request) => service.putPrivacy(ctx, authOf(request), request.body),
  });
};

export default privacyRoutes;
