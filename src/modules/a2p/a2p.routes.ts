import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import { a2pCheckout } from './a2p-fee.service.js';
import * as s from './a2p.schemas.js';
import * as a2p from './a2p.service.js';

const tags = ['A2P Compliance'];
const security = [{ session: [] }];

/** "A2P Compliance": NOT_STARTED → paid → BRAND_PENDING → BRAND_APPROVED → CAMPAIGN_PENDING → CAMPAIGN_APPROVED. */
const a2pRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;
  app.addHook('preValidation', app.requireSession);
  const manage = [app.requireFeature('a2p'), app.requireManager];

  app.get('/api/a2p/status', {
    schema: { tags, security, summary: 'A2P SMS registration status', response: { 200: s.StatusView, ...ErrorResponses } },
    handler: (request) => a2p.a2pStatus(ctx, authOf(request)),
  });

  app.post('/api/a2p/checkout', {
    preValidation: manage,
    schema: {
      tags,
      security,
      summary: 'Save registration details and get a Stripe Checkout URL for the one-time fee (Pro+)',
      description:
        'Answers the Checkout (`mode: payment`) still open for the fee, or a new one; once the fee is paid (`checkout.session.completed`), the registration page instead.',
      body: s.CheckoutBody,
      response: { 200: z.object({ url: z.string() }), ...ErrorResponses },
    },
    handler: (request) => a2pCheckout(ctx, authOf(request), request.body),
  });

  app.post('/api/a2p/initiate', {
    preValidation: manage,
    schema: {
      tags,
      security,
      summary: 'Start or retry brand registration (from NOT_STARTED or BRAND_FAILED, after payment) (Pro+)',
      response: { 200: z.object({ success: z.literal(true), status: z.literal('BRAND_PENDING') }), ...ErrorResponses },
    },
    handler: (request) => a2p.initiateBrand(ctx, authOf(request)),
  });

  app.post('/api/a2p/campaign', {
    preValidation: manage,
    schema: {
      tags,
      security,
      summary: 'Submit the SMS campaign once the brand is approved (Pro+)',
      body: z.object({ campaignInfo: s.CampaignInfo }),
      response: { 200: z.object({ success: z.literal(true), campaignSid: z.string(), status: z.literal('CAMPAIGN_PENDING') }), ...ErrorResponses },
    },
    handler: (request) => a2p.submitCampaign(ctx, authOf(request), request.body.campaignInfo),
  });
};

export default a2pRoutes;
