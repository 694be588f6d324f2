import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import { buildListeningApp } from './helpers/app.js';
import { setPlan, signedInOwner, ownerWithAssistant as makeOwnerWithAssistant } from './helpers/factories.js';
import { endOfCallReport, postVapi, statusUpdate } from './helpers/vapi.js';
import { calls, organizations } from '../src/db/schema/index.js';
import { organizationWithUsage } from '../src/modules/billing/usage.repo.js';
import { queryRows } from '../src/db/client.js';
import { recordFinishedCall } from '../src/modules/calls/call-events.service.js';
import { parseEndOfCallReport } from '../src/domain/calls.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const get = (owner: Owner, url: string) => app.inject({ method: 'GET', url, headers: { cookie: owner.cookie } });
const cron = (job: string, secret = 'test-cron-secret') =>
  app.inject({ method: 'GET', url: `/api/cron/${job}`, headers: { authorization: `Bearer ${secret}` } });

const ownerWithAssistant = (plan = 'PRO') => makeOwnerWithAssistant(app, { plan });

const usedSeconds = async (organizationId: string) => (await organizationWithUsage(app.ctx.db, organizationId))!.usedSeconds;

describe('VAPI webhook', () => {
  it('stores an end-of-call report and counts its minutes once', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant('PRO');
    const report = endOfCallReport({ assistantId: vapiAssistantId, seconds: 192.4 });
    expect((await postVapi(app, report)).statusCode).toBe(200);
    expect((await postVapi(app, report)).statusCode).toBe(200);
    expect(await usedSeconds(owner.organizationId)).toBe(192);

    const list = (await get(owner, '/api/calls')).json();
    expect(list.calls).toHaveLength(1);
    const detail = (await get(owner, `/api/calls/${list.calls[0].id}`)).json();
    expect(detail.call).toMatchObject({
      vapiCallId: report.message.call.id,
      status: 'COMPLETED',
      durationMinutes: 3.2,
      customerNumber: '+15551234567',
      transcript: report.message.artifact.transcript,
      summary: 'Caller booked a cleaning Tue 3pm.',
      recordingUrl: 'https://rec.example/mono.wav',
    });
    expect(detail.features).toEqual({ transcripts: true, recordings: true });

    // The event row keeps the report's analysis and cost, not a second copy of the artifact.
    const [event] = await queryRows<{ payload: Record<string, unknown> }>(
      app.ctx.db,
      sql`select payload from webhook_events where event_key = ${`${report.message.call.id}:end-of-call-report`}`,
    );
    expect(event!.payload).toMatchObject({ type: 'end-of-call-report', analysis: report.message.analysis });
    expect(event!.payload).not.toHaveProperty('artifact');

    // The columns the API does not show are stored as reported too.
    const [row] = await app.ctx.db.select().from(calls).where(eq(calls.vapiCallId, report.message.call.id));
    expect(row).toMatchObject({
      type: 'inboundPhoneCall',
      startedAt: new Date(report.message.startedAt),
      endedAt: new Date(report.message.endedAt),
      endedReason: 'customer-ended-call',
      costCents: 31,
    });
  });

  it('keeps the call type a status update names (a web call from the widget), a phone call when it names none', async () => {
    const { vapiAssistantId } = await ownerWithAssistant('PRO');
    const update = statusUpdate(`call_web_${Date.now()}`, vapiAssistantId, 'in-progress');
    update.message.call.type = 'webCall';
    expect((await postVapi(app, update)).statusCode).toBe(200);
    const [row] = await app.ctx.db.select().from(calls).where(eq(calls.vapiCallId, update.message.call.id));
    expect(row).toMatchObject({ type: 'webCall', status: 'IN_PROGRESS' });

    // One that names no type is a phone call, as most are.
    const untyped = statusUpdate(`call_untyped_${Date.now()}`, vapiAssistantId, 'ringing');
    delete (untyped.message.call as { type?: string }).type;
    expect((await postVapi(app, untyped)).statusCode).toBe(200);
    const [phone] = await app.ctx.db.select().from(calls).where(eq(calls.vapiCallId, untyped.message.call.id));
    expect(phone).toMatchObject({ type: 'inboundPhoneCall', status: 'RINGING' });
  });

  it('counts 50 concurrent deliveries of the same report once', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant();
    const report = endOfCallReport({ assistantId: vapiAssistantId, seconds: 60 });
    const answers = await Promise.all(Array.from({ length: 50 }, () => postVapi(app, report)));
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    expect(await usedSeconds(owner.organizationId)).toBe(60);
    expect((await get(owner, '/api/calls')).json().calls).toHaveLength(1);
  });

  it('counts a call once when the webhook and many sync-job stores race, and says which one claimed it', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant();
    const report = endOfCallReport({ assistantId: vapiAssistantId, seconds: 90 });
    const parsed = parseEndOfCallReport(report.message)!;
    const results = await Promise.all([
      recordFinishedCall(app.ctx, parsed, `${parsed.vapiCallId}:end-of-call-report`, report.message),
      ...Array.from({ length: 20 }, () => recordFinishedCall(app.ctx, parsed)),
    ]);
    expect(results.every((r) => r.outcome === 'stored')).toBe(true);
    expect(results.filter((r) => r.outcome === 'stored' && r.countedSeconds === 90)).toHaveLength(1);
    expect(await usedSeconds(owner.organizationId)).toBe(90);
    const [row] = await app.ctx.db.select().from(calls).where(eq(calls.vapiCallId, parsed.vapiCallId));
    expect(row!.usageCountedAt).not.toBeNull();
    expect(row!.usageClaim).not.toBeNull();
    // A later complete report finds the minutes claimed and counts nothing.
    expect(await recordFinishedCall(app.ctx, parsed)).toMatchObject({ outcome: 'stored', countedSeconds: 0 });
  });

  it('stores a report whose duration or cost cannot be a real call without counting them (never a 500)', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant();
    const decades = endOfCallReport({ assistantId: vapiAssistantId, startedAt: new Date('1970-01-01T00:00:00Z'), seconds: 4e9 });
    const costly = endOfCallReport({ assistantId: vapiAssistantId, seconds: 60 });
    (costly.message as Record<string, unknown>).cost = 1e300;
    const untimed = endOfCallReport({ assistantId: vapiAssistantId, seconds: 60 });
    Object.assign(untimed.message, { startedAt: undefined, endedAt: undefined, durationSeconds: -30 });
    for (const report of [decades, costly, untimed]) expect((await postVapi(app, report)).statusCode).toBe(200);
    expect((await get(owner, '/api/calls')).json().calls).toHaveLength(3);
    expect(await usedSeconds(owner.organizationId)).toBe(60);
  });

  it('answers 200 to a status update whose timestamp is not a date, and starts the call at our clock', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant();
    const update = statusUpdate('call_bad_clock', vapiAssistantId, 'in-progress');
    update.message.timestamp = 1e300;
    expect((await postVapi(app, update)).statusCode).toBe(200);
    const [row] = await app.ctx.db.select().from(calls).where(eq(calls.vapiCallId, 'call_bad_clock'));
    expect(row!.organizationId).toBe(owner.organizationId);
    expect(row!.startedAt).toBeInstanceOf(Date);
    expect(Number.isNaN(row!.startedAt!.getTime())).toBe(false);
  });

  it('moves a call forward through status updates and never back', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant();
    const callId = 'call_status_flow';
    await postVapi(app, statusUpdate(callId, vapiAssistantId, 'ringing'));
    await postVapi(app, statusUpdate(callId, vapiAssistantId, 'in-progress'));
    const status = () => get(owner, `/api/calls/outbound/status?vapiCallId=${callId}`).then((r) => r.json().status);
    expect(await status()).toBe('in-progress');
    await postVapi(app, endOfCallReport({ callId, assistantId: vapiAssistantId, seconds: 30 }));
    await postVapi(app, statusUpdate(callId, vapiAssistantId, 'in-progress'));
    expect(await status()).toBe('ended');
  });

  it('answers 200 and stores nothing for an unknown assistant; 401 for a wrong secret', async () => {
    const { owner } = await ownerWithAssistant();
    expect((await postVapi(app, endOfCallReport({ assistantId: 'asst_not_ours' }))).statusCode).toBe(200);
    expect((await get(owner, '/api/calls')).json().calls).toHaveLength(0);
    expect((await postVapi(app, endOfCallReport({ assistantId: 'x' }), 'wrong')).statusCode).toBe(401);
  });
});

