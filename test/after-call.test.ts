import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { buildApp } from '../src/app.js';
import { buildListeningApp, freshDatabase, parsedLogs, testConfig } from './helpers/app.js';
import { joinAsMember, ownerWithAssistant, signedInOwner } from './helpers/factories.js';
import { endOfCallReport, postVapi } from './helpers/vapi.js';
import { a2pRegistrations, followUps, mailOutbox, notifications } from '../src/db/schema/index.js';
import { twilioStores } from '../src/sandbox/twilio/shared.js';
import { vapiStores } from '../src/sandbox/vapi/shared.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const call = (who: { cookie: string }, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  app.inject({ method, url, payload, headers: { cookie: who.cookie } });
const cron = (job: string) => app.inject({ url: `/api/cron/${job}`, headers: { authorization: 'Bearer test-cron-secret' } });

const OWNER_PHONE = '+15557654321';
const CALLER = '+15552013344';
const CALLBACK_CALL =
  'AI: Thanks for calling Acme Plumbing.\nUser: Hi, this is Dana Reyes. I would like a quote for a new water heater.\nAI: Of course. Someone will get back to you.\nUser: Great, please call me back this afternoon.';

/** A Pro owner with a number and an approved A2P campaign (the A2P flow itself is sms-a2p.test.ts), opted in to email and SMS. */
async function proOwnerReadyToText(prefs: object = {}) {
  const { owner, vapiAssistantId } = await ownerWithAssistant(app, { plan: 'PRO' });
  const number = (await call(owner, 'POST', '/api/phone-numbers', { areaCode: '415' })).json().phoneNumber as string;
  await app.ctx.db
    .insert(a2pRegistrations)
    .values({ organizationId: owner.organizationId, status: 'CAMPAIGN_APPROVED' })
    .onConflictDoUpdate({ target: a2pRegistrations.organizationId, set: { status: 'CAMPAIGN_APPROVED' } });
  const put = await call(owner, 'PUT', '/api/notifications/preferences', { email: true, sms: true, smsNumber: OWNER_PHONE, trigger: 'follow_up_only', ...prefs });
  expect(put.statusCode).toBe(200);
  return { owner, vapiAssistantId, number };
}

const simulate = (assistantId: string, body: object = {}) =>
  app.inject({ method: 'POST', url: '/sandbox/vapi/simulate-call', payload: { assistantId, customerNumber: CALLER, transcript: CALLBACK_CALL, ...body } });

const mailsTo = (to: string) => app.ctx.db.select().from(mailOutbox).where(eq(mailOutbox.to, to));
const textsFrom = async (from: string) => (await twilioStores(app.ctx.db).messages.list({ limit: 10_000 })).filter((m) => m.from === from);
const notificationsOf = (who: { cookie: string }, callId: string) => call(who, 'GET', `/api/notifications?callId=${callId}`).then((r) => r.json().notifications);

