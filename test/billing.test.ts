import Stripe from 'stripe';
import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp } from './helpers/app.js';
import { joinAsMember, setPlan, signedInOwner } from './helpers/factories.js';
import { organizations, subscriptions, webhookEvents } from '../src/db/schema/index.js';
import type { EventRecord } from '../src/sandbox/stripe/state.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const DAY_MS = 86_400_000;
const as = (cookie: string) => ({ cookie });
const post = (cookie: string | undefined, url: string, payload?: object) =>
  app.inject({ method: 'POST', url, headers: cookie ? as(cookie) : {}, ...(payload ? { payload } : {}) });
const get = (cookie: string, url: string) => app.inject({ method: 'GET', url, headers: as(cookie) });
const stripe = () => app.ctx.providers.stripe;

async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, what: string): Promise<T> {
  for (let i = 0; i < 200; i++) {
    const value = await read();
    if (done(value)) return value;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error(`timed out waiting for ${what}`);
}

const subscriptionRow = async (organizationId: string) =>
  (await app.ctx.db.select().from(subscriptions).where(eq(subscriptions.organizationId, organizationId)))[0];
const planOf = async (organizationId: string) =>
  (await app.ctx.db.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, organizationId)))[0]!.plan;

/** Pays a hosted Checkout page as the user would (the emulator's Pay form). */
async function pay(url: string, card = '4242424242424242') {
  const res = await fetch(`${url}/pay`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ card }).toString(),
    redirect: 'manual',
  });
  expect(res.status).toBe(303);
  return res.headers.get('location')!;
}

/** An owner whose organization paid a Checkout for `tier`; the webhooks have landed when this returns. */
async function subscribed(tier: 'STARTER' | 'ADVANCED' | 'PRO', card?: string) {
  const owner = await signedInOwner(app);
  const res = await post(owner.cookie, '/api/stripe/checkout', { planTier: tier });
  expect(res.statusCode).toBe(200);
  await pay(res.json().url, card);
  const row = (await subscriptionRow(owner.organizationId))!;
  return { owner, customerId: row.stripeCustomerId, subscriptionId: row.stripeSubscriptionId! };
}

/** A signed-in member's cookie. */
const memberOf = async (owner: Owner) => (await joinAsMember(app, owner)).cookie;

async function eventsOf(objectId: string): Promise<EventRecord[]> {
  const { data } = (await (await fetch(`${t.baseUrl}/sandbox/stripe/events?limit=1000`)).json()) as { data: EventRecord[] };
  return data.filter((r) => (r.event.data.object as { id: string }).id === objectId).reverse();
}

