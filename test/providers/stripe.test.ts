import Stripe from 'stripe';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildListeningApp } from '../helpers/app.js';
import { ProviderError } from '../../src/providers/errors.js';
import { createStripeProvider } from '../../src/providers/stripe/live.js';
import { WebhookSignatureError, type StripeProvider } from '../../src/providers/stripe/port.js';
import { parseStripeForm } from '../../src/sandbox/stripe/form.js';
import type { EventRecord } from '../../src/sandbox/stripe/state.js';
import { ABANDONED_AFTER_MS } from '../../src/sandbox/stripe/idempotency.js';
import { sandboxIdempotency } from '../../src/db/schema/index.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let stripe: StripeProvider;
let sandbox: string;
let keyCounter = 0;

beforeAll(async () => {
  t = await buildListeningApp();
  stripe = t.app.ctx.providers.stripe;
  sandbox = `${t.baseUrl}/sandbox/stripe`;
});
afterAll(() => t.close());

/** A fresh idempotency key per write, as callers derive one per intended effect. */
const key = (label = 'op') => `test:${label}:${++keyCounter}:${Date.now()}`;

/** Stripe's API over plain HTTP (form-encoded), with our key unless told otherwise. */
const raw = (path: string, init: { method?: string; form?: Record<string, string>; key?: string; headers?: Record<string, string> } = {}) =>
  fetch(`${sandbox}/v1${path}`, {
    method: init.method ?? (init.form ? 'POST' : 'GET'),
    headers: {
      authorization: `Bearer ${init.key ?? t.config.stripe.secretKey}`,
      ...(init.form ? { 'content-type': 'application/x-www-form-urlencoded' } : {}),
      ...init.headers,
    },
    body: init.form ? new URLSearchParams(init.form).toString() : undefined,
  });
const fault = (body: { status: number; count: number; retryAfter?: number }) =>
  fetch(`${sandbox}/_faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a ProviderError'),
    (err: unknown) => {
      expect(err).toBeInstanceOf(ProviderError);
      return err as ProviderError;
    },
  );

/** Events about one object, oldest first, once each has been delivered to our route. */
async function deliveredEvents(objectId: string, count: number): Promise<EventRecord[]> {
  for (let i = 0; i < 100; i++) {
    const res = await fetch(`${sandbox}/events?limit=1000`);
    const { data } = (await res.json()) as { data: EventRecord[] };
    const mine = data.filter((r) => (r.event.data.object as { id: string }).id === objectId).reverse();
    if (mine.length >= count && mine.every((r) => r.deliveries.length > 0)) return mine;
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  throw new Error(`events of ${objectId} not delivered`);
}

/** Creates a customer and pays a Checkout for `tier` on the hosted page with `card`. */
async function subscribe(tier: 'STARTER' | 'PRO', card = '4242424242424242') {
  const organizationId = `org_${++keyCounter}`;
  const customer = await stripe.createCustomer({ organizationId, email: 'owner@acme.test', name: 'Acme' }, key('customer'));
  const checkout = await stripe.createCheckoutSession(
    {
      customerId: customer.id,
      tier,
      organizationId,
      successUrl: `${t.baseUrl}/billing/success?session_id={CHECKOUT_SESSION_ID}`,
      cancelUrl: `${t.baseUrl}/billing`,
      metadata: { plan: tier },
    },
    key('checkout'),
  );
  const paid = await fetch(`${checkout.url}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ card }).toString(),
    redirect: 'manual',
  });
  expect(paid.status).toBe(303);
  expect(paid.headers.get('location')).toBe(`${t.baseUrl}/billing/success?session_id=${checkout.id}`);
  const session = await (await raw(`/checkout/sessions/${checkout.id}`)).json();
  return { organizationId, customer, checkout, session, subscriptionId: session.subscription as string };
}