describe('calls', () => {
  it('hides transcripts and recordings below their plans', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant('FREE');
    await postVapi(app, endOfCallReport({ assistantId: vapiAssistantId }));
    const id = (await get(owner, '/api/calls')).json().calls[0].id;
    const free = (await get(owner, `/api/calls/${id}`)).json();
    expect(free.call.transcript).toBeNull();
    expect(free.call.recordingUrl).toBeNull();
    expect(free.call.summary).toBe('Caller booked a cleaning Tue 3pm.');
    await setPlan(app, owner.organizationId, 'STARTER');
    const starter = (await get(owner, `/api/calls/${id}`)).json();
    expect(starter.call.transcript).not.toBeNull();
    expect(starter.call.recordingUrl).toBeNull();
  });

  it('pages newest first with a cursor', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant();
    for (let i = 0; i < 5; i++) await postVapi(app, endOfCallReport({ assistantId: vapiAssistantId, callId: `call_page_${i}` }));
    const first = (await get(owner, '/api/calls?limit=2')).json();
    expect(first.calls.map((c: { vapiCallId: string }) => c.vapiCallId)).toEqual(['call_page_4', 'call_page_3']);
    const second = (await get(owner, `/api/calls?limit=2&cursor=${first.nextCursor}`)).json();
    expect(second.calls.map((c: { vapiCallId: string }) => c.vapiCallId)).toEqual(['call_page_2', 'call_page_1']);
    const last = (await get(owner, `/api/calls?limit=2&cursor=${second.nextCursor}`)).json();
    expect(last.nextCursor).toBeNull();
    const garbage = await get(owner, '/api/calls?cursor=garbage');
    expect(garbage.statusCode).toBe(400);
    expect(garbage.json().details).toEqual([{ field: 'querystring.cursor', message: expect.any(String) }]);
  });

  it("answers 404 for another organization's call and outbound status", async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant();
    await postVapi(app, endOfCallReport({ assistantId: vapiAssistantId, callId: 'call_private' }));
    const id = (await get(owner, '/api/calls')).json().calls[0].id;
    const stranger = await signedInOwner(app);
    expect((await get(stranger, `/api/calls/${id}`)).statusCode).toBe(404);
    expect((await get(stranger, '/api/calls/outbound/status?vapiCallId=call_private')).statusCode).toBe(404);
    expect((await get(stranger, '/api/calls/not-a-uuid')).statusCode).toBe(400);
  });

  it('gates outbound calls to Enterprise, checks E.164 and minutes', async () => {
    const { owner } = await ownerWithAssistant('PRO');
    const dial = (number: string) =>
      app.inject({ method: 'POST', url: '/api/calls/outbound', headers: { cookie: owner.cookie }, payload: { customerNumber: number } });
    expect((await dial('+15559876543')).statusCode).toBe(403);
    await setPlan(app, owner.organizationId, 'ENTERPRISE', { minutesLimit: 0, overageEnabled: false });
    expect((await dial('555-9876')).statusCode).toBe(400);
    const noMinutes = await dial('+15559876543');
    expect(noMinutes.statusCode).toBe(402);
    expect(noMinutes.json().code).toBe('PAYMENT_REQUIRED');
  });
});