describe('checkout', () => {
  it('answers a hosted Checkout URL for each paid tier, with one Stripe customer per organization', async () => {
    const owner = await signedInOwner(app);
    const sessions = [];
    for (const tier of ['STARTER', 'ADVANCED', 'PRO'] as const) {
      const res = await post(owner.cookie, '/api/stripe/checkout', { planTier: tier });
      expect(res.statusCode).toBe(200);
      const { url } = res.json();
      expect(url).toMatch(new RegExp(`^${t.baseUrl}/sandbox/stripe/checkout/cs_test_\\w+$`));
      const id = url.split('/').pop();
      const session = await (
        await fetch(`${t.baseUrl}/sandbox/stripe/v1/checkout/sessions/${id}`, { headers: { authorization: `Bearer ${t.config.stripe.secretKey}` } })
      ).json();
      sessions.push(session);
      expect(session).toMatchObject({ mode: 'subscription', status: 'open', client_reference_id: owner.organizationId, amount_total: { STARTER: 4900, ADVANCED: 9900, PRO: 19900 }[tier] });
      expect(session.success_url).toBe(`${t.baseUrl}/dashboard/billing?checkout=success&session_id={CHECKOUT_SESSION_ID}`);
    }
    expect(new Set(sessions.map((s) => s.customer)).size).toBe(1);
    const customer = await stripe().getCustomer(sessions[0].customer);
    expect(customer).toMatchObject({ organizationId: owner.organizationId, email: owner.email, name: 'Acme Dental' });
    expect((await subscriptionRow(owner.organizationId))!.stripeCustomerId).toBe(customer.id);
  });

  it('refuses a downgrade (400), the plan in force (409), other tiers (400), members (403) and strangers (401)', async () => {
    const owner = await signedInOwner(app);
    await setPlan(app, owner.organizationId, 'ADVANCED');
    const downgrade = await post(owner.cookie, '/api/stripe/checkout', { planTier: 'STARTER' });
    expect(downgrade.statusCode).toBe(400);
    expect(downgrade.json().error).toMatch(/portal/);
    const same = await post(owner.cookie, '/api/stripe/checkout', { planTier: 'ADVANCED' });
    expect(same.statusCode).toBe(409);
    expect(same.json().error).toBe('You are already on the Advanced plan');
    for (const planTier of ['FREE', 'ENTERPRISE', 'pro']) expect((await post(owner.cookie, '/api/stripe/checkout', { planTier })).statusCode).toBe(400);
    expect((await post(owner.cookie, '/api/stripe/checkout', { planTier: 'PRO' })).statusCode).toBe(200);
    const member = await memberOf(owner);
    const res = await post(member, '/api/stripe/checkout', { planTier: 'PRO' });
    expect(res.statusCode).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
    expect((await post(undefined, '/api/stripe/checkout', { planTier: 'PRO' })).statusCode).toBe(401);
  });

  it('paying the Checkout page moves the organization to the plan, its cycle to the paid period', async () => {
    const owner = await signedInOwner(app);
    const { url } = (await post(owner.cookie, '/api/stripe/checkout', { planTier: 'PRO' })).json();
    const landing = await pay(url);
    expect(landing).toMatch(new RegExp(`^${t.baseUrl}/dashboard/billing\\?checkout=success&session_id=cs_test_`));

    const status = (await get(owner.cookie, '/api/subscription/status')).json();
    expect(status).toMatchObject({ plan: 'PRO', status: 'active', cancelledAt: null, effectiveAt: null, stripeSubscriptionId: expect.stringMatching(/^sub_/) });
    const sub = await stripe().getSubscription(status.stripeSubscriptionId);
    const usage = (await get(owner.cookie, '/api/usage')).json();
    expect(usage.plan).toBe('PRO');
    expect(usage.snapshot).toMatchObject({
      minutesLimit: 500,
      currentCycleStart: sub.currentPeriodStart.toISOString(),
      currentCycleEnd: sub.currentPeriodEnd.toISOString(),
    });
    expect(status.currentPeriodEnd).toBe(sub.currentPeriodEnd.toISOString());
  });

  it('an upgrade of a paying organization changes its subscription instead of starting a second one', async () => {
    const { owner, subscriptionId } = await subscribed('STARTER');
    const res = await post(owner.cookie, '/api/stripe/checkout', { planTier: 'PRO' });
    expect(res.statusCode).toBe(200);
    expect(res.json().url).toBe(`${t.baseUrl}/dashboard/billing?upgraded=PRO`);
    expect((await get(owner.cookie, '/api/subscription/status')).json()).toMatchObject({ plan: 'PRO', stripeSubscriptionId: subscriptionId });
    expect((await stripe().getSubscription(subscriptionId)).tier).toBe('PRO');
  });
});

describe('portal', () => {
  it('links to the billing portal returning to a relative path; anything else is 400', async () => {
    const { owner } = await subscribed('STARTER');
    const res = await post(owner.cookie, '/api/stripe/portal', { returnPath: '/dashboard/billing?tab=invoices' });
    expect(res.statusCode).toBe(200);
    const { url } = res.json();
    expect(url).toMatch(new RegExp(`^${t.baseUrl}/sandbox/stripe/portal/bps_`));
    expect(await (await fetch(url)).text()).toContain(`href="${t.baseUrl}/dashboard/billing?tab=invoices"`);
    const byDefault = await post(owner.cookie, '/api/stripe/portal');
    expect(byDefault.statusCode).toBe(200);
    expect(await (await fetch(byDefault.json().url)).text()).toContain(`href="${t.baseUrl}/dashboard/billing"`);

    for (const returnPath of ['//evil.example/x', 'https://evil.example/', '/\\evil.example', 'dashboard', '/\t/evil.example', 'javascript:alert(1)', '']) {
      const refused = await post(owner.cookie, '/api/stripe/portal', { returnPath });
      expect(refused.statusCode, returnPath).toBe(400);
      expect(refused.json().details?.[0]?.field, returnPath).toBe('body.returnPath');
    }
    expect((await post(await memberOf(owner), '/api/stripe/portal', { returnPath: '/x' })).statusCode).toBe(403);
  });
});

