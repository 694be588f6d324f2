import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { and, eq, like } from 'drizzle-orm';
import { bookings, calls, mailOutbox } from '../src/db/schema/index.js';
import type { AppContext } from '../src/context.js';
import { renderDigestHtml, renderDigestText } from '../src/modules/insights/digest.render.js';
import { buildDigest, sendDailyDigests } from '../src/modules/insights/digest.service.js';
import { addDays, localDate } from '../src/modules/analytics/dates.js';
import { DEFAULT_TIME_ZONE } from '../src/domain/hours.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { joinAsMember, setPlan, signedInOwner } from './helpers/factories.js';

/** Two app instances on one database, as behind a load balancer. */
let a: TestApp;
let b: TestApp;
let app: FastifyInstance;
beforeAll(async () => {
  a = await buildTestApp();
  b = await buildTestApp({ database: a.database });
  app = a.app;
});
afterAll(async () => {
  await b.close();
  await a.close();
});

type Cookie = { cookie: string };
const req = (method: 'GET' | 'PUT', who: Cookie, url: string, payload?: object) =>
  app.inject({ method, url, headers: { cookie: who.cookie }, ...(payload ? { payload } : {}) });

const TZ = 'America/Chicago';
/** 7:20 AM in Chicago (CDT, UTC−5) on Wednesday 2026-03-11: the digest covers Tuesday 2026-03-10. */
const SEVEN_AM = new Date('2026-03-11T12:20:00Z');
const at = (hhmm: string, day = '2026-03-10') => new Date(`${day}T${hhmm}:00-05:00`);

const digestMails = (to: string) =>
  app.ctx.db.select().from(mailOutbox).where(and(eq(mailOutbox.to, to), like(mailOutbox.subject, 'Yesterday at%')));