describe('cron jobs', () => {
  it('refuses a missing or wrong CRON_SECRET', async () => {
    expect((await app.inject('/api/cron/billing-reset')).statusCode).toBe(401);
    expect((await cron('billing-reset', 'nope')).statusCode).toBe(401);
  });

  it('resets ended cycles in one pass, jumping over missed months', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant();
    await postVapi(app, endOfCallReport({ assistantId: vapiAssistantId, seconds: 120 }));
    const now = t.clock.now();
    const longAgo = new Date(now.getTime() - 75 * 86_400_000);
    const oldStart = new Date(longAgo.getTime() - 30 * 86_400_000);
    // The call was counted during the old cycle, which ended 75 days ago.
    await app.ctx.db.update(calls).set({ usageCountedAt: new Date(oldStart.getTime() + 86_400_000) }).where(eq(calls.organizationId, owner.organizationId));
    await app.ctx.db.update(organizations).set({ cycleStart: oldStart, cycleEnd: longAgo }).where(eq(organizations.id, owner.organizationId));
    expect(await usedSeconds(owner.organizationId)).toBe(120);
    const res = await cron('billing-reset');
    expect(res.statusCode).toBe(200);
    expect(res.json().reset).toBeGreaterThanOrEqual(1);
    const [org] = await app.ctx.db.select().from(organizations).where(eq(organizations.id, owner.organizationId));
    expect(await usedSeconds(owner.organizationId)).toBe(0);
    expect(org!.cycleStart.getTime()).toBeLessThanOrEqual(now.getTime());
    expect(org!.cycleEnd.getTime()).toBeGreaterThan(now.getTime());
    expect((await cron('billing-reset')).json().reset).toBe(0);
  });

  it('recovers a call whose report never arrived, once', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant();
    const sim = await app.inject({
      method: 'POST',
      url: '/sandbox/vapi/simulate-call',
      payload: { assistantId: vapiAssistantId, durationSeconds: 90, deliver: false },
    });
    expect(sim.statusCode).toBe(200);
    expect(await usedSeconds(owner.organizationId)).toBe(0);
    const first = await cron('sync-calls');
    expect(first.statusCode).toBe(200);
    expect(first.json().synced).toBeGreaterThanOrEqual(1);
    expect(await usedSeconds(owner.organizationId)).toBe(90);
    const again = await cron('sync-calls');
    expect(again.json().errors).toBe(0);
    expect(await usedSeconds(owner.organizationId)).toBe(90);
  });
});

