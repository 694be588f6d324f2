import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CALL_STATUSES } from '../../db/schema/index.js';
import { FEATURES, PLAN_TIERS } from '../../domain/plans.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as s from './billing.schemas.js';
import { overageHistory, setOverageEnabled } from './overage.service.js';
import subscriptionRoutes from './subscription.routes.js';
import { usageSnapshot } from './usage.service.js';

const tags = ['Usage & Billing'];
const security = [{ session: [] }];

/** "Usage & Billing": usage, overage history and switch, and (subscription.routes.ts) plans through Stripe. */
const billingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.get('/api/usage', {
    schema: {
      tags,
      security,
      summary: 'Usage this cycle, plan, number, assistant, feature flags, daily history and recent calls',
      querystring: z.object({ days: z.coerce.number().int().min(1).max(365).default(30) }),
      response: {
        200: z.object({
          snapshot: z.object({
            minutesUsed: z.number(),
            minutesLimit: z.number(),
            percentUsed: z.number(),
            currentCycleStart: z.string(),
            currentCycleEnd: z.string(),
          }),
          plan: z.enum(PLAN_TIERS),
          overageEnabled: z.boolean(),
          phoneNumber: z.string().nullable(),
          assistant: z.object({ id: z.string(), name: z.string() }).nullable(),
          features: z.object(Object.fromEntries(FEATURES.map((f) => [f, z.boolean()])) as Record<(typeof FEATURES)[number], z.ZodBoolean>),
          /** Calls waiting for someone to get back to the caller (the Follow-ups badge). */
          openFollowUps: z.number(),
          history: z.array(z.object({ date: z.string(), calls: z.number(), minutes: z.number() })),
          recentCalls: z.array(
            z.object({
              id: z.string(),
              status: z.enum(CALL_STATUSES),
              customerNumber: z.string().nullable(),
              startedAt: z.string().nullable(),
              durationSeconds: z.number().nullable(),
              durationMinutes: z.number().nullable(),
              summary: z.string().nullable(),
            }),
          ),
        }),
        ...ErrorResponses,
      },
    },
    handler: (request) => usageSnapshot(ctx, authOf(request), request.query.days),
  });

  app.get('/api/billing/history', {
    schema: {
      tags,
      security,
      summary: 'Weekly overage charges (up to 52 weeks, newest first) and this cycle’s overage not billed yet',
      response: { 200: s.HistoryView, ...ErrorResponses },
    },
    handler: (request) => overageHistory(ctx, authOf(request).organizationId),
  });

  app.put('/api/billing/overage', {
    preValidation: [app.requireManager, app.requireFeature('overage')],
    schema: {
      tags,
      security,
      summary: 'Turn overage on or off: calls continue past the included minutes, billed weekly at the overage rate',
      description: 'Owner or admin, on a plan with overage (Starter and up).',
      body: s.OverageBody,
      response: { 200: s.OverageView, ...ErrorResponses },
    },
    handler: (request) => setOverageEnabled(ctx, authOf(request).organizationId, request.body.enabled),
  });

  await app.register(subscriptionRoutes);
};

export default billingRoutes;
