import { createHmac } from 'node:crypto';
import twilio from 'twilio';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildListeningApp, buildTestApp } from '../helpers/app.js';
import { ProviderError } from '../../src/providers/errors.js';
import { createTwilioProvider, toEmulatorUrl } from '../../src/providers/twilio/live.js';
import type { TwilioProvider } from '../../src/providers/twilio/port.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let provider: TwilioProvider;
let sandbox: string;

beforeAll(async () => {
  t = await buildListeningApp();
  provider = t.app.ctx.providers.twilio;
  sandbox = `${t.baseUrl}/sandbox/twilio`;
});
afterAll(() => t.close());

const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
/** The emulator over plain HTTP, with the account's credentials unless told otherwise. */
const raw = (path: string, init: RequestInit & { auth?: string } = {}) =>
  fetch(`${sandbox}${path}`, {
    ...init,
    headers: { authorization: init.auth ?? basic(t.config.twilio.accountSid!, t.config.twilio.authToken!), ...init.headers },
  });
const fault = async (body: { status: number; count: number; retryAfter?: number }) => {
  const res = await fetch(`${sandbox}/_faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  expect(res.status).toBe(200);
};
const rejection = (promise: Promise<unknown>) =>
  promise.then(
    () => expect.fail('expected a ProviderError'),
    (err: unknown) => {
      expect(err).toBeInstanceOf(ProviderError);
      return err as ProviderError;
    },
  );

interface Delivery {
  kind: string;
  url: string;
  params: Record<string, string>;
  signature: string;
  status: number | null;
}
const deliveriesOf = async (messageSid: string): Promise<Delivery[]> => {
  const res = await fetch(`${sandbox}/deliveries?messageSid=${messageSid}`);
  return ((await res.json()) as { deliveries: Delivery[] }).deliveries;
};
/** Reads until done(value) or 5 s have passed: the emulator's callbacks are asynchronous. */
async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 5_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((r) => setTimeout(r, 25));
  }
}
const waitForDeliveries = (messageSid: string, count: number) => eventually(() => deliveriesOf(messageSid), (d) => d.length >= count);
/** twilio-node's own check (validateRequest) of the X-Twilio-Signature the emulator sent. */
const signedAsTwilioSigns = (d: Delivery) => twilio.validateRequest(t.config.twilio.authToken!, d.signature, d.url, d.params);

/** Buys a fresh number in area code 415 (each test its own, so tests stay independent). */
async function buyNumber(extra: { smsUrl?: string; voiceUrl?: string; trunkSid?: string } = {}) {
  const [available] = await provider.searchLocalNumbers({ areaCode: '415', limit: 1 });
  expect(available).toBeDefined();
  return provider.buyNumber({ phoneNumber: available!.phoneNumber, ...extra });
}

describe('phone numbers', () => {
  it('searches local numbers by area code and by city, in Twilio’s shape', async () => {
    const byArea = await provider.searchLocalNumbers({ areaCode: '415', limit: 3 });
    expect(byArea).toHaveLength(3);
    for (const n of byArea) {
      expect(n.phoneNumber).toMatch(/^\+1415555\d{4}$/);
      expect(n).toMatchObject({ locality: 'San Francisco', region: 'CA', capabilities: { voice: true, sms: true, mms: true } });
    }
    const byCity = await provider.searchLocalNumbers({ locality: 'Austin', limit: 2 });
    expect(byCity.map((n) => n.phoneNumber.slice(0, 5))).toEqual(['+1512', '+1512']);
    expect(await provider.searchLocalNumbers({ areaCode: '415', locality: 'Austin' })).toEqual([]);

    const wire = await (await raw(`/api/2010-04-01/Accounts/${t.config.twilio.accountSid}/AvailablePhoneNumbers/US/Local.json?AreaCode=212&PageSize=1`)).json();
    expect(wire.available_phone_numbers).toHaveLength(1);
    expect(wire.available_phone_numbers[0]).toMatchObject({
      friendly_name: expect.stringMatching(/^\(212\) 555-\d{4}$/),
      locality: 'New York',
      region: 'NY',
      iso_country: 'US',
      capabilities: { voice: true, SMS: true, MMS: true },
    });
  });

  it('buys a number with our webhooks, no longer offers it, fetches and releases it', async () => {
    const voiceUrl = `${t.config.appUrl}/api/webhooks/twilio/voice`;
    const smsUrl = `${t.config.appUrl}/api/webhooks/twilio/sms-inbound`;
    const [first] = await provider.searchLocalNumbers({ areaCode: '617', limit: 1 });
    const bought = await provider.buyNumber({ phoneNumber: first!.phoneNumber, voiceUrl, smsUrl, friendlyName: 'Acme main line' });
    expect(bought).toEqual({
      sid: expect.stringMatching(/^PN[0-9a-f]{32}$/),
      phoneNumber: first!.phoneNumber,
      friendlyName: 'Acme main line',
      voiceUrl,
      smsUrl,
      statusCallbackUrl: null,
      trunkSid: null,
    });
    const stillOffered = await provider.searchLocalNumbers({ areaCode: '617', limit: 5 });
    expect(stillOffered.map((n) => n.phoneNumber)).not.toContain(first!.phoneNumber);
    expect(await provider.getNumber(bought.sid)).toEqual(bought);

    const again = await rejection(provider.buyNumber({ phoneNumber: first!.phoneNumber }));
    expect(again.status).toBe(400);

    const wire = await (await raw(`/api/2010-04-01/Accounts/${t.config.twilio.accountSid}/IncomingPhoneNumbers/${bought.sid}.json`)).json();
    expect(wire).toMatchObject({ sid: bought.sid, phone_number: first!.phoneNumber, voice_url: voiceUrl, sms_url: smsUrl, voice_method: 'POST' });
    expect(wire.date_created).toMatch(/^\w{3}, \d{2} \w{3} \d{4} \d{2}:\d{2}:\d{2} \+0000$/);

    await provider.releaseNumber(bought.sid);
    expect((await rejection(provider.getNumber(bought.sid))).notFound).toBe(true);
    expect((await rejection(provider.releaseNumber(bought.sid))).notFound).toBe(true);
  });

  it('routes a number through a SIP trunk', async () => {
    const trunk = await provider.createSipTrunk({ friendlyName: 'Acme trunk', domainName: 'acme-epoch.pstn.twilio.com' });
    expect(trunk).toEqual({ sid: expect.stringMatching(/^TK[0-9a-f]{32}$/), friendlyName: 'Acme trunk', domainName: 'acme-epoch.pstn.twilio.com' });
    expect(await provider.getSipTrunk(trunk.sid)).toEqual(trunk);
    const number = await buyNumber({ trunkSid: trunk.sid });
    expect((await provider.getNumber(number.sid)).trunkSid).toBe(trunk.sid);
    expect((await rejection(provider.getSipTrunk('TK00000000000000000000000000000000'))).notFound).toBe(true);
  });
});

describe('SMS', () => {
  const statusCallbackUrl = () => `${t.config.appUrl}/api/webhooks/twilio/sms-status`;

  it('sends an SMS whose queued → sent → delivered callbacks reach our route, signed and verified', async () => {
    const from = await buyNumber();
    const sent = await provider.sendSms({ from: from.phoneNumber, to: '+15555550123', body: 'Your appointment is confirmed.', statusCallbackUrl: statusCallbackUrl() });
    expect(sent).toMatchObject({ sid: expect.stringMatching(/^SM[0-9a-f]{32}$/), status: 'queued', direction: 'outbound-api', numSegments: 1, errorCode: null });

    const deliveries = await waitForDeliveries(sent.sid, 3);
    expect(deliveries.map((d) => d.params.MessageStatus)).toEqual(['queued', 'sent', 'delivered']);
    for (const d of deliveries) {
      expect(d).toMatchObject({ kind: 'sms-status', url: statusCallbackUrl(), status: 200 });
      expect(signedAsTwilioSigns(d)).toBe(true);
      expect(d.params).toMatchObject({ MessageSid: sent.sid, SmsSid: sent.sid, From: from.phoneNumber, To: '+15555550123', AccountSid: t.config.twilio.accountSid });
    }
    expect((await provider.getSms(sent.sid)).status).toBe('delivered');
  });

  it('refuses a sender that is not ours, and answers an unknown message with 404 in Twilio’s shape', async () => {
    const notOurs = await rejection(provider.sendSms({ from: '+15005550006', to: '+15555550123', body: 'hi' }));
    expect(notOurs.status).toBe(400);
    expect(notOurs.message).toContain('21606');

    const unknown = 'SM00000000000000000000000000000000';
    expect((await rejection(provider.getSms(unknown))).notFound).toBe(true);
    const res = await raw(`/api/2010-04-01/Accounts/${t.config.twilio.accountSid}/Messages/${unknown}.json`);
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({
      code: 20404,
      message: `The requested resource /2010-04-01/Accounts/${t.config.twilio.accountSid}/Messages/${unknown}.json was not found`,
      more_info: 'https://www.twilio.com/docs/errors/20404',
      status: 404,
    });
  });

  it('posts a simulated inbound SMS to the number’s SmsUrl, signed, and our route verifies it', async () => {
    const smsUrl = `${t.config.appUrl}/api/webhooks/twilio/sms-inbound`;
    const number = await buyNumber({ smsUrl });
    const res = await fetch(`${sandbox}/simulate-inbound-sms`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: '+15555550199', to: number.phoneNumber, body: 'Can I book for Tuesday? 10% off & more' }),
    });
    expect(res.status).toBe(200);
    const { messageSid, url, status } = (await res.json()) as { messageSid: string; url: string; status: number };
    expect({ url, status }).toEqual({ url: smsUrl, status: 200 });

    const [delivery] = await deliveriesOf(messageSid);
    expect(delivery).toMatchObject({ kind: 'sms-inbound', status: 200 });
    expect(signedAsTwilioSigns(delivery!)).toBe(true);
    expect(delivery!.params).toMatchObject({
      MessageSid: messageSid,
      AccountSid: t.config.twilio.accountSid,
      From: '+15555550199',
      To: number.phoneNumber,
      Body: 'Can I book for Tuesday? 10% off & more',
      NumMedia: '0',
      NumSegments: '1',
    });
    expect(await provider.getSms(messageSid)).toMatchObject({ direction: 'inbound', status: 'received' });
  });
});

describe('webhook signatures', () => {
  const params = { MessageSid: 'SM11111111111111111111111111111111', From: '+15555550199', Body: 'Hello there', MessageStatus: 'delivered' };
  const post = (path: string, body: Record<string, string>, signature?: string) =>
    fetch(`${t.baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', ...(signature ? { 'x-twilio-signature': signature } : {}) },
      body: new URLSearchParams(body).toString(),
    });
  const sign = (path: string, body: Record<string, string>) =>
    twilio.getExpectedTwilioSignature(t.config.twilio.authToken!, `${t.config.appUrl}${path}`, body);

  it.each(['/api/webhooks/twilio/voice', '/api/webhooks/twilio/status', '/api/webhooks/twilio/sms-inbound', '/api/webhooks/twilio/sms-status'])(
    '%s accepts Twilio’s signature and answers TwiML',
    async (path) => {
      const res = await post(path, params, sign(path, params));
      expect(res.status).toBe(200);
      expect(res.headers.get('content-type')).toMatch(/^text\/xml/);
      // Empty TwiML, or for a voice call from no client of ours, a polite refusal.
      expect(await res.text()).toMatch(/<Response\/>|<Response><Say>Sorry, this call cannot be completed\.<\/Say><Hangup\/><\/Response>/);
    },
  );

  it('signs over the query string too', async () => {
    const path = '/api/webhooks/twilio/sms-status?orgId=org_1';
    expect((await post(path, params, sign(path, params))).status).toBe(200);
    expect((await post(path, params, sign('/api/webhooks/twilio/sms-status', params))).status).toBe(403);
  });

  it('rejects a tampered, missing or foreign signature with 403 and the uniform error body', async () => {
    const path = '/api/webhooks/twilio/sms-inbound';
    const tampered = await post(path, { ...params, Body: 'Hello there!' }, sign(path, params));
    expect(tampered.status).toBe(403);
    expect(await tampered.json()).toEqual({ error: 'Invalid Twilio signature', code: 'FORBIDDEN' });
    expect((await post(path, params)).status).toBe(403);
    const otherToken = twilio.getExpectedTwilioSignature('another-account-token', `${t.config.appUrl}${path}`, params);
    expect((await post(path, params, otherToken)).status).toBe(403);
  });

  it('signs emulator webhooks exactly as twilio-node validates them', async () => {
    const from = await buyNumber();
    const sent = await provider.sendSms({ from: from.phoneNumber, to: '+15555550124', body: 'Reminder', statusCallbackUrl: `${t.config.appUrl}/api/webhooks/twilio/sms-status` });
    const [first] = await waitForDeliveries(sent.sid, 1);
    expect(signedAsTwilioSigns(first!)).toBe(true);
    expect(signedAsTwilioSigns({ ...first!, params: { ...first!.params, MessageStatus: 'failed' } })).toBe(false);
    expect(signedAsTwilioSigns({ ...first!, url: `${first!.url}?x=1` })).toBe(false);
  });
});

