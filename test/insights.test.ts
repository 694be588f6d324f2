import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { calls, phoneNumbers } from '../src/db/schema/index.js';
import { sectionBody } from '../src/domain/prompt.js';
import { organizationWithUsage } from '../src/modules/billing/usage.repo.js';
import { BLOCKED_CALLER_MESSAGE, NOT_IN_SERVICE_MESSAGE } from '../src/modules/insights/assistant-request.js';
import { buildListeningApp } from './helpers/app.js';
import { injectFault, joinAsMember, ownerWithAssistant, signedInOwner } from './helpers/factories.js';
import { postVapi } from './helpers/vapi.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
});
afterAll(() => t.close());

type Cookie = { cookie: string };
const req = (method: 'GET' | 'POST' | 'PUT' | 'DELETE', who: Cookie, url: string, payload?: object) =>
  app.inject({ method, url, headers: { cookie: who.cookie }, ...(payload ? { payload } : {}) });
const usedSeconds = async (organizationId: string) => (await organizationWithUsage(app.ctx.db, organizationId))!.usedSeconds;
const simulate = (assistantId: string, customerNumber: string, durationSeconds: number) =>
  app.inject({ method: 'POST', url: '/sandbox/vapi/simulate-call', payload: { assistantId, customerNumber, durationSeconds } });

describe('blocked numbers', () => {
  it('lists, blocks (E.164, once per organization) and unblocks; owner/admin only; 404 across organizations', async () => {
    const owner = await signedInOwner(app);
    expect((await req('GET', owner, '/api/blocked-numbers')).json()).toEqual({ blockedNumbers: [] });
    const created = await req('POST', owner, '/api/blocked-numbers', { number: '(415) 555-0123', reason: 'Spam' });
    expect(created.statusCode).toBe(201);
    expect(created.json().blockedNumber).toMatchObject({ number: '+14155550123', reason: 'Spam' });
    expect((await req('POST', owner, '/api/blocked-numbers', { number: '+14155550123' })).statusCode).toBe(409);
    const bad = await req('POST', owner, '/api/blocked-numbers', { number: 'call me maybe' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().code).toBe('VALIDATION_FAILED');
    expect((await req('GET', owner, '/api/blocked-numbers')).json().blockedNumbers).toHaveLength(1);

    // The same number may be blocked by another organization; each sees and removes only its own.
    const stranger = await signedInOwner(app);
    expect((await req('POST', stranger, '/api/blocked-numbers', { number: '+14155550123' })).statusCode).toBe(201);
    const id = created.json().blockedNumber.id;
    expect((await req('DELETE', stranger, `/api/blocked-numbers/${id}`)).statusCode).toBe(404);
    expect((await req('GET', stranger, '/api/blocked-numbers')).json().blockedNumbers).toHaveLength(1);

    // A member sees the list but cannot change it.
    const member = await joinAsMember(app, owner);
    expect((await req('GET', member, '/api/blocked-numbers')).json().blockedNumbers).toHaveLength(1);
    expect((await req('POST', member, '/api/blocked-numbers', { number: '+14155550199' })).statusCode).toBe(403);
    expect((await req('DELETE', member, `/api/blocked-numbers/${id}`)).statusCode).toBe(403);

    expect((await req('DELETE', owner, `/api/blocked-numbers/${id}`)).json()).toEqual({ success: true });
    expect((await req('DELETE', owner, `/api/blocked-numbers/${id}`)).statusCode).toBe(404);
    expect((await req('GET', owner, '/api/blocked-numbers')).json().blockedNumbers).toEqual([]);
    expect((await app.inject({ method: 'GET', url: '/api/blocked-numbers' })).statusCode).toBe(401);
  });

  it("a blocked number's simulated call stores no minutes; unblocking restores billing", async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(app);
    const spammer = '+15550001111';
    const blocked = await req('POST', owner, '/api/blocked-numbers', { number: spammer });
    expect(blocked.statusCode).toBe(201);

    const first = await simulate(vapiAssistantId, spammer, 120);
    expect(first.statusCode).toBe(200);
    expect(first.json().deliveries.every((d: { status: number }) => d.status === 200)).toBe(true);
    expect(await usedSeconds(owner.organizationId)).toBe(0);
    // The call is on record (so the business sees it was rejected), with no minutes counted.
    const stored = await app.ctx.db.select().from(calls).where(eq(calls.vapiCallId, first.json().callId));
    expect(stored[0]).toMatchObject({ customerNumber: spammer, durationSeconds: 120, usageCountedAt: null });

    // Another caller is billed as usual meanwhile.
    await simulate(vapiAssistantId, '+15550002222', 30);
    expect(await usedSeconds(owner.organizationId)).toBe(30);

    await req('DELETE', owner, `/api/blocked-numbers/${blocked.json().blockedNumber.id}`);
    await simulate(vapiAssistantId, spammer, 60);
    expect(await usedSeconds(owner.organizationId)).toBe(90);
  });

  it('answers assistant-request: the assistant for callers, a short rejection for blocked ones', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(app);
    const dialled = `+1555777${String(Date.now()).slice(-4)}`;
    await app.ctx.db.insert(phoneNumbers).values({
      organizationId: owner.organizationId,
      number: dialled,
      twilioPhoneNumberSid: `PN${Date.now()}`,
      vapiPhoneNumberId: `pn_ar_${owner.organizationId.slice(0, 8)}`,
    });
    const ask = (customer: string, by: 'number' | 'id' = 'number', number = dialled) =>
      postVapi(app, {
        message: {
          type: 'assistant-request',
          timestamp: Date.now(),
          call: {
            id: `call_ar_${Math.random().toString(36).slice(2)}`,
            type: 'inboundPhoneCall',
            status: 'ringing',
            ...(by === 'id' ? { phoneNumberId: `pn_ar_${owner.organizationId.slice(0, 8)}` } : {}),
            customer: { number: customer },
          },
          ...(by === 'number' ? { phoneNumber: { number } } : {}),
          customer: { number: customer },
        },
      });

    const started = performance.now();
    const welcome = await ask('+15550003333');
    expect(performance.now() - started).toBeLessThan(7500);
    expect(welcome.statusCode).toBe(200);
    expect(welcome.json()).toEqual({ assistantId: vapiAssistantId });
    expect((await ask('+15550003333', 'id')).json()).toEqual({ assistantId: vapiAssistantId });

    await req('POST', owner, '/api/blocked-numbers', { number: '+15550003333' });
    expect((await ask('+15550003333')).json()).toEqual({ error: BLOCKED_CALLER_MESSAGE });
    expect((await ask('+15550003333', 'id')).json()).toEqual({ error: BLOCKED_CALLER_MESSAGE });
    expect((await ask('+15550004444')).json()).toEqual({ assistantId: vapiAssistantId });
    expect((await ask('+15550004444', 'number', '+15550009999')).json()).toEqual({ error: NOT_IN_SERVICE_MESSAGE });
    // Still verified first.
    expect((await postVapi(app, { message: { type: 'assistant-request' } }, 'wrong-secret')).statusCode).toBe(401);
  });

  it('"block this caller" on a call blocks its number once; 404 for another organization\'s call', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(app);
    const played = await simulate(vapiAssistantId, '+15550005555', 45);
    const [call] = await app.ctx.db.select({ id: calls.id }).from(calls).where(eq(calls.vapiCallId, played.json().callId));
    const stranger = await signedInOwner(app);
    expect((await req('POST', stranger, `/api/calls/${call!.id}/block`)).statusCode).toBe(404);
    const first = await req('POST', owner, `/api/calls/${call!.id}/block`);
    expect(first.statusCode).toBe(201);
    expect(first.json()).toMatchObject({ alreadyBlocked: false, blockedNumber: { number: '+15550005555' } });
    const again = await req('POST', owner, `/api/calls/${call!.id}/block`);
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ alreadyBlocked: true, blockedNumber: { id: first.json().blockedNumber.id } });
    expect((await req('GET', owner, '/api/blocked-numbers')).json().blockedNumbers).toHaveLength(1);
  });
});