describe('form encoding', () => {
  it('parses Stripe bracket notation into nested objects and arrays', () => {
    expect(
      parseStripeForm('mode=subscription&line_items[1][price]=b&line_items[0][price]=a&line_items[0][quantity]=1&metadata%5BorganizationId%5D=org_1&expand[]=x&expand[]=y&email=a%2Bb%40c.test'),
    ).toEqual({
      mode: 'subscription',
      line_items: [{ price: 'a', quantity: '1' }, { price: 'b' }],
      metadata: { organizationId: 'org_1' },
      expand: ['x', 'y'],
      email: 'a+b@c.test',
    });
  });
});

describe('customers, prices and errors', () => {
  it('creates and reads a customer carrying our organization id, in Stripe shape', async () => {
    const customer = await stripe.createCustomer({ organizationId: 'org_42', email: 'a@b.test', name: 'Acme' }, key());
    expect(customer).toEqual({ id: expect.stringMatching(/^cus_\w{14}$/), email: 'a@b.test', name: 'Acme', organizationId: 'org_42' });
    expect(await stripe.getCustomer(customer.id)).toEqual(customer);
    const wire = await (await raw(`/customers/${customer.id}`)).json();
    expect(wire).toMatchObject({ object: 'customer', livemode: false, metadata: { organizationId: 'org_42' }, invoice_settings: { default_payment_method: null } });
  });

  it('answers an unknown customer with 404 resource_missing', async () => {
    const err = await rejection(stripe.getCustomer('cus_missing'));
    expect(err.status).toBe(404);
    expect(err.notFound).toBe(true);
    const res = await raw('/customers/cus_missing');
    expect(res.status).toBe(404);
    expect((await res.json()).error).toEqual({
      type: 'invalid_request_error',
      code: 'resource_missing',
      doc_url: 'https://stripe.com/docs/error-codes/resource-missing',
      message: "No such customer: 'cus_missing'",
      param: 'id',
    });
    const checkout = await rejection(
      stripe.createCheckoutSession({ customerId: 'cus_missing', tier: 'PRO', organizationId: 'o', successUrl: 'http://x.test/s', cancelUrl: 'http://x.test/c' }, key()),
    );
    expect(checkout.status).toBe(400);
    expect(checkout.message).toContain("resource_missing No such customer: 'cus_missing'");
  });

  it('refuses a wrong or missing key with 401, as Stripe words it', async () => {
    const wrongKey = createStripeProvider({
      config: { ...t.config, stripe: { ...t.config.stripe, secretKey: 'sk_test_wrongkey1234' } },
      log: t.app.log,
      baseUrl: sandbox,
    });
    expect((await rejection(wrongKey.getCustomer('cus_x'))).status).toBe(401);
    const res = await raw('/customers/cus_x', { key: 'sk_test_wrongkey1234' });
    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ error: { type: 'invalid_request_error', message: 'Invalid API Key provided: sk_test_********1234' } });
    const none = await fetch(`${sandbox}/v1/customers/cus_x`);
    expect(none.status).toBe(401);
    expect((await none.json()).error.message).toMatch(/^You did not provide an API key/);
  });

  it('validates parameters with Stripe error codes', async () => {
    const unknown = await raw('/customers', { form: { nickname: 'x' } });
    expect(unknown.status).toBe(400);
    expect((await unknown.json()).error).toMatchObject({ code: 'parameter_unknown', param: 'nickname' });
    const missing = await raw('/invoiceitems', { form: { currency: 'usd', amount: '100' } });
    expect((await missing.json()).error).toMatchObject({ code: 'parameter_missing', param: 'customer', message: 'Missing required param: customer.' });
    expect((await raw('/nothing')).status).toBe(404);
  });

  it('lists the plan prices by lookup key', async () => {
    const res = await raw('/prices?lookup_keys[0]=pro&lookup_keys[1]=starter&active=true');
    const { data } = await res.json();
    expect(data.map((p: { id: string; unit_amount: number }) => [p.id, p.unit_amount])).toEqual([
      ['price_starter', 4900],
      ['price_pro', 19900],
    ]);
  });
});

