import { randomUUID } from 'node:crypto';
import { asc, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { organizations, users } from '../../db/schema/index.js';
import { isUpgrade, PLANS } from '../../domain/plans.js';
import { AppError } from '../../errors.js';
import { ProviderError } from '../../providers/errors.js';
import type { PaidTier } from '../../providers/stripe/port.js';
import { applySubscription, isPaying } from './stripe-sync.service.js';
import { findSubscription, linkCustomer } from './subscription.repo.js';

/** A Stripe failure as our 502, with Stripe's reason; anything else passes through. */
export async function viaStripe<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (err) {
    if (err instanceof ProviderError) throw new AppError('PROVIDER_ERROR', `Stripe could not ${what}: ${err.message}`);
    throw err;
  }
}

/** Where checkout and the portal send the user back to. */
export const BILLING_PAGE = '/dashboard/billing';

/**
 * The organization's Stripe customer, created on first need. The key names the organization,
 * and the parameters come from the organization (its name, its owner's email), so concurrent
 * first calls make one customer; the first link stored wins.
 */
export async function ensureCustomer(ctx: AppContext, organizationId: string): Promise<string> {
  const existing = await findSubscription(ctx.db, organizationId);
  if (existing) return existing.stripeCustomerId;
  const [org] = await ctx.db
    .select({ name: organizations.name, email: users.email })
    .from(organizations)
    .leftJoin(users, eq(users.organizationId, organizations.id))
    .where(eq(organizations.id, organizationId))
    .orderBy(asc(users.createdAt))
    .limit(1);
  if (!org) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
  const customer = await viaStripe('create the customer', () =>
    ctx.providers.stripe.createCustomer({ organizationId, name: org.name, email: org.email ?? undefined }, `customer:${organizationId}`),
  );
  return (await linkCustomer(ctx.db, organizationId, customer.id)).stripeCustomerId;
}

/**
 * An upgrade: a hosted Checkout for a new subscription, or, when the organization already
 * pays for one, that subscription moved to the new tier (one subscription per organization,
 * never two). Anything but an upgrade is refused: downgrades go through the portal.
 */
export async function startCheckout(ctx: AppContext, organizationId: string, tier: PaidTier) {
  const [org] = await ctx.db.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, organizationId));
  if (!org) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
  if (!isUpgrade(org.plan, tier)) {
    throw new AppError(
      'BAD_REQUEST',
      `${PLANS[tier].label} is not an upgrade from your ${PLANS[org.plan].label} plan: change or downgrade your plan in the billing portal`,
    );
  }
  const customerId = await ensureCustomer(ctx, organizationId);
  const page = `${ctx.config.appUrl}${BILLING_PAGE}`;
  const current = await findSubscription(ctx.db, organizationId);
  if (current?.stripeSubscriptionId && isPaying(current.status)) {
    const subscriptionId = current.stripeSubscriptionId;
    const sub = await viaStripe('change the plan', () =>
      ctx.providers.stripe.changePlan(subscriptionId, tier, `plan:${subscriptionId}:${tier}:${randomUUID()}`),
    );
    await applySubscription(ctx, organizationId, sub);
    return { url: `${page}?upgraded=${tier}` };
  }
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
  return { url: session.url };
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
  if (!isRelativePath(returnPath)) throw new AppError('BAD_REQUEST', 'returnPath must be a path on this site, like /dashboard/billing');
  const customerId = await ensureCustomer(ctx, organizationId);
  const session = await viaStripe('open the billing portal', () =>
    ctx.providers.stripe.createPortalSession(
      { customerId, returnUrl: `${ctx.config.appUrl}${returnPath}` },
      `portal:${organizationId}:${randomUUID()}`,
    ),
  );
  return { url: session.url };
}
