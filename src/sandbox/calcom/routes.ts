import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { isE164 } from '../../domain/phone.js';
import { isValidTimeZone } from '../../domain/hours.js';
import { randomBase62 } from '../../lib/tokens.js';
import { dateIn, formatIn, freeSlots, isFreeSlot, type Interval } from './schedule.js';
import { accountFor, calcomStores, CalcomApiError, requireVersion, type BookingDoc, type EventTypeDoc, type UserDoc } from './shared.js';

const TimeZone = z.string().refine(isValidTimeZone, 'timeZone must be a valid IANA time zone');
const DateOrInstant = z.union([z.iso.date(), z.iso.datetime({ offset: true })]);

const SlotsQuery = z.object({
  eventTypeId: z.coerce.number().int().positive(),
  start: DateOrInstant,
  end: DateOrInstant,
  timeZone: TimeZone.default('UTC'),
});

const BookingBody = z.looseObject({
  eventTypeId: z.number().int().positive(),
  start: z.iso.datetime({ offset: true }),
  attendee: z
    .looseObject({
      name: z.string().min(1),
      email: z.email().optional(),
      phoneNumber: z.string().refine(isE164, 'phoneNumber must be a valid E.164 phone number').optional(),
      timeZone: TimeZone,
      language: z.string().default('en'),
    })
    .refine((a) => a.email || a.phoneNumber, 'attendee must have an email or a phoneNumber'),
  lengthInMinutes: z.number().int().positive().optional(),
});

/** Cal.com reads a date-only `start` as 00:00:00 UTC and a date-only `end` as 23:59:59 UTC. */
const rangeStart = (value: string) => Date.parse(value.length === 10 ? `${value}T00:00:00.000Z` : value);
const rangeEnd = (value: string) => Date.parse(value.length === 10 ? `${value}T23:59:59.999Z` : value);

/** The event type as `GET /v2/event-types/{id}` (2024-06-14) answers it. */
const eventTypeView = (et: EventTypeDoc, owner: UserDoc) => ({
  id: et.id,
  lengthInMinutes: et.lengthInMinutes,
  title: et.title,
  slug: et.slug,
  description: et.description,
  locations: [{ type: 'integration', integration: 'cal-video' }],
  bookingFields: [],
  disableGuests: false,
  slotInterval: null,
  minimumBookingNotice: 0,
  beforeEventBuffer: 0,
  afterEventBuffer: 0,
  recurrence: null,
  metadata: {},
  price: 0,
  currency: 'usd',
  lockTimeZoneToggleOnBookingPage: false,
  seatsPerTimeSlot: null,
  forwardParamsSuccessRedirect: null,
  successRedirectUrl: null,
  isInstantEvent: false,
  scheduleId: null,
  hidden: false,
  ownerId: owner.id,
  users: [{ id: owner.id, name: owner.name, username: owner.username, avatarUrl: null, weekStart: owner.weekStart, brandColor: null, darkBrandColor: null, metadata: {} }],
});

