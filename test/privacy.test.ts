import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eq, sql } from 'drizzle-orm';
import { buildListeningApp } from './helpers/app.js';
import { ownerWithAssistant } from './helpers/factories.js';
import { endOfCallReport, postVapi } from './helpers/vapi.js';
import { calls } from '../src/db/schema/index.js';
import { vapiStores } from '../src/sandbox/vapi/shared.js';
import { luhnValid, redactPii } from '../src/domain/redact.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp({ allowLoopbackFetch: true });
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof ownerWithAssistant>>['owner'];
const call = (owner: Owner, method: 'GET' | 'PUT' | 'POST', url: string, payload?: object) =>
  app.inject({ method, url, payload, headers: { cookie: owner.cookie } });
const cron = (job: string) => app.inject({ url: `/api/cron/${job}`, headers: { authorization: 'Bearer test-cron-secret' } });

describe('redaction rules', () => {
  it('replaces Luhn-valid cards, SSNs and birth dates, and leaves other numbers', () => {
    expect(luhnValid('4242424242424242')).toBe(true);
    expect(luhnValid('4242424242424241')).toBe(false);
    expect(redactPii('card 4242 4242 4242 4242, not 4242 4242 4242 4241')).toBe('card [redacted], not 4242 4242 4242 4241');
    expect(redactPii('SSN 123-45-6789 please')).toBe('SSN [redacted] please');
    expect(redactPii('my date of birth is 04/12/1980 and I come on 05/06/2026')).toBe('my date of birth is [redacted] and I come on 05/06/2026');
    expect(redactPii('I was born on March 3rd, 1975. DOB: 1975-03-03')).toBe('I was born on [redacted]. DOB: [redacted]');
    expect(redactPii('Call me at +1 415 555 0123')).toBe('Call me at +1 415 555 0123');
  });
});

