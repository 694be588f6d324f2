import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import Stripe from 'stripe';
import { buildListeningApp } from './helpers/app.js';
import { ownerWithAssistant, uniqueEmail } from './helpers/factories.js';
import { endOfCallReport, postVapi } from './helpers/vapi.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
beforeAll(async () => {
  t = await buildListeningApp();
});
afterAll(() => t.close());

/** Regressions found by the fuzz suite: each of these answered 500 before. */
describe('input no database column can hold', () => {
  it('refuses NUL and broken surrogate pairs in user input with 400', async () => {
    const nul = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { name: 'Ja\u0000ne', email: uniqueEmail(), password: 'securepass123', organizationName: 'Acme' },
    });
    expect(nul.statusCode).toBe(400);
    const surrogate = await t.app.inject({
      method: 'POST',
      url: '/api/auth/register',
      headers: { 'content-type': 'application/json' },
      payload: `{"name":"Jane","email":"${uniqueEmail()}","password":"securepass123","organizationName":"Acme \\ud800"}`,
    });
    expect(surrogate.statusCode).toBe(400);
    expect((await t.app.inject('/api/admin/organizations?search=%00')).statusCode).toBe(401);
    const q = await t.app.inject({ url: '/api/admin/organizations?search=a%00b', headers: { 'x-admin-key': 'test-admin-key' } });
    expect(q.statusCode).toBe(400);
  });

  it('keeps a VAPI report with such characters, replacing them, instead of losing the call', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(t.app, { plan: 'PRO' });
    const report = endOfCallReport({ assistantId: vapiAssistantId });
    report.message.artifact.transcript = 'AI: Hello\u0000 there \ud83d';
    expect((await postVapi(t.app, report)).statusCode).toBe(200);
    const calls = (await t.app.inject({ url: '/api/calls', headers: { cookie: owner.cookie } })).json().calls;
    const detail = (await t.app.inject({ url: `/api/calls/${calls[0].id}`, headers: { cookie: owner.cookie } })).json();
    expect(detail.call.transcript).toBe('AI: Hello\uFFFD there \uFFFD');
  });
});

describe('webhooks given bodies they never send', () => {
  it('refuses a JSON body on Twilio webhooks with 415 before reading it', async () => {
    const deep = '['.repeat(5000) + ']'.repeat(5000);
    const res = await t.app.inject({ method: 'POST', url: '/api/webhooks/twilio/sms-inbound', headers: { 'content-type': 'application/json' }, payload: deep });
    expect(res.statusCode).toBe(415);
  });

  it('refuses a correctly signed Stripe body that is not an event with 400', async () => {
    for (const payload of ['{}', '[]', 'null', '{"id":"evt_1","type":"x","data":{}}']) {
      const header = Stripe.webhooks.generateTestHeaderString({ payload, secret: 'whsec_testsecret' });
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/webhooks/stripe',
        headers: { 'content-type': 'application/json', 'stripe-signature': header },
        payload,
      });
      expect(res.statusCode).toBe(400);
    }
  });
});
