import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '../../domain/limits.js';
import { USER_ROLES } from '../../db/schema/index.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { Email, NewPassword } from '../auth/auth.schemas.js';
import * as service from './members.service.js';

const tags = ['Members'];
const security = [{ session: [] }];
const IdParams = z.object({ id: z.uuid('Not a valid id') });
const Role = z.enum(USER_ROLES);

/** Team members: owners and admins invite, change roles and remove; members only use the product. */
const membersRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  const manage = [app.requireSession, app.requireBrowserSession, app.requireManager];

  app.get('/api/members', {
    preValidation: app.requireSession,
    schema: {
      tags,
      security,
      summary: 'Members of the organization and pending invitations',
      response: {
        200: z.object({
          members: z.array(z.object({ id: z.string(), name: z.string(), email: z.string(), role: Role, createdAt: z.string() })),
          invites: z.array(z.object({ id: z.string(), email: z.string(), role: Role, expiresAt: z.string() })),
        }),
        ...ErrorResponses,
      },
    },
    handler: (request) => service.listMembers(ctx, authOf(request)),
  });

  app.post('/api/members/invite', {
    preValidation: manage,
    schema: {
      tags,
      security,
      summary: 'Invite someone by email (link valid 7 days, single use)',
      body: z.object({ email: Email, role: Role.default('member') }),
      response: { 201: z.object({ id: z.string(), email: z.string(), role: Role }), ...ErrorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await service.inviteMember(ctx, authOf(request), request.body)),
  });

  app.post('/api/members/accept', {
    preHandler: app.authRateLimit('accept-invite'),
    schema: {
      tags,
      summary: 'Accept an invitation: creates the account and signs it in',
      body: z.object({ token: z.string().min(16).max(128), name: z.string().trim().min(1).max(LIMITS.personName), password: NewPassword }),
      response: { 201: z.object({ userId: z.string(), organizationId: z.string() }), ...ErrorResponses },
    },
    handler: async (request, reply) => {
      const joined = await service.acceptInvite(ctx, request.body);
      const session = await service.startSession(ctx, joined.userId);
      app.sessionCookie.set(reply, session.token, session.expiresAt);
      return reply.status(201).send(joined);
    },
  });

  app.delete('/api/members/invites/:id', {
    preValidation: manage,
    schema: {
      tags,
      security,
      summary: 'Withdraw a pending invitation',
      params: IdParams,
      response: { 200: z.object({ success: z.literal(true) }), ...ErrorResponses },
    },
    handler: async (request) => {
      await service.revokeInvite(ctx, authOf(request), request.params.id);
      return { success: true as const };
    },
  });

  app.patch('/api/members/:id', {
    preValidation: manage,
    schema: {
      tags,
      security,
      summary: "Change a member's role (an organization keeps at least one owner)",
      params: IdParams,
      body: z.object({ role: Role }),
      response: { 200: z.object({ id: z.string(), role: Role }), ...ErrorResponses },
    },
    handler: (request) => service.changeRole(ctx, authOf(request), request.params.id, request.body.role),
  });

  app.delete('/api/members/:id', {
    preValidation: manage,
    schema: {
      tags,
      security,
      summary: 'Remove a member and end their sessions',
      params: IdParams,
      response: { 200: z.object({ success: z.literal(true) }), ...ErrorResponses },
    },
    handler: async (request) => {
      await service.removeMember(ctx, authOf(request), request.params.id);
      return { success: true as const };
    },
  });
};

export default membersRoutes;
