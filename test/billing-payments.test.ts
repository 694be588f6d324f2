import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp } from './helpers/app.js';
import { setPlan, signedInOwner } from './helpers/factories.js';
import { a2pRegistrations, mailOutbox, organizations, subscriptions } from '../src/db/schema/index.js';
import { PAST_DUE_GRACE_DAYS } from '../src/domain/subscriptions.js';
import type { EventRecord } from '../src/sandbox/stripe/state.js';

/** Payments that fail and recover, as a customer meets them: Stripe's test cards through the real SDK and the emulator's pages. */

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const DAY_MS = 86_400_000;
const call = (owner: Owner, method: 'GET' | 'POST', url: string, payload?: object) =>
  app.inject({ method, url, headers: { cookie: owner.cookie }, ...(payload ? { payload } : {}) });
const status = async (owner: Owner) => (await call(owner, 'GET', '/api/subscription/status')).json();
const planOf = async (organizationId: string) =>
  (await app.ctx.db.select({ plan: organizations.plan }).from(organizations).where(eq(organizations.id, organizationId)))[0]!.plan;
const subscriptionOf = async (organizationId: string) =>
  (await app.ctx.db.select().from(subscriptions).where(eq(subscriptions.organizationId, organizationId)))[0]!;
const mailsTo = (email: string) => app.ctx.db.select().from(mailOutbox).where(eq(mailOutbox.to, email));
const cron = async (job: string) => (await app.inject({ url: `/api/cron/${job}`, headers: { authorization: 'Bearer test-cron-secret' } })).json();

/** A card typed into a hosted page's form (Checkout's Pay, the portal's Replace card). */
const submitCard = (url: string, card: string) =>
  fetch(url, { method: 'POST', redirect: 'manual', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams({ card }).toString() });

/** An owner who pressed "Upgrade" and is on the Checkout page; answers its URL and session id. */
async function atCheckout(tier: 'STARTER' | 'PRO' = 'PRO') {
  const owner = await signedInOwner(app);
  const res = await call(owner, 'POST', '/api/stripe/checkout', { planTier: tier });
  expect(res.statusCode).toBe(200);
  const url = res.json().url as string;
  return { owner, url, sessionId: url.split('/').pop()! };
}

/** The billing portal's card form, as the dashboard's "Update card" opens it. */
async function replaceCard(owner: Owner, card: string) {
  const portal = (await call(owner, 'POST', '/api/stripe/portal', { returnPath: '/dashboard' })).json().url as string;
  return submitCard(`${portal}/payment-method`, card);
}

/** What the page Checkout returns to shows: the session read back through our API. */
const returnPage = async (owner: Owner, sessionId: string) => (await call(owner, 'GET', `/api/stripe/checkout/${sessionId}`)).json();

