import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import './booking-tools.js';
import * as calendar from './calendar.service.js';

const tags = ['Calendar Integration'];
const security = [{ session: [] }];
const Success = z.object({ success: z.literal(true) });
const ApiKey = z
  .string()
  .trim()
  .min(8)
  .max(200)
  .regex(/^cal_/, 'A Cal.com API key starts with cal_')
  .meta({ examples: ['cal_live_0123456789abcdef'] });

/** "Calendar Integration": connect Cal.com, and the assistant can check times and book. */
const calendarRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.post('/api/calendar/event-types', {
    preValidation: [app.requireFeature('calendar'), app.requireManager],
    schema: {
      tags,
      security,
      summary: "The Cal.com account's event types, to pick the one callers book before connecting (Advanced+); a key Cal.com refuses is a 400 on apiKey",
      body: z.object({ apiKey: ApiKey }),
      response: {
        200: z.array(z.object({ id: z.number(), title: z.string(), length: z.number().describe('Minutes') })),
        ...ErrorResponses,
      },
    },
    handler: (request) => calendar.listEventTypes(ctx, request.body.apiKey),
  });

  app.post('/api/calendar/connect', {
    preValidation: [app.requireFeature('calendar'), app.requireManager],
    schema: {
      tags,
      security,
      summary: 'Connect Cal.com: validates the key, stores it encrypted, adds booking tools (Advanced+)',
      body: z.object({
        provider: z.literal('CAL_COM').default('CAL_COM'),
        apiKey: ApiKey,
        eventTypeId: z.number().int().positive(),
      }),
      response: { 200: z.object({ success: z.literal(true), provider: z.literal('CAL_COM') }), ...ErrorResponses },
    },
    handler: (request) => calendar.connectCalendar(ctx, authOf(request), request.body),
  });

  app.get('/api/calendar/status', {
    schema: {
      tags,
      security,
      summary: 'Whether a calendar is connected, and how',
      response: {
        200: z.object({
          connected: z.boolean(),
          provider: z.literal('CAL_COM').nullable(),
          config: z.object({ eventTypeId: z.number() }).nullable(),
          connectedAt: z.string().nullable(),
          canEdit: z.boolean(),
        }),
        ...ErrorResponses,
      },
    },
    handler: (request) => calendar.calendarStatus(ctx, authOf(request)),
  });

  app.post('/api/calendar/disconnect', {
    preValidation: app.requireManager,
    schema: { tags, security, summary: 'Disconnect: removes the tools and the calendar section', response: { 200: Success, ...ErrorResponses } },
    handler: async (request) => {
      await calendar.disconnectCalendar(ctx, authOf(request));
      return { success: true as const };
    },
  });

  app.get('/api/calendar/test', {
    schema: {
      tags,
      security,
      summary: 'Diagnostics: org lookup, plan check, credential decryption, Cal.com API',
      response: {
        200: z.object({
          ok: z.boolean(),
          timestamp: z.string(),
          steps: z.array(z.object({ name: z.string(), ok: z.boolean(), error: z.string().optional() })),
        }),
        ...ErrorResponses,
      },
    },
    handler: (request) => calendar.testCalendar(ctx, authOf(request)),
  });
};

export default calendarRoutes;
