import { randomUUID } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { organizations, subscriptions } from '../../db/schema/index.js';
import { graceEndsAt, isLive, standingOf } from '../../domain/subscriptions.js';
import { AppError } from '../../errors.js';
import { viaStripe } from './customer.service.js';
import { applySubscription, cancellationOf } from './stripe-sync.service.js';
import { findSubscription } from './subscription.repo.js';

const iso = (d: Date | null | undefined) => d?.toISOString() ?? null;

/** The organization's live subscription, or the reason there is none to act on. */
async function liveSubscription(ctx: AppContext, organizationId: string) {
  const row = await findSubscription(ctx.db, organizationId);
  if (row?.status === 'canceled') throw new AppError('CONFLICT', 'The subscription has already ended');
  if (!row?.stripeSubscriptionId || !isLive(row.status)) throw new AppError('NOT_FOUND', 'No active subscription');
  return { ...row, stripeSubscriptionId: row.stripeSubscriptionId };
}

/**
 * Cancels at the end of the paid period. The cancellation is claimed in our row first (one
 * UPDATE), so a second request, even a concurrent one, is a 409; released if Stripe fails.
 */
export async function cancelSubscription(ctx: AppContext, organizationId: string) {
  const row = await liveSubscription(ctx, organizationId);
  const claim = and(
    eq(subscriptions.organizationId, organizationId),
    eq(subscriptions.stripeSubscriptionId, row.stripeSubscriptionId),
  );
  const claimed = await ctx.db
    .update(subscriptions)
    .set({ cancelAtPeriodEnd: true, updatedAt: sql`now()` })
    .where(and(claim, eq(subscriptions.cancelAtPeriodEnd, false)))
    .returning({ id: subscriptions.organizationId });
  if (claimed.length === 0) throw new AppError('CONFLICT', 'The subscription is already cancelled');
  let sub;
  try {
    sub = await viaStripe('cancel the subscription', () =>
      ctx.providers.stripe.cancelAtPeriodEnd(row.stripeSubscriptionId, `cancel:${row.stripeSubscriptionId}:${randomUUID()}`),
    );
  } catch (err) {
    await ctx.db.update(subscriptions).set({ cancelAtPeriodEnd: false }).where(claim);
    throw err;
  }
  await applySubscription(ctx, organizationId, sub);
  const { cancelledAt, effectiveAt, deletionAt } = cancellationOf(sub, ctx.now());
  return { success: true as const, cancelledAt: iso(cancelledAt)!, effectiveAt: iso(effectiveAt)!, deletionAt: iso(deletionAt)! };
}

/** Undoes a pending cancellation while the paid period lasts; serialized with plan changes (one Stripe write for N requests). */
export function reactivateSubscription(ctx: AppContext, organizationId: string) {
  return ctx.withOrgLock(organizationId, 'plan-change', async () => {
    const row = await liveSubscription(ctx, organizationId);
    if (!row.cancelAtPeriodEnd) throw new AppError('CONFLICT', 'The subscription is not cancelled');
    if (row.effectiveAt && row.effectiveAt.getTime() <= ctx.now().getTime()) {
      throw new AppError('CONFLICT', 'The cancellation has taken effect: subscribe again through checkout');
    }
    const sub = await viaStripe('reactivate the subscription', () =>
      ctx.providers.stripe.resumeSubscription(row.stripeSubscriptionId, `resume:${row.stripeSubscriptionId}:${randomUUID()}`),
    );
    await applySubscription(ctx, organizationId, sub);
    return { success: true as const };
  });
}

/**
 * Plan and subscription as last synced from Stripe; `status` is `none` without a subscription.
 * `standing` is what the status means for the customer (domain/subscriptions.ts), and
 * `graceEndsAt` the last moment a past_due subscription keeps its plan.
 */
export async function subscriptionStatus(ctx: AppContext, organizationId: string) {
  const [[org], row] = await Promise.all([
    ctx.db.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, organizationId)),
    findSubscription(ctx.db, organizationId),
  ]);
  if (!org) throw new AppError('UNAUTHORIZED', 'Sign in to continue');
  return {
    plan: org.plan,
    status: row?.status ?? 'none',
    standing: row?.status ? standingOf(row, ctx.now()) : ('none' as const),
    tier: row?.tier ?? null,
    graceEndsAt: row?.status === 'past_due' ? iso(row.pastDueSince && graceEndsAt(row.pastDueSince)) : null,
    cancelledAt: iso(row?.cancelledAt),
    effectiveAt: iso(row?.effectiveAt),
    deletionAt: iso(row?.deletionAt),
    currentPeriodEnd: iso(row?.currentPeriodEnd),
    stripeSubscriptionId: row?.stripeSubscriptionId ?? null,
  };
}
