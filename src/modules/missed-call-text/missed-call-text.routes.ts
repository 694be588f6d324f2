import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '../../domain/limits.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as service from './missed-call-text.service.js';

const tags = ['Missed-call text'];
const security = [{ session: [] }];
const Settings = z.object({
  enabled: z.boolean(),
  message: z.string().trim().min(1).max(LIMITS.missedCallText),
});

/** The text a caller gets when their call ended before anyone spoke with them (Pro+ SMS, approved A2P). */
const missedCallTextRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.get('/api/missed-call-text', {
    schema: { tags, security, summary: 'The missed-call text setting (off by default)', response: { 200: Settings, ...ErrorResponses } },
    handler: (request) => service.getSettings(ctx, authOf(request)),
  });

  app.put('/api/missed-call-text', {
    preValidation: [app.requireFeature('sms'), app.requireManager],
    schema: {
      tags,
      security,
      summary: 'Turn the missed-call text on or off; {business} in the message becomes the business name',
      body: Settings,
      response: { 200: Settings, ...ErrorResponses },
    },
    handler: (request) => service.putSettings(ctx, authOf(request), request.body),
  });
};

export default missedCallTextRoutes;
