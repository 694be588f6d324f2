import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { isIsoDay } from '../analytics/dates.js';
import * as repo from './digest.repo.js';
import { getDigest } from './digest.service.js';

const security = [{ session: [] }];

const DigestCall = z.object({
  id: z.string(),
  startedAt: z.string(),
  /** Local time on the business clock, e.g. "9:05 AM". */
  time: z.string(),
  customerNumber: z.string().nullable(),
  durationSeconds: z.number().nullable(),
  endedReason: z.string().nullable(),
  outcome: z.enum(['answered', 'transferred', 'voicemail', 'hang-up']),
  summary: z.string().nullable(),
});

export const DigestResponse = z.object({
  date: z.string(),
  timezone: z.string(),
  organizationName: z.string(),
  totals: z.object({
    calls: z.number(),
    minutes: z.number(),
    bookings: z.number(),
    transfers: z.number(),
    hangUps: z.number(),
    voicemail: z.number(),
  }),
  calls: z.array(DigestCall),
  moreCalls: z.number(),
  bookings: z.array(
    z.object({ attendeeName: z.string(), attendeePhone: z.string().nullable(), startsAt: z.string(), startsAtLocal: z.string(), bookedAt: z.string() }),
  ),
  missed: z.array(DigestCall),
  minutes: z.object({ used: z.number(), included: z.number(), left: z.number(), overageEnabled: z.boolean(), cycleEnd: z.string() }),
});

const Preferences = z.object({ dailyDigest: z.boolean() });

/** The daily digest as a page, and the per-user opt-in to receive it by email. */
const digestRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.get('/api/digest', {
    schema: {
      tags: ['Digest'],
      security,
      summary: "A day's digest (the daily email's content): calls with one-line summaries, bookings, missed calls, minutes left",
      description:
        '`date` is a business-local day (YYYY-MM-DD); by default the latest business-local day that has calls (up to today), or yesterday before the first call.',
      querystring: z.object({ date: z.string().refine(isIsoDay, 'Use an ISO date, YYYY-MM-DD').optional() }),
      response: { 200: DigestResponse, ...ErrorResponses },
    },
    handler: (request) => getDigest(ctx, authOf(request).organizationId, request.query.date),
  });

  app.get('/api/me/preferences', {
    schema: { tags: ['Account'], security, summary: "The signed-in user's preferences", response: { 200: Preferences, ...ErrorResponses } },
    handler: (request) => {
      const auth = authOf(request);
      return repo.getPreferences(ctx.db, auth.organizationId, auth.userId);
    },
  });

  app.put('/api/me/preferences', {
    schema: {
      tags: ['Account'],
      security,
      summary: 'Opt in or out of the daily digest email (sent at 7 AM business time)',
      body: Preferences,
      response: { 200: Preferences.extend({ success: z.literal(true) }), ...ErrorResponses },
    },
    handler: async (request) => {
      const auth = authOf(request);
      await repo.upsertPreferences(ctx.db, auth.organizationId, auth.userId, request.body);
      return { success: true as const, ...(await repo.getPreferences(ctx.db, auth.organizationId, auth.userId)) };
    },
  });
};

export default digestRoutes;
