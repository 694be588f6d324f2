import { boolean, date, index, integer, pgTable, text, timestamp, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { PLAN_TIERS } from '../../domain/plans.js';
import { organizations } from './accounts.js';

/**
 * The organization's Stripe customer and subscription as last synced from Stripe itself
 * (webhooks trigger a re-read; the subscription's own state decides, not event order).
 */
export const subscriptions = pgTable('subscriptions', {
  organizationId: uuid('organization_id')
    .primaryKey()
    .references(() => organizations.id, { onDelete: 'cascade' }),
  stripeCustomerId: text('stripe_customer_id').notNull(),
  stripeSubscriptionId: text('stripe_subscription_id'),
  /** Stripe's status: active, past_due, canceled… */
  status: text('status'),
  tier: text('tier', { enum: PLAN_TIERS }),
  currentPeriodStart: timestamp('current_period_start', { withTimezone: true }),
  currentPeriodEnd: timestamp('current_period_end', { withTimezone: true }),
  cancelAtPeriodEnd: boolean('cancel_at_period_end').notNull().default(false),
  cancelledAt: timestamp('cancelled_at', { withTimezone: true }),
  /** When a cancellation takes effect (the period end). */
  effectiveAt: timestamp('effective_at', { withTimezone: true }),
  /** When the organization's data is deleted after a cancellation took effect (+7 days). */
  deletionAt: timestamp('deletion_at', { withTimezone: true }),
  /** When we first saw the subscription past_due: its grace runs from here (domain/subscriptions.ts). */
  pastDueSince: timestamp('past_due_since', { withTimezone: true }),
  /** The plan Checkout session last opened, reused while it is open so a repeated upgrade makes one session. */
  checkoutSessionId: text('checkout_session_id'),
  /** The failed payment attempt (`<invoice>:<attempt>`) last mailed about, so each failure mails once. */
  paymentFailureNotified: text('payment_failure_notified'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

export const OVERAGE_STATUSES = ['PENDING', 'INVOICED', 'PAID', 'FAILED', 'GAVE_UP'] as const;
export type OverageStatus = (typeof OVERAGE_STATUSES)[number];

/** One week of billed overage for one organization: the unique key makes a rerun bill nothing twice. */
export const overageCharges = pgTable(
  'overage_charges',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    organizationId: uuid('organization_id')
      .notNull()
      .references(() => organizations.id, { onDelete: 'cascade' }),
    weekStart: date('week_start').notNull(),
    weekEnd: date('week_end').notNull(),
    overageSeconds: integer('overage_seconds').notNull(),
    amountCents: integer('amount_cents').notNull(),
    status: text('status', { enum: OVERAGE_STATUSES }).notNull().default('PENDING'),
    /** Derived from organization + week: the same key on every attempt, so Stripe replays instead of billing again. */
    idempotencyKey: text('idempotency_key').notNull(),
    stripeInvoiceId: text('stripe_invoice_id'),
    attempts: integer('attempts').notNull().default(0),
    nextAttemptAt: timestamp('next_attempt_at', { withTimezone: true }),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('overage_charges_org_week_key').on(t.organizationId, t.weekStart),
    index('overage_charges_retry_idx').on(t.status, t.nextAttemptAt),
  ],
);