describe('idempotency and retries', () => {
  it('replays the first answer for the same key and parameters, refuses other parameters', async () => {
    const k = key('idem');
    const first = await stripe.createCustomer({ organizationId: 'org_idem' }, k);
    expect((await stripe.createCustomer({ organizationId: 'org_idem' }, k)).id).toBe(first.id);
    const replay = await raw('/customers', { form: { 'metadata[organizationId]': 'org_idem' }, headers: { 'idempotency-key': k } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await replay.json()).id).toBe(first.id);

    const conflict = await rejection(stripe.createCustomer({ organizationId: 'org_other' }, k));
    expect(conflict.status).toBe(400);
    const res = await raw('/customers', { form: { 'metadata[organizationId]': 'org_other' }, headers: { 'idempotency-key': k } });
    expect((await res.json()).error).toMatchObject({ type: 'idempotency_error', message: expect.stringContaining('same parameters') });
  });

  it('answers 409 while a key is in progress, and lets a retry take over a key whose process died', async () => {
    const form = { 'metadata[organizationId]': 'org_died' };
    // The row a request leaves when its process is killed mid-request: claimed, never answered.
    const seen = key('died');
    expect((await raw('/customers', { form, headers: { 'idempotency-key': seen } })).status).toBe(200);
    const [first] = await t.app.ctx.db.select().from(sandboxIdempotency).where(eq(sandboxIdempotency.key, seen));
    const requestHash = first!.requestHash;
    const died = key('died');
    await t.app.ctx.db.insert(sandboxIdempotency).values({ service: 'stripe', key: died, requestHash, status: 'pending', response: {}, createdAt: t.clock.now() });

    const busy = await raw('/customers', { form, headers: { 'idempotency-key': died } });
    expect(busy.status).toBe(409);
    expect((await busy.json()).error).toMatchObject({ type: 'idempotency_error', message: expect.stringContaining('in-progress') });
    // Other parameters under that key are still refused, whatever its age.
    t.clock.advance(ABANDONED_AFTER_MS + 1000);
    expect((await raw('/customers', { form: { 'metadata[organizationId]': 'org_other' }, headers: { 'idempotency-key': died } })).status).toBe(400);

    const retried = await raw('/customers', { form, headers: { 'idempotency-key': died } });
    expect(retried.status).toBe(200);
    expect(retried.headers.get('idempotent-replayed')).toBeNull();
    const replay = await raw('/customers', { form, headers: { 'idempotency-key': died } });
    expect(replay.headers.get('idempotent-replayed')).toBe('true');
    expect((await replay.json()).id).toBe((await retried.json()).id);
  });

  it('retries a 429 after Retry-After, and gives up when it persists', async () => {
    const customer = await stripe.createCustomer({ organizationId: 'org_429' }, key());
    await fault({ status: 429, count: 2, retryAfter: 0 });
    expect((await stripe.getCustomer(customer.id)).id).toBe(customer.id);
    await fault({ status: 429, count: 5, retryAfter: 0 });
    expect((await rejection(stripe.getCustomer(customer.id))).status).toBe(429);
    await fault({ status: 429, count: 0 });
  });

  it('retries 5xx with backoff, reusing the Idempotency-Key so the write happens once', async () => {
    const k = key('5xx');
    await fault({ status: 500, count: 2 });
    const started = Date.now();
    const customer = await stripe.createCustomer({ organizationId: 'org_5xx' }, k);
    // stripe-node waits at least 0.5 s before each retry.
    expect(Date.now() - started).toBeGreaterThanOrEqual(900);
    expect((await stripe.createCustomer({ organizationId: 'org_5xx' }, k)).id).toBe(customer.id);
    await fault({ status: 503, count: 3 });
    expect((await rejection(stripe.getCustomer(customer.id))).status).toBe(503);
  });
});

