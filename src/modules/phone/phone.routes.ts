import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { LIMITS } from '../../domain/limits.js';

const AreaCode = z.string().regex(/^[2-9]\d{2}$/, 'Must be a 3-digit US area code, e.g. 415');
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as phone from './phone.service.js';
import * as transfer from './transfer.service.js';

const tags = ['Phone Numbers'];
const security = [{ session: [] }];
const TransferMode = z.enum(['blind', 'warm']);

/** The "Phone Numbers" group: the organization's number, its search and provisioning, and call transfer. */
const phoneRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.get('/api/phone-numbers', {
    schema: {
      tags,
      security,
      summary: "The organization's number and SIP trunk details",
      response: {
        200: z.object({
          phoneNumber: z.string().nullable(),
          vapiPhoneNumberId: z.string().nullable(),
          twilioPhoneNumberSid: z.string().nullable(),
          hasSipTrunk: z.boolean(),
          hasAssistant: z.boolean(),
          assistantName: z.string().nullable(),
        }),
        ...ErrorResponses,
      },
    },
    handler: (request) => phone.getPhoneNumber(ctx, authOf(request)),
  });

  app.post('/api/phone-numbers', {
    preValidation: app.requireManager,
    schema: {
      tags,
      security,
      summary: 'Buy a number on a SIP trunk and connect it to the assistant (409 if one exists; resumes a failed attempt)',
      body: z.object({ areaCode: AreaCode.optional() }),
      response: {
        200: z.object({ success: z.literal(true), phoneNumber: z.string(), vapiPhoneNumberId: z.string().nullable(), twilioPhoneNumberSid: z.string() }),
        ...ErrorResponses,
      },
    },
    handler: (request) => phone.provisionForUser(ctx, authOf(request), request.body.areaCode),
  });

  app.get('/api/phone-numbers/search', {
    schema: {
      tags,
      security,
      summary: 'Numbers for sale by area code or city',
      querystring: z
        .object({
          areaCode: AreaCode.optional(),
          locality: z.string().trim().min(1).max(80).optional(),
          limit: z.coerce.number().int().min(1).max(30).default(5),
        })
        .refine((q) => q.areaCode || q.locality, 'Give an area code or a city'),
      response: {
        200: z.object({ numbers: z.array(z.object({ phoneNumber: z.string(), locality: z.string().nullable(), region: z.string().nullable() })) }),
        ...ErrorResponses,
      },
    },
    handler: (request) => phone.searchNumbers(ctx, request.query),
  });

  app.get('/api/transfer-number', {
    schema: {
      tags,
      security,
      summary: 'The number calls are transferred to; canEdit on Advanced and above',
      response: { 200: z.object({ transferNumber: z.string().nullable(), transferMode: TransferMode, canEdit: z.boolean() }), ...ErrorResponses },
    },
    handler: (request) => transfer.getTransferNumber(ctx, authOf(request)),
  });

  app.put('/api/transfer-number', {
    preValidation: app.requireFeature('transferNumber'),
    schema: {
      tags,
      security,
      summary: 'Set (E.164-normalized) or clear the transfer number and mode; updates the transfer tool and section (Advanced+)',
      body: z.object({ transferNumber: z.string().max(LIMITS.phoneNumber).nullable().optional(), transferMode: TransferMode.optional() }),
      response: { 200: z.object({ success: z.literal(true), transferNumber: z.string().nullable(), transferMode: TransferMode }), ...ErrorResponses },
    },
    handler: (request) => transfer.setTransferNumber(ctx, authOf(request), request.body),
  });
};

export default phoneRoutes;