describe('privacy settings', () => {
  it('validates and stores the retention windows (null keeps forever)', async () => {
    const { owner } = await ownerWithAssistant(app);
    expect((await call(owner, 'GET', '/api/privacy')).json()).toEqual({ transcriptRetentionDays: null, recordingRetentionDays: null, redactPii: false });
    const bad = await call(owner, 'PUT', '/api/privacy', { transcriptRetentionDays: 0, recordingRetentionDays: null, redactPii: true });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().details[0].field).toBe('body.transcriptRetentionDays');
    const ok = await call(owner, 'PUT', '/api/privacy', { transcriptRetentionDays: 30, recordingRetentionDays: null, redactPii: true });
    expect(ok.json()).toEqual({ transcriptRetentionDays: 30, recordingRetentionDays: null, redactPii: true });
  });

  it('sets VAPI HIPAA mode with redaction and stops recording at 0 days; a VAPI failure saves nothing', async () => {
    const { owner, remote } = await ownerWithAssistant(app, { plan: 'PRO' });
    const atVapi = async () => {
      const doc = (await vapiStores(app.ctx.db).assistants.get(remote.id))!;
      return { compliancePlan: doc.compliancePlan, artifactPlan: doc.artifactPlan };
    };
    const put = (body: object) => call(owner, 'PUT', '/api/privacy', { transcriptRetentionDays: null, ...body });
    expect((await put({ recordingRetentionDays: 0, redactPii: true })).statusCode).toBe(200);
    expect(await atVapi()).toEqual({ compliancePlan: { hipaaEnabled: true }, artifactPlan: { recordingEnabled: false } });
    // The emulator honours it: a call played now has no recording.
    const played = await app.inject({ method: 'POST', url: '/sandbox/vapi/simulate-call', payload: { assistantId: remote.id, customerNumber: '+15552013344', transcript: 'User: Hello' } });
    expect(played.statusCode).toBe(200);
    const stored = await app.ctx.db.select({ recordingUrl: calls.recordingUrl, transcript: calls.transcript }).from(calls).where(eq(calls.organizationId, owner.organizationId));
    expect(stored).toEqual([{ recordingUrl: null, transcript: expect.stringContaining('Hello') }]);
    expect((await put({ recordingRetentionDays: 90, redactPii: false })).json()).toMatchObject({ recordingRetentionDays: 90, redactPii: false });
    expect(await atVapi()).toEqual({ compliancePlan: { hipaaEnabled: false }, artifactPlan: { recordingEnabled: true } });

    await vapiStores(app.ctx.db).assistants.delete(remote.id); // VAPI now answers 404
    const failed = await put({ recordingRetentionDays: 0, redactPii: true });
    expect(failed.statusCode).toBe(502);
    expect((await call(owner, 'GET', '/api/privacy')).json()).toMatchObject({ recordingRetentionDays: 90, redactPii: false });
    expect((await put({ recordingRetentionDays: -1, redactPii: true })).json().details[0].field).toBe('body.recordingRetentionDays');
  });

  it('keeps a spoken card number out of the database, the webhook outbox and the stored provider event', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(app, { plan: 'PRO' });
    await call(owner, 'PUT', '/api/privacy', { transcriptRetentionDays: null, recordingRetentionDays: null, redactPii: true });
    const endpoint = await call(owner, 'POST', '/api/webhook-endpoints', { url: 'http://127.0.0.1:9/hook', events: ['call.ended', 'call.analyzed'] });
    expect(endpoint.statusCode, endpoint.body).toBe(201);
    const report = endOfCallReport({ assistantId: vapiAssistantId });
    report.message.artifact.transcript = 'AI: How would you like to pay?\nUser: My card is 4111 1111 1111 1111, SSN 078-05-1120.';
    report.message.artifact.messages.push({ role: 'user', message: 'My card is 4111 1111 1111 1111', time: Date.now(), secondsFromStart: 9 });
    report.message.analysis.summary = 'Paid with card 4111-1111-1111-1111.';
    expect((await postVapi(app, report)).statusCode).toBe(200);

    const [row] = await app.ctx.db.select().from(calls).where(eq(calls.vapiCallId, report.message.call.id));
    expect(row!.transcript).toBe('AI: How would you like to pay?\nUser: My card is [redacted], SSN [redacted].');
    expect(row!.summary).toBe('Paid with card [redacted].');
    // The card's digits, not a bare '4111': the messages' epoch-ms times hold that now and then.
    const card = '4111[ -]?1111';
    const leaks = await app.ctx.db.execute(sql`select
        (select count(*) from calls where transcript ~ ${card} or summary ~ ${card} or messages::text ~ ${card})::int as calls,
        (select count(*) from webhook_events where payload::text ~ ${card})::int as events,
        (select count(*) from webhook_deliveries where payload::text ~ ${card})::int as outbox,
        (select count(*) from webhook_deliveries d join webhook_endpoints e on e.id = d.endpoint_id where e.organization_id = ${owner.organizationId})::int as queued`);
    expect((leaks as unknown as { rows: unknown[] }).rows[0]).toEqual({ calls: 0, events: 0, outbox: 0, queued: 2 });
  });

  // Without webhook endpoints the store is one statement, which itself answers whether the
  // organization redacts: redacted reports are stored redacted, once, minutes counted once.
  it('redacts on the one-statement path too, and only for the organization that asked', async () => {
    const redacting = await ownerWithAssistant(app);
    await call(redacting.owner, 'PUT', '/api/privacy', { transcriptRetentionDays: null, recordingRetentionDays: null, redactPii: true });
    const keeping = await ownerWithAssistant(app);
    const spoken = 'User: My card is 4111 1111 1111 1111.';
    const stored = async (vapiAssistantId: string) => {
      const report = endOfCallReport({ assistantId: vapiAssistantId, seconds: 60 });
      report.message.artifact.transcript = spoken;
      const answers = await Promise.all([postVapi(app, report), postVapi(app, report)]);
      expect(answers.map((a) => a.statusCode)).toEqual([200, 200]);
      const rows = await app.ctx.db.select().from(calls).where(eq(calls.vapiCallId, report.message.call.id));
      return rows.map((r) => ({ transcript: r.transcript, seconds: r.durationSeconds, counted: r.usageCountedAt !== null }));
    };
    expect(await stored(redacting.vapiAssistantId)).toEqual([{ transcript: 'User: My card is [redacted].', seconds: 60, counted: true }]);
    expect(await stored(keeping.vapiAssistantId)).toEqual([{ transcript: spoken, seconds: 60, counted: true }]);
  });
});