describe('checkout and subscriptions', () => {
  it('serves the hosted Checkout page and completes it: subscription, signed events, redirect', async () => {
    const customer = await stripe.createCustomer({ organizationId: 'org_co' }, key());
    const checkout = await stripe.createCheckoutSession(
      { customerId: customer.id, tier: 'STARTER', organizationId: 'org_co', successUrl: 'http://app.test/ok?s={CHECKOUT_SESSION_ID}', cancelUrl: 'http://app.test/no' },
      key(),
    );
    expect(checkout.id).toMatch(/^cs_test_\w{58}$/);
    expect(checkout.url).toBe(`${t.baseUrl}/sandbox/stripe/checkout/${checkout.id}`);
    const page = await fetch(checkout.url);
    expect(page.headers.get('content-type')).toContain('text/html');
    const html = await page.text();
    expect(html).toContain('Subscribe to Starter');
    expect(html).toContain('Pay $49.00');
    expect(html).toContain(`action="/sandbox/stripe/checkout/${checkout.id}/pay"`);
    const session = await (await raw(`/checkout/sessions/${checkout.id}`)).json();
    expect(session).toMatchObject({ object: 'checkout.session', mode: 'subscription', status: 'open', client_reference_id: 'org_co', amount_total: 4900 });
    const pay = (body?: string) =>
      fetch(`${checkout.url}/pay`, { method: 'POST', redirect: 'manual', ...(body ? { body, headers: { 'content-type': 'application/x-www-form-urlencoded' } } : {}) });
    expect((await pay('card=4111111111111111')).status).toBe(402);
    // A bare POST pays with the default test card; paying twice changes nothing.
    for (const attempt of [await pay(), await pay()]) {
      expect(attempt.status).toBe(303);
      expect(attempt.headers.get('location')).toBe(`http://app.test/ok?s=${checkout.id}`);
    }
    expect((await stripe.getCustomer(customer.id)).id).toBe(customer.id);
    expect((await (await raw(`/checkout/sessions/${checkout.id}`)).json()).status).toBe('complete');

    const { subscriptionId, session: done } = await subscribe('STARTER');
    expect(done).toMatchObject({ status: 'complete', payment_status: 'paid', url: null, subscription: expect.stringMatching(/^sub_/) });
    const subscription = await stripe.getSubscription(subscriptionId);
    expect(subscription).toMatchObject({ status: 'active', tier: 'STARTER', priceId: 'price_starter', cancelAtPeriodEnd: false });
    expect(subscription.metadata.organizationId).toMatch(/^org_/);
    const month = subscription.currentPeriodEnd.getTime() - subscription.currentPeriodStart.getTime();
    expect(month / 86_400_000).toBeGreaterThanOrEqual(28);
    expect(month / 86_400_000).toBeLessThanOrEqual(31);

    // The webhooks reached our route, which verified and accepted each one.
    const events = [...(await deliveredEvents(subscriptionId, 1)), ...(await deliveredEvents(done.id, 1))];
    expect(events.map((r) => [r.event.type, r.deliveries[0]!.status])).toEqual([
      ['customer.subscription.created', 200],
      ['checkout.session.completed', 200],
    ]);
    const wire = await (await raw(`/subscriptions/${subscriptionId}`)).json();
    expect(wire.items.data[0].price).toMatchObject({ id: 'price_starter', lookup_key: 'starter', unit_amount: 4900 });
    const invoice = await stripe.getInvoice(wire.latest_invoice);
    expect(invoice).toMatchObject({ status: 'paid', amountPaidCents: 4900, subscriptionId, attemptCount: 1 });
    expect((await deliveredEvents(invoice.id, 1)).map((r) => r.event.type)).toEqual(['invoice.paid']);
  });

  it('changes plan, cancels at period end, resumes and cancels now, each with its event', async () => {
    const { subscriptionId } = await subscribe('STARTER');
    const pro = await stripe.changePlan(subscriptionId, 'PRO', key());
    expect(pro).toMatchObject({ tier: 'PRO', priceId: 'price_pro', status: 'active' });
    const wire = await (await raw(`/subscriptions/${subscriptionId}`)).json();
    expect(wire.items.data).toHaveLength(1);

    const ending = await stripe.cancelAtPeriodEnd(subscriptionId, key());
    expect(ending.cancelAtPeriodEnd).toBe(true);
    expect(ending.canceledAt).toBeInstanceOf(Date);
    const resumed = await stripe.resumeSubscription(subscriptionId, key());
    expect(resumed).toMatchObject({ cancelAtPeriodEnd: false, canceledAt: null, status: 'active' });

    const canceled = await stripe.cancelNow(subscriptionId, key());
    expect(canceled.status).toBe('canceled');
    expect(canceled.endedAt).toBeInstanceOf(Date);
    // Stripe says "No such subscription" to a second cancel; the adapter reads it back instead.
    expect((await stripe.cancelNow(subscriptionId, key())).status).toBe('canceled');
    expect((await raw(`/subscriptions/${subscriptionId}`, { method: 'DELETE' })).status).toBe(404);
    expect((await rejection(stripe.cancelAtPeriodEnd(subscriptionId, key()))).status).toBe(400);

    const events = await deliveredEvents(subscriptionId, 5);
    expect(events.map((r) => [r.event.type, r.deliveries[0]!.status])).toEqual([
      ['customer.subscription.created', 200],
      ['customer.subscription.updated', 200],
      ['customer.subscription.updated', 200],
      ['customer.subscription.updated', 200],
      ['customer.subscription.deleted', 200],
    ]);
    expect(events[1]!.event.data.previous_attributes).toHaveProperty('items');
    expect(events[2]!.event.data.previous_attributes).toMatchObject({ cancel_at_period_end: false });
  });

  it('opens the billing portal for a customer', async () => {
    const { customer, subscriptionId } = await subscribe('PRO');
    const portal = await stripe.createPortalSession({ customerId: customer.id, returnUrl: `${t.baseUrl}/billing` }, key());
    expect(portal.id).toMatch(/^bps_/);
    const html = await (await fetch(portal.url)).text();
    expect(html).toContain('Pro');
    expect(html).toContain(`/subscriptions/${subscriptionId}/cancel`);
    const cancel = await fetch(`${portal.url}/subscriptions/${subscriptionId}/cancel`, { method: 'POST', redirect: 'manual' });
    expect(cancel.status).toBe(303);
    expect((await stripe.getSubscription(subscriptionId)).cancelAtPeriodEnd).toBe(true);
  });
});

