import { setTimeout as sleep } from 'node:timers/promises';
import { z } from 'zod';
import type { ProviderOptions } from '../index.js';
import { ProviderError } from '../errors.js';
import { DEFAULT_RETRY, fetchJson, retryDelayMs } from '../http.js';
import { SlotUnavailableError, type BookingRequest, type CalcomBooking, type CalcomProvider } from './port.js';

const CALCOM_API = 'https://api.cal.com';

/** Each v2 endpoint group is pinned to the `cal-api-version` whose shapes we parse. */
const API_VERSIONS = { eventTypes: '2024-06-14', slots: '2024-09-04', bookings: '2024-08-13' } as const;

const Account = z.object({
  data: z.object({ id: z.number(), email: z.string(), username: z.string().nullish(), timeZone: z.string() }),
});
const EventTypeData = z.object({ id: z.number(), title: z.string(), slug: z.string(), lengthInMinutes: z.number() });
const EventType = z.object({ data: EventTypeData });
const EventTypes = z.object({ data: z.array(EventTypeData) });
const Slots = z.object({ data: z.record(z.string(), z.array(z.object({ start: z.string() }))) });
const Booking = z.object({
  data: z.object({
    id: z.number(),
    uid: z.string(),
    start: z.string(),
    end: z.string(),
    status: z.enum(['accepted', 'pending', 'cancelled', 'rejected']),
  }),
});
/** Cal.com's error envelope: `{status:"error", error:{code, message}}`. */
const ErrorBody = z.object({ error: z.object({ code: z.string().optional(), message: z.string() }) });

function parse<T>(schema: z.ZodType<T>, body: unknown, operation: string): T {
  const result = schema.safeParse(body);
  if (!result.success) throw new ProviderError('calcom', undefined, `${operation}: unexpected response shape`, { cause: result.error });
  return result.data;
}

const authorization = (apiKey: string) => ({ authorization: `Bearer ${apiKey}`, accept: 'application/json' });

/** Cal.com words a taken (or unavailable) time this way, as 400 or, for some hosts, 409. */
const SLOT_TAKEN = /already has booking|not available|no_available_users/i;

function bookingError(status: number, body: unknown): ProviderError {
  const parsed = ErrorBody.safeParse(body);
  const message = parsed.success ? parsed.data.error.message : `HTTP ${status}`;
  if ((status === 400 || status === 409) && SLOT_TAKEN.test(message)) {
    return new SlotUnavailableError('calcom', status, `createBooking: ${message}`);
  }
  return new ProviderError('calcom', status, `createBooking: HTTP ${status} ${message}`);
}

/**
 * POST /v2/bookings is not idempotent and Cal.com honors no client idempotency key, so a
 * 5xx or a dropped connection is not retried (the booking may already exist; the caller
 * can list slots again). A 429 is retried: it was refused before Cal.com acted on it.
 */
async function postBooking(url: string, init: RequestInit): Promise<unknown> {
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetch(url, { ...init, method: 'POST', signal: AbortSignal.timeout(DEFAULT_RETRY.timeoutMs) });
    } catch (err) {
      throw new ProviderError('calcom', undefined, `createBooking: request failed: ${(err as Error).message}`, { cause: err });
    }
    if (res.status === 429 && attempt < DEFAULT_RETRY.attempts - 1) {
      await res.body?.cancel();
      await sleep(retryDelayMs(attempt, DEFAULT_RETRY, res.headers.get('retry-after')));
      continue;
    }
    const body: unknown = await res.json().catch(() => undefined);
    if (res.ok) return body;
    throw bookingError(res.status, body);
  }
}

const toBooking = (b: z.infer<typeof Booking>['data']): CalcomBooking => ({
  id: b.id,
  uid: b.uid,
  start: new Date(b.start).toISOString(),
  end: new Date(b.end).toISOString(),
  status: b.status,
});

/** The only file that talks to Cal.com (API v2 over fetch; each business's own key). */
export function createCalcomProvider(opts: ProviderOptions): CalcomProvider {
  const base = opts.baseUrl ?? CALCOM_API;
  const get = (path: string, apiKey: string, version?: string) =>
    fetchJson<unknown>('calcom', `${base}${path}`, {
      headers: { ...authorization(apiKey), ...(version ? { 'cal-api-version': version } : {}) },
    });

  return {
    async validateKey(apiKey) {
      const { data } = parse(Account, await get('/v2/me', apiKey), 'validateKey');
      return { id: data.id, email: data.email, username: data.username ?? null, timeZone: data.timeZone };
    },

    async listEventTypes(apiKey) {
      const { data } = parse(EventTypes, await get('/v2/event-types', apiKey, API_VERSIONS.eventTypes), 'listEventTypes');
      return data.map((et) => ({ id: et.id, title: et.title, slug: et.slug, lengthInMinutes: et.lengthInMinutes }));
    },

    async getEventType(apiKey, eventTypeId) {
      const body = await get(`/v2/event-types/${eventTypeId}`, apiKey, API_VERSIONS.eventTypes);
      const { data } = parse(EventType, body, 'getEventType');
      return { id: data.id, title: data.title, slug: data.slug, lengthInMinutes: data.lengthInMinutes };
    },

    async listSlots(apiKey, query) {
      const params = new URLSearchParams({
        eventTypeId: String(query.eventTypeId),
        start: query.start,
        end: query.end,
        timeZone: query.timeZone,
      });
      const { data } = parse(Slots, await get(`/v2/slots?${params}`, apiKey, API_VERSIONS.slots), 'listSlots');
      return Object.values(data)
        .flat()
        .map((slot) => slot.start)
        .sort((a, b) => Date.parse(a) - Date.parse(b));
    },

    async createBooking(apiKey, booking: BookingRequest) {
      const body = {
        eventTypeId: booking.eventTypeId,
        start: new Date(booking.start).toISOString(),
        attendee: booking.attendee,
        ...(booking.lengthInMinutes !== undefined ? { lengthInMinutes: booking.lengthInMinutes } : {}),
      };
      const answer = await postBooking(`${base}/v2/bookings`, {
        headers: { ...authorization(apiKey), 'cal-api-version': API_VERSIONS.bookings, 'content-type': 'application/json' },
        body: JSON.stringify(body),
      });
      return toBooking(parse(Booking, answer, 'createBooking').data);
    },
  };
}