/** Polls until `check` passes: notifications go out in the background within seconds. */
async function eventually(check: () => Promise<void>, ms = 5000) {
  const until = Date.now() + ms;
  for (;;) {
    try {
      return await check();
    } catch (err) {
      if (Date.now() > until) throw err;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function onlyCall(owner: Owner) {
  const calls = (await call(owner, 'GET', '/api/calls')).json().calls;
  expect(calls).toHaveLength(1);
  return calls[0];
}

describe('call outcome', () => {
  it('every assistant created or updated at VAPI carries the structured-data plan', async () => {
    const { remote } = await ownerWithAssistant(app, { plan: 'PRO' });
    const stored = async () => (await vapiStores(app.ctx.db).assistants.get(remote.id))!.analysisPlan as { structuredDataPlan: { enabled: boolean; schema: { properties: object; required: string[] } } };
    expect((await stored()).structuredDataPlan).toMatchObject({ enabled: true, schema: { type: 'object' } });
    expect(Object.keys((await stored()).structuredDataPlan.schema.properties).sort()).toEqual(
      ['appointmentBooked', 'callbackNumber', 'callbackRequested', 'callerName', 'category', 'reason', 'urgent'].sort(),
    );
    const docs = vapiStores(app.ctx.db).assistants;
    await docs.put(remote.id, { ...(await docs.get(remote.id))!, analysisPlan: undefined });
    await app.ctx.providers.vapi.updateAssistant(remote.id, { name: 'Front desk' });
    expect((await stored()).structuredDataPlan.enabled).toBe(true);
  });

  it('a simulated call asking for a callback: outcome, one open follow-up, one email and one SMS, within seconds', async () => {
    const { owner, vapiAssistantId, number } = await proOwnerReadyToText();
    expect((await simulate(vapiAssistantId)).statusCode).toBe(200);
    const stored = await onlyCall(owner);
    expect(stored.outcome).toEqual({
      callerName: 'Dana Reyes',
      reason: 'I would like a quote for a new water heater.',
      category: 'quote',
      urgent: false,
      callbackRequested: true,
      callbackNumber: CALLER,
      appointmentBooked: false,
    });
    const detail = (await call(owner, 'GET', `/api/calls/${stored.id}`)).json();
    expect(detail.call.outcome).toEqual(stored.outcome);
    expect(detail.followUp).toMatchObject({ status: 'open', callerName: 'Dana Reyes', callbackNumber: CALLER });
    expect((await call(owner, 'GET', '/api/follow-ups?status=open')).json().followUps).toHaveLength(1);
    expect((await call(owner, 'GET', '/api/usage')).json().openFollowUps).toBe(1);

    await eventually(async () => {
      expect((await notificationsOf(owner, stored.id)).map((n: { channel: string; status: string }) => `${n.channel}:${n.status}`).sort()).toEqual(['email:sent', 'sms:sent']);
    });
    const mails = await mailsTo(owner.email);
    expect(mails.filter((m) => m.subject.includes('Call from'))).toHaveLength(1);
    expect(mails.find((m) => m.subject.includes('Call from'))!.text).toContain(`/dashboard/calls/${stored.id}`);
    const texts = await textsFrom(number);
    expect(texts).toHaveLength(1);
    expect(texts[0]).toMatchObject({ to: OWNER_PHONE });
    expect(String(texts[0]!.body)).toContain('Dana Reyes');
  });

  it("shows a member a colleague's email but only the last four digits of their mobile number; an admin sees it whole", async () => {
    const { owner, vapiAssistantId } = await proOwnerReadyToText();
    await simulate(vapiAssistantId);
    const stored = await onlyCall(owner);
    await eventually(async () => expect(await notificationsOf(owner, stored.id)).toHaveLength(2));
    const mia = await joinAsMember(app, owner);
    const addresses = (list: Array<{ channel: string; to: string }>) => Object.fromEntries(list.map((n) => [n.channel, n.to]));
    expect(addresses(await notificationsOf(owner, stored.id))).toEqual({ email: owner.email, sms: OWNER_PHONE });
    expect(addresses(await notificationsOf(mia, stored.id))).toEqual({ email: owner.email, sms: '•••4321' });
    expect(addresses((await call(mia, 'GET', '/api/notifications')).json().notifications)).toEqual({ email: owner.email, sms: '•••4321' });
    const admin = await joinAsMember(app, owner, { role: 'admin', name: 'Ada' });
    expect(addresses(await notificationsOf(admin, stored.id))).toEqual({ email: owner.email, sms: OWNER_PHONE });
  });

  it('the same after the report is delivered 50 times concurrently, and again by the sync job', async () => {
    const { owner, vapiAssistantId, number } = await proOwnerReadyToText();
    const report = endOfCallReport({ assistantId: vapiAssistantId, customer: CALLER, startedAt: new Date(Date.now() - 120_000), seconds: 60 });
    const analysis = report.message.analysis as Record<string, unknown>;
    analysis.structuredData = { callerName: 'Dana', reason: 'Needs a callback.', category: 'question', urgent: false, callbackRequested: true, appointmentBooked: false };
    const answers = await Promise.all(Array.from({ length: 50 }, () => postVapi(app, report)));
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    const stored = await onlyCall(owner);
    expect(stored.outcome).toMatchObject({ callbackRequested: true, callbackNumber: CALLER });
    await eventually(async () => {
      expect((await notificationsOf(owner, stored.id)).map((n: { status: string }) => n.status)).toEqual(['sent', 'sent']);
    });
    await cron('notifications');
    expect(await app.ctx.db.select().from(followUps).where(eq(followUps.callId, stored.id))).toHaveLength(1);
    expect((await mailsTo(owner.email)).filter((m) => m.subject.includes('Call from'))).toHaveLength(1);
    expect(await textsFrom(number)).toHaveLength(1);
  });

  it('a report whose call was missed is recorded by the sync job with its outcome, and notifies the same way', async () => {
    const { owner, vapiAssistantId, number } = await proOwnerReadyToText();
    expect((await simulate(vapiAssistantId, { deliver: false })).statusCode).toBe(200);
    expect((await cron('sync-calls')).statusCode).toBe(200);
    const stored = await onlyCall(owner);
    expect(stored.outcome).toMatchObject({ callbackRequested: true, category: 'quote' });
    await eventually(async () => expect(await textsFrom(number)).toHaveLength(1));
    await cron('sync-calls');
    await cron('notifications');
    expect(await textsFrom(number)).toHaveLength(1);
  });

  it('a malformed or missing outcome stores null and never fails the webhook', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(app, { plan: 'PRO' });
    const bad = endOfCallReport({ assistantId: vapiAssistantId });
    (bad.message.analysis as Record<string, unknown>).structuredData = { category: 'weather', urgent: 'very' };
    expect((await postVapi(app, bad)).statusCode).toBe(200);
    const missing = endOfCallReport({ assistantId: vapiAssistantId });
    expect((await postVapi(app, missing)).statusCode).toBe(200);
    const calls = (await call(owner, 'GET', '/api/calls')).json().calls;
    expect(calls.map((c: { outcome: unknown }) => c.outcome)).toEqual([null, null]);
    expect((await call(owner, 'GET', '/api/follow-ups')).json().followUps).toEqual([]);
  });

  it('spam and blocked callers notify no one and open no follow-up; a voicemail opens one', async () => {
    const { owner, vapiAssistantId, number } = await proOwnerReadyToText();
    await simulate(vapiAssistantId, { transcript: 'User: Hi, this is about your car warranty. Please call me back.' });
    expect((await call(owner, 'POST', '/api/blocked-numbers', { number: '+15550009999' })).statusCode).toBe(201);
    await simulate(vapiAssistantId, { customerNumber: '+15550009999' });
    await simulate(vapiAssistantId, { customerNumber: '+15550008888', transcript: 'User: Hello?', endedReason: 'voicemail' });
    const open = (await call(owner, 'GET', '/api/follow-ups')).json().followUps;
    expect(open.map((f: { customerNumber: string; voicemail: boolean }) => [f.customerNumber, f.voicemail])).toEqual([['+15550008888', true]]);
    await eventually(async () => expect(await textsFrom(number)).toHaveLength(1));
    const rows = await app.ctx.db.select().from(notifications).where(eq(notifications.organizationId, owner.organizationId));
    expect(rows).toHaveLength(2); // the voicemail's email and SMS only
  });
});

describe('quiet hours', () => {
  it('hold an SMS until the window ends (email goes at once), then send it; never dropped', async () => {
    // A window from one hour ago to two hours ahead, in the organization's zone (the default, New York).
    const local = (offsetMin: number) =>
      new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(app.ctx.now().getTime() + offsetMin * 60_000));
    const { owner, vapiAssistantId, number } = await proOwnerReadyToText({ quietHours: { start: local(-60), end: local(120) } });
    await simulate(vapiAssistantId);
    const stored = await onlyCall(owner);
    await eventually(async () => {
      const byChannel = Object.fromEntries((await notificationsOf(owner, stored.id)).map((n: { channel: string }) => [n.channel, n]));
      expect(byChannel.email.status).toBe('sent');
      expect(byChannel.sms.status).toBe('pending');
      const heldUntil = new Date(byChannel.sms.nextAttemptAt).getTime() - app.ctx.now().getTime();
      expect(heldUntil).toBeGreaterThan(118 * 60_000);
      expect(heldUntil).toBeLessThanOrEqual(120 * 60_000);
    });
    t.clock.advance(60 * 60_000);
    await cron('notifications');
    expect(await textsFrom(number)).toHaveLength(0);
    t.clock.advance(61 * 60_000);
    await cron('notifications');
    expect(await textsFrom(number)).toHaveLength(1);
    expect((await notificationsOf(owner, stored.id)).every((n: { status: string }) => n.status === 'sent')).toBe(true);
  });
});

describe('follow-up inbox', () => {
  it('done with a note, reopen and assign record who and when; the assignee sees it; other organizations get 404', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(app, { plan: 'PRO' });
    await simulate(vapiAssistantId);
    const [followUp] = (await call(owner, 'GET', '/api/follow-ups')).json().followUps;
    const mia = await joinAsMember(app, owner);

    const stranger = await signedInOwner(app);
    const strangerMember = await signedInOwner(app);
    for (const [url, payload] of [['done', {}], ['reopen', undefined], ['assign', { userId: stranger.userId }]] as const) {
      expect((await call(stranger, 'POST', `/api/follow-ups/${followUp.callId}/${url}`, payload)).statusCode).toBe(404);
    }
    expect((await call(stranger, 'GET', `/api/notifications?callId=${followUp.callId}`)).statusCode).toBe(404);
    expect((await call(stranger, 'GET', '/api/follow-ups')).json().followUps).toEqual([]);

    const assignOutsider = await call(owner, 'POST', `/api/follow-ups/${followUp.callId}/assign`, { userId: strangerMember.userId });
    expect(assignOutsider.statusCode).toBe(400);
    expect(JSON.stringify(assignOutsider.json().details)).toContain('userId');
    const assigned = await call(owner, 'POST', `/api/follow-ups/${followUp.callId}/assign`, { userId: mia.userId });
    expect(assigned.json().followUp).toMatchObject({ assignedTo: mia.userId, assigneeName: 'Mia', assignedAt: expect.any(String) });
    const mine = (await call(mia, 'GET', '/api/follow-ups?assignedTo=me')).json().followUps;
    expect(mine.map((f: { callId: string }) => f.callId)).toEqual([followUp.callId]);

    const done = await call(mia, 'POST', `/api/follow-ups/${followUp.callId}/done`, { note: 'Called back, booked Tuesday' });
    expect(done.json().followUp).toMatchObject({ status: 'done', doneBy: mia.userId, note: 'Called back, booked Tuesday', doneAt: expect.any(String) });
    expect((await call(owner, 'GET', '/api/follow-ups?status=open')).json().followUps).toEqual([]);
    expect((await call(owner, 'GET', '/api/follow-ups?status=done')).json().followUps).toHaveLength(1);
    expect((await call(owner, 'GET', '/api/usage')).json().openFollowUps).toBe(0);
    const reopened = await call(owner, 'POST', `/api/follow-ups/${followUp.callId}/reopen`);
    expect(reopened.json().followUp).toMatchObject({ status: 'open', doneAt: null, reopenedAt: expect.any(String) });
    expect((await call(owner, 'POST', `/api/follow-ups/${followUp.callId}/done`, { note: 'x'.repeat(1001) })).statusCode).toBe(400);
    expect((await call(owner, 'GET', '/api/follow-ups?status=later')).statusCode).toBe(400);
  });

  it('pages newest first with a cursor', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(app, { plan: 'PRO' });
    for (let i = 0; i < 3; i++) await simulate(vapiAssistantId, { customerNumber: `+1555000100${i}` });
    const first = (await call(owner, 'GET', '/api/follow-ups?limit=2')).json();
    expect(first.followUps.map((f: { customerNumber: string }) => f.customerNumber)).toEqual(['+15550001002', '+15550001001']);
    const second = (await call(owner, 'GET', `/api/follow-ups?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second).toMatchObject({ nextCursor: null, followUps: [{ customerNumber: '+15550001000' }] });
    expect((await call(owner, 'GET', '/api/follow-ups?cursor=nope')).statusCode).toBe(400);
  });
});

describe('notification preferences', () => {
  it('defaults to email on follow-ups for owners; validates what is saved', async () => {
    const owner = await signedInOwner(app);
    expect((await call(owner, 'GET', '/api/notifications/preferences')).json().preferences).toEqual({
      email: true,
      sms: false,
      smsNumber: null,
      trigger: 'follow_up_only',
      quietHours: null,
    });
    const noNumber = await call(owner, 'PUT', '/api/notifications/preferences', { email: true, sms: true, trigger: 'every_call' });
    expect(noNumber.statusCode).toBe(400);
    expect(JSON.stringify(noNumber.json().details)).toContain('smsNumber');
    expect((await call(owner, 'PUT', '/api/notifications/preferences', { email: true, sms: false, trigger: 'off', quietHours: { start: '25:00', end: '07:00' } })).statusCode).toBe(400);
    const saved = await call(owner, 'PUT', '/api/notifications/preferences', { email: false, sms: true, smsNumber: OWNER_PHONE, trigger: 'every_call', quietHours: { start: '22:00', end: '07:00' } });
    expect(saved.json().preferences).toEqual({ email: false, sms: true, smsNumber: OWNER_PHONE, trigger: 'every_call', quietHours: { start: '22:00', end: '07:00' } });
  });
});

describe('the start-up kick', () => {
  it('due after the app has closed, does nothing (no query on the closed database)', async () => {
    const logs = parsedLogs();
    const database = await freshDatabase();
    const early = await buildApp(testConfig({ LOG_LEVEL: 'info' }), { database, logStream: logs.stream });
    await early.ready();
    await early.close();
    await database.close();
    await new Promise((r) => setTimeout(r, 1_300));
    expect(logs.lines.filter((l) => Number(l.level) >= 50)).toEqual([]);
  });
});
