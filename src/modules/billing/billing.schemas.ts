import { z } from 'zod';
import { OVERAGE_STATUSES } from '../../db/schema/index.js';
import { PLAN_TIERS } from '../../domain/plans.js';
import { CHECKOUT_OUTCOMES, PAST_DUE_GRACE_DAYS, STANDINGS } from '../../domain/subscriptions.js';

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
  standing: z
    .enum([...STANDINGS, 'none'])
    .describe(
      `What the status means: \`paying\` (active, trialing); \`grace\` (past_due: the plan is kept ${PAST_DUE_GRACE_DAYS} days while Stripe retries); ` +
        '`overdue` (past_due beyond the grace, unpaid: the free tier until paid); `incomplete` (the first payment failed: the plan never started); `ended`; `none`',
    ),
  tier: z.enum(PLAN_TIERS).nullable().describe('The plan the subscription is for (in force only while paying or in grace)'),
  graceEndsAt: Iso.nullable().describe('While past_due: the last moment the plan is kept'),
  cancelledAt: Iso.nullable(),
  effectiveAt: Iso.nullable(),
  deletionAt: Iso.nullable(),
  currentPeriodEnd: Iso.nullable(),
  stripeSubscriptionId: z.string().nullable(),
});

export const CheckoutParams = z.object({
  sessionId: z.string().regex(/^cs_\w{1,250}$/, 'A Checkout Session id (cs_…)').describe('The `session_id` Checkout returned with'),
});

export const CheckoutResultView = z.object({
  id: z.string(),
  purpose: z.enum(['plan', 'a2p-fee', 'other']),
  outcome: z
    .enum(CHECKOUT_OUTCOMES)
    .describe('`paid`; `payment_failed` (the card was saved but declined: the subscription waits for payment); `open` (not finished); `expired`'),
  tier: z.enum(PLAN_TIERS).nullable().describe('The plan bought, for a plan Checkout'),
  plan: z.enum(PLAN_TIERS).describe('The plan in force now'),
  standing: z.enum(STANDINGS).nullable().describe("The Checkout's subscription, as in /api/subscription/status"),
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