describe('usage', () => {
  it('reports minutes, plan, features and a daily history in one snapshot', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant('PRO');
    await postVapi(app, endOfCallReport({ assistantId: vapiAssistantId, seconds: 150, startedAt: new Date(Date.now() - 60_000 * 5) }));
    const res = await get(owner, '/api/usage?days=7');
    expect(res.statusCode).toBe(200);
    const u = res.json();
    expect(u.snapshot).toMatchObject({ minutesUsed: 2.5, minutesLimit: 500, percentUsed: 0.5 });
    expect(u.plan).toBe('PRO');
    expect(u.features).toMatchObject({ sms: true, outbound: false });
    expect(u.assistant.name).toBe('Reception AI');
    expect(u.history).toHaveLength(7);
    expect(u.history.reduce((s: number, d: { minutes: number }) => s + d.minutes, 0)).toBe(2.5);
    expect(u.recentCalls).toHaveLength(1);
    expect((await get(owner, '/api/usage?days=0')).statusCode).toBe(400);
    expect((await get(owner, '/api/usage?days=366')).statusCode).toBe(400);
  });

  it('shows 0% of a zero-minute limit an admin set while nothing is used, and a full meter once anything is', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant('PRO');
    await setPlan(app, owner.organizationId, 'PRO', { minutesLimit: 0 });
    const res = await get(owner, '/api/usage?days=7');
    expect(res.statusCode).toBe(200);
    expect(res.json().snapshot).toMatchObject({ minutesUsed: 0, minutesLimit: 0, percentUsed: 0 });
    // Overage billing may let calls through past a zero limit: every minute of them is over it.
    await postVapi(app, endOfCallReport({ assistantId: vapiAssistantId, seconds: 30, startedAt: new Date(Date.now() - 60_000) }));
    expect((await get(owner, '/api/usage?days=7')).json().snapshot).toMatchObject({ minutesUsed: 0.5, minutesLimit: 0, percentUsed: 100 });
  });

  it('counts a call early on the first day of the history (the business’s day, New York by default)', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant('PRO');
    // Move the clock to noon in New York, so the first day's 2 a.m. is well over 6 days ago.
    const time = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hour: 'numeric', minute: 'numeric', second: 'numeric', hourCycle: 'h23' });
    const sinceMidnight = (d: Date) => {
      const part = (type: string) => Number(time.formatToParts(d).find((p) => p.type === type)!.value);
      return ((part('hour') * 60 + part('minute')) * 60 + part('second')) * 1000;
    };
    const shift = 12 * 3_600_000 - sinceMidnight(app.ctx.now());
    t.clock.advance(shift);
    try {
      const now = app.ctx.now();
      const firstDayEarly = new Date(now.getTime() - sinceMidnight(now) - 6 * 86_400_000 + 2 * 3_600_000);
      await postVapi(app, endOfCallReport({ assistantId: vapiAssistantId, seconds: 120, startedAt: firstDayEarly }));
      const u = (await get(owner, '/api/usage?days=7')).json();
      expect(u.history[0]).toMatchObject({ calls: 1, minutes: 2 });
    } finally {
      t.clock.advance(-shift);
    }
  });
});