describe('invoices', () => {
  it('bills a one-off invoice of exactly one line: create (replayable), finalize, pay, read', async () => {
    const { customer } = await subscribe('STARTER');
    // Another pending item of the customer's (say a fee whose invoice was never made) stays out.
    const other = await raw('/invoiceitems', { form: { customer: customer.id, amount: '999', currency: 'usd', description: 'Something else' } });
    expect(other.status).toBe(200);
    const input = { customerId: customer.id, amountCents: 1230, description: 'Overage: 41 minutes', metadata: { week: '2026-W02' } };
    const oneOff = key();
    const draft = await stripe.createOneOffInvoice(input, oneOff);
    expect(draft).toMatchObject({ status: 'draft', amountDueCents: 1230, subscriptionId: null, description: 'Overage: 41 minutes', metadata: { week: '2026-W02' } });
    // A resumed job repeats the key: the same invoice, still one line.
    expect(await stripe.createOneOffInvoice(input, oneOff)).toEqual(draft);
    const lines = ((await (await raw(`/invoices/${draft.id}`)).json()) as { lines: { data: Array<{ amount: number }> } }).lines.data;
    expect(lines.map((l) => l.amount)).toEqual([1230]);
    const open = await stripe.finalizeInvoice(draft.id, key());
    expect(open.status).toBe('open');
    expect(open.hostedUrl).toBe(`${t.baseUrl}/sandbox/stripe/invoices/${draft.id}`);
    const paid = await stripe.payInvoice(draft.id, key());
    expect(paid).toMatchObject({ status: 'paid', amountPaidCents: 1230, attemptCount: 1 });
    expect(paid.paymentError).toBeUndefined();
    expect(await stripe.getInvoice(draft.id)).toEqual(paid);
    expect((await rejection(stripe.getInvoice('in_missing'))).status).toBe(404);
    expect((await deliveredEvents(draft.id, 1)).map((r) => [r.event.type, r.deliveries[0]!.status])).toEqual([['invoice.paid', 200]]);
    expect(await (await fetch(open.hostedUrl!)).text()).toContain('$12.30');
  });

  it('saves 0341 and declines every charge on it: incomplete subscription, invoice.payment_failed, a 402 on pay', async () => {
    const { customer, subscriptionId, session } = await subscribe('STARTER', '4000000000000341');
    expect(session).toMatchObject({ status: 'complete', payment_status: 'unpaid' });
    expect((await stripe.getSubscription(subscriptionId)).status).toBe('incomplete');

    const invoice = await stripe.createOneOffInvoice({ customerId: customer.id, amountCents: 600, description: 'Overage' }, key());
    await stripe.finalizeInvoice(invoice.id, key());
    const declined = await stripe.payInvoice(invoice.id, key());
    expect(declined).toMatchObject({ status: 'open', amountPaidCents: 0, attemptCount: 1, paymentError: 'Your card was declined.' });
    const events = await deliveredEvents(invoice.id, 1);
    expect(events.map((r) => [r.event.type, r.deliveries[0]!.status])).toEqual([['invoice.payment_failed', 200]]);
    const res = await raw(`/invoices/${invoice.id}/pay`, { form: {} });
    expect(res.status).toBe(402);
    expect((await res.json()).error).toMatchObject({ type: 'card_error', code: 'card_declined', decline_code: 'generic_decline' });
  });
});

