import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '../../domain/limits.js';
import { FOLLOW_UP_STATUSES } from '../../db/schema/index.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as service from './follow-ups.service.js';

const tags = ['Follow-ups'];
const security = [{ session: [] }];

export const FollowUp = z.object({
  callId: z.string(),
  status: z.enum(FOLLOW_UP_STATUSES),
  urgent: z.boolean(),
  callerName: z.string().nullable(),
  customerNumber: z.string().nullable(),
  callbackNumber: z.string().nullable(),
  reason: z.string().nullable(),
  callbackRequested: z.boolean(),
  voicemail: z.boolean(),
  startedAt: z.string().nullable(),
  createdAt: z.string(),
  assignedTo: z.string().nullable(),
  assigneeName: z.string().nullable(),
  assignedAt: z.string().nullable(),
  doneBy: z.string().nullable(),
  doneAt: z.string().nullable(),
  note: z.string().nullable(),
  reopenedAt: z.string().nullable(),
});
const One = z.object({ followUp: FollowUp });
const CallIdParams = z.object({ callId: z.uuid('Not a valid id') });
const noNul = (s: string) => !s.includes('\0');

/**
 * Calls someone should get back to: a callback was asked for, the caller was urgent, or
 * they left a voicemail. Every member works the inbox; each change records who and when.
 */
const followUpsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.get('/api/follow-ups', {
    schema: {
      tags,
      security,
      summary: 'Follow-ups of a status, newest first (cursor pagination); assignedTo=me for your own',
      querystring: z.object({
        status: z.enum(FOLLOW_UP_STATUSES).default('open'),
        assignedTo: z.union([z.literal('me'), z.uuid('Not a valid id')]).optional(),
        cursor: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
      response: { 200: z.object({ followUps: z.array(FollowUp), nextCursor: z.string().nullable() }), ...ErrorResponses },
    },
    handler: (request) => service.listFollowUps(ctx, authOf(request), request.query),
  });

  app.post('/api/follow-ups/:callId/done', {
    schema: {
      tags,
      security,
      summary: 'Mark a follow-up done, with an optional note',
      params: CallIdParams,
      body: z.object({ note: z.string().trim().max(LIMITS.followUpNote).refine(noNul, 'Must not contain NUL characters').nullish() }).default({}),
      response: { 200: One, ...ErrorResponses },
    },
    handler: (request) => service.markDone(ctx, authOf(request), request.params.callId, request.body.note),
  });

  app.post('/api/follow-ups/:callId/reopen', {
    schema: { tags, security, summary: 'Reopen a follow-up marked done', params: CallIdParams, response: { 200: One, ...ErrorResponses } },
    handler: (request) => service.reopen(ctx, authOf(request), request.params.callId),
  });

  app.post('/api/follow-ups/:callId/assign', {
    schema: {
      tags,
      security,
      summary: 'Assign a follow-up to a member of the organization (400 if userId is not one)',
      params: CallIdParams,
      body: z.object({ userId: z.uuid('Not a valid id') }),
      response: { 200: One, ...ErrorResponses },
    },
    handler: (request) => service.assign(ctx, authOf(request), request.params.callId, request.body.userId),
  });
};

export default followUpsRoutes;
