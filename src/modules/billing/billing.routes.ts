import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { CALL_STATUSES } from '../../db/schema/index.js';
import { FEATURES, PLAN_TIERS } from '../../domain/plans.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { usageSnapshot } from './usage.service.js';

const tags = ['Usage & Billing'];
const security = [{ session: [] }];

/** "Usage & Billing": the usage snapshot (Stripe endpoints join when Billing lands). */
const billingRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preHandler', app.requireSession);

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
};

export default billingRoutes;
