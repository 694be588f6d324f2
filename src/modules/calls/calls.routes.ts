import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CALL_STATUSES, FOLLOW_UP_STATUSES } from '../../db/schema/index.js';
import { CALL_CATEGORIES, CallOutcome } from '../../domain/call-outcome.js';
import { isE164 } from '../../domain/phone.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as service from './calls.service.js';
import { FollowUp } from '../follow-ups/follow-ups.routes.js';
import { browserToken } from '../voice/client-calls.service.js';
import { exportCalls } from './call-export.service.js';
import { isCalendarDate } from '../../domain/call-search.js';

const tags = ['Calls'];
const security = [{ session: [] }];

const CallSummary = z.object({
  id: z.string(),
  vapiCallId: z.string(),
  type: z.string(),
  status: z.enum(CALL_STATUSES),
  customerNumber: z.string().nullable(),
  startedAt: z.string().nullable(),
  endedAt: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  durationMinutes: z.number().nullable(),
  endedReason: z.string().nullable(),
  summary: z.string().nullable(),
  /** What the call was about (VAPI's structured data); null when the report carried none. */
  outcome: CallOutcome.nullable(),
  createdAt: z.string(),
});

const CalendarDate = z.string().refine(isCalendarDate, 'Must be a date as YYYY-MM-DD');

/** The filters shared by the list and its export; dates are days in the business's time zone. */
const CallFilterQuery = z
  .object({
    q: z.string().trim().max(200).optional(),
    status: z.enum(CALL_STATUSES).optional(),
    from: CalendarDate.optional(),
    to: CalendarDate.optional(),
    direction: z.enum(['inbound', 'outbound']).optional(),
    /** The outcome category VAPI's analysis gave the call. */
    category: z.enum(CALL_CATEGORIES).optional(),
    /** Calls with an open (or done) follow-up. */
    followUp: z.enum(FOLLOW_UP_STATUSES).optional(),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: 'to must not be before from', path: ['to'] });

export const E164 = z.string().trim().refine(isE164, 'Must be a phone number in international format, e.g. +14155550100');

/** The "Calls" group, plus the call list a dashboard needs. */
const callsRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.get('/api/calls', {
    schema: {
      tags,
      security,
      summary: 'Calls, newest start first (cursor pagination), narrowed by search and filters',
      querystring: CallFilterQuery.extend({
        cursor: z.string().max(200).optional(),
        limit: z.coerce.number().int().min(1).max(100).default(20),
      }),
      response: { 200: z.object({ calls: z.array(CallSummary), nextCursor: z.string().nullable() }), ...ErrorResponses },
    },
    handler: (request) => service.listCalls(ctx, authOf(request), request.query),
  });

  app.get('/api/calls/export.csv', {
    schema: {
      tags,
      security,
      summary: 'The filtered calls as CSV (RFC 4180, streamed; transcripts where the plan has them)',
      querystring: CallFilterQuery,
      response: { 200: z.any().describe('CSV (text/csv), streamed; one header row, then one row per call'), ...ErrorResponses },
    },
    handler: async (request, reply) => {
      const { fileName, stream } = await exportCalls(ctx, authOf(request), request.query);
      return reply
        .type('text/csv; charset=utf-8')
        .header('content-disposition', `attachment; filename="${fileName}"`)
        .header('cache-control', 'no-store')
        .send(stream);
    },
  });

  app.get('/api/calls/browser-token', {
    preValidation: app.requireFeature('browserCalling'),
    schema: {
      tags,
      security,
      summary: 'A Twilio Voice access token for calling from the dashboard (Enterprise; 1 h)',
      response: {
        200: z.object({ token: z.string(), identity: z.string(), phoneNumber: z.string(), expiresIn: z.number() }),
        ...ErrorResponses,
      },
    },
    handler: (request) => browserToken(ctx, authOf(request)),
  });

  app.get('/api/calls/:id', {
    schema: {
      tags,
      security,
      summary: 'One call; transcript and recording as the plan allows',
      params: z.object({ id: z.uuid('Not a valid id') }),
      response: {
        200: z.object({
          call: z.object({
            id: z.string(),
            vapiCallId: z.string(),
            type: z.string(),
            status: z.enum(CALL_STATUSES),
            startedAt: z.string().nullable(),
            endedAt: z.string().nullable(),
            durationMinutes: z.number().nullable(),
            customerNumber: z.string().nullable(),
            endedReason: z.string().nullable(),
            summary: z.string().nullable(),
            outcome: CallOutcome.nullable(),
            transcript: z.string().nullable(),
            messages: z.array(z.record(z.string(), z.unknown())),
            recordingUrl: z.string().nullable(),
            /** When the missed-call text went to this caller for this call, if it did. */
            missedCallTextSentAt: z.string().nullable(),
          }),
          /** Null when the call needs no follow-up. */
          followUp: FollowUp.nullable(),
          plan: z.string(),
          features: z.object({ transcripts: z.boolean(), recordings: z.boolean() }),
        }),
        ...ErrorResponses,
      },
    },
    handler: (request) => service.getCall(ctx, authOf(request), request.params.id),
  });

  app.post('/api/calls/outbound', {
    preValidation: app.requireFeature('outbound'),
    schema: {
      tags,
      security,
      summary: 'Have the assistant call a customer (Enterprise; 402 when no minutes are left and overage is off)',
      body: z.object({ customerNumber: E164 }),
      response: {
        200: z.object({
          success: z.literal(true),
          call: z.object({ id: z.string(), status: z.string(), customerNumber: z.string() }),
        }),
        ...ErrorResponses,
      },
    },
    handler: (request) => service.startOutboundCall(ctx, authOf(request), request.body.customerNumber),
  });

  app.get('/api/calls/outbound/status', {
    schema: {
      tags,
      security,
      summary: 'Status of an outbound call; 404 until the webhook has recorded it',
      querystring: z.object({ vapiCallId: z.string().trim().min(1).max(100) }),
      response: {
        200: z.object({
          id: z.string(),
          status: z.string(),
          startedAt: z.string().nullable(),
          endedAt: z.string().nullable(),
          minutes: z.number(),
          endReason: z.string().nullable(),
        }),
        ...ErrorResponses,
      },
    },
    handler: (request) => service.outboundStatus(ctx, authOf(request), request.query.vapiCallId),
  });
};

export default callsRoutes;