describe('the first payment', () => {
  it('0341: the card is saved, the first charge declined: no plan, a banner, one mail; a new card pays it and the plan starts', async () => {
    const { owner, url, sessionId } = await atCheckout('PRO');
    const paid = await submitCard(`${url}/pay`, '4000 0000 0000 0341');
    expect(paid.status).toBe(303);
    expect(paid.headers.get('location')).toBe(`${t.baseUrl}/dashboard/billing?checkout=success&session_id=${sessionId}`);

    expect(await returnPage(owner, sessionId)).toEqual({ id: sessionId, purpose: 'plan', outcome: 'payment_failed', tier: 'PRO', plan: 'FREE', standing: 'incomplete' });
    expect(await status(owner)).toMatchObject({ plan: 'FREE', status: 'incomplete', standing: 'incomplete', tier: 'PRO', graceEndsAt: null });
    expect((await call(owner, 'GET', '/api/analytics')).statusCode).toBe(403);
    const [mail, ...more] = (await mailsTo(owner.email)).filter((m) => /declined|failed/.test(m.subject));
    expect(more).toHaveLength(0);
    expect(mail).toMatchObject({ subject: 'Your Pro plan has not started: the payment was declined' });
    expect(mail!.text).toContain('$199.00');
    expect(mail!.text).toContain(`${t.baseUrl}/dashboard/billing`);
    // Trying the upgrade again opens no second subscription: the card is the way out.
    const again = await call(owner, 'POST', '/api/stripe/checkout', { planTier: 'PRO' });
    expect(again.statusCode).toBe(409);
    expect(again.json().error).toMatch(/replace the card/);

    expect((await replaceCard(owner, '4000000000000002')).status).toBe(402);
    expect(await planOf(owner.organizationId)).toBe('FREE');
    expect((await replaceCard(owner, '4242424242424242')).status).toBe(303);
    expect(await status(owner)).toMatchObject({ plan: 'PRO', status: 'active', standing: 'paying' });
    expect(await returnPage(owner, sessionId)).toMatchObject({ outcome: 'paid', plan: 'PRO', standing: 'paying' });
    expect((await call(owner, 'GET', '/api/analytics')).statusCode).toBe(200);
  });

  it('0341 on an upgrade from a plan an admin set: the plan stays as it was until the new one is paid', async () => {
    const owner = await signedInOwner(app);
    await setPlan(app, owner.organizationId, 'STARTER');
    const { url } = (await call(owner, 'POST', '/api/stripe/checkout', { planTier: 'PRO' })).json();
    expect((await submitCard(`${url}/pay`, '4000000000000341')).status).toBe(303);
    expect(await status(owner)).toMatchObject({ plan: 'STARTER', status: 'incomplete', standing: 'incomplete' });
    expect((await replaceCard(owner, '4242424242424242')).status).toBe(303);
    expect(await planOf(owner.organizationId)).toBe('PRO');
  });

  it('0002: declined on the Checkout page, the session stays open and nothing changes; another card on the same page pays', async () => {
    const { owner, url, sessionId } = await atCheckout('STARTER');
    const declined = await submitCard(`${url}/pay`, '4000000000000002');
    expect(declined.status).toBe(402);
    expect(await declined.text()).toContain('Your card was declined.');
    expect(await returnPage(owner, sessionId)).toMatchObject({ outcome: 'open', plan: 'FREE', standing: null });
    expect(await status(owner)).toMatchObject({ plan: 'FREE', status: 'none', standing: 'none' });
    // Asking again answers the same open page, not a second one.
    expect((await call(owner, 'POST', '/api/stripe/checkout', { planTier: 'STARTER' })).json().url).toBe(url);

    expect((await submitCard(`${url}/pay`, '4242424242424242')).status).toBe(303);
    expect(await returnPage(owner, sessionId)).toMatchObject({ outcome: 'paid', tier: 'STARTER', plan: 'STARTER', standing: 'paying' });
    expect((await mailsTo(owner.email)).filter((m) => /declined|failed/.test(m.subject))).toHaveLength(0);
  });

  it('an upgrade to another tier expires the open Checkout, so only one can be paid; another organization’s session is a 404', async () => {
    const { owner, url, sessionId } = await atCheckout('STARTER');
    const pro = (await call(owner, 'POST', '/api/stripe/checkout', { planTier: 'PRO' })).json().url as string;
    expect(pro).not.toBe(url);
    expect((await fetch(url)).status).toBe(410);
    expect(await returnPage(owner, sessionId)).toMatchObject({ outcome: 'expired' });
    const stranger = await signedInOwner(app);
    expect((await call(stranger, 'GET', `/api/stripe/checkout/${sessionId}`)).statusCode).toBe(404);
    expect((await call(stranger, 'GET', '/api/stripe/checkout/cs_test_unknown')).statusCode).toBe(404);
    expect((await call(stranger, 'GET', '/api/stripe/checkout/not-a-session')).statusCode).toBe(400);
  });
});

describe('a renewal that fails', () => {
  it(`keeps the plan ${PAST_DUE_GRACE_DAYS} days with a banner and one mail, then falls back to free; a new card restores it`, async () => {
    const { owner, url } = await atCheckout('PRO');
    expect((await submitCard(`${url}/pay`, '4242424242424242')).status).toBe(303);
    expect((await replaceCard(owner, '4000000000000341')).status).toBe(303);
    const { stripeSubscriptionId } = await subscriptionOf(owner.organizationId);
    const renew = () => fetch(`${t.baseUrl}/sandbox/stripe/subscriptions/${stripeSubscriptionId}/renew`, { method: 'POST' });
    const fellDue = app.ctx.now().getTime();
    expect((await renew()).status).toBe(200);

    const due = await status(owner);
    expect(due).toMatchObject({ plan: 'PRO', status: 'past_due', standing: 'grace' });
    const graceEnds = new Date(due.graceEndsAt).getTime() - fellDue;
    expect(graceEnds).toBeGreaterThanOrEqual(PAST_DUE_GRACE_DAYS * DAY_MS);
    expect(graceEnds).toBeLessThan(PAST_DUE_GRACE_DAYS * DAY_MS + 60_000);
    const failed = (await mailsTo(owner.email)).filter((m) => m.subject === 'Payment failed for your Pro plan');
    expect(failed).toHaveLength(1);
    expect(failed[0]!.text).toContain(`until ${due.graceEndsAt.slice(0, 10)}`);
    // Stripe delivers the event again: no second mail.
    const events = (await (await fetch(`${t.baseUrl}/sandbox/stripe/events?type=invoice.payment_failed&limit=1000`)).json()).data as EventRecord[];
    const mine = events.find((r) => (r.event.data.object as { parent?: { subscription_details?: { subscription: string } } }).parent?.subscription_details?.subscription === stripeSubscriptionId)!;
    expect((await (await fetch(`${t.baseUrl}/sandbox/stripe/events/${mine.event.id}/resend`, { method: 'POST' })).json()).status).toBe(200);
    expect((await mailsTo(owner.email)).filter((m) => m.subject === 'Payment failed for your Pro plan')).toHaveLength(1);

    t.clock.advance(PAST_DUE_GRACE_DAYS * DAY_MS - 60 * 60_000);
    try {
      expect(await cron('subscription-grace')).toEqual({ lapsed: 0 });
      expect(await planOf(owner.organizationId)).toBe('PRO');
      t.clock.advance(2 * 60 * 60_000);
      expect((await cron('subscription-grace')).lapsed).toBeGreaterThanOrEqual(1);
      expect(await status(owner)).toMatchObject({ plan: 'FREE', status: 'past_due', standing: 'overdue' });

      expect((await replaceCard(owner, '4242424242424242')).status).toBe(303);
      expect(await status(owner)).toMatchObject({ plan: 'PRO', status: 'active', standing: 'paying', graceEndsAt: null });
      expect((await subscriptionOf(owner.organizationId)).pastDueSince).toBeNull();
    } finally {
      t.clock.advance(-(PAST_DUE_GRACE_DAYS * DAY_MS + 60 * 60_000));
    }
  });
});

