import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { PLAN_TIERS } from '../../domain/plans.js';
import { AppError } from '../../errors.js';
import { safeEqual } from '../../lib/tokens.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as admin from './admin.service.js';

const tags = ['Admin'];
const security = [{ admin: [] }];

const OrganizationView = z.object({
  id: z.string(),
  name: z.string(),
  plan: z.enum(PLAN_TIERS),
  minutesLimit: z.number(),
  minutesLimitOverride: z.number().nullable(),
  minutesUsed: z.number(),
  overageEnabled: z.boolean(),
  currentCycleStart: z.string(),
  currentCycleEnd: z.string(),
  userCount: z.number(),
  createdAt: z.string(),
});
const OrganizationDetail = z.object({
  organization: OrganizationView.extend({
    users: z.array(
      z.object({ id: z.string(), name: z.string(), email: z.string(), role: z.string(), mustChangePassword: z.boolean() }),
    ),
  }),
});
const IdParams = z.object({ id: z.uuid('Not a valid id') });

/** Operator endpoints of the run contract, behind `x-admin-key`. */
const adminRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.addHook('onRequest', async (request: FastifyRequest) => {
    const key = request.headers['x-admin-key'];
    if (typeof key !== 'string' || !safeEqual(key, ctx.config.adminApiKey)) {
      throw new AppError('UNAUTHORIZED', 'A valid x-admin-key header is required');
    }
  });

  app.get('/api/admin/organizations', {
    schema: {
      tags,
      security,
      summary: 'List organizations',
      querystring: z.object({
        page: z.coerce.number().int().min(1).default(1),
        limit: z.coerce.number().int().min(1).max(100).default(20),
        search: z.string().trim().max(200).optional(),
      }),
      response: {
        200: z.object({
          organizations: z.array(OrganizationView),
          pagination: z.object({ page: z.number(), limit: z.number(), total: z.number(), totalPages: z.number() }),
        }),
        ...ErrorResponses,
      },
    },
    handler: (request) => admin.listOrganizations(ctx, request.query),
  });

  app.get('/api/admin/organizations/:id', {
    schema: { tags, security, summary: 'One organization with its users', params: IdParams, response: { 200: OrganizationDetail, ...ErrorResponses } },
    handler: (request) => admin.getOrganization(ctx, request.params.id),
  });

  app.patch('/api/admin/organizations/:id', {
    schema: {
      tags,
      security,
      summary: "Change an organization's plan, minute limit or overage",
      params: IdParams,
      body: z
        .object({
          plan: z.enum(PLAN_TIERS).optional(),
          /** null clears the override and falls back to the plan's minutes. */
          minutesLimit: z.number().int().min(0).max(1_000_000).nullable().optional(),
          overageEnabled: z.boolean().optional(),
        })
        .strict()
        .refine((b) => Object.keys(b).length > 0, 'Give at least one of plan, minutesLimit, overageEnabled'),
      response: { 200: OrganizationDetail, ...ErrorResponses },
    },
    handler: (request) => admin.updateOrganization(ctx, request.params.id, request.body),
  });

  app.post('/api/admin/users/:id/require-password-change', {
    schema: {
      tags,
      security,
      summary: 'Require a user to choose a new password (allows PUT /api/auth/password with forced=true)',
      params: IdParams,
      response: { 200: z.object({ success: z.literal(true) }), ...ErrorResponses },
    },
    handler: async (request) => {
      await admin.requirePasswordChange(ctx, request.params.id);
      return { success: true as const };
    },
  });
};

export default adminRoutes;
