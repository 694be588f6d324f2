import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { buildListeningApp, buildTestApp, freshDatabase, type TestApp } from './helpers/app.js';
import { lastMailTo, setPlan, signedInOwner, tokenFrom, uniqueEmail } from './helpers/factories.js';
import { endOfCallReport, postVapi, statusUpdate } from './helpers/vapi.js';
import { sleep, startReceiver, verifySignature, waitFor } from './helpers/webhook-receiver.js';
import { phoneNumbers, webhookDeliveries, webhookEndpoints } from '../src/db/schema/index.js';
import { receiveSms } from '../src/modules/sms/sms.service.js';
import { recordFinishedCall } from '../src/modules/calls/call-events.service.js';
import { parseEndOfCallReport } from '../src/domain/calls.js';
import { emitEvent } from '../src/modules/webhook-endpoints/events.js';
import { deliverDue } from '../src/modules/webhook-endpoints/queue.js';
import { encryptSecret } from '../src/lib/crypto.js';

type Listening = Awaited<ReturnType<typeof buildListeningApp>>;
type Owner = Awaited<ReturnType<typeof signedInOwner>>;

let t: Listening;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp({ allowLoopbackFetch: true });
  app = t.app;
});
afterAll(() => t.close());

const as = (cookie: string) => ({ cookie });
const cron = (a: FastifyInstance, job: string) =>
  a.inject({ method: 'GET', url: `/api/cron/${job}`, headers: { authorization: 'Bearer test-cron-secret' } });

async function ownerWithAssistant(a: FastifyInstance = app, plan = 'PRO') {
  const owner = await signedInOwner(a);
  await setPlan(a, owner.organizationId, plan);
  const remote = await a.ctx.providers.vapi.createAssistant({ name: 'Reception AI', systemPrompt: 'Hello' });
  const res = await a.inject({ method: 'POST', url: '/api/assistants', headers: as(owner.cookie), payload: { vapiAssistantId: remote.id, name: 'Reception AI' } });
  expect(res.statusCode).toBe(201);
  return { owner, vapiAssistantId: remote.id };
}

