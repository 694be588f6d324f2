import Stripe from 'stripe';
import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp } from './helpers/app.js';
import { signedInOwner } from './helpers/factories.js';
import { organizations, subscriptions } from '../src/db/schema/index.js';
import type { EventRecord } from '../src/sandbox/stripe/state.js';

/**
 * Stripe may deliver events late, twice and in any order. Here APP_URL points at a closed
 * port, so the emulator's own deliveries fail (as during an outage) and each test delivers
 * the stored, signed events itself, in the order it chooses.
 */
let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
const DEAD_APP_URL = 'http://127.0.0.1:9';
beforeAll(async () => {
  t = await buildListeningApp({ env: { APP_URL: DEAD_APP_URL } });
  app = t.app;
});
afterAll(() => t.close());

const stripe = () => app.ctx.providers.stripe;
let keys = 0;
const key = () => `test:webhooks:${++keys}:${Date.now()}`;

/** Every stored event about one of `objectIds`, oldest first. */
async function eventsAbout(...objectIds: string[]): Promise<EventRecord['event'][]> {
  const { data } = (await (await fetch(`${t.baseUrl}/sandbox/stripe/events?limit=1000`)).json()) as { data: EventRecord[] };
  return data
    .filter((r) => objectIds.includes((r.event.data.object as { id: string }).id))
    .map((r) => r.event)
    .reverse();
}

/** Delivers one event as Stripe would: the JSON body, signed. */
async function deliver(event: EventRecord['event']) {
  const payload = JSON.stringify(event, null, 2);
  const signature = Stripe.webhooks.generateTestHeaderString({ payload, secret: t.config.stripe.webhookSecret! });
  const res = await fetch(`${t.baseUrl}/api/webhooks/stripe`, { method: 'POST', headers: { 'content-type': 'application/json', 'stripe-signature': signature }, body: payload });
  expect(res.status).toBe(200);
}

async function state(organizationId: string) {
  const [org] = await app.ctx.db.select().from(organizations).where(eq(organizations.id, organizationId));
  const [sub] = await app.ctx.db.select().from(subscriptions).where(eq(subscriptions.organizationId, organizationId));
  return { plan: org!.plan, cycleStart: org!.cycleStart, status: sub?.status ?? null, subscriptionId: sub?.stripeSubscriptionId ?? null };
}

/** Checkout through our endpoint, paid on the (emulated) hosted page; no webhook reaches us. */
async function checkout(cookie: string, tier: 'STARTER' | 'PRO') {
  const res = await app.inject({ method: 'POST', url: '/api/stripe/checkout', headers: { cookie }, payload: { planTier: tier } });
  expect(res.statusCode).toBe(200);
  const url = (res.json().url as string).replace(DEAD_APP_URL, t.baseUrl);
  const paid = await fetch(`${url}/pay`, { method: 'POST', redirect: 'manual' });
  expect(paid.status).toBe(303);
  const sessionId = url.split('/').pop()!;
  const session = await (await fetch(`${t.baseUrl}/sandbox/stripe/v1/checkout/sessions/${sessionId}`, { headers: { authorization: `Bearer ${t.config.stripe.secretKey}` } })).json();
  return { sessionId, subscriptionId: session.subscription as string };
}