describe('voice access token', () => {
  const decode = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));

  it('is an HS256 JWT for the TwiML app, signed with the API secret, valid one hour', async () => {
    const { token, identity, expiresIn } = await provider.createVoiceToken({ identity: 'org_1:user_1' });
    expect({ identity, expiresIn }).toEqual({ identity: 'org_1:user_1', expiresIn: 3600 });
    const [header, payload, signature] = token.split('.') as [string, string, string];
    expect(decode(header)).toMatchObject({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    const claims = decode(payload);
    expect(claims).toMatchObject({
      iss: t.config.twilio.apiKey,
      sub: t.config.twilio.accountSid,
      grants: { identity: 'org_1:user_1', voice: { outgoing: { application_sid: t.config.twilio.twimlAppSid } } },
    });
    expect(claims.exp - claims.iat).toBe(3600);
    const hmac = (secret: string) => createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
    expect(signature).toBe(hmac(t.config.twilio.apiSecret!));
    expect(signature).not.toBe(hmac('another-secret'));
  });
});

describe('A2P 10DLC', () => {
  const campaign = (messagingServiceSid: string, brandSid: string, description: string) => ({
    messagingServiceSid,
    brandSid,
    description,
    useCase: 'ACCOUNT_NOTIFICATION',
    messageFlow: 'Customers opt in when booking on our website.',
    messageSamples: ['Your appointment is tomorrow at 2pm.', 'Reply STOP to opt out.'],
    hasEmbeddedLinks: false,
    hasEmbeddedPhone: false,
  });

  it('registers a brand and a campaign: PENDING, then APPROVED and VERIFIED when fetched', async () => {
    const brand = await provider.createBrand({ businessName: 'Acme Dental', email: 'owner@acme.test', brandType: 'STANDARD' });
    expect(brand).toMatchObject({ sid: expect.stringMatching(/^BN[0-9a-f]{32}$/), status: 'PENDING', brandType: 'STANDARD', failureReason: null });
    expect(brand.customerProfileBundleSid).toMatch(/^BU/);
    expect(brand.a2pProfileBundleSid).toMatch(/^BU/);

    const service = await provider.createMessagingService({ friendlyName: 'Acme Dental SMS' });
    expect(service.sid).toMatch(/^MG[0-9a-f]{32}$/);
    const number = await buyNumber();
    await provider.addNumberToMessagingService(service.sid, number.sid);

    // A campaign needs an approved brand: refused while the brand is still PENDING.
    expect((await rejection(provider.createCampaign(campaign(service.sid, brand.sid, 'Appointment reminders')))).status).toBe(400);
    expect((await provider.getBrand(brand.sid)).status).toBe('APPROVED');

    const submitted = await provider.createCampaign(campaign(service.sid, brand.sid, 'Appointment reminders for Acme Dental patients'));
    expect(submitted).toMatchObject({ sid: expect.stringMatching(/^QE[0-9a-f]{32}$/), status: 'PENDING', campaignId: null, messagingServiceSid: service.sid, brandSid: brand.sid });
    const verified = await provider.getCampaign(service.sid, submitted.sid);
    expect(verified).toMatchObject({ status: 'VERIFIED', campaignId: expect.stringMatching(/^C[0-9A-F]{6}$/), failureReason: null });

    // Through the service, Twilio accepts the message first and sends it from the service's pool.
    const viaService = await provider.sendSms({ messagingServiceSid: service.sid, to: '+15555550125', body: 'Welcome!' });
    expect(viaService).toMatchObject({ status: 'accepted', from: null });
    const settled = await eventually(() => provider.getSms(viaService.sid), (m) => m.status === 'delivered');
    expect(settled).toMatchObject({ status: 'delivered', from: number.phoneNumber });

    const other = await provider.createMessagingService({ friendlyName: 'Other' });
    expect((await rejection(provider.getCampaign(other.sid, submitted.sid))).notFound).toBe(true);
  });

  it('fails a brand or campaign whose name or description contains FAIL', async () => {
    const failing = await provider.createBrand({ businessName: 'FAIL Widgets', email: 'owner@fail.test', brandType: 'SOLE_PROPRIETOR' });
    const failed = await provider.getBrand(failing.sid);
    expect(failed.status).toBe('FAILED');
    expect(failed.failureReason).toEqual(expect.any(String));

    const brand = await provider.createBrand({ businessName: 'Acme Plumbing', email: 'owner@acme.test', brandType: 'LOW_VOLUME_STANDARD' });
    expect((await provider.getBrand(brand.sid)).status).toBe('APPROVED');
    const service = await provider.createMessagingService({ friendlyName: 'Acme Plumbing SMS' });
    const submitted = await provider.createCampaign(campaign(service.sid, brand.sid, 'Please FAIL this campaign'));
    const decided = await provider.getCampaign(service.sid, submitted.sid);
    expect(decided).toMatchObject({ status: 'FAILED', campaignId: null, failureReason: expect.any(String) });
    expect((await rejection(provider.getBrand('BN00000000000000000000000000000000'))).notFound).toBe(true);
  });
});

