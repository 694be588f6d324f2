import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildListeningApp } from '../helpers/app.js';
import { ProviderError } from '../../src/providers/errors.js';
import { SlotUnavailableError, type CalcomProvider } from '../../src/providers/calcom/port.js';
import { calcomStores } from '../../src/sandbox/calcom/shared.js';

let t: Awaited<ReturnType<typeof buildListeningApp>>;
let calcom: CalcomProvider;
let sandbox: string;

beforeAll(async () => {
  t = await buildListeningApp();
  calcom = t.app.ctx.providers.calcom;
  sandbox = `${t.baseUrl}/sandbox/calcom`;
});
afterAll(() => t.close());

const newKey = () => `cal_test_${randomBytes(16).toString('hex')}`;

/** The Monday at least a week ahead, and the days after it (YYYY-MM-DD). */
function weekAhead() {
  const day = new Date(Date.now() + 7 * 86_400_000);
  while (day.getUTCDay() !== 1) day.setUTCDate(day.getUTCDate() + 1);
  const plus = (n: number) => new Date(day.getTime() + n * 86_400_000).toISOString().slice(0, 10);
  return { monday: plus(0), tuesday: plus(1), saturday: plus(5), sunday: plus(6) };
}

const raw = (path: string, init: RequestInit & { key?: string; version?: string } = {}) =>
  fetch(`${sandbox}${path}`, {
    ...init,
    headers: {
      authorization: `Bearer ${init.key ?? newKey()}`,
      'content-type': 'application/json',
      ...(init.version ? { 'cal-api-version': init.version } : {}),
    },
  });
