import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { organizations, subscriptions } from '../../db/schema/index.js';
import { isLive, neverStarted, pastDueSinceAfter, planInForce } from '../../domain/subscriptions.js';
import type { BillingEvent, CheckoutSession, Subscription } from '../../providers/stripe/port.js';
import { A2P_FEE_KIND, recordA2pFeePayment } from '../a2p/a2p-fee.service.js';
import { readBack } from './customer.service.js';
import { markOverageInvoicePaid } from './overage.service.js';
import { notifyPaymentFailure } from './payment-failure.service.js';
import { findByStripeIds, findSubscription, knownOrganizationId, linkCustomer } from './subscription.repo.js';

const DAY_MS = 24 * 60 * 60 * 1000;
/** After a cancellation takes effect the organization's data is kept this long. */
export const DELETION_GRACE_MS = 7 * DAY_MS;

/** Cancellation as we show it: when it was asked for, when it takes effect, when data goes. */
export function cancellationOf(sub: Subscription, now: Date) {
  let effectiveAt: Date | null = null;
  let cancelledAt: Date | null = null;
  if (sub.status === 'canceled') {
    cancelledAt = sub.canceledAt ?? sub.endedAt ?? now;
    effectiveAt = sub.endedAt ?? cancelledAt;
  } else if (sub.cancelAtPeriodEnd) {
    cancelledAt = sub.canceledAt ?? now;
    effectiveAt = sub.currentPeriodEnd;
  }
  return { cancelledAt, effectiveAt, deletionAt: effectiveAt && new Date(effectiveAt.getTime() + DELETION_GRACE_MS) };
}

export type SyncOutcome = 'applied' | 'ignored';

/**
 * Writes Stripe's current state of a subscription into our row and the organization (the plan
 * in force by domain/subscriptions.ts, and the cycle when the paid period moved forward), in
 * one short transaction with no Stripe call inside. A subscription other than the
 * organization's current one is adopted only if it is live and the current one is not (or
 * started earlier): a late event about an old, ended subscription never ends the new one.
 */
export async function applySubscription(ctx: AppContext, organizationId: string, sub: Subscription): Promise<SyncOutcome> {
  return ctx.db.transaction(async (tx) => {
    const [row] = await tx.select().from(subscriptions).where(eq(subscriptions.organizationId, organizationId)).for('update');
    if (row?.stripeSubscriptionId && row.stripeSubscriptionId !== sub.id) {
      const replaces =
        isLive(sub.status) && (!isLive(row.status) || (row.currentPeriodStart?.getTime() ?? 0) <= sub.currentPeriodStart.getTime());
      if (!replaces) return 'ignored';
    }
    if (row && row.stripeCustomerId !== sub.customerId) {
      ctx.log.warn({ organizationId, subscription: sub.id }, 'stripe: subscription of another customer ignored');
      return 'ignored';
    }
    const [org] = await tx.select({ cycleStart: organizations.cycleStart }).from(organizations).where(eq(organizations.id, organizationId));
    if (!org) return 'ignored';
    const sameSubscription = row?.stripeSubscriptionId === sub.id;
    // Reads may land out of order: the stored period never moves backwards.
    const stalePeriod = sameSubscription && !!row?.currentPeriodStart && sub.currentPeriodStart.getTime() < row.currentPeriodStart.getTime();
    const now = ctx.now();
    const facts = { status: sub.status, tier: sub.tier, pastDueSince: pastDueSinceAfter(sameSubscription ? row : undefined, sub.status, now) };
    const state = {
      stripeSubscriptionId: sub.id,
      ...facts,
      currentPeriodStart: stalePeriod ? row!.currentPeriodStart : sub.currentPeriodStart,
      currentPeriodEnd: stalePeriod ? row!.currentPeriodEnd : sub.currentPeriodEnd,
      cancelAtPeriodEnd: sub.cancelAtPeriodEnd && sub.status !== 'canceled',
      ...cancellationOf(sub, now),
      updatedAt: sql`now()`,
    };
    await tx
      .insert(subscriptions)
      .values({ organizationId, stripeCustomerId: sub.customerId, ...state })
      .onConflictDoUpdate({ target: subscriptions.organizationId, set: state });
    // The cycle becomes the paid period when the plan starts or the period moves forward. Usage
    // is summed over the cycle's window, so moving the window is the reset.
    const plan = planInForce(facts, now);
    const grantedBefore = sameSubscription && row ? planInForce(row, now) !== 'FREE' : false;
    const moveCycle = plan !== 'FREE' && !stalePeriod && (!grantedBefore || sub.currentPeriodStart.getTime() > org.cycleStart.getTime());
    const cycle = moveCycle ? { cycleStart: sub.currentPeriodStart, cycleEnd: sub.currentPeriodEnd } : {};
    // One that never started leaves the plan (and, granting nothing, the cycle) as it is.
    if (!neverStarted(sub.status)) await tx.update(organizations).set({ plan, ...cycle }).where(eq(organizations.id, organizationId));
    return 'applied';
  });
}

