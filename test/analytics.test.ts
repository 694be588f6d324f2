import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { bookings, calls } from '../src/db/schema/index.js';
import { WEEKDAYS, type BusinessHours } from '../src/domain/hours.js';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { setPlan, signedInOwner } from './helpers/factories.js';

let t: TestApp;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildTestApp();
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const get = (owner: Owner, url: string) => app.inject({ method: 'GET', url, headers: { cookie: owner.cookie } });

const BUSINESS_TZ = 'America/Chicago';
const HOURS: BusinessHours = {
  monday: { open: '09:00', close: '17:00', closed: false },
  tuesday: { open: '09:00', close: '17:00', closed: false },
  wednesday: { open: '09:00', close: '17:00', closed: false },
  thursday: { open: '09:00', close: '17:00', closed: false },
  friday: { open: '09:00', close: '17:30', closed: false },
  saturday: { open: '10:00', close: '14:00', closed: false },
  sunday: { closed: true },
};
const REASONS = [
  'customer-ended-call',
  'customer-ended-call',
  'customer-ended-call',
  'assistant-ended-call',
  'assistant-forwarded-call',
  'warm-transfer-completed',
  'voicemail',
  'silence-timed-out',
  null,
];

/** A small deterministic generator, so a failure replays the same calls. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0;
    s ^= s >>> 12;
    return (s >>> 0) / 2 ** 32;
  };
}

/** An instant given as a wall-clock time in a zone (searching the offset, DST-safe for these dates). */
function zoned(day: string, hhmmss: string, tz: string): Date {
  const guess = new Date(`${day}T${hhmmss}Z`);
  for (const offsetH of [-12, -11, -10, -9, -8, -7, -6, -5, -4, -3, -2, -1, 0, 1, 2, 3, 4, 5, 5.5, 6, 7, 8, 9, 10, 11, 12]) {
    const at = new Date(guess.getTime() - offsetH * 3_600_000);
    if (wall(at, tz).iso === `${day}T${hhmmss}`) return at;
  }
  throw new Error(`no instant for ${day} ${hhmmss} ${tz}`);
}

/** Local wall clock of an instant: day, weekday, hour and ms since midnight. */
function wall(at: Date, tz: string) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', {
      timeZone: tz,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      weekday: 'long',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
      hourCycle: 'h23',
    })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  ) as Record<string, string>;
  const day = `${parts.year}-${parts.month}-${parts.day}`;
  const [h, m, s] = [Number(parts.hour), Number(parts.minute), Number(parts.second)];
  return {
    day,
    iso: `${day}T${parts.hour}:${parts.minute}:${parts.second}`,
    weekday: parts.weekday!.toLowerCase() as (typeof WEEKDAYS)[number],
    hour: h,
    msOfDay: ((h * 60 + m) * 60 + s) * 1000 + at.getUTCMilliseconds(),
  };
}

const msOf = (hhmm: string) => (Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5))) * 60_000;

interface Seeded {
  vapiCallId: string;
  startedAt: Date;
  durationSeconds: number | null;
  endedReason: string | null;
  customerNumber: string | null;
}

