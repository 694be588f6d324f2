import { and, eq, like } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp, parsedLogs } from './helpers/app.js';
import { waitFor } from './helpers/webhook-receiver.js';
import { signedInOwner } from './helpers/factories.js';
import { endOfCallReport, postVapi } from './helpers/vapi.js';
import { organizations, overageCharges, sandboxIdempotency, sandboxResources, subscriptions } from '../src/db/schema/index.js';
import { overageBillingJob } from '../src/jobs/overage-billing.js';
import { runJob } from '../src/jobs/runner.js';
import { billWeeklyOverage } from '../src/modules/billing/overage.service.js';
import { updateCharge } from '../src/modules/billing/overage.repo.js';
import { previousWeek, weekContaining } from '../src/modules/billing/weeks.js';
import type { InvoiceItemObject, InvoiceObject } from '../src/sandbox/stripe/state.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
const { lines: logs, stream: logStream } = parsedLogs();
beforeAll(async () => {
  t = await buildListeningApp({ env: { LOG_LEVEL: 'info' }, logStream });
  app = t.app;
});
afterAll(() => t.close());

const DAY_MS = 86_400_000;
const MIN = 60;
const as = (cookie: string) => ({ cookie });
const cron = async (job: string) => {
  const res = await app.inject({ method: 'GET', url: `/api/cron/${job}`, headers: { authorization: 'Bearer test-cron-secret' } });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as Record<string, number>;
};

/** Emulated Stripe objects of one customer (what Stripe would list for it). */
async function stripeObjects<T>(kind: string, customerId: string): Promise<T[]> {
  const rows = await app.ctx.db
    .select({ data: sandboxResources.data })
    .from(sandboxResources)
    .where(and(eq(sandboxResources.service, 'stripe'), eq(sandboxResources.kind, kind), eq(sandboxResources.owner, customerId)));
  return rows.map((r) => r.data as T);
}
const overageInvoices = async (customerId: string) =>
  (await stripeObjects<InvoiceObject>('invoice', customerId)).filter((i) => i.metadata.kind === 'overage');
const overageItems = async (customerId: string) =>
  (await stripeObjects<InvoiceItemObject>('invoiceitem', customerId)).filter((i) => i.metadata.kind === 'overage');
const chargesOf = (organizationId: string) => app.ctx.db.select().from(overageCharges).where(eq(overageCharges.organizationId, organizationId));

/**
 * An organization subscribed through Checkout and an assistant, so that VAPI reports count
 * minutes; overage switched on unless told otherwise. With `card`, that card then replaces
 * the first one in the billing portal (4000 0000 0000 0341 is saved, then declines charges).
 */
