import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import Papa from 'papaparse';
import { eq } from 'drizzle-orm';
import { buildListeningApp } from './helpers/app.js';
import { ownerWithAssistant, setPlan } from './helpers/factories.js';
import { businessProfiles, calls, followUps } from '../src/db/schema/index.js';
import { EXPORT_BATCH } from '../src/modules/calls/call-export.service.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildListeningApp();
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof ownerWithAssistant>>['owner'];
const get = (owner: Owner, url: string) => app.inject({ method: 'GET', url, headers: { cookie: owner.cookie } });
let seq = 0;
/** A stored call as the webhook or sync job would leave it; created in argument order. */
async function addCall(organizationId: string, c: Partial<typeof calls.$inferInsert> = {}) {
  const [row] = await app.ctx.db
    .insert(calls)
    .values({ organizationId, vapiCallId: `call_search_${++seq}_${Math.random().toString(36).slice(2)}`, status: 'COMPLETED', ...c })
    .returning();
  return row!;
}
const ids = (res: { json(): { calls: Array<{ id: string }> } }) => res.json().calls.map((c) => c.id);

describe('finding calls', () => {
  it('orders by start time newest first, even when the rows were stored out of order (10:35, 10:37, 10:36)', async () => {
    const { owner } = await ownerWithAssistant(app);
    const at = (hm: string) => new Date(`2026-03-02T${hm}:00Z`);
    const a = await addCall(owner.organizationId, { startedAt: at('10:35') });
    const b = await addCall(owner.organizationId, { startedAt: at('10:37') });
    const c = await addCall(owner.organizationId, { startedAt: at('10:36') });
    expect(ids(await get(owner, '/api/calls'))).toEqual([b.id, c.id, a.id]);
  });

  it('pages through calls that started at the same instant without losing or repeating one', async () => {
    const { owner } = await ownerWithAssistant(app);
    const same = new Date('2026-03-02T09:00:00.123Z');
    const made = await Promise.all(Array.from({ length: 5 }, () => addCall(owner.organizationId, { startedAt: same })));
    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const res = await get(owner, `/api/calls?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(res.statusCode).toBe(200);
      seen.push(...ids(res));
      cursor = res.json().nextCursor;
    } while (cursor);
    expect(seen).toEqual(made.map((m) => m.id).sort().reverse());
  });

  it('finds a caller by number in any format, and calls by words of the summary or transcript', async () => {
    const { owner } = await ownerWithAssistant(app);
    const { owner: other } = await ownerWithAssistant(app);
    const dentist = await addCall(owner.organizationId, {
      customerNumber: '+14155550123',
      summary: 'Caller booked a cleaning for Tuesday.',
      transcript: 'AI: Acme Dental.\nUser: My molar hurts.',
    });
    const plumber = await addCall(owner.organizationId, { customerNumber: '+12125550199', summary: 'Asked about invoices.' });
    await addCall(other.organizationId, { customerNumber: '+14155550123', summary: 'Caller booked a cleaning.' });

    for (const q of ['(415) 555-0123', '+1 415 555 0123', '415.555.0123', '4155550123', '555-0123']) {
      expect(ids(await get(owner, `/api/calls?q=${encodeURIComponent(q)}`)), q).toEqual([dentist.id]);
    }
    expect(ids(await get(owner, '/api/calls?q=555'))).toHaveLength(2);
    expect(ids(await get(owner, '/api/calls?q=clean'))).toEqual([dentist.id]);
    expect(ids(await get(owner, '/api/calls?q=MOLAR'))).toEqual([dentist.id]);
    expect(ids(await get(owner, '/api/calls?q=invoice'))).toEqual([plumber.id]);
    expect(ids(await get(owner, `/api/calls?q=${encodeURIComponent("o'brien & (x")}`))).toEqual([]);
  });

  it('finds a caller by the name the assistant heard', async () => {
    const { owner } = await ownerWithAssistant(app);
    const heard = { callerName: 'Maria Gonzalez', reason: null, category: 'question' as const, urgent: false, callbackRequested: false, callbackNumber: null, appointmentBooked: false };
    const maria = await addCall(owner.organizationId, { customerNumber: '+14155550111', summary: 'Asked about parking.', outcome: heard });
    await addCall(owner.organizationId, { customerNumber: '+14155550112', summary: 'Asked about parking.' });
    expect(ids(await get(owner, '/api/calls?q=gonzalez'))).toEqual([maria.id]);
    expect(ids(await get(owner, '/api/calls?q=Maria%20Gonzalez'))).toEqual([maria.id]);
  });

  it('filters by status, direction and business-local dates', async () => {
    const { owner } = await ownerWithAssistant(app);
    await app.ctx.db.update(businessProfiles).set({ timezone: 'America/Los_Angeles' }).where(eq(businessProfiles.organizationId, owner.organizationId));
    // 05:00 UTC on Jan 2 is still Jan 1 in Los Angeles.
    const lateJan1 = await addCall(owner.organizationId, { startedAt: new Date('2026-01-02T05:00:00Z'), type: 'outboundPhoneCall' });
    const jan2 = await addCall(owner.organizationId, { startedAt: new Date('2026-01-02T20:00:00Z'), status: 'FAILED' });
    expect(ids(await get(owner, '/api/calls?from=2026-01-01&to=2026-01-01'))).toEqual([lateJan1.id]);
    expect(ids(await get(owner, '/api/calls?from=2026-01-02'))).toEqual([jan2.id]);
    expect(ids(await get(owner, '/api/calls?status=FAILED'))).toEqual([jan2.id]);
    expect(ids(await get(owner, '/api/calls?direction=outbound'))).toEqual([lateJan1.id]);
    expect(ids(await get(owner, '/api/calls?direction=inbound'))).toEqual([jan2.id]);
  });

  it('filters by outcome category and follow-up state, inside the same keyset pages', async () => {
    const { owner } = await ownerWithAssistant(app);
    const { owner: other } = await ownerWithAssistant(app);
    const outcome = (category: 'quote' | 'spam', callbackRequested = false) =>
      ({ callerName: null, reason: null, category, urgent: false, callbackRequested, callbackNumber: null, appointmentBooked: false });
    const at = (m: number) => new Date(Date.UTC(2026, 2, 3, 9, m));
    const quotes = [];
    for (let m = 0; m < 5; m++) quotes.push(await addCall(owner.organizationId, { startedAt: at(m), outcome: outcome('quote', true) }));
    const spam = await addCall(owner.organizationId, { startedAt: at(10), outcome: outcome('spam') });
    await addCall(owner.organizationId, { startedAt: at(11) }); // no outcome: no category
    const foreign = await addCall(other.organizationId, { startedAt: at(12), outcome: outcome('quote', true) });
    const follow = (callId: string, organizationId: string, status: 'open' | 'done') => ({ callId, organizationId, status });
    await app.ctx.db.insert(followUps).values([
      ...quotes.map((q, i) => follow(q.id, owner.organizationId, i % 2 === 0 ? 'open' : 'done')),
      follow(foreign.id, other.organizationId, 'open'),
    ]);

    const pages = async (query: string) => {
      const seen: string[] = [];
      let cursor: string | null = null;
      do {
        const res = await get(owner, `/api/calls?limit=2&${query}${cursor ? `&cursor=${cursor}` : ''}`);
        expect(res.statusCode, query).toBe(200);
        seen.push(...ids(res));
        cursor = res.json().nextCursor;
      } while (cursor);
      return seen;
    };
    const newestFirst = (rows: Array<{ id: string }>) => rows.map((r) => r.id).reverse();
    expect(await pages('category=quote')).toEqual(newestFirst(quotes));
    expect(await pages('category=spam')).toEqual([spam.id]);
    expect(await pages('category=complaint')).toEqual([]);
    expect(await pages('followUp=open')).toEqual(newestFirst([quotes[0]!, quotes[2]!, quotes[4]!]));
    expect(await pages('followUp=done')).toEqual(newestFirst([quotes[1]!, quotes[3]!]));
    expect(await pages('followUp=done&category=spam')).toEqual([]);

    const csv = await get(owner, '/api/calls/export.csv?followUp=open&category=quote');
    const [header, ...rows] = Papa.parse<string[]>(csv.body.trimEnd(), { newline: '\r\n' }).data;
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((r) => r[col('Call id')])).toEqual(newestFirst([quotes[0]!, quotes[2]!, quotes[4]!]));
    expect(rows.map((r) => r[col('Outcome')])).toEqual(['quote', 'quote', 'quote']);
  });

  it('answers 400 naming the parameter for a bad value', async () => {
    const { owner } = await ownerWithAssistant(app);
    const cases: Array<[string, string]> = [
      ['status=DONE', 'querystring.status'],
      ['direction=sideways', 'querystring.direction'],
      ['from=2026-02-30', 'querystring.from'],
      ['to=yesterday', 'querystring.to'],
      ['from=2026-02-02&to=2026-02-01', 'querystring.to'],
      ['cursor=bm9wZQ', 'querystring.cursor'],
      [`q=${'x'.repeat(201)}`, 'querystring.q'],
      ['category=gossip', 'querystring.category'],
      ['followUp=maybe', 'querystring.followUp'],
    ];
    for (const [query, field] of cases) {
      for (const path of ['/api/calls', '/api/calls/export.csv']) {
        if (query.startsWith('cursor') && path.endsWith('.csv')) continue;
        const res = await get(owner, `${path}?${query}`);
        expect(res.statusCode, `${path}?${query}`).toBe(400);
        expect(res.json().details.map((d: { field: string }) => d.field), query).toContain(field);
      }
    }
  });
});

describe('exporting calls', () => {
  it('streams every filtered call as RFC 4180 CSV in batches, with formulas defused and a file name', async () => {
    const { owner } = await ownerWithAssistant(app, { plan: 'PRO' });
    const total = EXPORT_BATCH * 2 + 5;
    const start = Date.parse('2026-02-01T12:00:00Z');
    await app.ctx.db.insert(calls).values(
      Array.from({ length: total }, (_, i) => ({
        organizationId: owner.organizationId,
        vapiCallId: `call_export_${owner.organizationId}_${i}`,
        status: 'COMPLETED' as const,
        startedAt: new Date(start + i * 60_000),
        customerNumber: '+14155550100',
        durationSeconds: 90,
        summary: i === 0 ? '=HYPERLINK("http://evil.example","click")' : `Call "${i}", fine`,
        transcript: `AI: Hello\nUser: line ${i}`,
      })),
    );
    const res = await get(owner, '/api/calls/export.csv');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8');
    expect(res.headers['content-disposition']).toMatch(/^attachment; filename="calls-\d{4}-\d{2}-\d{2}\.csv"$/);
    expect(res.body.endsWith('\r\n')).toBe(true);
    const parsed = Papa.parse<string[]>(res.body.trimEnd(), { newline: '\r\n' });
    expect(parsed.errors).toEqual([]);
    const [header, ...rows] = parsed.data;
    expect(header).toEqual(['Started (America/New_York)', 'Direction', 'Status', 'Caller', 'Minutes', 'Ended reason', 'Outcome', 'Summary', 'Transcript', 'Call id']);
    expect(rows).toHaveLength(total);
    expect(new Set(rows.map((r) => r[9])).size).toBe(total);
    expect(rows[0]![7]).toBe('Call "2004", fine');
    expect(rows[0]![8]).toBe('AI: Hello\nUser: line 2004');
    expect(rows[0]![3]).toBe("'+14155550100");
    expect(rows.at(-1)![7]).toBe('\'=HYPERLINK("http://evil.example","click")');
    expect(rows.at(-1)![0]).toBe('2026-02-01 07:00:00');

    const narrowed = await get(owner, '/api/calls/export.csv?from=2026-02-01&to=2026-02-01&q=%22line%22');
    // Feb 1 in New York runs from the first call (07:00 local) to midnight: 17 hours of one call a minute.
    expect(Papa.parse(narrowed.body.trimEnd()).data).toHaveLength(1 + 17 * 60);
  });

  it('leaves transcripts out where the plan has none', async () => {
    const { owner } = await ownerWithAssistant(app);
    await setPlan(app, owner.organizationId, 'FREE');
    await addCall(owner.organizationId, { transcript: 'User: secret words', summary: 'ok' });
    const res = await get(owner, '/api/calls/export.csv');
    expect(res.statusCode).toBe(200);
    expect(res.body).not.toContain('secret words');
    expect(res.body.split('\r\n')[0]).not.toContain('Transcript');
  });
});
