import { eq } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { organizations, type OverageStatus } from '../../db/schema/index.js';
import { minutesOf } from '../../domain/calls.js';
import { hasFeature, OVERAGE_RATE_CENTS_PER_MIN, type PlanTier } from '../../domain/plans.js';
import { ProviderError } from '../../providers/errors.js';
import type { Invoice } from '../../providers/stripe/port.js';
import * as repo from './overage.repo.js';
import { previousWeek, weekOfDate } from './weeks.js';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Payment attempts (the first one included) before a charge is given up. */
export const MAX_PAYMENT_ATTEMPTS = 4;
/** Wait after the n-th failed payment attempt: 1, 2, 4 days. */
export const paymentRetryDelayMs = (attempt: number) => 2 ** (attempt - 1) * DAY_MS;
/** Wait after Stripe failed before the invoice could be paid (outage, rate limit). */
const STALLED_RETRY_MS = HOUR_MS;

/** Test seams: points between steps where a test can stop the job as a crash would. */
export interface OverageHooks {
  /** After Stripe created the invoice, before our row records it. */
  afterInvoiceCreated?: (invoice: Invoice, charge: repo.OverageCharge) => void | Promise<void>;
}

type SettledStatus = Extract<OverageStatus, 'PAID' | 'FAILED' | 'GAVE_UP'>;

/**
 * Charges an open (or paid) invoice once more and records the outcome. The attempt number is
 * in the idempotency key, so a crash before the outcome is recorded replays the same attempt.
 */
async function collect(ctx: AppContext, charge: repo.OverageCharge, invoice: Invoice): Promise<SettledStatus> {
  if (invoice.status === 'paid') {
    await repo.updateCharge(ctx.db, charge.id, { status: 'PAID', nextAttemptAt: null, lastError: null });
    return 'PAID';
  }
  if (invoice.status !== 'open') {
    await repo.updateCharge(ctx.db, charge.id, { status: 'GAVE_UP', nextAttemptAt: null, lastError: `invoice is ${invoice.status}` });
    return 'GAVE_UP';
  }
  const attempt = charge.attempts + 1;
  const key = attempt === 1 ? `${charge.idempotencyKey}:pay` : `${charge.idempotencyKey}:pay:${attempt}`;
  let error: string;
  try {
    const paid = await ctx.providers.stripe.payInvoice(invoice.id, key);
    if (paid.status === 'paid') {
      await repo.updateCharge(ctx.db, charge.id, { status: 'PAID', attempts: attempt, nextAttemptAt: null, lastError: null });
      return 'PAID';
    }
    // Stryker disable next-line StringLiteral: Stripe answers a pay call paid, declined (paymentError) or with an error
    error = paid.paymentError ?? `invoice is ${paid.status}`;
  } catch (err) {
    // Any failed charge is an attempt: a retry then uses a new key, never a replayed failure.
    if (!(err instanceof ProviderError)) throw err;
    error = err.message;
  }
  const gaveUp = attempt >= MAX_PAYMENT_ATTEMPTS;
  await repo.updateCharge(ctx.db, charge.id, {
    status: gaveUp ? 'GAVE_UP' : 'FAILED',
    attempts: attempt,
    nextAttemptAt: gaveUp ? null : new Date(ctx.now().getTime() + paymentRetryDelayMs(attempt)),
    lastError: error,
  });
  return gaveUp ? 'GAVE_UP' : 'FAILED';
}

/**
 * Brings one charge to an outcome. Its row exists (PENDING) before any Stripe call, and every
 * Stripe write uses a key derived from the row's key, so a run that stopped anywhere and the
 * rerun that resumes it make the same requests: Stripe replays them, one invoice of one line.
 */
async function settleCharge(ctx: AppContext, charge: repo.OverageCharge, customerId: string, hooks: OverageHooks): Promise<SettledStatus> {
  const { stripe } = ctx.providers;
  const key = charge.idempotencyKey;
  let invoice: Invoice;
  if (!charge.stripeInvoiceId) {
    // Parameters come from the row only: the same on every attempt, as replays require.
    const week = weekOfDate(charge.weekStart);
    const description = `Overage ${week.label} (${charge.weekStart} to ${charge.weekEnd}): ${minutesOf(charge.overageSeconds)} min at $${(OVERAGE_RATE_CENTS_PER_MIN / 100).toFixed(2)}/min`;
    const metadata = { kind: 'overage', chargeId: charge.id, organizationId: charge.organizationId, week: week.label };
    invoice = await stripe.createOneOffInvoice({ customerId, amountCents: charge.amountCents, description, metadata }, `${key}:one-off`);
    await hooks.afterInvoiceCreated?.(invoice, charge);
    await repo.updateCharge(ctx.db, charge.id, { status: 'INVOICED', stripeInvoiceId: invoice.id }, ['PENDING']);
  } else {
    invoice = await stripe.getInvoice(charge.stripeInvoiceId);
  }
  if (invoice.status === 'draft') invoice = await stripe.finalizeInvoice(invoice.id, `${key}:finalize`);
  return collect(ctx, charge, invoice);
}

