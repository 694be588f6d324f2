import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { buildListeningApp } from './helpers/app.js';
import { signedInOwner, ownerWithAssistant as makeOwnerWithAssistant } from './helpers/factories.js';
import { bookings, calendarConnections } from '../src/db/schema/index.js';
import { sectionBody } from '../src/domain/prompt.js';

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
const CAL_KEY = 'cal_test_acme_dental_key';

const ownerWithAssistant = (plan = 'ADVANCED') => makeOwnerWithAssistant(app, { plan, organizationName: 'Acme Dental' });

describe('calendar', () => {
  it('connects Cal.com: key validated and stored encrypted, tools and section added; disconnect removes them', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant();
    const res = await call(owner, 'POST', '/api/calendar/connect', { provider: 'CAL_COM', apiKey: CAL_KEY, eventTypeId: 1001 });
    expect(res.json()).toEqual({ success: true, provider: 'CAL_COM' });
    const [stored] = await app.ctx.db.select().from(calendarConnections).where(eq(calendarConnections.organizationId, owner.organizationId));
    expect(stored!.encryptedApiKey).toMatch(/^v1:/);
    expect(stored!.encryptedApiKey).not.toContain(CAL_KEY);
    expect(stored!.encryptionKeyId).toHaveLength(12);

    let remote = await app.ctx.providers.vapi.getAssistant(vapiAssistantId);
    expect(remote.tools.map((tool) => (tool.type === 'function' ? tool.name : tool.type))).toEqual(['check_availability', 'book_appointment']);
    expect(sectionBody(remote.systemPrompt, 'calendar')).toMatch(/book_appointment/);

    const status = (await call(owner, 'GET', '/api/calendar/status')).json();
    expect(status).toMatchObject({ connected: true, provider: 'CAL_COM', config: { eventTypeId: 1001 }, canEdit: true });
    const test = (await call(owner, 'GET', '/api/calendar/test')).json();
    expect(test.ok).toBe(true);
    expect(test.steps.map((s: { name: string }) => s.name)).toEqual(['org_lookup', 'plan_check', 'credential_decrypt', 'cal_com_api']);

    expect((await call(owner, 'POST', '/api/calendar/disconnect', {})).json()).toEqual({ success: true });
    remote = await app.ctx.providers.vapi.getAssistant(vapiAssistantId);
    expect(remote.tools).toEqual([]);
    expect(sectionBody(remote.systemPrompt, 'calendar')).toMatch(/cannot book/);
    expect((await call(owner, 'GET', '/api/calendar/status')).json().connected).toBe(false);
    expect((await call(owner, 'POST', '/api/calendar/disconnect', {})).statusCode).toBe(404);
  });

  it("lists the Cal.com account's event types for the picker; a refused key is a plain 400 on apiKey", async () => {
    const { owner } = await ownerWithAssistant('ADVANCED');
    const res = await call(owner, 'POST', '/api/calendar/event-types', { apiKey: CAL_KEY });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual([
      { id: 1001, title: '30 Minute Meeting', length: 30 },
      { id: 1002, title: '60 Minute Consultation', length: 60 },
    ]);
    const refused = await call(owner, 'POST', '/api/calendar/event-types', { apiKey: 'cal_invalid' });
    expect(refused.statusCode).toBe(400);
    const message = 'Cal.com did not accept this API key. Copy it again from Cal.com (Settings → Developer → API keys) and paste it whole.';
    expect(refused.json()).toEqual({ error: message, code: 'BAD_REQUEST', details: [{ field: 'body.apiKey', message }] });
    expect((await call(owner, 'POST', '/api/calendar/event-types', { apiKey: 'sk_not_cal_key' })).statusCode).toBe(400);
    // Nothing was stored: listing is not connecting.
    expect((await call(owner, 'GET', '/api/calendar/status')).json().connected).toBe(false);
    const starter = await ownerWithAssistant('STARTER');
    expect((await call(starter.owner, 'POST', '/api/calendar/event-types', { apiKey: CAL_KEY })).statusCode).toBe(403);
  });

  it('refuses bad keys, unknown event types and plans below Advanced', async () => {
    const { owner } = await ownerWithAssistant('ADVANCED');
    expect((await call(owner, 'POST', '/api/calendar/connect', { apiKey: 'cal_invalid', eventTypeId: 1001 })).statusCode).toBe(400);
    expect((await call(owner, 'POST', '/api/calendar/connect', { apiKey: 'sk_not_cal_key', eventTypeId: 1001 })).statusCode).toBe(400);
    expect((await call(owner, 'POST', '/api/calendar/connect', { apiKey: CAL_KEY, eventTypeId: 424242 })).statusCode).toBe(400);
    const starter = await ownerWithAssistant('STARTER');
    expect((await call(starter.owner, 'POST', '/api/calendar/connect', { apiKey: CAL_KEY, eventTypeId: 1001 })).statusCode).toBe(403);
    const test = (await call(starter.owner, 'GET', '/api/calendar/test')).json();
    expect(test).toMatchObject({ ok: false, steps: [{ name: 'org_lookup', ok: false }] });
  });

  it('a simulated call checks availability, books a slot, ends, and shows in usage and call details', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant('PRO');
    await call(owner, 'POST', '/api/calendar/connect', { apiKey: 'cal_test_booking_flow', eventTypeId: 1001 });
    const today = new Date().toISOString().slice(0, 10);
    const inAWeek = new Date(Date.now() + 6 * 86_400_000).toISOString().slice(0, 10);
    const [slot] = await app.ctx.providers.calcom.listSlots('cal_test_booking_flow', { eventTypeId: 1001, start: today, end: inAWeek, timeZone: 'America/New_York' });
    expect(slot).toBeDefined();

    const sim = await app.inject({
      method: 'POST',
      url: '/sandbox/vapi/simulate-call',
      payload: {
        assistantId: vapiAssistantId,
        durationSeconds: 150,
        customerNumber: '+15559876543',
        transcript: 'AI: Thanks for calling Acme Dental.\nUser: I need a cleaning next week.',
        summary: 'Caller booked a cleaning.',
        toolCalls: [
          { name: 'check_availability', arguments: { date: today } },
          { name: 'book_appointment', arguments: { start: slot, name: 'Jane Doe', phone: '+15559876543' } },
        ],
      },
    });
    expect(sim.statusCode).toBe(200);
    expect(sim.json().deliveries.every((d: { status: number }) => d.status === 200)).toBe(true);

    const [booking] = await app.ctx.db.select().from(bookings).where(eq(bookings.organizationId, owner.organizationId));
    expect(booking).toMatchObject({ attendeeName: 'Jane Doe', attendeePhone: '+15559876543', vapiCallId: sim.json().callId });
    expect(booking!.startsAt.toISOString()).toBe(new Date(slot!).toISOString());

    const usage = (await call(owner, 'GET', '/api/usage')).json();
    expect(usage.snapshot.minutesUsed).toBe(2.5);
    const callId = usage.recentCalls[0].id;
    const details = (await call(owner, 'GET', `/api/calls/${callId}`)).json();
    expect(details.call.transcript).toContain('I need a cleaning next week.');
    const results = details.call.messages.filter((m: { role: string }) => m.role === 'tool_call_result').map((m: { result: string }) => m.result);
    expect(results[0]).toMatch(/^Open times/);
    expect(results[1]).toMatch(/^Booked /);

    // The same slot again is taken: the assistant hears so, the call still works.
    const again = await app.inject({
      method: 'POST',
      url: '/sandbox/vapi/simulate-call',
      payload: { assistantId: vapiAssistantId, toolCalls: [{ name: 'book_appointment', arguments: { start: slot, name: 'Joe' } }] },
    });
    expect(again.statusCode).toBe(200);
    expect(await app.ctx.db.select().from(bookings).where(eq(bookings.organizationId, owner.organizationId))).toHaveLength(1);
  });
});