describe('subscription', () => {
  it('cancels at period end once (409 after), deletion 7 days later; reactivates before it takes effect', async () => {
    const { owner, subscriptionId } = await subscribed('PRO');
    expect((await post(owner.cookie, '/api/subscription/cancel', {})).statusCode).toBe(400);
    expect((await post(await memberOf(owner), '/api/subscription/cancel', { acknowledged: true })).statusCode).toBe(403);

    const res = await post(owner.cookie, '/api/subscription/cancel', { acknowledged: true });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const sub = await stripe().getSubscription(subscriptionId);
    expect(sub.cancelAtPeriodEnd).toBe(true);
    expect(body).toEqual({
      success: true,
      cancelledAt: expect.any(String),
      effectiveAt: sub.currentPeriodEnd.toISOString(),
      deletionAt: new Date(sub.currentPeriodEnd.getTime() + 7 * DAY_MS).toISOString(),
    });
    expect(Math.abs(Date.parse(body.cancelledAt) - app.ctx.now().getTime())).toBeLessThan(5000);
    const again = await post(owner.cookie, '/api/subscription/cancel', { acknowledged: true });
    expect(again.statusCode).toBe(409);
    expect(again.json().code).toBe('CONFLICT');

    // Until the period ends the plan stays.
    expect((await get(owner.cookie, '/api/subscription/status')).json()).toMatchObject({
      plan: 'PRO',
      status: 'active',
      cancelledAt: body.cancelledAt,
      effectiveAt: body.effectiveAt,
      deletionAt: body.deletionAt,
    });

    expect((await post(owner.cookie, '/api/subscription/reactivate', {})).json()).toEqual({ success: true });
    expect((await stripe().getSubscription(subscriptionId)).cancelAtPeriodEnd).toBe(false);
    expect((await get(owner.cookie, '/api/subscription/status')).json()).toMatchObject({ plan: 'PRO', status: 'active', cancelledAt: null, effectiveAt: null });
    expect((await post(owner.cookie, '/api/subscription/reactivate', {})).statusCode).toBe(409);
    // And it can be cancelled again.
    expect((await post(owner.cookie, '/api/subscription/cancel', { acknowledged: true })).statusCode).toBe(200);
  });

  it('answers status without a subscription, and 404 to cancel or reactivate nothing', async () => {
    const owner = await signedInOwner(app);
    expect((await get(owner.cookie, '/api/subscription/status')).json()).toEqual({
      plan: 'FREE',
      status: 'none',
      standing: 'none',
      tier: null,
      graceEndsAt: null,
      cancelledAt: null,
      effectiveAt: null,
      deletionAt: null,
      currentPeriodEnd: null,
      stripeSubscriptionId: null,
    });
    expect((await post(owner.cookie, '/api/subscription/cancel', { acknowledged: true })).statusCode).toBe(404);
    expect((await post(owner.cookie, '/api/subscription/reactivate', {})).statusCode).toBe(404);
  });

  it('follows changes made at Stripe: a cancellation in the portal, then the subscription deleted → FREE', async () => {
    const { owner, subscriptionId } = await subscribed('ADVANCED');
    const portal = (await post(owner.cookie, '/api/stripe/portal', { returnPath: '/dashboard' })).json().url;
    expect((await fetch(`${portal}/subscriptions/${subscriptionId}/cancel`, { method: 'POST', redirect: 'manual' })).status).toBe(303);
    const cancelling = await waitFor(() => subscriptionRow(owner.organizationId), (r) => r?.cancelAtPeriodEnd === true, 'the portal cancellation');
    expect(cancelling!.effectiveAt).toEqual((await stripe().getSubscription(subscriptionId)).currentPeriodEnd);
    expect((await post(owner.cookie, '/api/subscription/cancel', { acknowledged: true })).statusCode).toBe(409);

    const ended = await stripe().cancelNow(subscriptionId, `test:end:${subscriptionId}`);
    await waitFor(() => planOf(owner.organizationId), (plan) => plan === 'FREE', 'the deletion');
    const status = (await get(owner.cookie, '/api/subscription/status')).json();
    expect(status).toMatchObject({ plan: 'FREE', status: 'canceled', stripeSubscriptionId: subscriptionId, effectiveAt: ended.endedAt!.toISOString() });
    expect(status.deletionAt).toBe(new Date(ended.endedAt!.getTime() + 7 * DAY_MS).toISOString());
    expect((await post(owner.cookie, '/api/subscription/cancel', { acknowledged: true })).statusCode).toBe(409);
    expect((await post(owner.cookie, '/api/subscription/reactivate', {})).statusCode).toBe(409);
    // A new checkout is possible again.
    expect((await post(owner.cookie, '/api/stripe/checkout', { planTier: 'STARTER' })).json().url).toMatch(/\/checkout\/cs_test_/);
  });
});