describe('after-hours behaviour and languages', () => {
  it('writes the after-hours choice into the hours section, on the business clock, VAPI first', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(app);
    const remotePrompt = async () => (await app.ctx.providers.vapi.getAssistant(vapiAssistantId)).systemPrompt;
    expect((await req('GET', owner, '/api/after-hours')).json()).toEqual({ afterHours: 'take-message' });
    const weekday = { open: '09:00', close: '17:00' };
    await req('PUT', owner, '/api/business-hours', { businessHours: { monday: weekday, tuesday: weekday }, timezone: 'America/Denver' });
    expect(sectionBody(await remotePrompt(), 'hours')).not.toContain('Outside these hours');

    const put = await req('PUT', owner, '/api/after-hours', { afterHours: 'book-only' });
    expect(put.json()).toEqual({ success: true, afterHours: 'book-only' });
    const hours = sectionBody(await remotePrompt(), 'hours')!;
    expect(hours).toContain('Business hours (America/Denver time): Monday to Tuesday, 9 AM to 5 PM');
    expect(hours).toContain('{{"now" | date: "%A %I:%M %p", "America/Denver"}}');
    expect(hours).toContain('do not transfer calls: offer to book an appointment');
    expect((await req('GET', owner, '/api/after-hours')).json()).toEqual({ afterHours: 'book-only' });

    // The sentence follows later changes of the hours themselves.
    await req('PUT', owner, '/api/business-hours', { businessHours: { friday: weekday }, timezone: 'America/Chicago' });
    const rewritten = sectionBody(await remotePrompt(), 'hours')!;
    expect(rewritten).toContain('"America/Chicago"');
    expect(rewritten).toContain('offer to book an appointment');

    // VAPI first: when it refuses, nothing is saved.
    await injectFault(app, 'vapi', 400, 1);
    const refused = await req('PUT', owner, '/api/after-hours', { afterHours: 'transfer-anyway' });
    expect(refused.statusCode).toBe(502);
    expect((await req('GET', owner, '/api/after-hours')).json()).toEqual({ afterHours: 'book-only' });

    await req('PUT', owner, '/api/after-hours', { afterHours: 'transfer-anyway' });
    expect(sectionBody(await remotePrompt(), 'hours')).toContain('transfer those who ask for a person');
    expect((await req('PUT', owner, '/api/after-hours', { afterHours: 'hang-up' })).statusCode).toBe(400);
  });

  it('tells the persona which languages to answer in', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(app);
    const persona = async () => sectionBody((await app.ctx.providers.vapi.getAssistant(vapiAssistantId)).systemPrompt, 'persona')!;
    expect((await req('GET', owner, '/api/languages')).json()).toEqual({ languages: ['en'] });
    const put = await req('PUT', owner, '/api/languages', { languages: ['en', 'ES'] });
    expect(put.json()).toEqual({ success: true, languages: ['en', 'es'] });
    expect(await persona()).toContain('You speak English and Spanish: reply in the language the caller uses when it is one of these, otherwise in English.');
    for (const bad of [[], ['zz'], ['english'], ['en', 'en'], ['en', 'es', 'fr', 'de', 'it', 'pt']]) {
      expect((await req('PUT', owner, '/api/languages', { languages: bad })).statusCode, JSON.stringify(bad)).toBe(400);
    }
    await req('PUT', owner, '/api/languages', { languages: ['en'] });
    expect(await persona()).not.toContain('You speak');
  });
});