async function customer(opts: { tier?: 'STARTER' | 'PRO'; card?: string; overage?: boolean } = {}) {
  const owner = await signedInOwner(app);
  const checkout = await app.inject({ method: 'POST', url: '/api/stripe/checkout', headers: as(owner.cookie), payload: { planTier: opts.tier ?? 'STARTER' } });
  const paid = await fetch(`${checkout.json().url}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ card: '4242424242424242' }).toString(),
    redirect: 'manual',
  });
  expect(paid.status).toBe(303);
  if (opts.card) {
    const portal = await app.inject({ method: 'POST', url: '/api/stripe/portal', headers: as(owner.cookie), payload: {} });
    const replaced = await fetch(`${portal.json().url}/payment-method`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ card: opts.card }).toString(),
      redirect: 'manual',
    });
    expect(replaced.status).toBe(303);
  }
  const remote = await app.ctx.providers.vapi.createAssistant({ name: 'Reception AI', systemPrompt: 'Hi' });
  const registered = await app.inject({ method: 'POST', url: '/api/assistants', headers: as(owner.cookie), payload: { vapiAssistantId: remote.id, name: 'Reception AI' } });
  expect(registered.statusCode).toBe(201);
  const toggled = await app.inject({ method: 'PUT', url: '/api/billing/overage', headers: as(owner.cookie), payload: { enabled: opts.overage ?? true } });
  expect(toggled.statusCode).toBe(200);
  const [row] = await app.ctx.db.select().from(subscriptions).where(eq(subscriptions.organizationId, owner.organizationId));
  return {
    owner,
    customerId: row!.stripeCustomerId,
    /** A finished call of `minutes`, counted now (the test clock). */
    call: async (minutes: number) => expect((await postVapi(app, endOfCallReport({ assistantId: remote.id, seconds: minutes * MIN }))).statusCode).toBe(200),
  };
}

/** A customer with `earlier` minutes of calls two weeks ago and `lastWeek` minutes last week; the clock is back at now. */
async function customerWithCalls(earlier: number, lastWeek: number, opts: Parameters<typeof customer>[0] = {}) {
  t.clock.advance(-14 * DAY_MS);
  const c = await customer(opts);
  await c.call(earlier);
  t.clock.advance(7 * DAY_MS);
  await c.call(lastWeek);
  t.clock.advance(7 * DAY_MS);
  return c;
}

describe('overage-billing', () => {
  it('bills last week’s minutes past the included ones at 30 ¢/min, once; skips organizations with overage off', async () => {
    t.clock.advance(-14 * DAY_MS);
    const billed = await customer();
    const off = await customer({ overage: false });
    const under = await customer();
    await billed.call(190);
    await off.call(190);
    await under.call(100);
    t.clock.advance(7 * DAY_MS);
    await billed.call(15); // 5 of these minutes are past STARTER's 200
    await off.call(15);
    await under.call(15);
    t.clock.advance(7 * DAY_MS);
    await billed.call(3); // this week: not billed yet

    const organizationCount = await app.ctx.db.$count(organizations);
    const result = await cron('overage-billing');
    expect(result).toMatchObject({ errors: 0, declined: 0 });
    expect(result.billed).toBeGreaterThanOrEqual(1);
    // Every organization is counted once: billed, or skipped with nothing to bill.
    expect(result.billed! + result.skipped!).toBe(organizationCount);
    const week = previousWeek(app.ctx.now());
    const [charge, ...more] = await chargesOf(billed.owner.organizationId);
    expect(more).toHaveLength(0);
    expect(charge).toMatchObject({
      weekStart: week.startDate,
      weekEnd: week.endDate,
      overageSeconds: 5 * MIN,
      amountCents: 150,
      status: 'PAID',
      attempts: 1,
      idempotencyKey: `overage:${billed.owner.organizationId}:${week.label}`,
    });
    const [invoice, ...others] = await overageInvoices(billed.customerId);
    expect(others).toHaveLength(0);
    expect(invoice).toMatchObject({ id: charge!.stripeInvoiceId, status: 'paid', amount_paid: 150, total: 150, collection_method: 'charge_automatically' });
    expect(invoice!.lines.data).toHaveLength(1);
    expect(invoice!.lines.data[0]!.description).toBe(`Overage ${week.label} (${week.startDate} to ${week.endDate}): 5 min at $0.30/min`);
    expect(invoice!.metadata).toEqual({ kind: 'overage', chargeId: charge!.id, organizationId: billed.owner.organizationId, week: week.label });
    // Every Stripe write of the charge under a key derived from its row's: a rerun makes the same requests.
    const keys = await app.ctx.db
      .select({ key: sandboxIdempotency.key })
      .from(sandboxIdempotency)
      .where(and(eq(sandboxIdempotency.service, 'stripe'), like(sandboxIdempotency.key, `${charge!.idempotencyKey}:%`)));
    expect(keys.map((k) => k.key.slice(charge!.idempotencyKey.length)).sort()).toEqual([':finalize', ':one-off:invoice', ':one-off:line', ':pay']);
    // Stripe's invoice.paid for a payment our job already recorded changes nothing.
    const stripeEventLog = (invoiceId: string) => logs.find((l) => l.msg === 'stripe event' && l.stripeEvent === 'invoice.paid' && l.stripeObject === invoiceId);
    await waitFor(async () => stripeEventLog(invoice!.id) !== undefined, 5000, 'the invoice.paid webhook');
    expect(stripeEventLog(invoice!.id)).toMatchObject({ outcome: 'ignored' });
    expect(await chargesOf(off.owner.organizationId)).toHaveLength(0);
    expect(await chargesOf(under.owner.organizationId)).toHaveLength(0);

    // A rerun (the endpoint, or a second instance's tick) bills nothing again.
    expect((await cron('overage-billing')).billed).toBe(0);
    expect(await overageInvoices(billed.customerId)).toHaveLength(1);

    const history = (await app.inject({ url: '/api/billing/history', headers: as(billed.owner.cookie) })).json();
    expect(history).toEqual({
      records: [{ id: charge!.id, weekStart: week.startDate, weekEnd: week.endDate, overageMinutes: 5, amountCents: 150, status: 'PAID' }],
      // 208 minutes used of 200: 8 past the limit, 3 of them after the billed week.
      currentOverage: { totalOverageMinutes: 8, unbilledMinutes: 3, estimatedCostCents: 90, overageEnabled: true, rateCentsPerMin: 30 },
    });
    // Another organization sees only its own.
    const offHistory = (await app.inject({ url: '/api/billing/history', headers: as(off.owner.cookie) })).json();
    expect(offHistory.records).toEqual([]);
    expect(offHistory.currentOverage).toMatchObject({ totalOverageMinutes: 5, unbilledMinutes: 5, estimatedCostCents: 0, overageEnabled: false });
  });

  it('invoices only the week’s overage: the customer’s other pending items stay out', async () => {
    const c = await customerWithCalls(195, 10); // 5 minutes of overage
    // A charge of another kind waiting at Stripe for the customer's next subscription invoice.
    const other = await fetch(`${t.baseUrl}/sandbox/stripe/v1/invoiceitems`, {
      method: 'POST',
      headers: { authorization: `Bearer ${t.config.stripe.secretKey}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ customer: c.customerId!, amount: '4400', currency: 'usd', description: 'Something else' }).toString(),
    });
    expect(other.status).toBe(200);

    expect(await cron('overage-billing')).toMatchObject({ errors: 0, declined: 0 });
    const [invoice, ...more] = await overageInvoices(c.customerId!);
    expect(more).toHaveLength(0);
    expect(invoice).toMatchObject({ status: 'paid', total: 150, amount_paid: 150 });
    expect(invoice!.lines.data.map((l) => l.amount)).toEqual([150]);
    const pending = (await stripeObjects<InvoiceItemObject>('invoiceitem', c.customerId!)).filter((i) => i.invoice === null);
    expect(pending.map((i) => i.amount)).toEqual([4400]);
  });

  it('a crash between the invoice at Stripe and our row, then a rerun: exactly one invoice', async () => {
    const c = await customerWithCalls(195, 20); // 15 minutes of overage

    const crashing = {
      ...overageBillingJob,
      run: (ctx: typeof app.ctx) =>
        billWeeklyOverage(ctx, {
          afterInvoiceCreated: (_invoice, charge) => {
            if (charge.organizationId === c.owner.organizationId) throw new Error('process killed');
          },
        }),
    };
    const crashed = await runJob(app.ctx, crashing);
    expect(crashed.errors).toBe(1);
    const [pending] = await chargesOf(c.owner.organizationId);
    expect(pending).toMatchObject({ status: 'PENDING', stripeInvoiceId: null, amountCents: 450, lastError: 'process killed' });
    const [draft, ...none] = await overageInvoices(c.customerId);
    expect(none).toHaveLength(0);
    expect(draft).toMatchObject({ status: 'draft', total: 450 });

    const rerun = await cron('overage-billing');
    expect(rerun).toMatchObject({ errors: 0 });
    const [charge] = await chargesOf(c.owner.organizationId);
    expect(charge).toMatchObject({ status: 'PAID', stripeInvoiceId: draft!.id, amountCents: 450, attempts: 1 });
    const invoices = await overageInvoices(c.customerId);
    expect(invoices).toHaveLength(1);
    expect(invoices[0]).toMatchObject({ id: draft!.id, status: 'paid', amount_paid: 450 });
    expect(await overageItems(c.customerId)).toHaveLength(1);
    expect((await cron('overage-billing')).billed).toBe(0);
    expect(await overageInvoices(c.customerId)).toHaveLength(1);
  });

  it('Stripe failing after the invoice was created: the charge waits, then the daily retry completes it', async () => {
    const c = await customerWithCalls(490, 12, { tier: 'PRO' });
    // Stripe answers 503 to everything after the invoice is created: the charge stays INVOICED.
    const failing = {
      ...overageBillingJob,
      run: (ctx: typeof app.ctx) =>
        billWeeklyOverage(ctx, {
          afterInvoiceCreated: async (_invoice, charge) => {
            if (charge.organizationId === c.owner.organizationId) {
              await app.inject({ method: 'POST', url: '/sandbox/stripe/_faults', payload: { status: 503, count: 3 } });
            }
          },
        }),
    };
    const organizationCount = await app.ctx.db.$count(organizations);
    // Every other organization had nothing new to bill: skipped.
    expect(await runJob(app.ctx, failing)).toEqual({ billed: 0, skipped: organizationCount - 1, errors: 1, declined: 0 });
    const [invoiced] = await chargesOf(c.owner.organizationId);
    expect(logs.filter((l) => l.chargeId === invoiced!.id)).toEqual([
      expect.objectContaining({ level: 50, msg: 'overage charge could not be completed', organizationId: c.owner.organizationId }),
    ]);
    expect(invoiced).toMatchObject({ status: 'INVOICED', amountCents: 60, stripeInvoiceId: expect.stringMatching(/^in_/) });
    expect(invoiced!.nextAttemptAt!.getTime()).toBeGreaterThan(app.ctx.now().getTime());

    // The daily retry takes it up once its wait is over.
    t.clock.advance(2 * 60 * 60 * 1000);
    expect(await cron('payment-retry')).toMatchObject({ retried: 1, succeeded: 1, failed: 0 });
    const [charge] = await chargesOf(c.owner.organizationId);
    expect(charge).toMatchObject({ status: 'PAID', stripeInvoiceId: invoiced!.stripeInvoiceId });
    expect(await overageInvoices(c.customerId)).toHaveLength(1);
    t.clock.advance(-2 * 60 * 60 * 1000);
  });
});