describe('out-of-order Stripe events', () => {
  it('updated before created: the plan is the subscription’s current one (PRO), not the last event’s', async () => {
    const owner = await signedInOwner(app);
    const { sessionId, subscriptionId } = await checkout(owner.cookie, 'STARTER');
    await stripe().changePlan(subscriptionId, 'PRO', key());
    expect((await state(owner.organizationId)).plan).toBe('FREE'); // nothing delivered yet

    const events = await eventsAbout(subscriptionId, sessionId);
    const byType = (type: string) => events.find((e) => e.type === type)!;
    expect(events.map((e) => e.type)).toEqual(['customer.subscription.created', 'checkout.session.completed', 'customer.subscription.updated']);
    expect(byType('customer.subscription.created').data.object).toMatchObject({ items: { data: [{ price: { lookup_key: 'starter' } }] } });

    await deliver(byType('customer.subscription.updated'));
    expect(await state(owner.organizationId)).toMatchObject({ plan: 'PRO', status: 'active', subscriptionId });
    await deliver(byType('customer.subscription.created')); // says STARTER: stale
    await deliver(byType('checkout.session.completed'));
    const sub = await stripe().getSubscription(subscriptionId);
    expect(await state(owner.organizationId)).toEqual({ plan: 'PRO', status: 'active', subscriptionId, cycleStart: sub.currentPeriodStart });
  });

  it('deleted before updated: the organization ends on FREE whatever arrives after', async () => {
    const owner = await signedInOwner(app);
    const { sessionId, subscriptionId } = await checkout(owner.cookie, 'STARTER');
    await stripe().changePlan(subscriptionId, 'PRO', key());
    await stripe().cancelNow(subscriptionId, key());
    const events = await eventsAbout(subscriptionId, sessionId);
    expect(events.map((e) => e.type)).toEqual([
      'customer.subscription.created',
      'checkout.session.completed',
      'customer.subscription.updated',
      'customer.subscription.deleted',
    ]);
    for (const event of [...events].reverse()) await deliver(event);
    expect(await state(owner.organizationId)).toMatchObject({ plan: 'FREE', status: 'canceled', subscriptionId });
    // Every event again, in order and shuffled: duplicates, nothing changes.
    for (const event of events) await deliver(event);
    for (const event of [events[2]!, events[0]!, events[3]!, events[1]!]) await deliver({ ...event, id: `${event.id}_retry` });
    expect(await state(owner.organizationId)).toMatchObject({ plan: 'FREE', status: 'canceled', subscriptionId });
  });

  it('a late event about an ended subscription does not end the one that replaced it', async () => {
    const owner = await signedInOwner(app);
    const first = await checkout(owner.cookie, 'STARTER');
    await stripe().cancelNow(first.subscriptionId, key());
    const second = await checkout(owner.cookie, 'PRO');
    const newer = await eventsAbout(second.subscriptionId, second.sessionId);
    const older = await eventsAbout(first.subscriptionId, first.sessionId);
    for (const event of newer) await deliver(event);
    expect(await state(owner.organizationId)).toMatchObject({ plan: 'PRO', subscriptionId: second.subscriptionId });
    for (const event of older) await deliver(event);
    expect(await state(owner.organizationId)).toMatchObject({ plan: 'PRO', status: 'active', subscriptionId: second.subscriptionId });
  });
});

describe('which organization an event is about', () => {
  type SubscriptionObject = { id: string; customer: string; metadata: Record<string, string> };
  const about = (event: EventRecord['event'], object: Partial<SubscriptionObject>, id: string) => ({
    ...event,
    id,
    data: { ...event.data, object: { ...(event.data.object as SubscriptionObject), ...object } },
  });

  it('the subscription id wins over a customer id that belongs to another organization', async () => {
    // The other organization links first, so its row is the first a lookup by either id finds.
    const other = await signedInOwner(app);
    const otherCheckout = await checkout(other.cookie, 'STARTER');
    for (const event of await eventsAbout(otherCheckout.subscriptionId, otherCheckout.sessionId)) await deliver(event);
    const owner = await signedInOwner(app);
    const { sessionId, subscriptionId } = await checkout(owner.cookie, 'PRO');
    const events = await eventsAbout(subscriptionId, sessionId);
    for (const event of events) await deliver(event);
    const created = events.find((e) => e.type === 'customer.subscription.created');
    const otherCustomer = (await stripe().getSubscription(otherCheckout.subscriptionId)).customerId;

    // The event is only a cue: what Stripe holds now (a downgrade) is re-read and applied to its organization.
    await stripe().changePlan(subscriptionId, 'STARTER', key());
    await deliver(about(created!, { customer: otherCustomer }, `${created!.id}_mixed`));
    expect(await state(owner.organizationId)).toMatchObject({ plan: 'STARTER', subscriptionId });
    expect(await state(other.organizationId)).toMatchObject({ plan: 'STARTER', subscriptionId: otherCheckout.subscriptionId });
  });

  it('a subscription whose metadata names no organization is found by its customer, linked at checkout', async () => {
    const owner = await signedInOwner(app);
    const { sessionId, subscriptionId } = await checkout(owner.cookie, 'STARTER');
    const created = (await eventsAbout(subscriptionId, sessionId)).find((e) => e.type === 'customer.subscription.created');
    await deliver(about(created!, { metadata: {} }, `${created!.id}_no_metadata`));
    expect(await state(owner.organizationId)).toMatchObject({ plan: 'STARTER', subscriptionId });
  });

  it('an unknown subscription whose metadata names no organization of ours (not a uuid, or no such row) changes nothing', async () => {
    const owner = await signedInOwner(app);
    const { sessionId, subscriptionId } = await checkout(owner.cookie, 'STARTER');
    const [created] = (await eventsAbout(subscriptionId, sessionId)).filter((e) => e.type === 'customer.subscription.created');
    for (const organizationId of ['not-a-uuid', '00000000-0000-4000-8000-000000000000']) {
      await deliver(about(created!, { id: 'sub_unknown', customer: 'cus_unknown', metadata: { organizationId } }, `${created!.id}_${organizationId}`));
    }
    expect(await state(owner.organizationId)).toMatchObject({ plan: 'FREE', subscriptionId: null });
  });
});
