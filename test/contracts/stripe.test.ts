import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildListeningApp } from '../helpers/app.js';
import { explain, loadContract, shape, stripeValidators, tapOn, type StripeContract } from './contract.js';
import { STRIPE_OPERATIONS } from './operations.js';

/**
 * Our Stripe client and the Stripe emulator held to Stripe's contract: each object the emulator
 * answers or sends in an event has every field the stripe package's types mark always present
 * (null only where they allow it); each form our client posts names only parameters of that
 * operation. (spec3.json is over the mirror's file-size limit: see README, Tests.)
 */
const contract = loadContract<StripeContract>('stripe');

describe.skipIf(!contract)(`Stripe contract (${contract?.source.types.package}, ${contract?.source.repo}@${contract?.source.commit.slice(0, 12)})`, () => {
  let t: Awaited<ReturnType<typeof buildListeningApp>>;
  let tap: ReturnType<typeof tapOn>;
  let n = 0;
  const key = () => `contract:${++n}:${Date.now()}`;
  const pay = (url: string, card: string) =>
    fetch(`${url}/pay`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ card }).toString(), redirect: 'manual' });

  beforeAll(async () => {
    t = await buildListeningApp();
    tap = tapOn();
    const stripe = t.app.ctx.providers.stripe;
    const customer = await stripe.createCustomer({ organizationId: 'org_contract', email: 'owner@acme.test', name: 'Acme' }, key());
    await stripe.getCustomer(customer.id);
    const urls = { successUrl: `${t.baseUrl}/billing/success?session_id={CHECKOUT_SESSION_ID}`, cancelUrl: `${t.baseUrl}/billing` };
    const checkout = await stripe.createCheckoutSession({ customerId: customer.id, tier: 'STARTER', organizationId: 'org_contract', ...urls, metadata: { plan: 'STARTER' } }, key());
    expect((await pay(checkout.url, '4242424242424242')).status).toBe(303);
    const session = await stripe.getCheckoutSession(checkout.id);
    const subscriptionId = session.subscriptionId!;
    await stripe.getSubscription(subscriptionId);
    await stripe.changePlan(subscriptionId, 'PRO', key());
    await stripe.cancelAtPeriodEnd(subscriptionId, key());
    await stripe.resumeSubscription(subscriptionId, key());
    const fee = await stripe.createPaymentCheckoutSession({ customerId: customer.id, amountCents: 2000, description: 'A2P fee', organizationId: 'org_contract', ...urls, metadata: { kind: 'a2p-fee' } }, key());
    expect((await pay(fee.url, '4242424242424242')).status).toBe(303);
    const abandoned = await stripe.createPaymentCheckoutSession({ customerId: customer.id, amountCents: 2000, description: 'A2P fee', organizationId: 'org_contract', ...urls, metadata: {} }, key());
    await stripe.expireCheckoutSession(abandoned.id, key());
    await stripe.createPortalSession({ customerId: customer.id, returnUrl: `${t.baseUrl}/billing` }, key());
    const invoice = await stripe.createOneOffInvoice({ customerId: customer.id, amountCents: 600, description: 'Overage' }, key());
    await stripe.finalizeInvoice(invoice.id, key());
    await stripe.payInvoice(invoice.id, key());
    await stripe.getInvoice(invoice.id);
    await stripe.cancelNow(subscriptionId, key());
    await t.app.close(); // delivers the events still queued
    tap.off();
  });
  afterAll(() => t?.close());

  it('every form our client posted and every object the emulator answered match Stripe', () => {
    const v = stripeValidators(contract!);
    const byShape = new Map(STRIPE_OPERATIONS.map((o) => [`${o.method.toUpperCase()} ${shape(o.path)}`, o]));
    const mismatches: string[] = [];
    const seen = new Set<string>();
    for (const e of tap.api('stripe')) {
      const op = byShape.get(`${e.method} ${shape(e.route.replace(/^\/sandbox\/stripe/, ''))}`);
      if (!op) {
        mismatches.push(`${e.method} ${e.route}: not a listed operation`);
        continue;
      }
      if (e.status >= 300) continue;
      const name = `${op.method.toUpperCase()} ${op.path}`;
      seen.add(name);
      const params = v.params(name);
      if (e.request && !params(e.request)) mismatches.push(...explain(params.errors).map((l) => `${name} request: ${l}`));
      const answer = v.object(op.object);
      if (!answer(e.response)) mismatches.push(...explain(answer.errors).map((l) => `${name} response: ${l}`));
    }
    expect(mismatches).toEqual([]);
    expect(STRIPE_OPERATIONS.map((o) => `${o.method.toUpperCase()} ${o.path}`).filter((op) => !seen.has(op)), 'listed operations never exercised').toEqual([]);
  });

  it('every event the emulator sent, and the object inside it, match Stripe', () => {
    const v = stripeValidators(contract!);
    const events = tap.messages('stripe');
    expect(events.length).toBeGreaterThan(5);
    const mismatches = events.flatMap(({ name, body }) => {
      const event = body as { data: { object: { object: string } } };
      const check = v.object('event');
      const kind = event.data.object.object;
      const inner = contract!.objects[kind] ? v.object(kind) : undefined;
      return [
        ...(check(event) ? [] : explain(check.errors).map((l) => `${name}: ${l}`)),
        ...(!inner ? [`${name}: no contract for a ${kind} (add it to STRIPE_OBJECTS)`] : inner(event.data.object) ? [] : explain(inner.errors).map((l) => `${name} data.object: ${l}`)),
      ];
    });
    expect(mismatches).toEqual([]);
  });
});
