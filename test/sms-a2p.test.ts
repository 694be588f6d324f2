import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHmac } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { buildListeningApp } from './helpers/app.js';
import { setPlan, signedInOwner, ownerWithAssistant } from './helpers/factories.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const call = (owner: Owner, method: 'GET' | 'POST', url: string, payload?: object) =>
  app.inject({ method, url, payload, headers: { cookie: owner.cookie } });
const cron = (job: string) => app.inject({ url: `/api/cron/${job}`, headers: { authorization: 'Bearer test-cron-secret' } });

/** Twilio's documented algorithm, written out independently: base64(HMAC-SHA1(token, url + sorted name+value)). */
function twilioSignature(url: string, params: Record<string, string>, token = 'test-twilio-auth-token') {
  const data = url + Object.keys(params).sort().map((k) => k + params[k]).join('');
  return createHmac('sha1', token).update(Buffer.from(data, 'utf-8')).digest('base64');
}
const postTwilio = (path: string, params: Record<string, string>, signature = twilioSignature(`${t.baseUrl}${path}`, params)) =>
  app.inject({
    method: 'POST',
    url: path,
    headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': signature },
    payload: new URLSearchParams(params).toString(),
  });

/** A Pro owner (the plan set by an admin: no Stripe subscription) with an assistant and a number. */
async function proOwnerWithNumber(businessName = 'Acme Dental') {
  const { owner } = await ownerWithAssistant(app, { plan: 'PRO', organizationName: businessName });
  const number = (await call(owner, 'POST', '/api/phone-numbers', { areaCode: '415' })).json().phoneNumber as string;
  return { owner, number };
}

/** Sends the registration and pays its fee on the Checkout page it answers; the webhook has landed when this returns. */
async function payFee(owner: Owner, businessName: string, card = '4242424242424242') {
  const res = await call(owner, 'POST', '/api/a2p/checkout', registration(businessName));
  expect(res.statusCode).toBe(200);
  const { url } = res.json() as { url: string };
  const paid = await fetch(`${url}/pay`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({ card }).toString(),
  });
  return { url, paid };
}

const registration = (businessName: string) => ({
  businessInfo: { businessName, businessType: 'STANDARD', ein: '12-3456789' },
  representativeInfo: { firstName: 'Jane', lastName: 'Smith', email: 'jane@acme.example', phone: '+15551234567' },
  campaignInfo: { useCase: 'appointment_reminders', sampleMessages: ['Your appointment is tomorrow at 2pm. Reply STOP to opt out.'] },
});