// Stryker disable next-line all: reached only when the database itself fails
const recordingFailed = (ctx: AppContext) => (err: unknown) => ctx.log.error({ err }, 'could not record the failure');

/** Records a failure that left a charge unfinished; it is resumed later with the same keys. */
async function stalled(ctx: AppContext, charge: repo.OverageCharge, err: unknown) {
  ctx.log.error({ err, chargeId: charge.id, organizationId: charge.organizationId }, 'overage charge could not be completed');
  await repo
    .updateCharge(ctx.db, charge.id, { lastError: String((err as Error).message ?? err), nextAttemptAt: new Date(ctx.now().getTime() + STALLED_RETRY_MS) })
    .catch(recordingFailed(ctx));
}

/**
 * The weekly job: one set-based statement writes a PENDING charge per organization with
 * overage in the past ISO week, then each unfinished charge (these, and any a crash left) is
 * invoiced and paid at Stripe one by one.
 */
export async function billWeeklyOverage(ctx: AppContext, hooks: OverageHooks = {}) {
  const week = previousWeek(ctx.now());
  const { organizations: total } = await repo.insertWeekCharges(ctx.db, week);
  let billed = 0;
  let declined = 0;
  let errors = 0;
  for (const { charge, customerId } of await repo.unfinishedCharges(ctx.db)) {
    try {
      const status = await settleCharge(ctx, charge, customerId, hooks);
      billed++;
      if (status !== 'PAID') declined++;
    } catch (err) {
      errors++;
      await stalled(ctx, charge, err);
    }
  }
  return { billed, skipped: Math.max(0, total - billed - errors), errors, declined };
}

/** The daily job: failed payments whose backoff has passed are charged again (and stalled charges resumed). */
export async function retryFailedPayments(ctx: AppContext) {
  let retried = 0;
  let succeeded = 0;
  let failed = 0;
  for (const { charge, customerId } of await repo.dueCharges(ctx.db, ctx.now())) {
    retried++;
    try {
      if ((await settleCharge(ctx, charge, customerId, {})) === 'PAID') succeeded++;
      else failed++;
    } catch (err) {
      failed++;
      await stalled(ctx, charge, err);
    }
  }
  return { retried, succeeded, failed };
}

/** An overage invoice paid outside our job (Stripe's own retry, the hosted page): read back, then recorded. */
export async function markOverageInvoicePaid(ctx: AppContext, invoiceId: string): Promise<'applied' | 'ignored'> {
  const invoice = await ctx.providers.stripe.getInvoice(invoiceId);
  if (invoice.status !== 'paid') return 'ignored';
  return (await repo.markInvoicePaid(ctx.db, invoiceId, invoice.attemptCount)) ? 'applied' : 'ignored';
}

const HISTORY_WEEKS = 52;

/** Billed weeks (newest first, up to a year) and this cycle's overage, of which the part not billed yet. */
export async function overageHistory(ctx: AppContext, organizationId: string) {
  const [records, split] = await Promise.all([repo.chargeHistory(ctx.db, organizationId, HISTORY_WEEKS), repo.cycleUsageSplit(ctx.db, organizationId)]);
  const total = Math.max(0, (split?.used ?? 0) - (split?.included ?? 0));
  const billed = Math.max(0, (split?.usedBilled ?? 0) - (split?.included ?? 0));
  const unbilled = Math.max(0, total - billed);
  // Stryker disable next-line BooleanLiteral: unreachable, the signed-in organization has a row
  const overageEnabled = split?.overageEnabled ?? false;
  const billable = overageEnabled && hasFeature((split?.plan ?? 'FREE') as PlanTier, 'overage');
  return {
    records: records.map((r) => ({
      id: r.id,
      weekStart: r.weekStart,
      weekEnd: r.weekEnd,
      overageMinutes: minutesOf(r.overageSeconds),
      amountCents: r.amountCents,
      status: r.status,
    })),
    currentOverage: {
      totalOverageMinutes: minutesOf(total),
      unbilledMinutes: minutesOf(unbilled),
      estimatedCostCents: billable ? repo.amountCentsFor(unbilled) : 0,
      overageEnabled,
      rateCentsPerMin: OVERAGE_RATE_CENTS_PER_MIN,
    },
  };
}

/** Turns overage on or off (the route checks the plan allows it). */
export async function setOverageEnabled(ctx: AppContext, organizationId: string, enabled: boolean) {
  await ctx.db.update(organizations).set({ overageEnabled: enabled }).where(eq(organizations.id, organizationId));
  return { overageEnabled: enabled };
}