describe('test cards, the portal and renewals', () => {
  const form = (url: string, card: string) =>
    fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ card }).toString() });
  const portalOf = (customerId: string) => stripe.createPortalSession({ customerId, returnUrl: `${t.baseUrl}/billing` }, key());

  it('declines 4000 0000 0000 0002 and 9995 on the Checkout page and keeps the session open for another card', async () => {
    const customer = await stripe.createCustomer({ organizationId: 'org_decline' }, key());
    const checkout = await stripe.createCheckoutSession(
      { customerId: customer.id, tier: 'PRO', organizationId: 'org_decline', successUrl: 'http://app.test/ok', cancelUrl: 'http://app.test/no' },
      key(),
    );
    for (const [card, message] of [['4000 0000 0000 0002', 'Your card was declined.'], ['4000000000009995', 'Your card has insufficient funds.']] as const) {
      const declined = await form(`${checkout.url}/pay`, card);
      expect(declined.status).toBe(402);
      const html = await declined.text();
      expect(html).toContain(`role="alert">${message}`);
      expect(html).toContain(`action="/sandbox/stripe/checkout/${checkout.id}/pay"`);
      expect(await stripe.getCheckoutSession(checkout.id)).toMatchObject({ status: 'open', paymentStatus: 'unpaid', subscriptionId: null });
    }
    expect(await (await raw(`/customers/${customer.id}`)).json()).toMatchObject({ invoice_settings: { default_payment_method: null } });
    expect((await form(`${checkout.url}/pay`, '4242424242424242')).status).toBe(303);
    expect(await stripe.getCheckoutSession(checkout.id)).toMatchObject({ status: 'complete', paymentStatus: 'paid', subscriptionId: expect.stringMatching(/^sub_/) });
  });

  it('replaces the card in the portal: a declining card is refused, a good one pays the open invoice and the subscription turns active', async () => {
    const { customer, subscriptionId } = await subscribe('STARTER', '4000000000000341');
    const firstInvoice = (await (await raw(`/subscriptions/${subscriptionId}`)).json()).latest_invoice as string;
    const portal = await portalOf(customer.id);
    expect(await (await fetch(portal.url)).text()).toContain('visa •••• 0341');

    const refused = await form(`${portal.url}/payment-method`, '4000000000000002');
    expect(refused.status).toBe(402);
    expect(await refused.text()).toContain('Your card was declined.');
    expect((await stripe.getSubscription(subscriptionId)).status).toBe('incomplete');

    const replaced = await form(`${portal.url}/payment-method`, '4242 4242 4242 4242');
    expect(replaced.status).toBe(303);
    expect(replaced.headers.get('location')).toBe(`/sandbox/stripe/portal/${portal.id}?notice=invoice-paid`);
    expect(await (await fetch(`${portal.url}?notice=invoice-paid`)).text()).toContain('visa •••• 4242');
    expect((await stripe.getSubscription(subscriptionId)).status).toBe('active');
    expect(await stripe.getInvoice(firstInvoice)).toMatchObject({ status: 'paid', attemptCount: 2, amountPaidCents: 4900 });
    const events = await deliveredEvents(firstInvoice, 2);
    expect(events.map((r) => r.event.type)).toEqual(['invoice.payment_failed', 'invoice.paid']);
    const updates = (await deliveredEvents(subscriptionId, 2)).filter((r) => r.event.type === 'customer.subscription.updated');
    expect(updates.at(-1)!.event.data.previous_attributes).toMatchObject({ status: 'incomplete' });
  });

  it('renews a period: paid on a good card, past_due on a card that fails, canceled when set to cancel', async () => {
    const { customer, subscriptionId } = await subscribe('PRO');
    const renew = async () => {
      const res = await fetch(`${sandbox}/subscriptions/${subscriptionId}/renew`, { method: 'POST' });
      expect(res.status).toBe(200);
      return stripe.getSubscription(subscriptionId);
    };
    const first = await stripe.getSubscription(subscriptionId);
    const renewed = await renew();
    expect(renewed).toMatchObject({ status: 'active', currentPeriodStart: first.currentPeriodEnd });

    const portal = await portalOf(customer.id);
    expect(replacedNotice(await form(`${portal.url}/payment-method`, '4000000000000341'))).toBe('card-saved');
    const overdue = await renew();
    expect(overdue).toMatchObject({ status: 'past_due', currentPeriodStart: renewed.currentPeriodEnd });
    const wire = await (await raw(`/subscriptions/${subscriptionId}`)).json();
    expect(await stripe.getInvoice(wire.latest_invoice)).toMatchObject({ status: 'open', attemptCount: 1, amountDueCents: 19900 });

    await stripe.cancelAtPeriodEnd(subscriptionId, key());
    expect((await renew()).status).toBe('canceled');
    expect((await fetch(`${sandbox}/subscriptions/${subscriptionId}/renew`, { method: 'POST' })).status).toBe(400);
  });

  it('sells a one-time payment (mode payment): 0341 declines at once, a paid session carries its PaymentIntent and metadata', async () => {
    const customer = await stripe.createCustomer({ organizationId: 'org_fee' }, key());
    const input = {
      customerId: customer.id,
      amountCents: 2000,
      description: 'A2P 10DLC SMS registration',
      successUrl: 'http://app.test/ok?s={CHECKOUT_SESSION_ID}',
      cancelUrl: 'http://app.test/no',
      organizationId: 'org_fee',
      metadata: { kind: 'a2p-fee' },
    };
    const checkout = await stripe.createPaymentCheckoutSession(input, key());
    expect(await (await fetch(checkout.url)).text()).toContain('Pay for A2P 10DLC SMS registration');
    expect(await stripe.getCheckoutSession(checkout.id)).toMatchObject({ mode: 'payment', status: 'open', amountTotalCents: 2000, metadata: { kind: 'a2p-fee', organizationId: 'org_fee' } });
    expect((await form(`${checkout.url}/pay`, '4000000000000341')).status).toBe(402);
    const paid = await form(`${checkout.url}/pay`, '4242424242424242');
    expect(paid.headers.get('location')).toBe(`http://app.test/ok?s=${checkout.id}`);
    const session = await (await raw(`/checkout/sessions/${checkout.id}`)).json();
    expect(session).toMatchObject({ mode: 'payment', status: 'complete', payment_status: 'paid', subscription: null, payment_intent: expect.stringMatching(/^pi_/) });
    const intent = await (await raw(`/payment_intents/${session.payment_intent}`)).json();
    expect(intent).toMatchObject({ status: 'succeeded', amount: 2000, metadata: { kind: 'a2p-fee', organizationId: 'org_fee' } });
    expect((await deliveredEvents(checkout.id, 1)).map((r) => r.event.type)).toEqual(['checkout.session.completed']);
    // A recurring price has no place in a payment, nor an ad-hoc one in a subscription.
    const mixed = await raw('/checkout/sessions', { form: { mode: 'payment', 'line_items[0][price]': 'price_pro', success_url: 'http://app.test/ok' } });
    expect(mixed.status).toBe(400);
  });

  it('expires an open session once (400 after), so it can no longer be paid', async () => {
    const customer = await stripe.createCustomer({ organizationId: 'org_exp' }, key());
    const checkout = await stripe.createCheckoutSession(
      { customerId: customer.id, tier: 'STARTER', organizationId: 'org_exp', successUrl: 'http://app.test/ok', cancelUrl: 'http://app.test/no' },
      key(),
    );
    expect(await stripe.expireCheckoutSession(checkout.id, key())).toMatchObject({ status: 'expired', url: null });
    // Expiring again is answered with the session as it is (Stripe says 400; the adapter reads it back).
    expect((await stripe.expireCheckoutSession(checkout.id, key())).status).toBe('expired');
    expect((await raw(`/checkout/sessions/${checkout.id}/expire`, { form: {} })).status).toBe(400);
    expect((await fetch(checkout.url)).status).toBe(410);
    expect((await form(`${checkout.url}/pay`, '4242424242424242')).status).toBe(410);
  });
});