/** The organization an event is about, from the ids it carries (ours first, then its metadata). */
async function organizationOf(ctx: AppContext, ref: { subscriptionId: string; customerId?: string | null; organizationId?: string | null }) {
  const row = await findByStripeIds(ctx.db, ref);
  return row ? row.organizationId : knownOrganizationId(ctx.db, ref.organizationId);
}

/**
 * Re-reads a subscription from Stripe and applies it: the subscription's own current state
 * decides, so duplicates and any arrival order end in the same place.
 */
export async function syncSubscription(
  ctx: AppContext,
  ref: { subscriptionId: string; customerId?: string | null; organizationId?: string | null },
): Promise<SyncOutcome> {
  const organizationId = await organizationOf(ctx, ref);
  if (!organizationId) return 'ignored';
  const sub = await readBack(() => ctx.providers.stripe.getSubscription(ref.subscriptionId));
  return sub ? applySubscription(ctx, organizationId, sub) : 'ignored';
}

/**
 * A Checkout Session as Stripe has it now (the webhook and the return page both apply it, and
 * converge): a subscription Checkout links the customer to the organization named in it, then
 * adopts the subscription read from Stripe; a paid A2P fee is recorded once.
 */
export async function applyCheckoutSession(ctx: AppContext, session: CheckoutSession): Promise<SyncOutcome> {
  if (session.mode === 'payment' && session.metadata.kind === A2P_FEE_KIND) return recordA2pFeePayment(ctx, session);
  if (session.mode !== 'subscription' || !session.subscriptionId || !session.customerId) return 'ignored';
  const { organizationId, customerId, subscriptionId } = session;
  const known = await knownOrganizationId(ctx.db, organizationId);
  if (known) {
    const row = (await findSubscription(ctx.db, known)) ?? (await linkCustomer(ctx.db, known, customerId));
    if (row.stripeCustomerId !== customerId) {
      ctx.log.warn({ organizationId, customer: customerId }, 'stripe: checkout by another customer than the organization’s');
      return 'ignored';
    }
  }
  return syncSubscription(ctx, { subscriptionId, customerId, organizationId });
}

/** What a verified Stripe event changes here; everything is re-read from Stripe, never taken from the payload. */
export async function handleStripeEvent(ctx: AppContext, event: BillingEvent): Promise<SyncOutcome> {
  if (event.type === 'checkout.session.completed') {
    const session = await readBack(() => ctx.providers.stripe.getCheckoutSession(event.objectId));
    return session ? applyCheckoutSession(ctx, session) : 'ignored';
  }
  if (event.type.startsWith('customer.subscription.') && event.subscriptionId) {
    return syncSubscription(ctx, { subscriptionId: event.subscriptionId, customerId: event.customerId, organizationId: event.organizationId });
  }
  if (event.type.startsWith('invoice.') && event.invoice) {
    let outcome: SyncOutcome = 'ignored';
    if (event.invoice.metadata.kind === 'overage') outcome = await markOverageInvoicePaid(ctx, event.invoice.id);
    // A subscription invoice's payment moves the subscription (past_due ↔ active).
    if (event.subscriptionId) {
      const synced = await syncSubscription(ctx, { subscriptionId: event.subscriptionId, customerId: event.customerId });
      if (synced === 'applied') outcome = synced;
      if (event.type === 'invoice.payment_failed') await notifyPaymentFailure(ctx, event.subscriptionId, event.invoice.id);
    }
    return outcome;
  }
  return 'ignored';
}
