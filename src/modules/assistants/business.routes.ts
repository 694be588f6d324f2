import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as s from './assistants.schemas.js';
import * as business from './business.service.js';

const tags = ['Business Settings'];
const security = [{ session: [] }];

/** The "Business Settings" group: each change rewrites only its prompt section and syncs to VAPI. */
const businessRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);

  app.get('/api/business-info', {
    schema: { tags, security, summary: 'Business type, description and website', response: { 200: s.BusinessInfo, ...ErrorResponses } },
    handler: (request) => business.getBusinessInfo(ctx, authOf(request)),
  });
  app.put('/api/business-info', {
    schema: {
      tags,
      security,
      summary: 'Update business info; rewrites the context section',
      body: s.BusinessInfoBody,
      response: { 200: s.BusinessInfo.extend({ success: z.literal(true) }), ...ErrorResponses },
    },
    handler: async (request) => ({ success: true as const, ...(await business.setBusinessInfo(ctx, authOf(request), request.body)) }),
  });

  app.get('/api/business-hours', {
    schema: { tags, security, summary: 'Business hours and time zone', response: { 200: s.BusinessHoursView, ...ErrorResponses } },
    handler: (request) => business.getBusinessHours(ctx, authOf(request)),
  });
  app.put('/api/business-hours', {
    schema: {
      tags,
      security,
      summary: 'Update business hours (HH:MM, open before close, IANA time zone); rewrites the hours section',
      body: s.BusinessHoursBody,
      response: { 200: s.BusinessHoursView.extend({ success: z.literal(true) }), ...ErrorResponses },
    },
    handler: async (request) => ({ success: true as const, ...(await business.setBusinessHours(ctx, authOf(request), request.body)) }),
  });

  app.get('/api/business-address', {
    schema: { tags, security, summary: 'The business address', response: { 200: z.object({ businessAddress: z.string().nullable() }), ...ErrorResponses } },
    handler: (request) => business.getBusinessAddress(ctx, authOf(request)),
  });
  app.put('/api/business-address', {
    schema: {
      tags,
      security,
      summary: 'Update the address; rewrites the address section',
      body: s.BusinessAddressBody,
      response: { 200: z.object({ success: z.literal(true), businessAddress: z.string().nullable() }), ...ErrorResponses },
    },
    handler: async (request) => ({
      success: true as const,
      ...(await business.setBusinessAddress(ctx, authOf(request), request.body.businessAddress || null)),
    }),
  });
};

export default businessRoutes;
