import { asc, eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { organizations, users } from '../../db/schema/index.js';
import { AppError } from '../../errors.js';
import { ProviderError } from '../../providers/errors.js';
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

/** A Stripe object read back; undefined when Stripe does not know it (an id from someone else, or gone). */
export async function readBack<T>(read: () => Promise<T>): Promise<T | undefined> {
  try {
    return await read();
  } catch (err) {
    if (err instanceof ProviderError && err.notFound) return undefined;
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