describe('the A2P fee through Checkout', () => {
  it('is paid once through a payment Checkout by a Pro organization whose plan an admin set (no subscription)', async () => {
    const owner = await signedInOwner(app, { organizationName: 'Harbor Dental' });
    await setPlan(app, owner.organizationId, 'PRO');
    const registration = {
      businessInfo: { businessName: 'Harbor Dental LLC', businessType: 'SOLE_PROPRIETOR' },
      representativeInfo: { firstName: 'Maya', lastName: 'Chen', email: 'maya@harbor.example', phone: '+15105550177' },
      campaignInfo: { useCase: 'CUSTOMER_CARE', sampleMessages: ['Your cleaning is tomorrow at 10am. Reply STOP to opt out.'] },
    };
    const res = await call(owner, 'POST', '/api/a2p/checkout', registration);
    expect(res.statusCode).toBe(200);
    const { url } = res.json();
    expect(url).toMatch(new RegExp(`^${t.baseUrl}/sandbox/stripe/checkout/cs_test_`));
    const sessionId = url.split('/').pop();
    const session = await app.ctx.providers.stripe.getCheckoutSession(sessionId);
    expect(session).toMatchObject({ mode: 'payment', amountTotalCents: 2000, organizationId: owner.organizationId, metadata: { kind: 'a2p-fee' } });
    // The same request again answers the same page.
    expect((await call(owner, 'POST', '/api/a2p/checkout', registration)).json().url).toBe(url);

    // In payment mode nothing is saved first: 0341 declines like any other.
    expect((await submitCard(`${url}/pay`, '4000000000000341')).status).toBe(402);
    expect((await call(owner, 'GET', '/api/a2p/status')).json()).toMatchObject({ paid: false });
    const paid = await submitCard(`${url}/pay`, '4242424242424242');
    expect(paid.headers.get('location')).toBe(`${t.baseUrl}/dashboard/phone?checkout=success&session_id=${sessionId}#a2p`);
    expect((await call(owner, 'GET', '/api/a2p/status')).json()).toMatchObject({ status: 'NOT_STARTED', paid: true, businessInfo: { businessName: 'Harbor Dental LLC' } });
    const [first] = await app.ctx.db.select().from(a2pRegistrations).where(eq(a2pRegistrations.organizationId, owner.organizationId));
    expect(first).toMatchObject({ checkoutSessionId: sessionId });

    // checkout.session.completed again, and the return page: the fee stays paid once.
    const completed = ((await (await fetch(`${t.baseUrl}/sandbox/stripe/events?type=checkout.session.completed&limit=1000`)).json()).data as EventRecord[]).find(
      (r) => (r.event.data.object as { id: string }).id === sessionId,
    )!;
    expect((await (await fetch(`${t.baseUrl}/sandbox/stripe/events/${completed.event.id}/resend`, { method: 'POST' })).json()).status).toBe(200);
    expect(await returnPage(owner, sessionId)).toMatchObject({ purpose: 'a2p-fee', outcome: 'paid', tier: null, plan: 'PRO', standing: null });
    const [after] = await app.ctx.db.select().from(a2pRegistrations).where(eq(a2pRegistrations.organizationId, owner.organizationId));
    expect(after!.paidAt).toEqual(first!.paidAt);
    expect((await call(owner, 'POST', '/api/a2p/checkout', registration)).json().url).toBe(`${t.baseUrl}/dashboard/phone#a2p`);
    expect(await status(owner)).toMatchObject({ plan: 'PRO', status: 'none' });
  });
});