/** The notice a portal card replacement redirected with. */
const replacedNotice = (res: Response) => new URL(res.headers.get('location')!, 'http://x').searchParams.get('notice');

describe('webhooks', () => {
  const post = (body: string, signature?: string) =>
    fetch(`${t.baseUrl}/api/webhooks/stripe`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(signature ? { 'stripe-signature': signature } : {}) },
      body,
    });
  const sign = (payload: string, secret = t.config.stripe.webhookSecret!, timestamp?: number) =>
    Stripe.webhooks.generateTestHeaderString({ payload, secret, timestamp });

  it('accepts what the emulator signs and rejects tampered, stale, foreign or unsigned bodies', async () => {
    const { subscriptionId } = await subscribe('PRO');
    const [created] = await deliveredEvents(subscriptionId, 1);
    const body = JSON.stringify(created!.event, null, 2);

    const event = await stripe.parseWebhookEvent(body, sign(body));
    expect(event).toMatchObject({ id: created!.event.id, type: 'customer.subscription.created', objectType: 'subscription', subscriptionId });
    expect(event.subscription).toMatchObject({ id: subscriptionId, tier: 'PRO', status: 'active' });
    expect(event.organizationId).toMatch(/^org_/);

    expect((await post(body, sign(body))).status).toBe(200);
    const tampered = body.replace('"active"', '"canceled"');
    const res = await post(tampered, sign(body));
    expect(res.status).toBe(400);
    expect(await res.json()).toEqual({ error: 'Invalid Stripe webhook signature', code: 'BAD_REQUEST' });
    expect((await post(body, sign(body, 'whsec_other'))).status).toBe(400);
    expect((await post(body, sign(body, undefined, Math.floor(Date.now() / 1000) - 301))).status).toBe(400);
    expect((await post(body)).status).toBe(400);
    await expect(stripe.parseWebhookEvent(tampered, sign(body))).rejects.toThrow(WebhookSignatureError);
  });

  it('resends a stored event on request, verified again by our route', async () => {
    const { session } = await subscribe('STARTER');
    const [completed] = await deliveredEvents(session.id, 1);
    const res = await fetch(`${sandbox}/events/${completed!.event.id}/resend`, { method: 'POST' });
    expect(await res.json()).toEqual({ id: completed!.event.id, status: 200 });
    const fetched = await (await raw(`/events/${completed!.event.id}`)).json();
    expect(fetched).toMatchObject({ object: 'event', type: 'checkout.session.completed', data: { object: { id: session.id } } });
  });
});
