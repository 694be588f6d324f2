import { randomUUID } from 'node:crypto';
import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { organizations, subscriptions } from '../../db/schema/index.js';
import { isUpgrade, PLAN_TIERS, PLANS } from '../../domain/plans.js';
import { checkoutOutcome, isLive, standingOf } from '../../domain/subscriptions.js';
import { AppError, fieldError } from '../../errors.js';
import type { PaidTier } from '../../providers/stripe/port.js';
import { A2P_FEE_KIND } from '../a2p/a2p-fee.service.js';
import { BILLING_PAGE, ensureCustomer, readBack, viaStripe } from './customer.service.js';
import { applyCheckoutSession, applySubscription } from './stripe-sync.service.js';
import { findSubscription } from './subscription.repo.js';

/**
 * The plan Checkout still open for this tier, if the organization has one: a repeated upgrade
 * answers it again instead of opening a second page that could be paid twice. One for
 * another tier is expired, so only one plan Checkout can ever be paid.
 */
async function openPlanCheckout(ctx: AppContext, sessionId: string | null | undefined, tier: PaidTier) {
  if (!sessionId) return undefined;
  const session = await viaStripe('read the checkout', () => readBack(() => ctx.providers.stripe.getCheckoutSession(sessionId)));
  if (session?.status !== 'open') return undefined;
  if (session.metadata.plan === tier && session.url) return session.url;
  await viaStripe('expire the previous checkout', () => ctx.providers.stripe.expireCheckoutSession(sessionId, `expire:${sessionId}`));
  return undefined;
}

/**
 * An upgrade: a hosted Checkout for a new subscription, or, when the organization has a live
 * subscription, that subscription moved to the new tier (one subscription per organization,
 * never two). The plan already in force is a 409, anything else but an upgrade a 400
 * (downgrades go through the portal), and a subscription waiting for its first payment a 409
 * (its card is replaced in the portal, which pays it). Serialized per organization, so N
 * identical requests make one Checkout (all answered its URL) or one plan change (then 409s).
 */
export function startCheckout(ctx: AppContext, organizationId: string, tier: PaidTier) {
  return ctx.withOrgLock(organizationId, 'plan-change', async () => {
    const [org] = await ctx.db.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, organizationId));
    if (!org) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
    if (org.plan === tier) throw new AppError('CONFLICT', `You are already on the ${PLANS[tier].label} plan`);
    if (!isUpgrade(org.plan, tier)) {
      throw new AppError(
        'BAD_REQUEST',
        `${PLANS[tier].label} is not an upgrade from your ${PLANS[org.plan].label} plan: change or downgrade your plan in the billing portal`,
      );
    }
    const customerId = await ensureCustomer(ctx, organizationId);
    const page = `${ctx.config.appUrl}${BILLING_PAGE}`;
    const current = await findSubscription(ctx.db, organizationId);
    if (current?.status === 'incomplete') {
      throw new AppError('CONFLICT', 'Your subscription is waiting for its first payment: replace the card in the billing portal to pay it');
    }
    if (current?.stripeSubscriptionId && isLive(current.status)) {
      const subscriptionId = current.stripeSubscriptionId;
      const sub = await viaStripe('change the plan', () =>
        ctx.providers.stripe.changePlan(subscriptionId, tier, `plan:${subscriptionId}:${tier}:${randomUUID()}`),
      );
      await applySubscription(ctx, organizationId, sub);
      return { url: `${page}?upgraded=${tier}` };
    }
    const open = await openPlanCheckout(ctx, current?.checkoutSessionId, tier);
    if (open) return { url: open };
    const session = await viaStripe('start the checkout', () =>
      ctx.providers.stripe.createCheckoutSession(
        {
          customerId,
          tier,
          organizationId,
          successUrl: `${page}?checkout=success&session_id={CHECKOUT_SESSION_ID}`,
          cancelUrl: `${page}?checkout=cancelled`,
          metadata: { plan: tier },
        },
        `checkout:${organizationId}:${tier}:${randomUUID()}`,
      ),
    );
    await ctx.db.update(subscriptions).set({ checkoutSessionId: session.id }).where(eq(subscriptions.organizationId, organizationId));
    return { url: session.url };
  });
}

/**
 * What a Checkout the organization started came to, read from Stripe (never from the URL it
 * returned on) and applied as the webhook would, so the page says what happened even before
 * the webhook lands. Another organization's session, or an unknown one, is a 404.
 */
export async function checkoutResult(ctx: AppContext, organizationId: string, sessionId: string) {
  const session = await viaStripe('read the checkout', () => readBack(() => ctx.providers.stripe.getCheckoutSession(sessionId)));
  if (!session || session.organizationId !== organizationId) throw new AppError('NOT_FOUND', 'No such checkout');
  await applyCheckoutSession(ctx, session);
  const [[org], row] = await Promise.all([
    ctx.db.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, organizationId)),
    findSubscription(ctx.db, organizationId),
  ]);
  const ours = !!session.subscriptionId && row?.stripeSubscriptionId === session.subscriptionId ? row : undefined;
  return {
    id: session.id,
    purpose: session.mode === 'subscription' ? ('plan' as const) : session.metadata.kind === A2P_FEE_KIND ? ('a2p-fee' as const) : ('other' as const),
    outcome: checkoutOutcome({ status: session.status, paymentStatus: session.paymentStatus, subscriptionStatus: ours?.status ?? null }),
    tier: PLAN_TIERS.find((tier) => tier === session.metadata.plan) ?? null,
    plan: org!.plan,
    standing: ours ? standingOf(ours, ctx.now()) : null,
  };
}

/**
 * A path on this site: one leading slash, not `//host` or `/\host` (which browsers treat as
 * another origin), no backslashes, spaces or control characters, and still our origin once
 * resolved. Anything else would make the portal's return link an open redirect.
 */
export function isRelativePath(path: string): boolean {
  if (!/^\/(?![/\\])/.test(path) || /[\\\s\p{Cc}]/u.test(path)) return false;
  const base = new URL('https://app.invalid');
  try {
    return new URL(path, base).origin === base.origin;
  } catch {
    return false;
  }
}

/** The hosted billing portal (plan changes, card, invoices), linking back to a page of ours. */
export async function openPortal(ctx: AppContext, organizationId: string, returnPath: string) {
  if (!isRelativePath(returnPath)) throw fieldError('body.returnPath', 'returnPath must be a path on this site, like /dashboard/billing', 'BAD_REQUEST');
  const customerId = await ensureCustomer(ctx, organizationId);
  const session = await viaStripe('open the billing portal', () =>
    ctx.providers.stripe.createPortalSession(
      { customerId, returnUrl: `${ctx.config.appUrl}${returnPath}` },
      `portal:${organizationId}:${randomUUID()}`,
    ),
  );
  return { url: session.url };
}