describe('Stripe webhook', () => {
  const sign = (payload: string) => Stripe.webhooks.generateTestHeaderString({ payload, secret: t.config.stripe.webhookSecret! });
  const deliver = (body: string, signature = sign(body)) =>
    fetch(`${t.baseUrl}/api/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body });

  it('processes an event once: a duplicate answers 200 and changes nothing; a new event re-syncs', async () => {
    const { owner, subscriptionId } = await subscribed('STARTER');
    const [created] = await eventsOf(subscriptionId);
    expect(created!.event.type).toBe('customer.subscription.created');
    const stored = await app.ctx.db
      .select()
      .from(webhookEvents)
      .where(and(eq(webhookEvents.provider, 'stripe'), eq(webhookEvents.eventKey, created!.event.id)));
    expect(stored).toHaveLength(1);
    expect(stored[0]!.processedAt).toBeInstanceOf(Date);

    // Our state drifts (as if someone edited it); a duplicate must not touch it, a new event must.
    await app.ctx.db.update(organizations).set({ plan: 'FREE' }).where(eq(organizations.id, owner.organizationId));
    const body = JSON.stringify(created!.event, null, 2);
    for (const res of await Promise.all([deliver(body), deliver(body), deliver(body)])) expect(res.status).toBe(200);
    const resent = await (await fetch(`${t.baseUrl}/sandbox/stripe/events/${created!.event.id}/resend`, { method: 'POST' })).json();
    expect(resent.status).toBe(200);
    expect(await planOf(owner.organizationId)).toBe('FREE');

    const fresh = JSON.stringify({ ...created!.event, id: `evt_test_${Date.now()}` }, null, 2);
    expect((await deliver(fresh)).status).toBe(200);
    expect(await planOf(owner.organizationId)).toBe('STARTER');
  });

  it('refuses a bad signature with 400 and stores nothing', async () => {
    const { owner, subscriptionId } = await subscribed('STARTER');
    const [created] = await eventsOf(subscriptionId);
    const forged = { ...created!.event, id: 'evt_forged_1', data: { object: { ...created!.event.data.object, status: 'canceled' } } };
    const body = JSON.stringify(forged);
    const res = await deliver(body, sign(JSON.stringify(created!.event)));
    expect(res.status).toBe(400);
    expect((await deliver(body, 't=1,v1=00')).status).toBe(400);
    expect(await app.ctx.db.select().from(webhookEvents).where(eq(webhookEvents.eventKey, 'evt_forged_1'))).toHaveLength(0);
    expect(await planOf(owner.organizationId)).toBe('STARTER');
    // Signed, but not an event.
    for (const notEvent of ['{}', '[]', 'null', '42', '{"data":{"object":{"object":"invoice"}}}']) expect((await deliver(notEvent)).status, notEvent).toBe(400);
    // Signed, but holding what Postgres cannot store.
    const nul = JSON.stringify({ ...created!.event, id: 'evt_nul_1', data: { object: { ...created!.event.data.object, description: 'a\u0000b' } } });
    expect((await deliver(nul)).status).toBe(400);
  });

  it('ignores events about customers and organizations it does not know', async () => {
    const event = {
      id: `evt_unknown_${Date.now()}`,
      object: 'event',
      type: 'checkout.session.completed',
      created: Math.floor(Date.now() / 1000),
      data: { object: { id: 'cs_test_x', object: 'checkout.session', customer: 'cus_nobody', subscription: 'sub_nobody', client_reference_id: 'not-a-uuid', metadata: {} } },
    };
    expect((await deliver(JSON.stringify(event))).status).toBe(200);
  });
});

describe('overage switch and history', () => {
  it('lets owners and admins turn overage on for plans that include it', async () => {
    const owner = await signedInOwner(app);
    const put = (cookie: string, enabled: boolean) => app.inject({ method: 'PUT', url: '/api/billing/overage', headers: as(cookie), payload: { enabled } });
    const refused = await put(owner.cookie, true);
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('PLAN_REQUIRED');
    await setPlan(app, owner.organizationId, 'STARTER');
    expect((await put(owner.cookie, true)).json()).toEqual({ overageEnabled: true });
    expect((await get(owner.cookie, '/api/usage')).json().overageEnabled).toBe(true);
    expect((await put(await memberOf(owner), false)).statusCode).toBe(403);
    expect((await put(owner.cookie, false)).json()).toEqual({ overageEnabled: false });
  });

  it('answers the history in the reference shape for a member too', async () => {
    const owner = await signedInOwner(app);
    const member = await memberOf(owner);
    const res = await get(member, '/api/billing/history');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      records: [],
      currentOverage: { totalOverageMinutes: 0, unbilledMinutes: 0, estimatedCostCents: 0, overageEnabled: false, rateCentsPerMin: 30 },
    });
    expect((await app.inject({ method: 'GET', url: '/api/billing/history' })).statusCode).toBe(401);
  });
});
