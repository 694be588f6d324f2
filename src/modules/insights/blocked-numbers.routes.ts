import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '../../domain/limits.js';
import { toE164 } from '../../domain/phone.js';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as service from './blocked-numbers.service.js';

const tags = ['Blocked Numbers'];
const security = [{ session: [] }];

/** Any phone number form libphonenumber understands (US by default), stored as E.164. */
export const PhoneNumberInput = z
  .string()
  .trim()
  .min(1)
  .max(32)
  .transform((s, ctx) => {
    const e164 = toE164(s);
    if (!e164) ctx.addIssue({ code: 'custom', message: 'Must be a phone number, e.g. +15559876543' });
    return e164 ?? s;
  });

const BlockedNumber = z.object({ id: z.string(), number: z.string(), reason: z.string().nullable(), createdAt: z.string() });

/** Callers the business refuses: listed by anyone, changed by owners and admins. */
const blockedNumbersRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.get('/api/blocked-numbers', {
    schema: { tags, security, summary: 'Blocked caller numbers', response: { 200: z.object({ blockedNumbers: z.array(BlockedNumber) }), ...ErrorResponses } },
    handler: (request) => service.listBlockedNumbers(ctx, authOf(request)),
  });

  app.post('/api/blocked-numbers', {
    preValidation: app.requireManager,
    schema: {
      tags,
      security,
      summary: 'Block a caller: their calls are rejected before the assistant answers and never billed (owner/admin; 409 if already blocked)',
      body: z.object({ number: PhoneNumberInput, reason: z.string().trim().max(LIMITS.blockReason).refine((r) => !r.includes('\0'), 'Must not contain NUL characters').nullish() }),
      response: { 201: z.object({ blockedNumber: BlockedNumber }), ...ErrorResponses },
    },
    handler: async (request, reply) => reply.status(201).send(await service.blockNumber(ctx, authOf(request), request.body)),
  });

  app.delete('/api/blocked-numbers/:id', {
    preValidation: app.requireManager,
    schema: {
      tags,
      security,
      summary: 'Unblock a number (owner/admin)',
      params: z.object({ id: z.uuid('Not a valid id') }),
      response: { 200: z.object({ success: z.literal(true) }), ...ErrorResponses },
    },
    handler: (request) => service.unblockNumber(ctx, authOf(request), request.params.id),
  });

  app.post('/api/calls/:id/block', {
    preValidation: app.requireManager,
    schema: {
      tags,
      security,
      summary: "Block this call's caller (owner/admin): 201 when newly blocked, 200 when it already was",
      params: z.object({ id: z.uuid('Not a valid id') }),
      response: {
        200: z.object({ alreadyBlocked: z.boolean(), blockedNumber: BlockedNumber }),
        201: z.object({ alreadyBlocked: z.boolean(), blockedNumber: BlockedNumber }),
        ...ErrorResponses,
      },
    },
    handler: async (request, reply) => {
      const { created, body } = await service.blockCaller(ctx, authOf(request), request.params.id);
      return reply.status(created ? 201 : 200).send(body);
    },
  });
};

export default blockedNumbersRoutes;