describe('daily digest', () => {
  let owner: Awaited<ReturnType<typeof signedInOwner>>;
  let member: Awaited<ReturnType<typeof joinAsMember>>;
  let optedOut: Awaited<ReturnType<typeof joinAsMember>>;

  beforeAll(async () => {
    owner = await signedInOwner(app, { organizationName: 'Acme & <Sons> Dental', name: 'Jane' });
    await setPlan(app, owner.organizationId, 'ADVANCED');
    member = await joinAsMember(app, owner, { name: 'Mia' });
    optedOut = await joinAsMember(app, owner, { name: 'Max' });
    const weekday = { open: '09:00', close: '17:00' };
    await req('PUT', owner, '/api/business-hours', { businessHours: { tuesday: weekday }, timezone: TZ });

    const row = (id: string, startedAt: Date, seconds: number, endedReason: string, customerNumber: string | null, summary: string | null) => ({
      organizationId: owner.organizationId,
      vapiCallId: `call_digest_${id}`,
      status: 'COMPLETED' as const,
      startedAt,
      endedAt: new Date(startedAt.getTime() + seconds * 1000),
      durationSeconds: seconds,
      endedReason,
      customerNumber,
      summary,
    });
    await app.ctx.db.insert(calls).values([
      row('before', at('23:59', '2026-03-09'), 50, 'customer-ended-call', '+15550100000', 'The day before.'),
      row('booked', at('09:05'), 192, 'customer-ended-call', '+15550101111', 'Caller booked a cleaning Tue 3pm.'),
      row('hangup', at('10:02'), 4, 'customer-ended-call', '+15550102222', null),
      row('voicemail', at('13:15'), 30, 'voicemail', '+15550103333', 'Left a message.'),
      row(
        'transfer',
        at('15:40'),
        95,
        'assistant-forwarded-call',
        null,
        'Caller asked for <script>alert("x")</script> & the manager.\nSecond line is dropped.',
      ),
      row('after', at('00:00', '2026-03-11'), 70, 'customer-ended-call', '+15550104444', 'The day after.'),
    ]);
    // 192 s counted this cycle.
    await app.ctx.db.update(calls).set({ usageCountedAt: new Date() }).where(eq(calls.vapiCallId, 'call_digest_booked'));
    await app.ctx.db.insert(bookings).values({
      organizationId: owner.organizationId,
      vapiCallId: 'call_digest_booked',
      externalUid: 'bk_digest_1',
      startsAt: new Date('2026-03-12T15:00:00-05:00'),
      attendeeName: "Pat <O'Brien>",
      attendeePhone: '+15550101111',
      createdAt: at('09:07'),
    });
  });

  it('renders a fixture day as JSON, text and HTML (user content escaped)', async () => {
    const page = await req('GET', owner, '/api/digest?date=2026-03-10');
    expect(page.statusCode).toBe(200);
    const d = page.json();
    expect(d).toMatchObject({
      date: '2026-03-10',
      timezone: TZ,
      organizationName: 'Acme & <Sons> Dental',
      totals: { calls: 4, minutes: 5.35, bookings: 1, transfers: 1, hangUps: 1, voicemail: 1 },
      moreCalls: 0,
      minutes: { used: 3.2, included: 350, left: 346.8, overageEnabled: false },
    });
    expect(d.calls.map((c: { time: string; outcome: string }) => `${c.time} ${c.outcome}`)).toEqual([
      '9:05 AM answered',
      '10:02 AM hang-up',
      '1:15 PM voicemail',
      '3:40 PM transferred',
    ]);
    expect(d.calls[3].summary).toBe('Caller asked for <script>alert("x")</script> & the manager.');
    expect(d.missed.map((m: { customerNumber: string }) => m.customerNumber)).toEqual(['+15550102222', '+15550103333']);
    expect(d.bookings).toEqual([
      expect.objectContaining({ attendeeName: "Pat <O'Brien>", startsAtLocal: 'Thu, Mar 12, 3:00 PM', startsAt: '2026-03-12T20:00:00.000Z' }),
    ]);

    const digest = await buildDigest(app.ctx, owner.organizationId, '2026-03-10');
    const text = renderDigestText(digest, { name: 'Jane', appUrl: 'https://app.example' });
    expect(text).toBe(
      [
        'Good morning, Jane.',
        '',
        'Yesterday at Acme & <Sons> Dental (Tuesday, March 10, 2026, America/Chicago time):',
        '4 calls · 5.35 minutes · 1 booking · 2 missed (1 hang-up, 1 voicemail) · 1 transferred',
        '',
        'Calls',
        '- 9:05 AM  +15550101111  3m 12s  answered — Caller booked a cleaning Tue 3pm.',
        '- 10:02 AM  +15550102222  4s  hang-up',
        '- 1:15 PM  +15550103333  30s  voicemail — Left a message.',
        '- 3:40 PM  unknown caller  1m 35s  transferred — Caller asked for <script>alert("x")</script> & the manager.',
        '',
        'Bookings',
        "- Pat <O'Brien>, Thu, Mar 12, 3:00 PM",
        '',
        'Missed opportunities',
        '- 10:02 AM  +15550102222  hung up after 4s',
        '- 1:15 PM  +15550103333  went to voicemail',
        '',
        `Minutes: 3.2 of 350 used this cycle; 346.8 left (the cycle ends ${new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' }).format(new Date(digest.minutes.cycleEnd))}).`,
        '',
        'See all calls: https://app.example/dashboard/calls',
        'Turn off this email: https://app.example/dashboard/account',
      ].join('\n'),
    );

    const html = renderDigestHtml(digest, { name: 'Jane', appUrl: 'https://app.example' });
    expect(html).not.toContain('<script>');
    expect(html).not.toContain('<Sons>');
    expect(html).toContain('Yesterday at Acme &amp; &lt;Sons&gt; Dental');
    expect(html).toContain('Caller asked for &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; the manager.');
    expect(html).toContain('Pat &lt;O&#39;Brien&gt;');
    expect(html).toContain('<td style="padding:4px 8px;border-bottom:1px solid #eee">hung up after 4s</td>');
    expect(html).toContain('<a href="https://app.example/dashboard/calls">See all calls</a>');
    expect(html).not.toContain('The day before');
    expect(html).not.toContain('The day after');

    // Tenancy and input checks.
    const stranger = await signedInOwner(app);
    expect((await req('GET', stranger, '/api/digest?date=2026-03-10')).json().totals.calls).toBe(0);
    expect((await req('GET', owner, '/api/digest?date=2026-13-10')).statusCode).toBe(400);
  });

  it('opens, without a date, on the latest day that has calls (not a quiet yesterday), or on yesterday before any call', async () => {
    // The latest call started at midnight on 2026-03-11, Chicago time, months before now.
    expect((await req('GET', owner, '/api/digest')).json()).toMatchObject({ date: '2026-03-11', totals: { calls: 1 } });
    // Read on the business clock: 00:30 UTC on 2026-03-12 is still the 11th in Chicago.
    const lateEvening = await signedInOwner(app);
    await req('PUT', lateEvening, '/api/business-hours', { businessHours: {}, timezone: TZ });
    await app.ctx.db.insert(calls).values({ organizationId: lateEvening.organizationId, vapiCallId: 'call_digest_late', status: 'COMPLETED', startedAt: new Date('2026-03-12T00:30:00Z'), durationSeconds: 60 });
    expect((await req('GET', lateEvening, '/api/digest')).json()).toMatchObject({ date: '2026-03-11', totals: { calls: 1 } });
    // Before the first call: yesterday on the business clock.
    const fresh = await signedInOwner(app);
    const yesterday = addDays(localDate(app.ctx.now(), DEFAULT_TIME_ZONE), -1);
    expect((await req('GET', fresh, '/api/digest')).json()).toMatchObject({ date: yesterday, totals: { calls: 0 } });
  });

  it('sends once per day per opted-in user, even with two instances; opted-out users get none', async () => {
    expect((await req('GET', owner, '/api/me/preferences')).json()).toEqual({ dailyDigest: false });
    expect((await req('PUT', owner, '/api/me/preferences', { dailyDigest: true })).json()).toEqual({ success: true, dailyDigest: true });
    expect((await req('PUT', member, '/api/me/preferences', { dailyDigest: true })).statusCode).toBe(200);
    await req('PUT', optedOut, '/api/me/preferences', { dailyDigest: true });
    await req('PUT', optedOut, '/api/me/preferences', { dailyDigest: false });
    expect((await req('GET', optedOut, '/api/me/preferences')).json()).toEqual({ dailyDigest: false });
    expect((await req('PUT', owner, '/api/me/preferences', { dailyDigest: 'yes' })).statusCode).toBe(400);

    // Another business, opted in, where it is 9:20 PM: not its hour.
    const tokyo = await signedInOwner(app);
    await req('PUT', tokyo, '/api/business-hours', { businessHours: {}, timezone: 'Asia/Tokyo' });
    await req('PUT', tokyo, '/api/me/preferences', { dailyDigest: true });

    const ctxAt = (ctx: AppContext, now: Date): AppContext => ({ ...ctx, now: () => now });
    // 6:20 AM there: too early, nothing sent.
    expect((await sendDailyDigests(ctxAt(a.app.ctx, new Date('2026-03-11T11:20:00Z')))).sent).toBe(0);

    const [first, second] = await Promise.all([
      sendDailyDigests(ctxAt(a.app.ctx, SEVEN_AM)),
      sendDailyDigests(ctxAt(b.app.ctx, SEVEN_AM)),
    ]);
    expect(first.sent + second.sent).toBe(2);
    expect(first.errors + second.errors).toBe(0);
    // Later in the same hour (the next tick, a retry, a third instance): nothing more.
    expect((await sendDailyDigests(ctxAt(b.app.ctx, new Date('2026-03-11T12:59:00Z')))).sent).toBe(0);

    const ownerMails = await digestMails(owner.email);
    expect(ownerMails).toHaveLength(1);
    expect(ownerMails[0]!.subject).toBe('Yesterday at Acme & <Sons> Dental: 4 calls, 1 booking');
    expect(ownerMails[0]!.text).toContain('Good morning, Jane.');
    expect(ownerMails[0]!.text).toContain('- 10:02 AM  +15550102222  hung up after 4s');
    expect(ownerMails[0]!.html).toContain('Acme &amp; &lt;Sons&gt; Dental');
    expect(await digestMails(member.email)).toHaveLength(1);
    expect((await digestMails(member.email))[0]!.text).toContain('Good morning, Mia.');
    expect(await digestMails(optedOut.email)).toHaveLength(0);
    expect(await digestMails(tokyo.email)).toHaveLength(0);

    // The next morning brings the next day's digest, once.
    const nextMorning = new Date('2026-03-12T12:05:00Z');
    const [third, fourth] = await Promise.all([sendDailyDigests(ctxAt(a.app.ctx, nextMorning)), sendDailyDigests(ctxAt(b.app.ctx, nextMorning))]);
    expect(third.sent + fourth.sent).toBe(2);
    expect(await digestMails(owner.email)).toHaveLength(2);

    // The job is scheduled hourly and behind its cron endpoint (at the test clock's hour nothing may be due).
    const cron = await app.inject({ method: 'GET', url: '/api/cron/daily-digest', headers: { authorization: 'Bearer test-cron-secret' } });
    expect(cron.statusCode).toBe(200);
    expect(Object.keys(cron.json()).sort()).toEqual(['errors', 'organizations', 'sent', 'skipped']);
  });
});