/** `/v2/me`, `/v2/event-types` (and `/{id}`), `/v2/slots` and `POST /v2/bookings`, for the key's account. */
const calcomRoutes: FastifyPluginAsyncZod = async (app) => {
  const stores = calcomStores(app.ctx.db);
  /** The auth hook accepted the key's shape; this is its account. */
  const account = (request: FastifyRequest) => accountFor(stores, request.headers.authorization!.slice('Bearer '.length));

  async function eventTypeOf(user: UserDoc, id: number, notFoundMessage: string) {
    const et = await stores.eventTypes.get(`${user.id}:${id}`);
    if (!et) throw new CalcomApiError(404, notFoundMessage);
    return et;
  }

  async function busyTimes(user: UserDoc): Promise<Interval[]> {
    const bookings = await stores.bookings.list({ owner: String(user.id), limit: 10_000 });
    return bookings.filter((b) => b.status === 'accepted').map((b) => ({ start: Date.parse(b.start), end: Date.parse(b.end) }));
  }

  /** One booking at a time, so two requests for one slot cannot both see it free. */
  let bookingQueue: Promise<unknown> = Promise.resolve();
  const serialized = <T>(fn: () => Promise<T>): Promise<T> => {
    const run = bookingQueue.then(fn, fn);
    bookingQueue = run.catch(() => undefined);
    return run;
  };

  app.get('/v2/me', { schema: { hide: true } }, async (request) => {
    return { status: 'success', data: await account(request) };
  });

  app.get('/v2/event-types', { schema: { hide: true } }, async (request) => {
    requireVersion(request, '2024-06-14');
    const user = await account(request);
    const eventTypes = await stores.eventTypes.list({ owner: String(user.id), limit: 1000 });
    return { status: 'success', data: eventTypes.sort((a, b) => a.id - b.id).map((et) => eventTypeView(et, user)) };
  });

  app.get('/v2/event-types/:id', { schema: { hide: true, params: z.object({ id: z.coerce.number().int() }) } }, async (request) => {
    requireVersion(request, '2024-06-14');
    const user = await account(request);
    const et = await eventTypeOf(user, request.params.id, `Event type with id ${request.params.id} not found`);
    return { status: 'success', data: eventTypeView(et, user) };
  });

  app.get('/v2/slots', { schema: { hide: true, querystring: SlotsQuery } }, async (request) => {
    requireVersion(request, '2024-09-04');
    const { eventTypeId, start, end, timeZone } = request.query;
    const user = await account(request);
    const et = await eventTypeOf(user, eventTypeId, 'Event Type not found');
    const slots = freeSlots({
      from: rangeStart(start),
      to: rangeEnd(end),
      lengthMinutes: et.lengthInMinutes,
      busy: await busyTimes(user),
      notBefore: app.ctx.now().getTime(),
    });
    const data: Record<string, Array<{ start: string }>> = {};
    for (const slot of slots) (data[dateIn(slot, timeZone)] ??= []).push({ start: formatIn(slot, timeZone) });
    return { data, status: 'success' };
  });

  app.post('/v2/bookings', { schema: { hide: true, body: BookingBody } }, async (request, reply) => {
    requireVersion(request, '2024-08-13');
    const body = request.body;
    const user = await account(request);
    const et = await eventTypeOf(user, body.eventTypeId, `Event type with id ${body.eventTypeId} not found.`);
    if (body.lengthInMinutes !== undefined) {
      throw new CalcomApiError(
        400,
        "Can't specify 'lengthInMinutes' because event type does not have multiple possible lengths. Please, remove the 'lengthInMinutes' field from the request.",
      );
    }
    const start = Date.parse(body.start);
    const now = app.ctx.now();
    if (start < now.getTime()) throw new CalcomApiError(400, 'Attempting to book a meeting in the past.');

    const booking = await serialized(async () => {
      const busy = await busyTimes(user);
      if (!isFreeSlot(start, { lengthMinutes: et.lengthInMinutes, busy, notBefore: now.getTime() })) {
        throw new CalcomApiError(400, 'User either already has booking at this time or is not available');
      }
      const id = ((await stores.counters.get('booking'))?.value ?? 0) + 1;
      await stores.counters.put('booking', { value: id });
      const uid = randomBase62(16);
      const { name, email, phoneNumber, timeZone, language } = body.attendee;
      const doc: BookingDoc = {
        id,
        uid,
        title: `${et.title} between ${user.name} and ${name}`,
        description: '',
        hosts: [{ id: user.id, name: user.name, email: user.email, username: user.username, timeZone: user.timeZone }],
        status: 'accepted',
        start: new Date(start).toISOString(),
        end: new Date(start + et.lengthInMinutes * 60_000).toISOString(),
        duration: et.lengthInMinutes,
        eventTypeId: et.id,
        eventType: { id: et.id, slug: et.slug },
        location: `https://app.cal.com/video/${uid}`,
        absentHost: false,
        createdAt: now.toISOString(),
        updatedAt: now.toISOString(),
        attendees: [{ name, email: email ?? null, displayEmail: email ?? null, timeZone, phoneNumber: phoneNumber ?? null, language, absent: false }],
        bookingFieldsResponses: { name, ...(email ? { email } : {}), ...(phoneNumber ? { attendeePhoneNumber: phoneNumber } : {}) },
        metadata: {},
        icsUid: `${uid}@Cal.com`,
      };
      return stores.bookings.put(uid, doc, String(user.id));
    });
    return reply.status(201).send({ status: 'success', data: booking });
  });
};

export default calcomRoutes;