async function createEndpoint(owner: Owner, payload: object, a: FastifyInstance = app) {
  const res = await a.inject({ method: 'POST', url: '/api/webhook-endpoints', headers: as(owner.cookie), payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; secret: string; url: string; events: string[]; secretPrefix: string };
}

const deliveriesOf = (owner: Owner, endpointId: string, query = '', a: FastifyInstance = app) =>
  a.inject({ url: `/api/webhook-endpoints/${endpointId}/deliveries${query}`, headers: as(owner.cookie) });

describe('webhook endpoints: management', () => {
  it('creates, lists, updates, rotates and deletes an endpoint; the secret is shown once', async () => {
    const owner = await signedInOwner(app);
    const created = await createEndpoint(owner, { url: 'http://127.0.0.1:9/hook', events: ['call.ended', 'call.ended', 'sms.received'] });
    expect(created.secret).toMatch(/^whsec_[0-9A-Za-z]{43}$/);
    expect(created.secretPrefix).toBe(created.secret.slice(0, 10));
    expect(created.events).toEqual(['call.ended', 'sms.received']);

    const list = (await app.inject({ url: '/api/webhook-endpoints', headers: as(owner.cookie) })).json();
    expect(list.endpoints).toHaveLength(1);
    expect(list.endpoints[0]).toEqual({
      id: created.id,
      url: 'http://127.0.0.1:9/hook',
      events: ['call.ended', 'sms.received'],
      enabled: true,
      secretPrefix: created.secretPrefix,
      createdAt: expect.any(String),
      updatedAt: expect.any(String),
    });
    expect(JSON.stringify(list)).not.toContain(created.secret);
    const [stored] = await app.ctx.db.select().from(webhookEndpoints).where(eq(webhookEndpoints.id, created.id));
    expect(stored!.encryptedSecret).not.toContain(created.secret.slice(6));

    const patch = (payload: object) => app.inject({ method: 'PATCH', url: `/api/webhook-endpoints/${created.id}`, headers: as(owner.cookie), payload });
    const updated = await patch({ events: ['booking.created'], enabled: false });
    expect(updated.statusCode).toBe(200);
    expect(updated.json().endpoint).toMatchObject({ events: ['booking.created'], enabled: false, url: 'http://127.0.0.1:9/hook' });
    expect((await patch({})).statusCode).toBe(400);
    expect((await patch({ events: [] })).statusCode).toBe(400);
    expect((await patch({ events: ['call.exploded'] })).statusCode).toBe(400);

    const rotated = await app.inject({ method: 'POST', url: `/api/webhook-endpoints/${created.id}/rotate-secret`, headers: as(owner.cookie) });
    expect(rotated.statusCode).toBe(200);
    expect(rotated.json().secret).toMatch(/^whsec_/);
    expect(rotated.json().secret).not.toBe(created.secret);

    const del = await app.inject({ method: 'DELETE', url: `/api/webhook-endpoints/${created.id}`, headers: as(owner.cookie) });
    expect(del.json()).toEqual({ deleted: true });
    expect((await app.inject({ url: `/api/webhook-endpoints/${created.id}`, headers: as(owner.cookie) })).statusCode).toBe(404);
  });

  it('validates the body: url scheme and length, a non-empty set of known events', async () => {
    const owner = await signedInOwner(app);
    const post = (payload: object) => app.inject({ method: 'POST', url: '/api/webhook-endpoints', headers: as(owner.cookie), payload });
    for (const payload of [
      { url: 'ftp://127.0.0.1/hook', events: ['call.ended'] },
      { url: 'not a url', events: ['call.ended'] },
      { url: `http://127.0.0.1/${'a'.repeat(2000)}`, events: ['call.ended'] },
      { url: 'http://user:pass@127.0.0.1/hook', events: ['call.ended'] },
      { url: 'http://127.0.0.1/hook', events: [] },
      { url: 'http://127.0.0.1/hook', events: ['ping'] },
      { url: 'http://127.0.0.1/hook' },
    ]) {
      const res = await post(payload);
      expect(res.statusCode, JSON.stringify(payload).slice(0, 80)).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
  });

  it('lets members and API keys read, only owners/admins in a browser change; another organization sees 404', async () => {
    const owner = await signedInOwner(app);
    const endpoint = await createEndpoint(owner, { url: 'http://127.0.0.1:9/hook', events: ['call.ended'] });

    // A member, invited and accepted.
    const email = uniqueEmail('member');
    expect((await app.inject({ method: 'POST', url: '/api/members/invite', headers: as(owner.cookie), payload: { email, role: 'member' } })).statusCode).toBe(201);
    const token = decodeURIComponent(tokenFrom((await lastMailTo(app, email))!.text)!);
    const joined = await app.inject({ method: 'POST', url: '/api/members/accept', payload: { token, name: 'Mia', password: 'member-pass-1' } });
    const member = joined.cookies.find((c) => c.name.endsWith('next-auth.session-token'))!;
    const memberCookie = `${member.name}=${member.value}`;
    expect((await app.inject({ url: '/api/webhook-endpoints', headers: as(memberCookie) })).json().endpoints).toHaveLength(1);
    expect((await app.inject({ method: 'POST', url: '/api/webhook-endpoints', headers: as(memberCookie), payload: { url: 'http://127.0.0.1:9/x', events: ['call.ended'] } })).statusCode).toBe(403);
    expect((await app.inject({ method: 'DELETE', url: `/api/webhook-endpoints/${endpoint.id}`, headers: as(memberCookie) })).statusCode).toBe(403);
    expect((await app.inject({ method: 'POST', url: `/api/webhook-endpoints/${endpoint.id}/test`, headers: as(memberCookie) })).statusCode).toBe(403);

    // An API key reads, but cannot change endpoints.
    const key = (await app.inject({ method: 'POST', url: '/api/api-keys', headers: as(owner.cookie), payload: { label: 'ci' } })).json().key;
    const bearer = { authorization: `Bearer ${key}` };
    expect((await app.inject({ url: `/api/webhook-endpoints/${endpoint.id}/deliveries`, headers: bearer })).statusCode).toBe(200);
    expect((await app.inject({ method: 'PATCH', url: `/api/webhook-endpoints/${endpoint.id}`, headers: bearer, payload: { enabled: false } })).statusCode).toBe(403);

    // Another organization: the id simply does not exist.
    const stranger = await signedInOwner(app);
    for (const [method, url, payload] of [
      ['GET', `/api/webhook-endpoints/${endpoint.id}`],
      ['PATCH', `/api/webhook-endpoints/${endpoint.id}`, { enabled: false }],
      ['DELETE', `/api/webhook-endpoints/${endpoint.id}`],
      ['POST', `/api/webhook-endpoints/${endpoint.id}/test`],
      ['POST', `/api/webhook-endpoints/${endpoint.id}/rotate-secret`],
      ['GET', `/api/webhook-endpoints/${endpoint.id}/deliveries`],
    ] as const) {
      const res = await app.inject({ method, url, headers: as(stranger.cookie), payload });
      expect(res.statusCode, `${method} ${url}`).toBe(404);
    }
    expect((await app.inject({ url: '/api/webhook-endpoints', headers: as(stranger.cookie) })).json().endpoints).toEqual([]);
    expect((await app.inject({ url: '/api/webhook-endpoints' })).statusCode).toBe(401);
  });
});

describe('webhook deliveries', () => {
  it('sends exactly one signed call.ended for an end-of-call report, whichever path stores it', async () => {
    const receiver = await startReceiver();
    try {
      const { owner, vapiAssistantId } = await ownerWithAssistant();
      const ended = await createEndpoint(owner, { url: receiver.url, events: ['call.ended'] });
      const report = endOfCallReport({ assistantId: vapiAssistantId, seconds: 75 });
      expect((await postVapi(app, report)).statusCode).toBe(200);
      expect((await postVapi(app, report)).statusCode).toBe(200); // VAPI's duplicate
      // The sync-calls job stores the same call again through the same path.
      await recordFinishedCall(app.ctx, parseEndOfCallReport(report.message)!);
      await waitFor(() => receiver.received.length >= 1, 5000, 'the call.ended delivery');
      await sleep(300);
      expect(receiver.received).toHaveLength(1);

      const [hit] = receiver.received;
      expect(verifySignature(hit!.headers['epoch-signature'], hit!.body, ended.secret)).toBe(true);
      expect(verifySignature(hit!.headers['epoch-signature'], hit!.body, 'whsec_wrong')).toBe(false);
      const t0 = Number(/t=(\d+)/.exec(String(hit!.headers['epoch-signature']))![1]);
      expect(Math.abs(t0 - Date.now() / 1000)).toBeLessThan(60);
      expect(hit!.headers['epoch-event-type']).toBe('call.ended');
      expect(hit!.headers['epoch-event-id']).toBe(hit!.json.id);
      expect(hit!.headers['content-type']).toBe('application/json');
      expect(hit!.json).toMatchObject({
        type: 'call.ended',
        organizationId: owner.organizationId,
        createdAt: expect.any(String),
        data: { call: { vapiCallId: report.message.call.id, status: 'COMPLETED', durationSeconds: 75, customerNumber: '+15551234567' } },
      });

      const log = (await deliveriesOf(owner, ended.id)).json();
      expect(log).toEqual({
        deliveries: [
          {
            id: expect.any(String),
            eventId: hit!.json.id,
            eventType: 'call.ended',
            status: 'delivered',
            attempts: 1,
            responseStatusCode: 200,
            error: null,
            nextAttemptAt: null,
            createdAt: expect.any(String),
            deliveredAt: expect.any(String),
          },
        ],
        nextCursor: null,
      });
    } finally {
      await receiver.stop();
    }
  });

  it('sends call.started and call.analyzed to the endpoints that want them, and nothing to disabled ones', async () => {
    const receiver = await startReceiver();
    try {
      const { owner, vapiAssistantId } = await ownerWithAssistant();
      await createEndpoint(owner, { url: receiver.url, events: ['call.started', 'call.analyzed'] });
      const paused = await createEndpoint(owner, { url: receiver.url, events: ['call.ended'], enabled: false });
      const callId = `call_flow_${Date.now()}`;
      await postVapi(app, statusUpdate(callId, vapiAssistantId, 'ringing'));
      await postVapi(app, statusUpdate(callId, vapiAssistantId, 'in-progress'));
      await postVapi(app, endOfCallReport({ callId, assistantId: vapiAssistantId, seconds: 30 }));
      await waitFor(() => receiver.received.length >= 2, 5000, 'two deliveries');
      await sleep(200);
      expect(receiver.received.map((r) => r.json.type).sort()).toEqual(['call.analyzed', 'call.started']);
      const analyzed = receiver.received.find((r) => r.json.type === 'call.analyzed')!;
      expect(analyzed.json.data).toMatchObject({ summary: 'Caller booked a cleaning Tue 3pm.', transcript: expect.stringContaining('Acme Dental'), call: { vapiCallId: callId } });
      expect((await deliveriesOf(owner, paused.id)).json().deliveries).toEqual([]);
    } finally {
      await receiver.stop();
    }
  });

  it('a simulated call with a booking, and an inbound SMS, each send their event once', async () => {
    const receiver = await startReceiver();
    try {
      const { owner, vapiAssistantId } = await ownerWithAssistant(app, 'PRO');
      await createEndpoint(owner, { url: receiver.url, events: ['call.started', 'call.ended', 'call.analyzed', 'booking.created', 'sms.received'] });
      const connect = await app.inject({ method: 'POST', url: '/api/calendar/connect', headers: as(owner.cookie), payload: { apiKey: 'cal_test_webhooks', eventTypeId: 1001 } });
      expect(connect.statusCode, connect.body).toBe(200);
      const today = new Date().toISOString().slice(0, 10);
      const inAWeek = new Date(Date.now() + 6 * 86_400_000).toISOString().slice(0, 10);
      const [slot] = await app.ctx.providers.calcom.listSlots('cal_test_webhooks', { eventTypeId: 1001, start: today, end: inAWeek, timeZone: 'America/New_York' });
      const sim = await app.inject({
        method: 'POST',
        url: '/sandbox/vapi/simulate-call',
        payload: {
          assistantId: vapiAssistantId,
          durationSeconds: 60,
          summary: 'Booked a cleaning.',
          toolCalls: [{ name: 'book_appointment', arguments: { start: slot, name: 'Jane Doe', phone: '+15559876543' } }],
        },
      });
      expect(sim.statusCode, sim.body).toBe(200);

      await app.ctx.db.insert(phoneNumbers).values({ organizationId: owner.organizationId, number: '+15550001111', twilioPhoneNumberSid: 'PN_webhooks' });
      const sms = { MessageSid: `SM_${Date.now()}`, From: '+15557654321', To: '+15550001111', Body: 'Open on Sunday?' };
      expect(await receiveSms(app.ctx, sms)).toBe(true);
      expect(await receiveSms(app.ctx, sms)).toBe(false); // Twilio's retry

      await waitFor(() => receiver.received.length >= 5, 5000, 'five events');
      await sleep(300);
      const byType = Object.fromEntries(receiver.received.map((r) => [r.json.type, r.json]));
      expect(receiver.received.map((r) => r.json.type).sort()).toEqual(['booking.created', 'call.analyzed', 'call.ended', 'call.started', 'sms.received']);
      expect(byType['call.started']!.data.call.vapiCallId).toBe(sim.json().callId);
      expect(byType['booking.created']!.data.booking).toMatchObject({ attendeeName: 'Jane Doe', vapiCallId: sim.json().callId, startsAt: new Date(slot!).toISOString() });
      expect(byType['sms.received']!.data.message).toEqual({ sid: sms.MessageSid, from: sms.From, to: sms.To, body: 'Open on Sunday?' });
    } finally {
      await receiver.stop();
    }
  });

  it('retries a failed delivery after the backoff with the same event id', async () => {
    const receiver = await startReceiver({ statuses: [500] });
    try {
      const { owner, vapiAssistantId } = await ownerWithAssistant();
      const endpoint = await createEndpoint(owner, { url: receiver.url, events: ['call.ended'] });
      await postVapi(app, endOfCallReport({ assistantId: vapiAssistantId, seconds: 40 }));
      await waitFor(() => receiver.received.length === 1, 5000, 'the first attempt');
      let delivery: Record<string, any> = {};
      await waitFor(async () => {
        [delivery] = (await deliveriesOf(owner, endpoint.id)).json().deliveries;
        return delivery?.attempts === 1;
      });
      expect(delivery).toMatchObject({ status: 'pending', attempts: 1, responseStatusCode: 500, error: 'HTTP 500: receiver failed' });
      const wait = Date.parse(delivery.nextAttemptAt) - t.clock.now().getTime();
      expect(wait).toBeGreaterThan(25_000);
      expect(wait).toBeLessThanOrEqual(30_000);

      // Not due yet: the job sends nothing.
      expect((await cron(app, 'webhook-deliveries')).json()).toMatchObject({ delivered: 0 });
      expect(receiver.received).toHaveLength(1);

      t.clock.advance(31_000);
      expect((await cron(app, 'webhook-deliveries')).json()).toMatchObject({ delivered: 1 });
      expect(receiver.received).toHaveLength(2);
      const [first, second] = receiver.received;
      expect(second!.headers['epoch-event-id']).toBe(first!.headers['epoch-event-id']);
      expect(second!.body).toBe(first!.body);
      expect(verifySignature(second!.headers['epoch-signature'], second!.body, endpoint.secret)).toBe(true);
      [delivery] = (await deliveriesOf(owner, endpoint.id)).json().deliveries;
      expect(delivery).toMatchObject({ status: 'delivered', attempts: 2, responseStatusCode: 200, error: null, nextAttemptAt: null });
    } finally {
      await receiver.stop();
    }
  });

  it('gives up 24 hours after the event: the delivery is dead', async () => {
    const receiver = await startReceiver({ statuses: [503, 503, 503] });
    try {
      const owner = await signedInOwner(app);
      const endpoint = await createEndpoint(owner, { url: receiver.url, events: ['sms.received'] });
      await emitEvent(app.ctx, app.ctx.db, owner.organizationId, 'sms.received', { message: { sid: 'SM1' } });
      await waitFor(() => receiver.received.length === 1);
      const [row] = await app.ctx.db.select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpoint.id));
      // Time passes: the next attempt is the last one allowed.
      await app.ctx.db.update(webhookDeliveries).set({ createdAt: new Date(row!.createdAt.getTime() - 24 * 3600_000 + 1000) }).where(eq(webhookDeliveries.id, row!.id));
      t.clock.advance(5 * 60_000);
      await cron(app, 'webhook-deliveries');
      expect(receiver.received).toHaveLength(2);
      const [dead] = (await deliveriesOf(owner, endpoint.id)).json().deliveries;
      expect(dead).toMatchObject({ status: 'dead', attempts: 2, responseStatusCode: 503, nextAttemptAt: null });
    } finally {
      await receiver.stop();
    }
  });

  it('test event: delivers a signed ping now and answers the outcome; the log pages newest first', async () => {
    const receiver = await startReceiver({ statuses: [200, 500, 200] });
    try {
      const owner = await signedInOwner(app);
      const endpoint = await createEndpoint(owner, { url: receiver.url, events: ['booking.created'] });
      const ping = () => app.inject({ method: 'POST', url: `/api/webhook-endpoints/${endpoint.id}/test`, headers: as(owner.cookie) });
      const ok = await ping();
      expect(ok.statusCode).toBe(200);
      expect(ok.json().delivery).toMatchObject({ eventType: 'ping', status: 'delivered', attempts: 1, responseStatusCode: 200 });
      expect(receiver.received[0]!.json).toMatchObject({ type: 'ping', organizationId: owner.organizationId });
      expect(verifySignature(receiver.received[0]!.headers['epoch-signature'], receiver.received[0]!.body, endpoint.secret)).toBe(true);
      const failed = (await ping()).json().delivery;
      expect(failed).toMatchObject({ status: 'dead', attempts: 1, responseStatusCode: 500 });
      await ping();

      const page1 = (await deliveriesOf(owner, endpoint.id, '?limit=2')).json();
      expect(page1.deliveries).toHaveLength(2);
      expect(page1.deliveries[1].id).toBe(failed.id);
      const page2 = (await deliveriesOf(owner, endpoint.id, `?limit=2&cursor=${page1.nextCursor}`)).json();
      expect(page2.deliveries.map((d: { id: string }) => d.id)).toEqual([ok.json().delivery.id]);
      expect(page2.nextCursor).toBeNull();
      expect((await deliveriesOf(owner, endpoint.id, '?cursor=garbage')).statusCode).toBe(400);
    } finally {
      await receiver.stop();
    }
  });

  it('survives a restart: a delivery the receiver missed arrives once from a new app instance', async () => {
    const database = await freshDatabase();
    const receiver = await startReceiver();
    await receiver.stop(); // the receiver is down
    let first: Listening | undefined;
    let second: Listening | undefined;
    try {
      first = await buildListeningApp({ database, allowLoopbackFetch: true });
      const { owner, vapiAssistantId } = await ownerWithAssistant(first.app);
      const endpoint = await createEndpoint(owner, { url: receiver.url, events: ['call.ended'] }, first.app);
      await postVapi(first.app, endOfCallReport({ assistantId: vapiAssistantId, seconds: 90 }));
      let delivery: Record<string, any> = {};
      await waitFor(async () => {
        [delivery] = (await deliveriesOf(owner, endpoint.id, '', first!.app)).json().deliveries;
        return delivery?.attempts === 1;
      });
      expect(delivery).toMatchObject({ status: 'pending', responseStatusCode: null, error: expect.stringMatching(/ECONNREFUSED/) });
      await first.close();
      first = undefined;

      await receiver.start();
      second = await buildListeningApp({ database, allowLoopbackFetch: true });
      second.clock.advance(60_000);
      expect((await cron(second.app, 'webhook-deliveries')).json()).toMatchObject({ delivered: 1 });
      expect((await cron(second.app, 'webhook-deliveries')).json()).toMatchObject({ delivered: 0 });
      await sleep(200);
      expect(receiver.received).toHaveLength(1);
      expect(receiver.received[0]!.json.id).toBe(delivery.eventId);
      expect(verifySignature(receiver.received[0]!.headers['epoch-signature'], receiver.received[0]!.body, endpoint.secret)).toBe(true);
      const [after] = (await deliveriesOf(owner, endpoint.id, '', second.app)).json().deliveries;
      expect(after).toMatchObject({ status: 'delivered', attempts: 2, responseStatusCode: 200 });
    } finally {
      await first?.close();
      await second?.close();
      await receiver.stop();
      await database.close();
    }
  });

  it('two workers claiming at once never send the same delivery twice', async () => {
    const receiver = await startReceiver();
    try {
      const owner = await signedInOwner(app);
      await createEndpoint(owner, { url: receiver.url, events: ['booking.created'] });
      // Queued inside a transaction that is never kicked: only the workers below send them.
      await app.ctx.db.transaction(async (tx) => {
        for (let i = 0; i < 25; i++) await emitEvent(app.ctx, tx, owner.organizationId, 'booking.created', { booking: { uid: `b${i}` } });
      });
      const rounds = await Promise.all(Array.from({ length: 4 }, () => deliverDue(app.ctx, 10)));
      expect(rounds.reduce((n, r) => n + r.delivered, 0)).toBe(rounds.reduce((n, r) => n + r.claimed, 0));
      await cron(app, 'webhook-deliveries');
      expect(receiver.received).toHaveLength(25);
      expect(new Set(receiver.received.map((r) => r.json.id)).size).toBe(25);
    } finally {
      await receiver.stop();
    }
  });
});