describe('errors and retries', () => {
  it('rejects wrong credentials with Twilio’s 401, and accepts the API key pair', async () => {
    const wrong = createTwilioProvider({
      config: { ...t.config, twilio: { ...t.config.twilio, authToken: 'wrong-token' } },
      log: t.app.log,
      baseUrl: sandbox,
    });
    expect((await rejection(wrong.searchLocalNumbers({ areaCode: '415' }))).status).toBe(401);

    const path = `/api/2010-04-01/Accounts/${t.config.twilio.accountSid}/AvailablePhoneNumbers/US/Local.json?PageSize=1`;
    const refused = await raw(path, { auth: basic(t.config.twilio.accountSid!, 'wrong-token') });
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ code: 20003, message: 'Authenticate', more_info: 'https://www.twilio.com/docs/errors/20003', status: 401 });
    expect((await raw(path, { auth: basic(t.config.twilio.apiKey!, t.config.twilio.apiSecret!) })).status).toBe(200);
  });

  it('answers a missing parameter with 400 in Twilio’s shape', async () => {
    const res = await raw('/messaging/v1/Services', { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: 'InboundRequestUrl=x' });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ code: 20001, message: 'Missing required parameter FriendlyName in the post body', status: 400 });
  });

  it('retries a 429 after its Retry-After, for reads and writes alike', async () => {
    await fault({ status: 429, count: 1, retryAfter: 1 });
    const started = Date.now();
    expect(await provider.searchLocalNumbers({ areaCode: '303', limit: 1 })).toHaveLength(1);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);

    await fault({ status: 429, count: 2, retryAfter: 0 });
    expect((await provider.createSipTrunk({ friendlyName: 'after 429' })).friendlyName).toBe('after 429');
  });

  it('gives up with the 429 once its attempts are spent', async () => {
    await fault({ status: 429, count: 5, retryAfter: 0 });
    expect((await rejection(provider.searchLocalNumbers({ areaCode: '303' }))).status).toBe(429);
    await fault({ status: 429, count: 0 });
  });

  it('retries a 5xx GET with backoff, but never repeats a POST that may have acted', async () => {
    const trunk = await provider.createSipTrunk({ friendlyName: 'retry me' });
    await fault({ status: 503, count: 2 });
    expect(await provider.getSipTrunk(trunk.sid)).toEqual(trunk);

    await fault({ status: 500, count: 1 });
    expect((await rejection(provider.createSipTrunk({ friendlyName: 'not twice' }))).status).toBe(500);
    expect((await provider.createSipTrunk({ friendlyName: 'next one' })).friendlyName).toBe('next one');
  });

  it('maps every Twilio host onto the emulator, keeping the host’s first label', () => {
    const base = 'http://127.0.0.1:3000/sandbox/twilio';
    expect(toEmulatorUrl('https://api.twilio.com/2010-04-01/Accounts/AC1/Messages.json', base)).toBe(`${base}/api/2010-04-01/Accounts/AC1/Messages.json`);
    expect(toEmulatorUrl('https://messaging.twilio.com/v1/Services?PageSize=1', base)).toBe(`${base}/messaging/v1/Services?PageSize=1`);
    expect(toEmulatorUrl('https://example.com/x', base)).toBe('https://example.com/x');
  });

  it('mounts nothing under /sandbox when SANDBOX=0', async () => {
    const off = await buildTestApp({ database: t.database, env: { SANDBOX: '0' } });
    try {
      expect((await off.app.inject({ method: 'GET', url: '/sandbox/twilio/deliveries' })).statusCode).toBe(404);
      expect((await off.app.inject({ method: 'POST', url: '/sandbox/twilio/simulate-inbound-sms', payload: {} })).statusCode).toBe(404);
    } finally {
      await off.close();
    }
  });
});
