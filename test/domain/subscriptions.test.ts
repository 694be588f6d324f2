import { describe, expect, it } from 'vitest';
import {
  checkoutOutcome,
  graceEndsAt,
  graceLapsedBefore,
  needsPayment,
  neverStarted,
  PAST_DUE_GRACE_DAYS,
  pastDueSinceAfter,
  planInForce,
  standingOf,
  SUBSCRIPTION_STATUSES,
} from '../../src/domain/subscriptions.js';

const DAY = 86_400_000;
const now = new Date('2026-03-01T12:00:00Z');
const sub = (status: string | null, pastDueSince: Date | null = null) => ({ status, tier: 'PRO' as const, pastDueSince });

describe('the plan a subscription grants', () => {
  it('grants the tier while active or trialing, nothing while incomplete, the free tier once unpaid, canceled or expired', () => {
    const plans = Object.fromEntries(SUBSCRIPTION_STATUSES.map((status) => [status, planInForce(sub(status, status === 'past_due' ? now : null), now)]));
    expect(plans).toEqual({
      incomplete: 'FREE',
      incomplete_expired: 'FREE',
      trialing: 'PRO',
      active: 'PRO',
      past_due: 'PRO',
      canceled: 'FREE',
      unpaid: 'FREE',
      paused: 'FREE',
    });
    expect(planInForce({ status: 'active', tier: null, pastDueSince: null }, now)).toBe('FREE');
    expect(planInForce(sub('made_up'), now)).toBe('FREE');
  });

  it(`keeps a past_due plan for ${PAST_DUE_GRACE_DAYS} days from when it fell due, then falls back to free`, () => {
    const since = new Date(now.getTime() - PAST_DUE_GRACE_DAYS * DAY);
    expect(graceEndsAt(since)).toEqual(now);
    expect(standingOf(sub('past_due', since), now)).toBe('grace');
    expect(planInForce(sub('past_due', since), now)).toBe('PRO');
    const later = new Date(now.getTime() + 1);
    expect(standingOf(sub('past_due', since), later)).toBe('overdue');
    expect(planInForce(sub('past_due', since), later)).toBe('FREE');
    // The job's cutoff is the same rule: lapsed exactly when the standing says overdue.
    expect(since.getTime() < graceLapsedBefore(now).getTime()).toBe(false);
    expect(since.getTime() < graceLapsedBefore(later).getTime()).toBe(true);
  });

  it('starts the grace on entering past_due, keeps it while there, clears it on leaving', () => {
    const earlier = new Date(now.getTime() - 3 * DAY);
    expect(pastDueSinceAfter(sub('active'), 'past_due', now)).toEqual(now);
    expect(pastDueSinceAfter(undefined, 'past_due', now)).toEqual(now);
    expect(pastDueSinceAfter(sub('past_due', earlier), 'past_due', now)).toEqual(earlier);
    expect(pastDueSinceAfter(sub('past_due', earlier), 'active', now)).toBeNull();
  });

  it('lets a subscription that never started leave the plan alone', () => {
    expect(SUBSCRIPTION_STATUSES.filter(neverStarted)).toEqual(['incomplete', 'incomplete_expired']);
  });

  it('asks for a card in grace, overdue and incomplete only', () => {
    expect(['paying', 'grace', 'overdue', 'incomplete', 'ended', 'none'].filter((s) => needsPayment(s as never))).toEqual(['grace', 'overdue', 'incomplete']);
  });
});

describe('what a Checkout came to', () => {
  it('reads the session, and for a declined subscription Checkout the subscription as it is now', () => {
    expect(checkoutOutcome({ status: 'open', paymentStatus: 'unpaid', subscriptionStatus: null })).toBe('open');
    expect(checkoutOutcome({ status: 'expired', paymentStatus: 'unpaid', subscriptionStatus: null })).toBe('expired');
    expect(checkoutOutcome({ status: 'complete', paymentStatus: 'paid', subscriptionStatus: 'active' })).toBe('paid');
    expect(checkoutOutcome({ status: 'complete', paymentStatus: 'paid', subscriptionStatus: null })).toBe('paid');
    expect(checkoutOutcome({ status: 'complete', paymentStatus: 'unpaid', subscriptionStatus: 'incomplete' })).toBe('payment_failed');
    expect(checkoutOutcome({ status: 'complete', paymentStatus: 'unpaid', subscriptionStatus: 'incomplete_expired' })).toBe('payment_failed');
    expect(checkoutOutcome({ status: 'complete', paymentStatus: 'unpaid', subscriptionStatus: null })).toBe('payment_failed');
    // The card was replaced since and the first invoice paid.
    expect(checkoutOutcome({ status: 'complete', paymentStatus: 'unpaid', subscriptionStatus: 'active' })).toBe('paid');
  });
});
