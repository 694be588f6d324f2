import { z } from 'zod';
import { OVERAGE_STATUSES } from '../../db/schema/index.js';
import { PLAN_TIERS } from '../../domain/plans.js';

const Iso = z.string().describe('ISO 8601 timestamp');

export const CheckoutBody = z.object({ planTier: z.enum(['STARTER', 'ADVANCED', 'PRO']) });
export const UrlView = z.object({ url: z.string() });

export const PortalBody = z
  .object({
    returnPath: z
      .string()
      .max(512)
      .optional()
      .describe('A path on this site to come back to, like `/dashboard/billing` (no scheme or host); that page by default'),
  })
  .nullish();

export const CancelBody = z.object({
  acknowledged: z.literal(true).describe('The user confirmed that the plan ends with the paid period'),
});
export const CancelView = z.object({ success: z.literal(true), cancelledAt: Iso, effectiveAt: Iso, deletionAt: Iso });

export const StatusView = z.object({
  plan: z.enum(PLAN_TIERS),
  status: z.string().describe("Stripe's subscription status (active, past_due, canceled…), or `none`"),
  cancelledAt: Iso.nullable(),
  effectiveAt: Iso.nullable(),
  deletionAt: Iso.nullable(),
  currentPeriodEnd: Iso.nullable(),
  stripeSubscriptionId: z.string().nullable(),
});

export const HistoryView = z.object({
  records: z.array(
    z.object({
      id: z.string(),
      weekStart: z.string().describe('Monday, YYYY-MM-DD'),
      weekEnd: z.string().describe('Sunday, YYYY-MM-DD'),
      overageMinutes: z.number(),
      amountCents: z.number().int(),
      status: z.enum(OVERAGE_STATUSES),
    }),
  ),
  currentOverage: z.object({
    totalOverageMinutes: z.number(),
    unbilledMinutes: z.number(),
    estimatedCostCents: z.number().int(),
    overageEnabled: z.boolean(),
    rateCentsPerMin: z.number().int(),
  }),
});

export const OverageBody = z.object({ enabled: z.boolean() });
export const OverageView = z.object({ overageEnabled: z.boolean() });
