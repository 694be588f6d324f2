import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq } from 'drizzle-orm';
import { buildListeningApp } from './helpers/app.js';
import { ownerWithAssistant, setPlan } from './helpers/factories.js';
import { endOfCallReport, postVapi } from './helpers/vapi.js';
import { a2pRegistrations, smsMessages } from '../src/db/schema/index.js';
import { parseEndOfCallReport } from '../src/domain/calls.js';
import { recordFinishedCall } from '../src/modules/calls/call-events.service.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof ownerWithAssistant>>['owner'];
const call = (owner: Owner, method: 'GET' | 'POST' | 'PUT', url: string, payload?: object) =>
  app.inject({ method, url, payload, headers: { cookie: owner.cookie } });

/** A Pro office with a number and an approved A2P campaign (the approval itself is sms-a2p.test's subject). */
async function textingOffice(name = 'Acme Dental') {
  const { owner, vapiAssistantId } = await ownerWithAssistant(app, { plan: 'PRO', organizationName: name });
  const number = (await call(owner, 'POST', '/api/phone-numbers', { areaCode: '415' })).json().phoneNumber as string;
  await app.ctx.db.insert(a2pRegistrations).values({ organizationId: owner.organizationId, status: 'CAMPAIGN_APPROVED' });
  return { owner, number, vapiAssistantId };
}

const textIn = async (from: string, to: string, body: string) => {
  const res = await app.inject({ method: 'POST', url: '/sandbox/twilio/simulate-inbound-sms', payload: { from, to, body } });
  expect(res.statusCode).toBe(200);
};

const sentTo = (organizationId: string, to: string) =>
  app.ctx.db
    .select({ body: smsMessages.body })
    .from(smsMessages)
    .where(and(eq(smsMessages.organizationId, organizationId), eq(smsMessages.direction, 'OUTBOUND'), eq(smsMessages.to, to)));

/** A call the caller hung up on during the greeting: only the assistant spoke. */
function missedCall(vapiAssistantId: string, customer: string) {
  const report = endOfCallReport({ assistantId: vapiAssistantId, seconds: 4, customer, startedAt: new Date(t.clock.now().getTime() - 60_000) });
  report.message.artifact.transcript = 'AI: Thanks for calling Acme Dental, how can I';
  return report;
}