const fault = (body: { status: number; count: number; retryAfter?: number }) =>
  fetch(`${sandbox}/_faults`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

async function rejection(promise: Promise<unknown>): Promise<ProviderError> {
  const err = await promise.then(
    () => expect.fail('expected a ProviderError'),
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProviderError);
  return err as ProviderError;
}

describe('account and event types', () => {
  it('validates a key and answers the same account for the same key', async () => {
    const key = newKey();
    const account = await calcom.validateKey(key);
    expect(account).toMatchObject({ timeZone: 'America/New_York', email: expect.stringMatching(/@example\.com$/) });
    expect(account.id).toBeGreaterThan(0);
    expect(await calcom.validateKey(key)).toEqual(account);
    expect((await calcom.validateKey(newKey())).id).not.toBe(account.id);
  });

  it('rejects a key that is not a Cal.com key with 401 in Cal.com’s error shape', async () => {
    for (const key of ['sk_live_123', 'cal_', 'cal_prod_123']) {
      expect((await rejection(calcom.validateKey(key))).status).toBe(401);
    }
    const res = await raw('/v2/me', { key: 'not-a-key' });
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({
      status: 'error',
      path: '/v2/me',
      error: { code: 'UnauthorizedException', message: 'ApiAuthStrategy - api key - Your api key is not valid' },
    });
  });

  it('reads the seeded event types and 404s an unknown one', async () => {
    const key = newKey();
    expect(await calcom.getEventType(key, 1001)).toEqual({ id: 1001, title: '30 Minute Meeting', slug: '30min', lengthInMinutes: 30 });
    expect(await calcom.getEventType(key, 1002)).toMatchObject({ id: 1002, lengthInMinutes: 60 });
    const err = await rejection(calcom.getEventType(key, 4242));
    expect(err.status).toBe(404);
    expect(err.notFound).toBe(true);
    const res = await raw('/v2/event-types/4242', { version: '2024-06-14' });
    expect(await res.json()).toMatchObject({ status: 'error', error: { code: 'NotFoundException', message: 'Event type with id 4242 not found' } });
  });

  it("lists the key's event types (each account its own), and refuses a bad key with 401", async () => {
    expect(await calcom.listEventTypes(newKey())).toEqual([
      { id: 1001, title: '30 Minute Meeting', slug: '30min', lengthInMinutes: 30 },
      { id: 1002, title: '60 Minute Consultation', slug: '60min-consultation', lengthInMinutes: 60 },
    ]);
    expect((await rejection(calcom.listEventTypes('cal_prod_123'))).status).toBe(401);
    const res = await raw('/v2/event-types', { version: '2024-06-14' });
    expect(await res.json()).toMatchObject({ status: 'success', data: [{ id: 1001, lengthInMinutes: 30, slug: '30min' }, { id: 1002 }] });
  });

  it('serves endpoints only under their cal-api-version, like Cal.com', async () => {
    const { monday } = weekAhead();
    const res = await raw(`/v2/slots?eventTypeId=1001&start=${monday}&end=${monday}`);
    expect(res.status).toBe(404);
    expect((await res.json()).error.message).toMatch(/^Cannot GET \/v2\/slots/);
  });
});

describe('slots', () => {
  it('lists Monday–Friday 09:00–17:00 New York slots of the event length, grouped by day in the asked zone', async () => {
    const key = newKey();
    const { monday, tuesday, saturday, sunday } = weekAhead();
    const half = await calcom.listSlots(key, { eventTypeId: 1001, start: monday, end: monday, timeZone: 'America/New_York' });
    expect(half).toHaveLength(16);
    expect(half[0]).toMatch(new RegExp(`^${monday}T09:00:00\\.000-0[45]:00$`));
    expect(half.at(-1)).toMatch(new RegExp(`^${monday}T16:30:00\\.000-0[45]:00$`));
    expect(await calcom.listSlots(key, { eventTypeId: 1002, start: monday, end: tuesday, timeZone: 'America/New_York' })).toHaveLength(16);
    expect(await calcom.listSlots(key, { eventTypeId: 1001, start: saturday, end: sunday, timeZone: 'America/New_York' })).toEqual([]);

    const utc = await calcom.listSlots(key, { eventTypeId: 1002, start: monday, end: monday, timeZone: 'UTC' });
    expect(utc[0]).toMatch(new RegExp(`^${monday}T1[34]:00:00\\.000Z$`));
    const wire = await (await raw(`/v2/slots?eventTypeId=1002&start=${monday}&end=${monday}&timeZone=UTC`, { key, version: '2024-09-04' })).json();
    expect(wire).toEqual({ status: 'success', data: { [monday]: utc.map((start) => ({ start })) } });
  });

  it('404s slots of an unknown event type', async () => {
    const { monday } = weekAhead();
    const err = await rejection(calcom.listSlots(newKey(), { eventTypeId: 9, start: monday, end: monday, timeZone: 'UTC' }));
    expect(err.status).toBe(404);
  });
});

describe('bookings', () => {
  const attendee = { name: 'Pat Caller', email: 'pat@example.com', phoneNumber: '+15551234567', timeZone: 'America/New_York' };

  it('books a slot, keeps it in the database, and later slot lists leave out the busy time', async () => {
    const key = newKey();
    const { monday } = weekAhead();
    const ny = { start: monday, end: monday, timeZone: 'America/New_York' };
    const tenAm = (await calcom.listSlots(key, { eventTypeId: 1002, ...ny }))[1]!;
    expect(tenAm).toContain('T10:00:00.000');

    const booking = await calcom.createBooking(key, { eventTypeId: 1002, start: tenAm, attendee });
    expect(booking).toMatchObject({ status: 'accepted', start: new Date(tenAm).toISOString() });
    expect(Date.parse(booking.end) - Date.parse(booking.start)).toBe(60 * 60_000);
    expect(booking.uid).toMatch(/^[0-9A-Za-z]{22}$/);

    const stored = await calcomStores(t.app.ctx.db).bookings.get(booking.uid);
    expect(stored).toMatchObject({ id: booking.id, status: 'accepted', attendees: [{ name: 'Pat Caller', phoneNumber: '+15551234567' }] });

    const hours = await calcom.listSlots(key, { eventTypeId: 1002, ...ny });
    expect(hours).toHaveLength(7);
    expect(hours).not.toContain(tenAm);
    const halves = await calcom.listSlots(key, { eventTypeId: 1001, ...ny });
    expect(halves).toHaveLength(14);
    expect(halves.some((s) => /T10:(00|30):00/.test(s))).toBe(false);
    // Another account's calendar is its own.
    expect(await calcom.listSlots(newKey(), { eventTypeId: 1002, ...ny })).toHaveLength(8);
  });

  it('refuses a double booking of the same start, and an overlapping one, as Cal.com does (400)', async () => {
    const key = newKey();
    const { tuesday } = weekAhead();
    const [first] = await calcom.listSlots(key, { eventTypeId: 1002, start: tuesday, end: tuesday, timeZone: 'UTC' });
    await calcom.createBooking(key, { eventTypeId: 1002, start: first!, attendee });

    const twice = await rejection(calcom.createBooking(key, { eventTypeId: 1002, start: first!, attendee }));
    expect(twice).toBeInstanceOf(SlotUnavailableError);
    expect(twice.status).toBe(400);
    const overlap = new Date(Date.parse(first!) + 30 * 60_000).toISOString();
    expect(await rejection(calcom.createBooking(key, { eventTypeId: 1001, start: overlap, attendee }))).toBeInstanceOf(SlotUnavailableError);
    const offGrid = new Date(Date.parse(first!) + 7 * 60_000).toISOString();
    expect(await rejection(calcom.createBooking(key, { eventTypeId: 1002, start: offGrid, attendee }))).toBeInstanceOf(SlotUnavailableError);
  });

  it('refuses the past, unknown event types, a bad key and a fixed-length override', async () => {
    const key = newKey();
    const { monday } = weekAhead();
    const past = await rejection(calcom.createBooking(key, { eventTypeId: 1001, start: '2020-01-06T15:00:00Z', attendee }));
    expect(past).not.toBeInstanceOf(SlotUnavailableError);
    expect(past.message).toContain('in the past');
    const [slot] = await calcom.listSlots(key, { eventTypeId: 1001, start: monday, end: monday, timeZone: 'UTC' });
    expect((await rejection(calcom.createBooking(key, { eventTypeId: 77, start: slot!, attendee }))).status).toBe(404);
    expect((await rejection(calcom.createBooking('cal_nope', { eventTypeId: 1001, start: slot!, attendee }))).status).toBe(401);
    const fixed = await rejection(calcom.createBooking(key, { eventTypeId: 1001, start: slot!, attendee, lengthInMinutes: 45 }));
    expect(fixed.status).toBe(400);
    expect(fixed.message).toContain("Can't specify 'lengthInMinutes'");
  });

  it('accepts an attendee with only a phone number, and refuses one with neither email nor phone', async () => {
    const key = newKey();
    const { monday } = weekAhead();
    const [a, b] = await calcom.listSlots(key, { eventTypeId: 1001, start: monday, end: monday, timeZone: 'UTC' });
    const phoneOnly = { name: 'Sam', phoneNumber: '+15557654321', timeZone: 'UTC' };
    expect((await calcom.createBooking(key, { eventTypeId: 1001, start: a!, attendee: phoneOnly })).status).toBe('accepted');
    const nameOnly = { name: 'Sam', timeZone: 'UTC' };
    expect((await rejection(calcom.createBooking(key, { eventTypeId: 1001, start: b!, attendee: nameOnly }))).status).toBe(400);
  });
});

describe('rate limits and server errors', () => {
  it('honors Retry-After on 429 and then succeeds', async () => {
    const { monday } = weekAhead();
    await fault({ status: 429, count: 1, retryAfter: 1 });
    const started = Date.now();
    const slots = await calcom.listSlots(newKey(), { eventTypeId: 1001, start: monday, end: monday, timeZone: 'UTC' });
    expect(slots).toHaveLength(16);
    expect(Date.now() - started).toBeGreaterThanOrEqual(950);
  });

  it('retries 5xx with backoff on reads, and gives up after the last attempt', async () => {
    const { monday } = weekAhead();
    await fault({ status: 503, count: 2 });
    expect(await calcom.listSlots(newKey(), { eventTypeId: 1001, start: monday, end: monday, timeZone: 'UTC' })).toHaveLength(16);
    await fault({ status: 502, count: 3 });
    expect((await rejection(calcom.validateKey(newKey()))).status).toBe(502);
  });

  it('does not repeat a booking after a 5xx (not idempotent), but does after a 429', async () => {
    const key = newKey();
    const { tuesday } = weekAhead();
    const [slot] = await calcom.listSlots(key, { eventTypeId: 1001, start: tuesday, end: tuesday, timeZone: 'UTC' });
    await fault({ status: 500, count: 1 });
    // One fault only: a retry would have succeeded, so a 500 here proves there was none.
    expect((await rejection(calcom.createBooking(key, { eventTypeId: 1001, start: slot!, attendee: { name: 'A', email: 'a@example.com', timeZone: 'UTC' } }))).status).toBe(500);
    await fault({ status: 429, count: 1, retryAfter: 0 });
    const booking = await calcom.createBooking(key, { eventTypeId: 1001, start: slot!, attendee: { name: 'A', email: 'a@example.com', timeZone: 'UTC' } });
    expect(booking.status).toBe('accepted');
  });
});