describe('weeks', () => {
  it('names ISO weeks (Monday to Sunday, UTC) across year ends', () => {
    expect(weekContaining(new Date('2026-01-01T12:00:00Z'))).toMatchObject({ startDate: '2025-12-29', endDate: '2026-01-04', label: '2026-W01' });
    expect(weekContaining(new Date('2027-01-01T00:00:00Z'))).toMatchObject({ startDate: '2026-12-28', endDate: '2027-01-03', label: '2026-W53' });
    expect(weekContaining(new Date('2024-12-31T23:59:59Z')).label).toBe('2025-W01');
    // The Monday job (06:00 New York) bills the week that ended hours before.
    expect(previousWeek(new Date('2026-03-09T11:00:00Z'))).toMatchObject({ startDate: '2026-03-02', endDate: '2026-03-08', label: '2026-W10' });
    expect(previousWeek(new Date('2026-03-08T23:59:59Z')).startDate).toBe('2026-02-23');
  });

  it('bills a week that straddles a cycle start: each cycle’s overage in it, once', async () => {
    const c = await customer();
    const week = previousWeek(app.ctx.now());
    const cycleStart = new Date(week.start.getTime() + 2 * DAY_MS); // Wednesday
    await app.ctx.db
      .update(organizations)
      .set({ cycleStart, cycleEnd: new Date(cycleStart.getTime() + 30 * DAY_MS) })
      .where(eq(organizations.id, c.owner.organizationId));
    const at = async (when: Date, minutes: number) => {
      const delta = when.getTime() - app.ctx.now().getTime();
      t.clock.advance(delta);
      await c.call(minutes);
      t.clock.advance(-delta);
    };
    await at(new Date(week.start.getTime() + 60 * 60 * 1000), 210); // previous cycle: 10 past STARTER's 200
    await at(new Date(week.start.getTime() + 3 * DAY_MS), 205); // this cycle: 5 past
    await cron('overage-billing');
    expect(await chargesOf(c.owner.organizationId)).toEqual([
      expect.objectContaining({ weekStart: week.startDate, overageSeconds: 15 * MIN, amountCents: 450, status: 'PAID' }),
    ]);
  });
});