describe('A2P registration and SMS', () => {
  it('walks the state machine to CAMPAIGN_APPROVED, then sends SMS whose callbacks arrive forward-only', async () => {
    const { owner, number } = await proOwnerWithNumber();
    expect((await call(owner, 'GET', '/api/a2p/status')).json()).toMatchObject({ status: 'NOT_STARTED', paid: false, hasSmsSubscription: true });
    const refused = await call(owner, 'POST', '/api/sms/send', { to: '+15559876543', body: 'Hi' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatch(/A2P campaign \(status: NOT_STARTED\)/);
    expect((await call(owner, 'POST', '/api/a2p/initiate', {})).statusCode).toBe(402);

    const { url, paid } = await payFee(owner, 'Acme Dental');
    expect(url).toMatch(new RegExp(`^${t.baseUrl}/sandbox/stripe/checkout/cs_test_`));
    expect(paid.status).toBe(303);
    expect((await call(owner, 'POST', '/api/a2p/campaign', { campaignInfo: registration('x').campaignInfo })).statusCode).toBe(409);
    expect((await call(owner, 'POST', '/api/a2p/initiate', {})).json()).toEqual({ success: true, status: 'BRAND_PENDING' });
    expect((await call(owner, 'POST', '/api/a2p/initiate', {})).statusCode).toBe(409);

    expect((await cron('a2p-status')).json()).toMatchObject({ updated: expect.any(Number) });
    expect((await call(owner, 'GET', '/api/a2p/status')).json().status).toBe('BRAND_APPROVED');
    const campaign = await call(owner, 'POST', '/api/a2p/campaign', { campaignInfo: registration('x').campaignInfo });
    expect(campaign.json()).toMatchObject({ success: true, status: 'CAMPAIGN_PENDING', campaignSid: expect.stringMatching(/^QE/) });
    await cron('a2p-status');
    expect((await call(owner, 'GET', '/api/a2p/status')).json()).toMatchObject({ status: 'CAMPAIGN_APPROVED', paid: true, messagingServiceSid: expect.stringMatching(/^MG/) });

    const sent = await call(owner, 'POST', '/api/sms/send', { to: '+15559876543', body: 'Your appointment is confirmed for tomorrow at 2pm.' });
    expect(sent.statusCode).toBe(200);
    const sid = sent.json().messageSid as string;
    // The emulator's callbacks (queued → sent → delivered) arrive signed; then a late "sent" must not win.
    for (let i = 0; i < 50; i++) {
      const logs = (await call(owner, 'GET', '/api/sms/logs?direction=OUTBOUND')).json().logs;
      if (logs[0]?.status === 'delivered') break;
      await new Promise((r) => setTimeout(r, 50));
    }
    expect((await postTwilio('/api/webhooks/twilio/sms-status', { MessageSid: sid, MessageStatus: 'sent' })).statusCode).toBe(200);
    const logs = (await call(owner, 'GET', '/api/sms/logs')).json();
    expect(logs.logs[0]).toMatchObject({ direction: 'OUTBOUND', from: number, to: '+15559876543', status: 'delivered' });
    expect(logs.pagination).toEqual({ page: 1, limit: 20, total: 1, totalPages: 1 });
    expect((await call(owner, 'GET', '/api/a2p/status')).json().smsUsed).toBe(1);
  });

  it('records a failed brand and lets it be retried', async () => {
    const { owner } = await proOwnerWithNumber('FAIL Brands Inc');
    await payFee(owner, 'FAIL Brands Inc');
    await call(owner, 'POST', '/api/a2p/initiate', {});
    await cron('a2p-status');
    expect((await call(owner, 'GET', '/api/a2p/status')).json().status).toBe('BRAND_FAILED');
    expect((await call(owner, 'POST', '/api/a2p/initiate', {})).json().status).toBe('BRAND_PENDING');
  });

  it('validates registration details and SMS input, and gates by plan', async () => {
    const { owner } = await proOwnerWithNumber();
    const noEin = registration('Acme');
    delete (noEin.businessInfo as { ein?: string }).ein;
    expect((await call(owner, 'POST', '/api/a2p/checkout', noEin)).statusCode).toBe(400);
    expect((await call(owner, 'POST', '/api/a2p/checkout', { ...registration('Acme'), businessInfo: { businessName: 'Acme', businessType: 'STANDARD', ein: '123' } })).statusCode).toBe(400);
    expect((await call(owner, 'POST', '/api/sms/send', { to: '555', body: 'x' })).statusCode).toBe(400);
    expect((await call(owner, 'POST', '/api/sms/send', { to: '+15559876543', body: 'x'.repeat(1601) })).statusCode).toBe(400);
    expect((await call(owner, 'GET', '/api/sms/logs?limit=500')).json().pagination.limit).toBe(100);
    await setPlan(app, owner.organizationId, 'ADVANCED');
    expect((await call(owner, 'POST', '/api/sms/send', { to: '+15559876543', body: 'Hi' })).statusCode).toBe(403);
    expect((await call(owner, 'POST', '/api/a2p/checkout', registration('Acme'))).statusCode).toBe(403);
  });
});

describe('Twilio webhooks', () => {
  it('logs an inbound SMS once, for the number it was sent to', async () => {
    const { owner, number } = await proOwnerWithNumber();
    const sim = await app.inject({ method: 'POST', url: '/sandbox/twilio/simulate-inbound-sms', payload: { from: '+15557654321', to: number, body: 'Do you take walk-ins?' } });
    expect(sim.statusCode).toBe(200);
    const params = { MessageSid: 'SMdeadbeef00000000000000000000beef', AccountSid: t.config.twilio.accountSid!, From: '+15557654321', To: number, Body: 'Again?', NumMedia: '0', NumSegments: '1' };
    const first = await postTwilio('/api/webhooks/twilio/sms-inbound', params);
    expect(first.statusCode).toBe(200);
    expect(first.headers['content-type']).toMatch(/text\/xml/);
    expect(first.body).toContain('<Response');
    await postTwilio('/api/webhooks/twilio/sms-inbound', params);
    const logs = (await call(owner, 'GET', '/api/sms/logs?direction=INBOUND')).json().logs;
    expect(logs.map((l: { body: string }) => l.body).sort()).toEqual(['Again?', 'Do you take walk-ins?']);
    // Newest first, two a page: the second page holds the oldest of three.
    await postTwilio('/api/webhooks/twilio/sms-inbound', { ...params, MessageSid: 'SMdeadbeef00000000000000000000bee2', Body: 'Third' });
    const all = (await call(owner, 'GET', '/api/sms/logs?direction=INBOUND')).json().logs.map((l: { id: string }) => l.id);
    const pages = await Promise.all([1, 2, 3].map(async (page) => (await call(owner, 'GET', `/api/sms/logs?direction=INBOUND&limit=2&page=${page}`)).json()));
    expect(pages.map((p) => p.logs.map((l: { id: string }) => l.id))).toEqual([all.slice(0, 2), all.slice(2), []]);
    expect(pages[1].pagination).toEqual({ page: 2, limit: 2, total: 3, totalPages: 2 });
  });

  it('accepts signatures computed by the documented algorithm and rejects a tampered parameter', async () => {
    const params = { MessageSid: 'SM0000', MessageStatus: 'delivered' };
    const signature = twilioSignature(`${t.baseUrl}/api/webhooks/twilio/sms-status`, params);
    expect((await postTwilio('/api/webhooks/twilio/sms-status', params, signature)).statusCode).toBe(200);
    expect((await postTwilio('/api/webhooks/twilio/sms-status', { ...params, MessageStatus: 'failed' }, signature)).statusCode).toBe(403);
    expect((await postTwilio('/api/webhooks/twilio/sms-status', params, '')).statusCode).toBe(403);
  });

  it('answers the widget and browser calls with TwiML that dials the business, moving call status forward only', async () => {
    const { owner, number } = await proOwnerWithNumber();
    const from = `client:org_${owner.organizationId}:widget_${owner.userId}`;
    const voice = await postTwilio('/api/webhooks/twilio/voice', { CallSid: 'CA_widget_1', From: from, To: '' });
    expect(voice.body).toContain(`<Dial callerId="${number}"><Number>${number}</Number></Dial>`);
    const stranger = await postTwilio('/api/webhooks/twilio/voice', { CallSid: 'CA_x', From: 'client:someone', To: '+15559876543' });
    expect(stranger.body).toContain('<Hangup/>');

    await postTwilio('/api/webhooks/twilio/status', { CallSid: 'CA_widget_1', CallStatus: 'completed', CallDuration: '42' });
    await postTwilio('/api/webhooks/twilio/status', { CallSid: 'CA_widget_1', CallStatus: 'ringing' });
    const { clientCalls } = await import('../src/db/schema/index.js');
    const [row] = await app.ctx.db.select().from(clientCalls);
    expect(row).toMatchObject({ status: 'completed', durationSeconds: 42 });
  });

  it('gives Enterprise users a one-hour Voice token for the browser', async () => {
    const { owner } = await proOwnerWithNumber();
    expect((await call(owner, 'GET', '/api/calls/browser-token')).statusCode).toBe(403);
    await setPlan(app, owner.organizationId, 'ENTERPRISE');
    const res = await call(owner, 'GET', '/api/calls/browser-token');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ identity: `org_${owner.organizationId}:user_${owner.userId}`, expiresIn: 3600 });
    const claims = JSON.parse(Buffer.from(res.json().token.split('.')[1], 'base64url').toString());
    expect(claims.grants.identity).toBe(res.json().identity);
    expect(claims.grants.voice.outgoing.application_sid).toBe('AP00000000000000000000000000000001');
    expect(claims.exp - claims.iat).toBe(3600);
  });
});
