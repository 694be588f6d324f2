import { and, eq, sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp } from './helpers/app.js';
import { ownerWithAssistant, signedInOwner } from './helpers/factories.js';
import { sandboxResources, subscriptions } from '../src/db/schema/index.js';

/**
 * The billing flows that must happen once per intent, each hit by 20 identical requests at
 * the same moment: one effect at Stripe or Twilio, and for the others the same answer or a
 * 409. Run on Postgres too (TEST_DATABASE_URL), where requests truly run in parallel.
 */

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const N = 20;
const call = (owner: Owner, url: string, payload: object = {}) => app.inject({ method: 'POST', url, headers: { cookie: owner.cookie }, payload });
const burst = (send: () => ReturnType<typeof call>) => Promise.all(Array.from({ length: N }, send));
const statuses = (answers: Array<{ statusCode: number }>) => answers.map((a) => a.statusCode).sort();
const cron = (job: string) => app.inject({ url: `/api/cron/${job}`, headers: { authorization: 'Bearer test-cron-secret' } });
const customerOf = async (organizationId: string) =>
  (await app.ctx.db.select().from(subscriptions).where(eq(subscriptions.organizationId, organizationId)))[0]!.stripeCustomerId;

/** How many documents of a kind an emulator holds for an owner, or whose `field` is `value`. */
async function emulated(service: string, kind: string, where: { owner: string } | { field: string; value: string }) {
  const [row] = await app.ctx.db
    .select({ n: sql<number>`count(*)::int` })
    .from(sandboxResources)
    .where(
      and(
        eq(sandboxResources.service, service),
        eq(sandboxResources.kind, kind),
        'owner' in where ? eq(sandboxResources.owner, where.owner) : sql`${sandboxResources.data} ->> ${where.field} = ${where.value}`,
      ),
    );
  return row!.n;
}

/** Stripe events about one object of one type (a subscription's updates, say). */
async function stripeEvents(objectId: string, type: string) {
  const rows = await app.ctx.db
    .select({ data: sandboxResources.data })
    .from(sandboxResources)
    .where(
      and(
        eq(sandboxResources.service, 'stripe'),
        eq(sandboxResources.kind, 'event'),
        sql`${sandboxResources.data} -> 'event' ->> 'type' = ${type}`,
        sql`${sandboxResources.data} -> 'event' -> 'data' -> 'object' ->> 'id' = ${objectId}`,
      ),
    );
  return rows.map((r) => (r.data as { event: { data: { previous_attributes?: Record<string, unknown> } } }).event);
}

const pay = (url: string) => fetch(`${url}/pay`, { method: 'POST', redirect: 'manual' });

async function subscribedOwner(tier: 'STARTER' | 'PRO') {
  const owner = await signedInOwner(app);
  const { url } = (await call(owner, '/api/stripe/checkout', { planTier: tier })).json();
  expect((await pay(url)).status).toBe(303);
  const [row] = await app.ctx.db.select().from(subscriptions).where(eq(subscriptions.organizationId, owner.organizationId));
  return { owner, subscriptionId: row!.stripeSubscriptionId! };
}

const registration = (businessName: string) => ({
  businessInfo: { businessName, businessType: 'SOLE_PROPRIETOR' },
  representativeInfo: { firstName: 'Jane', lastName: 'Smith', email: 'jane@acme.example', phone: '+15551234567' },
  campaignInfo: { useCase: 'CUSTOMER_CARE', sampleMessages: ['Your appointment is tomorrow at 2pm. Reply STOP to opt out.'] },
});

describe(`${N} identical requests at once make one effect`, () => {
  it('plan checkout: one Checkout Session, its URL for every request', async () => {
    const owner = await signedInOwner(app);
    const answers = await burst(() => call(owner, '/api/stripe/checkout', { planTier: 'PRO' }));
    expect(statuses(answers)).toEqual(Array(N).fill(200));
    expect(new Set(answers.map((a) => a.json().url)).size).toBe(1);
    expect(await emulated('stripe', 'checkout_session', { owner: await customerOf(owner.organizationId) })).toBe(1);
    expect(await emulated('stripe', 'customer', { field: 'email', value: owner.email })).toBe(1);
  });

  it('plan change: one subscription update at Stripe, then 409 for the plan already in force', async () => {
    const { owner, subscriptionId } = await subscribedOwner('STARTER');
    const answers = await burst(() => call(owner, '/api/stripe/checkout', { planTier: 'PRO' }));
    expect(statuses(answers)).toEqual([200, ...Array(N - 1).fill(409)]);
    const itemChanges = (await stripeEvents(subscriptionId, 'customer.subscription.updated')).filter((e) => e.data.previous_attributes?.items);
    expect(itemChanges).toHaveLength(1);
  });

  it('reactivation: one resume at Stripe, then 409 (not cancelled)', async () => {
    const { owner, subscriptionId } = await subscribedOwner('STARTER');
    expect((await call(owner, '/api/subscription/cancel', { acknowledged: true })).statusCode).toBe(200);
    const answers = await burst(() => call(owner, '/api/subscription/reactivate'));
    expect(statuses(answers)).toEqual([200, ...Array(N - 1).fill(409)]);
    const resumes = (await stripeEvents(subscriptionId, 'customer.subscription.updated')).filter((e) => e.data.previous_attributes?.cancel_at_period_end === true);
    expect(resumes).toHaveLength(1);
  });

  it('A2P fee checkout: one payment Checkout Session, its URL for every request', async () => {
    const { owner } = await ownerWithAssistant(app, { plan: 'PRO' });
    const answers = await burst(() => call(owner, '/api/a2p/checkout', registration('Once Dental')));
    expect(statuses(answers)).toEqual(Array(N).fill(200));
    expect(new Set(answers.map((a) => a.json().url)).size).toBe(1);
    expect(await emulated('stripe', 'checkout_session', { owner: await customerOf(owner.organizationId) })).toBe(1);
  });

  it('A2P brand and campaign: one registration at Twilio each, then 409', async () => {
    const { owner } = await ownerWithAssistant(app, { plan: 'PRO' });
    expect((await call(owner, '/api/phone-numbers', { areaCode: '415' })).statusCode).toBeLessThan(300);
    const { url } = (await call(owner, '/api/a2p/checkout', registration('Twice Shy Dental'))).json();
    expect((await pay(url)).status).toBe(303);

    const brands = await burst(() => call(owner, '/api/a2p/initiate'));
    expect(statuses(brands)).toEqual([200, ...Array(N - 1).fill(409)]);
    expect(await emulated('twilio', 'customer_profile', { field: 'friendly_name', value: 'Twice Shy Dental' })).toBe(1);

    expect((await cron('a2p-status')).statusCode).toBe(200);
    const { status, messagingServiceSid } = (await app.inject({ url: '/api/a2p/status', headers: { cookie: owner.cookie } })).json();
    expect(status).toBe('BRAND_APPROVED');
    const campaigns = await burst(() => call(owner, '/api/a2p/campaign', { campaignInfo: registration('x').campaignInfo }));
    expect(statuses(campaigns)).toEqual([200, ...Array(N - 1).fill(409)]);
    expect(await emulated('twilio', 'usa2p', { field: 'messaging_service_sid', value: messagingServiceSid })).toBe(1);
  });
});