describe('retention', () => {
  it('clears an old call’s transcript and recording but keeps the call and its minutes; usage is unchanged', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(app, { plan: 'PRO' });
    const old = endOfCallReport({ assistantId: vapiAssistantId, seconds: 300, startedAt: new Date(t.clock.now().getTime() - 40 * 86_400_000) });
    const recent = endOfCallReport({ assistantId: vapiAssistantId, seconds: 120 });
    await postVapi(app, old);
    await postVapi(app, recent);
    const usageBefore = (await call(owner, 'GET', '/api/usage')).json();
    await call(owner, 'PUT', '/api/privacy', { transcriptRetentionDays: 30, recordingRetentionDays: 35, redactPii: false });

    expect((await cron('retention')).json()).toMatchObject({ transcripts: expect.any(Number), recordings: expect.any(Number) });
    const byId = async (id: string) => (await app.ctx.db.select().from(calls).where(eq(calls.vapiCallId, id)))[0]!;
    const cleared = await byId(old.message.call.id);
    expect(cleared).toMatchObject({ transcript: null, messages: null, recordingUrl: null, durationSeconds: 300, summary: 'Caller booked a cleaning Tue 3pm.' });
    expect(cleared.usageCountedAt).not.toBeNull();
    const kept = await byId(recent.message.call.id);
    expect(kept.transcript).toContain('I need a cleaning');
    expect(kept.recordingUrl).toBe('https://rec.example/mono.wav');
    expect((await call(owner, 'GET', '/api/usage')).json()).toEqual(usageBefore);
    // Running it again finds nothing left to clear for this office.
    expect((await byId(old.message.call.id)).transcript).toBeNull();
  });

  it('deletes VAPI’s copy of a call past its window once no recording of VAPI’s is kept; a copy VAPI never had counts as gone', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(app, { plan: 'PRO' });
    const daysAgo = (d: number) => new Date(t.clock.now().getTime() - d * 86_400_000);
    const old = endOfCallReport({ assistantId: vapiAssistantId, startedAt: daysAgo(40) });
    const recordingKept = endOfCallReport({ assistantId: vapiAssistantId, startedAt: daysAgo(32) });
    const recent = endOfCallReport({ assistantId: vapiAssistantId });
    const neverAtVapi = endOfCallReport({ assistantId: vapiAssistantId, startedAt: daysAgo(41) });
    const remote = vapiStores(app.ctx.db).calls;
    for (const r of [old, recordingKept, recent]) {
      const c = r.message.call;
      await remote.put(c.id, { ...c, type: 'inboundPhoneCall', status: 'ended', createdAt: r.message.startedAt, updatedAt: r.message.endedAt, orgId: 'org' });
    }
    for (const r of [old, recordingKept, recent, neverAtVapi]) await postVapi(app, r);
    await call(owner, 'PUT', '/api/privacy', { transcriptRetentionDays: 30, recordingRetentionDays: 35, redactPii: false });

    expect((await cron('retention')).json()).toMatchObject({ vapiDeleted: 2, vapiFailed: 0 });
    const deletedAt = async (r: typeof old) =>
      (await app.ctx.db.select({ at: calls.vapiDeletedAt }).from(calls).where(eq(calls.vapiCallId, r.message.call.id)))[0]!.at;
    expect(await remote.get(old.message.call.id)).toBeUndefined();
    expect(await deletedAt(old)).not.toBeNull();
    expect(await deletedAt(neverAtVapi)).not.toBeNull();
    // 32 days: the transcript is past 30, but the recording (35) still plays from VAPI's storage.
    expect(await remote.get(recordingKept.message.call.id)).toBeDefined();
    expect(await deletedAt(recordingKept)).toBeNull();
    expect(await remote.get(recent.message.call.id)).toBeDefined();
    // Deleted once: the next run finds nothing to delete.
    expect((await cron('retention')).json()).toMatchObject({ vapiDeleted: 0, vapiFailed: 0 });
  });
});
