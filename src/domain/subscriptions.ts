import type { PlanTier } from './plans.js';

/**
 * What a Stripe subscription's status means for the customer: the one rule that decides the
 * plan in force, the banner and the words on the page after Checkout. Pure, no I/O.
 */

export const SUBSCRIPTION_STATUSES = [
  'incomplete',
  'incomplete_expired',
  'trialing',
  'active',
  'past_due',
  'canceled',
  'unpaid',
  'paused',
] as const;
export type SubscriptionStatus = (typeof SUBSCRIPTION_STATUSES)[number];

/**
 * How long a past_due subscription keeps its plan while Stripe retries the payment. Stripe's
 * default Smart Retries try for up to two weeks and then cancel the subscription or mark it
 * unpaid (either ends the plan through the webhook); this grace ends it too when an account
 * is set to leave the subscription past_due.
 */
export const PAST_DUE_GRACE_DAYS = 14;
const GRACE_MS = PAST_DUE_GRACE_DAYS * 24 * 60 * 60 * 1000;

/** The last moment a subscription that became past_due at `pastDueSince` keeps its plan. */
export const graceEndsAt = (pastDueSince: Date) => new Date(pastDueSince.getTime() + GRACE_MS);

/** A subscription past_due since before this moment has used its grace (the same rule, for a query over many). */
export const graceLapsedBefore = (now: Date) => new Date(now.getTime() - GRACE_MS);

/** Subscriptions that still run at Stripe: they bill, and an upgrade changes them rather than starting another. */
const LIVE: ReadonlySet<string> = new Set<SubscriptionStatus>(['active', 'trialing', 'past_due']);
export const isLive = (status: string | null | undefined) => LIVE.has(status ?? '');

/** Our row of a subscription, as far as the rule needs it. */
export interface SubscriptionFacts {
  status: string | null;
  tier: PlanTier | null;
  /** When we first saw it past_due (null when it is not). */
  pastDueSince: Date | null;
}

/**
 * - `paying`: active or trialing, the plan is in force;
 * - `grace`: past_due, the plan is kept until `graceEndsAt` while Stripe retries;
 * - `overdue`: past_due beyond the grace, unpaid or paused: the free tier until a payment succeeds;
 * - `incomplete`: the first payment failed, so the plan never started;
 * - `ended`: canceled or incomplete_expired (and any status newer than this code).
 */
export const STANDINGS = ['paying', 'grace', 'overdue', 'incomplete', 'ended'] as const;
export type Standing = (typeof STANDINGS)[number];

export function standingOf(sub: SubscriptionFacts, now: Date): Standing {
  switch (sub.status) {
    case 'active':
    case 'trialing':
      return 'paying';
    case 'past_due':
      return now.getTime() <= graceEndsAt(sub.pastDueSince ?? now).getTime() ? 'grace' : 'overdue';
    case 'unpaid':
    case 'paused':
      return 'overdue';
    case 'incomplete':
      return 'incomplete';
    default:
      return 'ended';
  }
}

/** The plan a subscription grants now: its tier while paying or in grace, the free tier otherwise. */
export function planInForce(sub: SubscriptionFacts, now: Date): PlanTier {
  const standing = standingOf(sub, now);
  return (standing === 'paying' || standing === 'grace') && sub.tier ? sub.tier : 'FREE';
}

/**
 * A subscription whose first payment never went through (incomplete, or expired so): it grants
 * nothing and takes nothing away, so a plan set otherwise (by an admin) stays as it is.
 */
export const neverStarted = (status: string | null) => status === 'incomplete' || status === 'incomplete_expired';

/** When the subscription entered past_due: kept while it stays there, set on entry, cleared on leaving. */
export const pastDueSinceAfter = (previous: SubscriptionFacts | undefined, nextStatus: string, now: Date): Date | null =>
  nextStatus !== 'past_due' ? null : previous?.status === 'past_due' && previous.pastDueSince ? previous.pastDueSince : now;

/** A standing the customer must act on (a card to replace): the dashboard shows its banner. */
export const needsPayment = (standing: Standing | 'none') => standing === 'grace' || standing === 'overdue' || standing === 'incomplete';

/**
 * What a finished Checkout came to, in the customer's terms:
 * - `paid`: the payment went through (for a plan, its subscription is paying);
 * - `payment_failed`: the card was saved but the charge declined (the subscription waits for payment);
 * - `open`: not finished (a declined card leaves the session open to try another);
 * - `expired`: abandoned.
 */
export const CHECKOUT_OUTCOMES = ['paid', 'payment_failed', 'open', 'expired'] as const;
export type CheckoutOutcome = (typeof CHECKOUT_OUTCOMES)[number];

export function checkoutOutcome(session: {
  status: 'open' | 'complete' | 'expired';
  paymentStatus: 'paid' | 'unpaid' | 'no_payment_required';
  /** The subscription's status now, for a subscription Checkout. */
  subscriptionStatus: string | null;
}): CheckoutOutcome {
  if (session.status !== 'complete') return session.status;
  if (session.paymentStatus !== 'unpaid') return 'paid';
  // Declined at Checkout, but the subscription is newer news: a card replaced since may have paid it.
  return isLive(session.subscriptionStatus) ? 'paid' : 'payment_failed';
}