describe('texts as threads', () => {
  it('groups texts per other party with unread counts, shows a thread oldest first, and marks it read', async () => {
    const { owner, number } = await textingOffice();
    await textIn('+15557650001', number, 'Do you take walk-ins?');
    await textIn('+15557650002', number, 'Running late');
    await textIn('+15557650001', number, 'Also, parking?');
    const reply = await call(owner, 'POST', '/api/sms/send', { to: '+15557650001', body: 'Yes to both!' });
    expect(reply.statusCode).toBe(200);

    const threads = (await call(owner, 'GET', '/api/sms/threads')).json().threads;
    expect(threads).toEqual([
      expect.objectContaining({ number: '+15557650001', lastBody: 'Yes to both!', lastDirection: 'OUTBOUND', unread: 2, optedOut: false }),
      expect.objectContaining({ number: '+15557650002', lastBody: 'Running late', unread: 1 }),
    ]);

    const thread = (await call(owner, 'GET', '/api/sms/threads/+15557650001')).json();
    expect(thread.messages.map((m: { body: string }) => m.body)).toEqual(['Do you take walk-ins?', 'Also, parking?', 'Yes to both!']);
    const after = (await call(owner, 'GET', '/api/sms/threads')).json().threads;
    expect(after.map((r: { unread: number }) => r.unread)).toEqual([0, 1]);

    await textIn('+15557650001', number, 'Thanks');
    expect((await call(owner, 'GET', '/api/sms/threads')).json().threads[0]).toMatchObject({ number: '+15557650001', unread: 1 });
    expect((await call(owner, 'GET', '/api/sms/threads/555')).statusCode).toBe(400);
  });

  it('never texts a number that sent STOP (or another opt-out word) until it sends START', async () => {
    const { owner, number } = await textingOffice();
    const caller = '+15557650010';
    await textIn(caller, number, ' stop. ');
    const refused = await call(owner, 'POST', '/api/sms/send', { to: caller, body: 'Hello?' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().error).toMatch(/STOP/);
    expect((await call(owner, 'GET', `/api/sms/threads/${caller}`)).json().optedOut).toBe(true);
    await textIn(caller, number, 'Start');
    expect((await call(owner, 'POST', '/api/sms/send', { to: caller, body: 'Welcome back' })).statusCode).toBe(200);
    for (const word of ['UNSUBSCRIBE', 'cancel', 'END', 'quit', 'STOPALL', 'optout', 'REVOKE']) {
      await textIn(caller, number, word);
      expect((await call(owner, 'POST', '/api/sms/send', { to: caller, body: 'x' })).statusCode, word).toBe(403);
      await textIn(caller, number, 'UNSTOP');
    }
    await textIn(caller, number, "Please don't stop");
    expect((await call(owner, 'POST', '/api/sms/send', { to: caller, body: 'ok' })).statusCode).toBe(200);
  });
});

describe('missed-call text-back', () => {
  it('is off by default and validates its message', async () => {
    const { owner } = await textingOffice();
    expect((await call(owner, 'GET', '/api/missed-call-text')).json()).toMatchObject({ enabled: false, message: expect.stringContaining('{business}') });
    const long = await call(owner, 'PUT', '/api/missed-call-text', { enabled: true, message: 'x'.repeat(321) });
    expect(long.statusCode).toBe(400);
    expect(long.json().details[0].field).toBe('body.message');
    await setPlan(app, owner.organizationId, 'STARTER');
    expect((await call(owner, 'PUT', '/api/missed-call-text', { enabled: true, message: 'Hi' })).statusCode).toBe(403);
  });

  it('texts a missed caller exactly once for 20 concurrent deliveries, never after STOP, and again after START', async () => {
    const { owner, number, vapiAssistantId } = await textingOffice('Bright Smiles');
    const caller = '+15557650020';
    const put = await call(owner, 'PUT', '/api/missed-call-text', { enabled: true, message: 'Sorry we missed you at {business}!' });
    expect(put.json()).toEqual({ enabled: true, message: 'Sorry we missed you at {business}!' });

    const report = missedCall(vapiAssistantId, caller);
    const answers = await Promise.all(Array.from({ length: 20 }, () => postVapi(app, report)));
    expect(answers.every((a) => a.statusCode === 200)).toBe(true);
    // The sync job's path stores without an event key: the claim alone must hold.
    const parsed = parseEndOfCallReport(report.message)!;
    await Promise.all(Array.from({ length: 20 }, () => recordFinishedCall(app.ctx, parsed)));
    expect(await sentTo(owner.organizationId, caller)).toEqual([{ body: 'Sorry we missed you at Bright Smiles!' }]);

    const callId = (await call(owner, 'GET', '/api/calls')).json().calls[0].id;
    expect((await call(owner, 'GET', `/api/calls/${callId}`)).json().call.missedCallTextSentAt).toEqual(expect.any(String));
    const thread = (await call(owner, 'GET', `/api/sms/threads/${caller}`)).json();
    expect(thread.messages).toEqual([expect.objectContaining({ direction: 'OUTBOUND', missedCallText: true })]);

    // Another missed call within 24 h: no second text.
    await postVapi(app, missedCall(vapiAssistantId, caller));
    expect(await sentTo(owner.organizationId, caller)).toHaveLength(1);

    // A day later, after STOP: nothing. After START: one more.
    t.clock.advance(25 * 3600_000);
    await textIn(caller, number, 'STOP');
    await postVapi(app, missedCall(vapiAssistantId, caller));
    expect(await sentTo(owner.organizationId, caller)).toHaveLength(1);
    await textIn(caller, number, 'START');
    await Promise.all(Array.from({ length: 5 }, () => postVapi(app, missedCall(vapiAssistantId, caller))));
    expect(await sentTo(owner.organizationId, caller)).toHaveLength(2);
  });

  it('does not text a caller who talked with the assistant, a blocked caller, or without approved A2P', async () => {
    const { owner, vapiAssistantId } = await textingOffice();
    await call(owner, 'PUT', '/api/missed-call-text', { enabled: true, message: 'Missed you' });
    await postVapi(app, endOfCallReport({ assistantId: vapiAssistantId, customer: '+15557650030' }));
    expect(await sentTo(owner.organizationId, '+15557650030')).toHaveLength(0);

    expect((await call(owner, 'POST', '/api/blocked-numbers', { number: '+15557650031' })).statusCode).toBe(201);
    await postVapi(app, missedCall(vapiAssistantId, '+15557650031'));
    expect(await sentTo(owner.organizationId, '+15557650031')).toHaveLength(0);

    await app.ctx.db.update(a2pRegistrations).set({ status: 'CAMPAIGN_PENDING' }).where(eq(a2pRegistrations.organizationId, owner.organizationId));
    await postVapi(app, missedCall(vapiAssistantId, '+15557650032'));
    expect(await sentTo(owner.organizationId, '+15557650032')).toHaveLength(0);
  });
});
