import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '../../domain/limits.js';
import { SMS_DIRECTIONS } from '../../db/schema/index.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { E164 } from '../calls/calls.routes.js';
import * as sms from './sms.service.js';
import * as threads from './sms-threads.service.js';

const tags = ['SMS'];
const security = [{ session: [] }];

/** The "SMS" group: send from the business number (Pro+, approved A2P), and the message log. */
const smsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.post('/api/sms/send', {
    preValidation: app.requireFeature('sms'),
    schema: {
      tags,
      security,
      summary: 'Send an SMS from the business number (Pro+; needs an approved A2P campaign)',
      body: z.object({ to: E164, body: z.string().min(1).max(LIMITS.smsBody) }),
      response: { 200: z.object({ success: z.literal(true), messageSid: z.string(), status: z.string() }), ...ErrorResponses },
    },
    handler: (request) => sms.sendSms(ctx, authOf(request), request.body),
  });

  app.get('/api/sms/logs', {
    schema: {
      tags,
      security,
      summary: 'SMS history, newest first',
      querystring: z.object({
        page: z.coerce.number().int().min(1).default(1),
        // Capped rather than refused: asking for 500 gets the 100 we allow.
        limit: z.coerce.number().int().min(1).default(20).transform((n) => Math.min(n, 100)),
        direction: z.enum(SMS_DIRECTIONS).optional(),
      }),
      response: {
        200: z.object({
          logs: z.array(
            z.object({ id: z.string(), direction: z.enum(SMS_DIRECTIONS), from: z.string(), to: z.string(), body: z.string(), status: z.string(), createdAt: z.string() }),
          ),
          pagination: z.object({ page: z.number(), limit: z.number(), total: z.number(), totalPages: z.number() }),
        }),
        ...ErrorResponses,
      },
    },
    handler: (request) => sms.listSms(ctx, authOf(request), request.query),
  });

  app.get('/api/sms/threads', {
    schema: {
      tags,
      security,
      summary: 'Text conversations, one per other party, most recent first (last message, unread count)',
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(200).default(50) }),
      response: {
        200: z.object({
          threads: z.array(
            z.object({
              number: z.string(),
              lastBody: z.string(),
              lastDirection: z.enum(SMS_DIRECTIONS),
              lastAt: z.string(),
              unread: z.number(),
              optedOut: z.boolean(),
            }),
          ),
        }),
        ...ErrorResponses,
      },
    },
    handler: (request) => threads.listThreads(ctx, authOf(request), request.query),
  });

  app.get('/api/sms/threads/:number', {
    schema: {
      tags,
      security,
      summary: 'One conversation, oldest first (the latest `limit` texts); marks its inbound texts read; 404 for a number this organization has no texts with. Reply with POST /api/sms/send',
      params: z.object({ number: E164 }),
      querystring: z.object({ limit: z.coerce.number().int().min(1).max(500).default(200) }),
      response: {
        200: z.object({
          number: z.string(),
          optedOut: z.boolean(),
          messages: z.array(
            z.object({
              id: z.string(),
              direction: z.enum(SMS_DIRECTIONS),
              body: z.string(),
              status: z.string(),
              createdAt: z.string(),
              missedCallText: z.boolean(),
            }),
          ),
        }),
        ...ErrorResponses,
      },
    },
    handler: (request) => threads.openThread(ctx, authOf(request), request.params.number, request.query),
  });
};

export default smsRoutes;