describe('webhook SSRF guard (no test override)', () => {
  let plain: TestApp;
  beforeAll(async () => {
    plain = await buildTestApp();
  });
  afterAll(() => plain.close());

  it('refuses private, loopback, link-local and metadata URLs at create and update', async () => {
    const owner = await signedInOwner(plain.app);
    const post = (url: string) => plain.app.inject({ method: 'POST', url: '/api/webhook-endpoints', headers: as(owner.cookie), payload: { url, events: ['call.ended'] } });
    for (const url of [
      'http://127.0.0.1:8080/hook',
      'http://localhost/hook',
      'http://[::1]/hook',
      'http://10.0.0.5/hook',
      'https://192.168.1.1/hook',
      'http://169.254.169.254/latest/meta-data',
      'http://[::ffff:127.0.0.1]/hook',
      'http://0.0.0.0/hook',
      'http://100.64.0.1/hook',
    ]) {
      const res = await post(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
      expect(res.json().details).toEqual([{ field: 'body.url', message: expect.any(String) }]);
    }
    const ok = await post('https://93.184.215.14/hooks');
    expect(ok.statusCode, ok.body).toBe(201);
    const patch = await plain.app.inject({ method: 'PATCH', url: `/api/webhook-endpoints/${ok.json().id}`, headers: as(owner.cookie), payload: { url: 'http://10.1.2.3/x' } });
    expect(patch.statusCode).toBe(400);
  });

  it('checks the URL again at delivery time and never connects to a private address', async () => {
    const owner = await signedInOwner(plain.app);
    // As if DNS had changed since the URL was accepted.
    const [endpoint] = await plain.app.ctx.db
      .insert(webhookEndpoints)
      .values({
        organizationId: owner.organizationId,
        url: 'http://10.20.30.40/hook',
        events: ['call.ended'],
        encryptedSecret: encryptSecret('whsec_x', plain.config.encryptionKey),
        secretPrefix: 'whsec_x',
      })
      .returning();
    const res = await plain.app.inject({ method: 'POST', url: `/api/webhook-endpoints/${endpoint!.id}/test`, headers: as(owner.cookie) });
    expect(res.json().delivery).toMatchObject({ status: 'dead', responseStatusCode: null, error: expect.stringMatching(/private address/) });
    const rows = await plain.app.ctx.db.select().from(webhookDeliveries).where(and(eq(webhookDeliveries.endpointId, endpoint!.id)));
    expect(rows).toHaveLength(1);
  });
});

describe('webhook URLs: no DNS at save, DNS and the guard at each attempt', () => {
  let plain: TestApp;
  beforeAll(async () => {
    plain = await buildTestApp();
  });
  afterAll(() => plain.close());

  it('saves a URL whose host does not resolve; the attempt fails with the reason in the delivery log', async () => {
    const owner = await signedInOwner(plain.app);
    const res = await plain.app.inject({
      method: 'POST',
      url: '/api/webhook-endpoints',
      headers: as(owner.cookie),
      payload: { url: 'https://hooks.epoch-voice-test.invalid/in', events: ['call.ended'] },
    });
    expect(res.statusCode, res.body).toBe(201);
    const test = await plain.app.inject({ method: 'POST', url: `/api/webhook-endpoints/${res.json().id}/test`, headers: as(owner.cookie) });
    expect(test.statusCode).toBe(200);
    expect(test.json().delivery).toMatchObject({ eventType: 'ping', status: 'dead', attempts: 1, responseStatusCode: null, error: expect.stringMatching(/Could not resolve hooks\.epoch-voice-test\.invalid/) });
    const log = await plain.app.inject({ url: `/api/webhook-endpoints/${res.json().id}/deliveries`, headers: as(owner.cookie) });
    expect(log.json().deliveries[0]).toMatchObject({ id: test.json().delivery.id, error: expect.stringMatching(/Could not resolve/) });
  });
});

describe('sandbox webhook receiver', () => {
  let s: Listening;
  beforeAll(async () => {
    s = await buildListeningApp(); // no loopback override: only our own receiver may be reached
  });
  afterAll(() => s.close());

  it('takes an endpoint pointing at it, verifies the signed ping and lists it; other loopback URLs stay refused', async () => {
    const owner = await signedInOwner(s.app);
    const suggested = await s.app.inject({ url: '/api/sandbox/webhook-receiver', headers: as(owner.cookie) });
    expect(suggested.statusCode).toBe(200);
    const receiverUrl = suggested.json().url as string;
    expect(receiverUrl).toMatch(new RegExp(`^${s.baseUrl}/sandbox/webhook-receiver/[A-Za-z0-9_-]+$`));

    const endpoint = await createEndpoint(owner, { url: receiverUrl, events: ['call.ended'] }, s.app);
    const test = await s.app.inject({ method: 'POST', url: `/api/webhook-endpoints/${endpoint.id}/test`, headers: as(owner.cookie) });
    expect(test.json().delivery, test.body).toMatchObject({ status: 'delivered', responseStatusCode: 200, error: null });

    const forged = await fetch(receiverUrl, { method: 'POST', headers: { 'content-type': 'application/json', 'epoch-signature': 't=1,v1=00' }, body: '{"id":"x","type":"ping"}' });
    expect(forged.status).toBe(401);

    const seen = (await (await fetch(receiverUrl)).json()) as { deliveries: Array<{ eventType: string; signatureValid: boolean; endpointId: string | null; eventId: string }> };
    expect(seen.deliveries).toHaveLength(2);
    expect(seen.deliveries).toContainEqual(expect.objectContaining({ eventType: 'ping', signatureValid: true, endpointId: endpoint.id, eventId: test.json().delivery.eventId }));
    expect(seen.deliveries).toContainEqual(expect.objectContaining({ signatureValid: false, endpointId: null }));

    for (const url of [`${s.baseUrl}/api/health`, `${s.baseUrl.replace('127.0.0.1', 'localhost')}/x`]) {
      const res = await s.app.inject({ method: 'POST', url: '/api/webhook-endpoints', headers: as(owner.cookie), payload: { url, events: ['call.ended'] } });
      expect(res.statusCode, url).toBe(400);
    }
  });

  it('is not there outside the sandbox, where its URL is a loopback address like any other', async () => {
    const prod = await buildTestApp({ env: { SANDBOX: '0' } });
    try {
      const owner = await signedInOwner(prod.app);
      const url = `${prod.config.appUrl}/sandbox/webhook-receiver/abc`;
      const res = await prod.app.inject({ method: 'POST', url: '/api/webhook-endpoints', headers: as(owner.cookie), payload: { url, events: ['call.ended'] } });
      expect(res.statusCode).toBe(400);
      expect(res.json().details).toEqual([{ field: 'body.url', message: expect.stringMatching(/loopback/) }]);
      expect((await prod.app.inject({ url: '/sandbox/webhook-receiver/abc' })).statusCode).toBe(404);
    } finally {
      await prod.close();
    }
  });
});