describe('payment-retry', () => {
  it('charges a declined overage again after 1, 2 and 4 days, then gives up', async () => {
    const c = await customerWithCalls(200, 10, { card: '4000000000000341' });

    expect(await cron('overage-billing')).toMatchObject({ errors: 0, declined: 1 });
    const state = async () => (await chargesOf(c.owner.organizationId))[0]!;
    const first = await state();
    expect(first).toMatchObject({ status: 'FAILED', attempts: 1, amountCents: 300, lastError: 'Your card was declined.' });
    const start = app.ctx.now().getTime();
    expect(first.nextAttemptAt!.getTime() - start).toBeGreaterThan(DAY_MS - 60_000);
    expect(first.nextAttemptAt!.getTime() - start).toBeLessThanOrEqual(DAY_MS);

    expect(await cron('payment-retry')).toEqual({ retried: 0, succeeded: 0, failed: 0 });
    let moved = 0;
    const advance = (ms: number) => {
      t.clock.advance(ms);
      moved += ms;
    };
    for (const [wait, attempts, status] of [
      [1, 2, 'FAILED'],
      [2, 3, 'FAILED'],
      [4, 4, 'GAVE_UP'],
    ] as const) {
      advance(wait * DAY_MS - 60 * 60 * 1000);
      expect(await cron('payment-retry')).toEqual({ retried: 0, succeeded: 0, failed: 0 });
      advance(60 * 60 * 1000);
      expect(await cron('payment-retry')).toEqual({ retried: 1, succeeded: 0, failed: 1 });
      const now = await state();
      expect(now).toMatchObject({ status, attempts });
      if (status === 'FAILED') expect(now.nextAttemptAt!.getTime() - app.ctx.now().getTime()).toBeGreaterThan(2 * wait * DAY_MS - 60_000);
      else expect(now.nextAttemptAt).toBeNull();
    }
    const history = (await app.inject({ url: '/api/billing/history', headers: as(c.owner.cookie) })).json();
    expect(history.records).toEqual([expect.objectContaining({ status: 'GAVE_UP', amountCents: 300, overageMinutes: 10 })]);
    advance(30 * DAY_MS);
    expect(await cron('payment-retry')).toEqual({ retried: 0, succeeded: 0, failed: 0 });
    const [invoice, ...none] = await overageInvoices(c.customerId);
    expect(none).toHaveLength(0);
    expect(invoice).toMatchObject({ status: 'open', attempt_count: 4, amount_paid: 0 });
    // One idempotency key per attempt (the first has the short form): a replay after a crash repeats only its own attempt.
    const payKeys = await app.ctx.db
      .select({ key: sandboxIdempotency.key })
      .from(sandboxIdempotency)
      .where(and(eq(sandboxIdempotency.service, 'stripe'), like(sandboxIdempotency.key, `${first.idempotencyKey}:pay%`)));
    expect(payKeys.map((k) => k.key).sort()).toEqual([':pay', ':pay:2', ':pay:3', ':pay:4'].map((suffix) => `${first.idempotencyKey}${suffix}`));
    t.clock.advance(-moved);
  });

  it('Stripe failing during a retry: the attempt is not counted, and the charge waits to be resumed', async () => {
    const c = await customerWithCalls(200, 10, { card: '4000000000000341' });
    expect(await cron('overage-billing')).toMatchObject({ declined: 1 });
    t.clock.advance(DAY_MS);
    await app.inject({ method: 'POST', url: '/sandbox/stripe/_faults', payload: { status: 503, count: 3 } });
    expect(await cron('payment-retry')).toEqual({ retried: 1, succeeded: 0, failed: 1 });
    const [charge] = await chargesOf(c.owner.organizationId);
    expect(charge).toMatchObject({ status: 'FAILED', attempts: 1 });
    expect(charge!.lastError).toMatch(/503|unavailable/i);
    expect(charge!.nextAttemptAt!.getTime()).toBeGreaterThan(app.ctx.now().getTime());
    t.clock.advance(-DAY_MS);
  });

  it('a declined charge the customer pays with a new card: the invoice.paid webhook records it, and nothing is charged again', async () => {
    const c = await customerWithCalls(200, 10, { card: '4000000000000341' });
    expect(await cron('overage-billing')).toMatchObject({ declined: 1 });
    const state = async () => (await chargesOf(c.owner.organizationId))[0]!;
    expect(await state()).toMatchObject({ status: 'FAILED', attempts: 1 });

    // A new card saved in the billing portal becomes the default; Stripe's own retry then charges it.
    const portal = await app.inject({ method: 'POST', url: '/api/stripe/portal', headers: as(c.owner.cookie), payload: {} });
    const saved = await fetch(`${portal.json().url}/payment-method`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ card: '4242424242424242' }).toString(),
      redirect: 'manual',
    });
    expect(saved.status).toBe(303);
    const [open] = await overageInvoices(c.customerId);
    const retried = await fetch(`${t.baseUrl}/sandbox/stripe/v1/invoices/${open!.id}/pay`, { method: 'POST', headers: { authorization: `Bearer ${t.config.stripe.secretKey}` } });
    expect(retried.status).toBe(200);
    await waitFor(async () => (await state()).status === 'PAID', 5000, 'the invoice.paid webhook');
    // Our one attempt and Stripe's count of two: the larger is kept.
    expect(await state()).toMatchObject({ status: 'PAID', attempts: 2, nextAttemptAt: null, lastError: null });
    expect(logs.find((l) => l.msg === 'stripe event' && l.stripeEvent === 'invoice.paid' && l.stripeObject === open!.id)).toMatchObject({ outcome: 'applied' });

    // Once PAID, a late outcome of ours (a stalled run's note, a failure) does not move it; a PAID one still records.
    const paid = await state();
    await updateCharge(app.ctx.db, paid.id, { status: 'FAILED', lastError: 'late' });
    await updateCharge(app.ctx.db, paid.id, { nextAttemptAt: new Date(), lastError: 'late' });
    expect(await state()).toMatchObject({ status: 'PAID', nextAttemptAt: null, lastError: null });
    await updateCharge(app.ctx.db, paid.id, { status: 'PAID', attempts: 3 });
    expect(await state()).toMatchObject({ status: 'PAID', attempts: 3 });
    await updateCharge(app.ctx.db, paid.id, { attempts: 2 });

    t.clock.advance(DAY_MS);
    expect(await cron('payment-retry')).toEqual({ retried: 0, succeeded: 0, failed: 0 });
    t.clock.advance(-DAY_MS);
    const [invoice] = await overageInvoices(c.customerId);
    expect(invoice).toMatchObject({ status: 'paid', attempt_count: 2, amount_paid: 300 });

    // If that webhook had been lost, the retry reads the invoice back as paid and records it without charging.
    await app.ctx.db.update(overageCharges).set({ status: 'FAILED', nextAttemptAt: t.clock.now(), lastError: 'Your card was declined.' }).where(eq(overageCharges.organizationId, c.owner.organizationId));
    expect(await cron('payment-retry')).toEqual({ retried: 1, succeeded: 1, failed: 0 });
    expect(await state()).toMatchObject({ status: 'PAID', nextAttemptAt: null, lastError: null });
    expect((await overageInvoices(c.customerId))[0]).toMatchObject({ attempt_count: 2 });
  });

  it('an invoice voided at Stripe: the retry gives up on it and says why', async () => {
    const c = await customerWithCalls(200, 10, { card: '4000000000000341' });
    expect(await cron('overage-billing')).toMatchObject({ declined: 1 });
    const [invoice] = await overageInvoices(c.customerId);
    const voided = await fetch(`${t.baseUrl}/sandbox/stripe/v1/invoices/${invoice!.id}/void`, { method: 'POST', headers: { authorization: `Bearer ${t.config.stripe.secretKey}` } });
    expect(voided.status).toBe(200);

    t.clock.advance(DAY_MS);
    expect(await cron('payment-retry')).toEqual({ retried: 1, succeeded: 0, failed: 1 });
    t.clock.advance(-DAY_MS);
    const [charge] = await chargesOf(c.owner.organizationId);
    expect(charge).toMatchObject({ status: 'GAVE_UP', attempts: 1, nextAttemptAt: null, lastError: 'invoice is void' });
    expect((await overageInvoices(c.customerId))[0]).toMatchObject({ status: 'void', attempt_count: 1 });
  });
});
