import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { authOf } from '../../plugins/auth.js';
import { ErrorResponses } from '../../plugins/openapi.js';
import * as s from './billing.schemas.js';
import { checkoutResult, openPortal, startCheckout } from './checkout.service.js';
import { BILLING_PAGE } from './customer.service.js';
import { cancelSubscription, reactivateSubscription, subscriptionStatus } from './subscription.service.js';

const tags = ['Usage & Billing'];
const security = [{ session: [] }];

/** Plans through Stripe: checkout, portal, cancel and reactivate (owner/admin), status (any member). */
const subscriptionRoutes: FastifyPluginAsyncZod = async (app) => {
  const { ctx } = app;

  app.post('/api/stripe/checkout', {
    preValidation: app.requireManager,
    schema: {
      tags,
      security,
      summary: 'Upgrade: a Stripe Checkout URL for a new subscription, or the plan change of the current one',
      description: 'Only upgrades (400 otherwise: downgrades go through the portal). Owner or admin.',
      body: s.CheckoutBody,
      response: { 200: s.UrlView, ...ErrorResponses },
    },
    handler: (request) => startCheckout(ctx, authOf(request).organizationId, request.body.planTier),
  });

  app.get('/api/stripe/checkout/:sessionId', {
    schema: {
      tags,
      security,
      summary: 'What a Checkout of this organization came to (the page Checkout returns to reads it)',
      description: 'Read from Stripe, not from the return URL: paid, payment failed (card saved but declined), still open, or expired. 404 for another organization’s session.',
      params: s.CheckoutParams,
      response: { 200: s.CheckoutResultView, ...ErrorResponses },
    },
    handler: (request) => checkoutResult(ctx, authOf(request).organizationId, request.params.sessionId),
  });

  app.post('/api/stripe/portal', {
    preValidation: app.requireManager,
    schema: {
      tags,
      security,
      summary: 'A link to the Stripe billing portal, returning to a path on this site',
      body: s.PortalBody,
      response: { 200: s.UrlView, ...ErrorResponses },
    },
    handler: (request) => openPortal(ctx, authOf(request).organizationId, request.body?.returnPath ?? BILLING_PAGE),
  });

  app.post('/api/subscription/cancel', {
    preValidation: app.requireManager,
    schema: {
      tags,
      security,
      summary: 'Cancel at the end of the paid period (409 if already cancelled); data is deleted 7 days after',
      body: s.CancelBody,
      response: { 200: s.CancelView, ...ErrorResponses },
    },
    handler: (request) => cancelSubscription(ctx, authOf(request).organizationId),
  });

  app.post('/api/subscription/reactivate', {
    preValidation: app.requireManager,
    schema: {
      tags,
      security,
      summary: 'Undo a pending cancellation before it takes effect',
      body: z.object({}).nullish(),
      response: { 200: z.object({ success: z.literal(true) }), ...ErrorResponses },
    },
    handler: (request) => reactivateSubscription(ctx, authOf(request).organizationId),
  });

  app.get('/api/subscription/status', {
    schema: { tags, security, summary: 'Plan, subscription status and cancellation', response: { 200: s.StatusView, ...ErrorResponses } },
    handler: (request) => subscriptionStatus(ctx, authOf(request).organizationId),
  });
};

export default subscriptionRoutes;