/** The slow way: every figure by looping over the calls in TypeScript. */
function reference(all: Seeded[], allBookings: Array<{ vapiCallId: string | null; createdAt: Date }>, from: string, to: string, tz: string) {
  const inRange = all.filter((c) => {
    const d = wall(c.startedAt, tz).day;
    return d >= from && d <= to;
  });
  const inHours = (c: Seeded) => {
    const w = wall(c.startedAt, BUSINESS_TZ);
    const h = HOURS[w.weekday];
    return Boolean(h && !h.closed && h.open && h.close && w.msOfDay >= msOf(h.open) && w.msOfDay < msOf(h.close));
  };
  const round = (x: number, p: number) => Math.round(x * 10 ** p) / 10 ** p;
  const durations = inRange.map((c) => c.durationSeconds).filter((d): d is number => d !== null).sort((a, b) => a - b);
  const seconds = durations.reduce((a, b) => a + b, 0);
  const p90 = (() => {
    if (durations.length === 0) return null;
    const pos = 0.9 * (durations.length - 1);
    const lo = Math.floor(pos);
    const hi = Math.ceil(pos);
    return durations[lo]! + (durations[hi]! - durations[lo]!) * (pos - lo);
  })();
  const days: string[] = [];
  for (let d = from; d <= to; d = new Date(Date.parse(`${d}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10)) days.push(d);
  const perDay = days.map((date) => {
    const list = inRange.filter((c) => wall(c.startedAt, tz).day === date);
    const s = list.reduce((a, c) => a + (c.durationSeconds ?? 0), 0);
    const ih = list.filter(inHours).length;
    return { date, calls: list.length, seconds: s, minutes: round(s / 60, 2), inHours: ih, outOfHours: list.length - ih };
  });
  const reasonCounts = new Map<string, number>();
  for (const c of inRange) reasonCounts.set(c.endedReason ?? 'unknown', (reasonCounts.get(c.endedReason ?? 'unknown') ?? 0) + 1);
  const endedReasons = [...reasonCounts]
    .map(([reason, n]) => ({ reason, calls: n }))
    .sort((a, b) => b.calls - a.calls || (a.reason < b.reason ? -1 : 1));
  const linked = allBookings.filter((b) => {
    const d = wall(b.createdAt, tz).day;
    return d >= from && d <= to;
  });
  const bookedCalls = new Set(linked.map((b) => b.vapiCallId).filter((id) => id !== null)).size;
  const grid = WEEKDAYS.map(() => Array.from({ length: 24 }, () => 0));
  for (const c of inRange) {
    const w = wall(c.startedAt, tz);
    grid[WEEKDAYS.indexOf(w.weekday)]![w.hour]!++;
  }
  let peak: { weekday: string; hour: number; calls: number } | null = null;
  grid.forEach((hours, d) => hours.forEach((n, h) => { if (n > 0 && (!peak || n > peak.calls)) peak = { weekday: WEEKDAYS[d]!, hour: h, calls: n }; }));
  const byNumber = new Map<string, number>();
  for (const c of inRange) if (c.customerNumber) byNumber.set(c.customerNumber, (byNumber.get(c.customerNumber) ?? 0) + 1);
  const repeat = [...byNumber].filter(([, n]) => n >= 2).map(([number, n]) => ({ number, calls: n }));
  repeat.sort((a, b) => b.calls - a.calls || (a.number < b.number ? -1 : 1));
  const ih = inRange.filter(inHours).length;
  const reason = (c: Seeded) => c.endedReason ?? '';
  return {
    range: { from, to, days: days.length, timezone: tz, businessTimezone: BUSINESS_TZ },
    totals: {
      calls: inRange.length,
      seconds,
      minutes: round(seconds / 60, 2),
      averageDurationSeconds: durations.length ? round(seconds / durations.length, 1) : null,
      p90DurationSeconds: p90 === null ? null : round(p90, 1),
    },
    perDay,
    businessHours: { configured: true, inHours: ih, outOfHours: inRange.length - ih },
    endedReasons,
    bookings: { bookings: linked.length, bookedCalls, bookingRate: inRange.length ? round(bookedCalls / inRange.length, 4) : 0 },
    outcomes: {
      transfers: inRange.filter((c) => /transfer/i.test(reason(c)) || reason(c) === 'assistant-forwarded-call').length,
      voicemail: inRange.filter((c) => /voicemail/i.test(reason(c))).length,
      hangUps: inRange.filter((c) => reason(c) === 'customer-ended-call' && c.durationSeconds !== null && c.durationSeconds < 10).length,
    },
    busiestHours: { weekdays: [...WEEKDAYS], grid, peak },
    repeatCallers: { count: repeat.length, top: repeat.slice(0, 5) },
  };
}

/** ~200 calls over three weeks across the DST change, plus edge cases at the opening-hour and range boundaries. */
function seedCalls(organizationId: string) {
  const random = rng(12);
  const seeded: Seeded[] = [];
  const push = (startedAt: Date, durationSeconds: number | null, endedReason: string | null, customerNumber: string | null) =>
    seeded.push({ vapiCallId: `call_an_${organizationId.slice(0, 8)}_${seeded.length}`, startedAt, durationSeconds, endedReason, customerNumber });
  const start = Date.parse('2026-02-27T00:00:00Z');
  for (let i = 0; i < 200; i++) {
    const at = new Date(start + Math.floor(random() * 22 * 86_400_000));
    const duration = random() < 0.05 ? null : random() < 0.15 ? Math.floor(random() * 10) : 10 + Math.floor(random() * 600);
    const reason = REASONS[Math.floor(random() * REASONS.length)]!;
    const number = random() < 0.08 ? null : `+1555010${String(Math.floor(random() * 60)).padStart(4, '0')}`;
    push(at, duration, reason, number);
  }
  // Boundaries: opening (in), closing (out), a millisecond before closing (in), Sunday (closed).
  push(zoned('2026-03-10', '09:00:00', BUSINESS_TZ), 60, 'customer-ended-call', '+15550109999');
  push(zoned('2026-03-10', '17:00:00', BUSINESS_TZ), 5, 'customer-ended-call', '+15550109999');
  push(new Date(zoned('2026-03-10', '17:00:00', BUSINESS_TZ).getTime() - 1), 7, 'customer-ended-call', '+15550109999');
  push(zoned('2026-03-15', '12:00:00', BUSINESS_TZ), 30, 'voicemail', null);
  // Range edges in the business zone: first instant of the first day, first instant after the last.
  push(zoned('2026-03-01', '00:00:00', BUSINESS_TZ), 42, 'assistant-ended-call', null);
  push(zoned('2026-03-21', '00:00:00', BUSINESS_TZ), 43, 'assistant-ended-call', null);
  return seeded;
}

describe('GET /api/analytics', () => {
  it('equals a slow reference computation over ~200 seeded calls, in the business zone and another', async () => {
    const owner = await signedInOwner(app);
    await setPlan(app, owner.organizationId, 'ADVANCED');
    const hours = await app.inject({
      method: 'PUT',
      url: '/api/business-hours',
      headers: { cookie: owner.cookie },
      payload: { businessHours: HOURS, timezone: BUSINESS_TZ },
    });
    expect(hours.statusCode).toBe(200);

    const seeded = seedCalls(owner.organizationId);
    await app.ctx.db.insert(calls).values(
      seeded.map((c) => ({
        organizationId: owner.organizationId,
        vapiCallId: c.vapiCallId,
        status: 'COMPLETED' as const,
        startedAt: c.startedAt,
        endedAt: c.durationSeconds === null ? null : new Date(c.startedAt.getTime() + c.durationSeconds * 1000),
        durationSeconds: c.durationSeconds,
        endedReason: c.endedReason,
        customerNumber: c.customerNumber,
      })),
    );
    // Bookings: one or two on every seventh call (a minute later), one for a call we do not have, one without a call.
    const random = rng(7);
    const seededBookings: Array<{ vapiCallId: string | null; createdAt: Date }> = [];
    seeded.forEach((c, i) => {
      if (i % 7 !== 0) return;
      const n = random() < 0.3 ? 2 : 1;
      for (let k = 0; k < n; k++) seededBookings.push({ vapiCallId: c.vapiCallId, createdAt: new Date(c.startedAt.getTime() + 60_000) });
    });
    seededBookings.push({ vapiCallId: 'call_not_ours', createdAt: new Date('2026-03-05T15:00:00Z') });
    seededBookings.push({ vapiCallId: null, createdAt: new Date('2026-03-05T15:00:00Z') });
    await app.ctx.db.insert(bookings).values(
      seededBookings.map((b, i) => ({
        organizationId: owner.organizationId,
        vapiCallId: b.vapiCallId,
        externalUid: `bk_${i}`,
        startsAt: new Date('2026-04-01T15:00:00Z'),
        attendeeName: 'Pat',
        createdAt: b.createdAt,
      })),
    );

    // Another organization's calls on the same days must not count.
    const stranger = await signedInOwner(app);
    await app.ctx.db.insert(calls).values(
      seedCalls(stranger.organizationId).map((c) => ({
        organizationId: stranger.organizationId,
        vapiCallId: c.vapiCallId,
        status: 'COMPLETED' as const,
        startedAt: c.startedAt,
        durationSeconds: c.durationSeconds,
        endedReason: c.endedReason,
        customerNumber: c.customerNumber,
      })),
    );

    const business = await get(owner, '/api/analytics?from=2026-03-01&to=2026-03-20');
    expect(business.statusCode).toBe(200);
    const expected = reference(seeded, seededBookings, '2026-03-01', '2026-03-20', BUSINESS_TZ);
    expect(business.json()).toEqual(expected);
    // The seed exercises every figure.
    expect(expected.totals.calls).toBeGreaterThan(150);
    expect(expected.businessHours.inHours).toBeGreaterThan(0);
    expect(expected.businessHours.outOfHours).toBeGreaterThan(0);
    expect(expected.bookings.bookedCalls).toBeGreaterThan(10);
    expect(expected.outcomes.transfers * expected.outcomes.voicemail * expected.outcomes.hangUps).toBeGreaterThan(0);
    expect(expected.repeatCallers.count).toBeGreaterThan(5);

    const kolkata = await get(owner, '/api/analytics?from=2026-03-02&to=2026-03-09&tz=Asia/Kolkata');
    expect(kolkata.statusCode).toBe(200);
    expect(kolkata.json()).toEqual(reference(seeded, seededBookings, '2026-03-02', '2026-03-09', 'Asia/Kolkata'));
  });

  it('validates the range and the zone, and is gated to Advanced', async () => {
    const owner = await signedInOwner(app);
    expect((await get(owner, '/api/analytics')).statusCode).toBe(403);
    await setPlan(app, owner.organizationId, 'ADVANCED');
    const empty = await get(owner, '/api/analytics');
    expect(empty.statusCode).toBe(200);
    expect(empty.json().range.days).toBe(30);
    expect(empty.json().totals).toEqual({ calls: 0, seconds: 0, minutes: 0, averageDurationSeconds: null, p90DurationSeconds: null });
    expect(empty.json().businessHours.configured).toBe(false);
    for (const bad of [
      '?from=2026-03-10&to=2026-03-01',
      '?from=2025-01-01&to=2026-03-01',
      '?from=2026-02-30',
      '?from=yesterday',
      '?tz=Mars/Olympus',
    ]) {
      const res = await get(owner, `/api/analytics${bad}`);
      expect(res.statusCode, bad).toBe(400);
      expect(res.json().code).toBe('VALIDATION_FAILED');
    }
    expect((await get(owner, '/api/analytics?from=2025-03-02&to=2026-03-02')).statusCode).toBe(200);
    // Weekdays before 2000-01-03 (the reference Monday) too: Wednesday 1999-12-29, 10 AM in New York.
    await app.ctx.db.insert(calls).values({
      organizationId: owner.organizationId,
      vapiCallId: `call_an_1999_${owner.organizationId}`,
      startedAt: new Date('1999-12-29T15:00:00Z'),
      durationSeconds: 60,
    });
    const old = await get(owner, '/api/analytics?from=1999-12-20&to=2000-01-05');
    expect(old.statusCode).toBe(200);
    expect(old.json().busiestHours.peak).toEqual({ weekday: 'wednesday', hour: 10, calls: 1 });
    expect(old.json().range.timezone).toBe('America/New_York');
    expect((await app.inject({ method: 'GET', url: '/api/analytics' })).statusCode).toBe(401);
  });
});
