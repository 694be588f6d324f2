import type { AppContext } from '../../context.js';
import { bookings } from '../../db/schema/index.js';
import { SlotUnavailableError } from '../../providers/calcom/port.js';
import * as assistantsRepo from '../assistants/assistants.repo.js';
import { TOOL_HANDLERS, type ToolInvocation } from '../calls/tool-calls.service.js';
import { BOOK_APPOINTMENT, CHECK_AVAILABILITY } from './calendar-tools.js';
import { calendarApiKey, findConnection } from './calendar.service.js';
import { emitEvent } from '../webhook-endpoints/events.js';

const OFFERED_SLOTS = 6;
const DAYS_AHEAD = 7;

/** YYYY-MM-DD of an instant in a time zone. */
const dayIn = (date: Date, timeZone: string): string => new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(date);
const addDays = (day: string, n: number): string => new Date(Date.parse(`${day}T12:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
const spoken = (iso: string, timeZone: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone, weekday: 'long', month: 'long', day: 'numeric', hour: 'numeric', minute: '2-digit' }).format(new Date(iso));
const text = (v: unknown) => (typeof v === 'string' && v.trim() ? v.trim() : undefined);

/** The calendar and the business's time zone, or the sentence the assistant should say instead. */
async function calendarFor(ctx: AppContext, organizationId: string) {
  const connection = await findConnection(ctx, organizationId);
  if (!connection) return { ok: false as const, say: 'Online booking is not available; offer to take a message instead.' };
  const profile = await assistantsRepo.getProfile(ctx.db, organizationId);
  return { ok: true as const, connection, apiKey: calendarApiKey(ctx, connection), timeZone: profile.timezone };
}

async function checkAvailability(ctx: AppContext, call: ToolInvocation): Promise<string> {
  const cal = await calendarFor(ctx, call.organizationId);
  if (!cal.ok) return cal.say;
  const requested = text(call.args.date);
  const start = requested && /^\d{4}-\d{2}-\d{2}$/.test(requested) ? requested : dayIn(ctx.now(), cal.timeZone);
  const slots = await ctx.providers.calcom.listSlots(cal.apiKey, {
    eventTypeId: cal.connection.eventTypeId,
    start,
    end: addDays(start, DAYS_AHEAD - 1),
    timeZone: cal.timeZone,
  });
  const upcoming = slots.filter((s) => Date.parse(s) > ctx.now().getTime()).slice(0, OFFERED_SLOTS);
  if (upcoming.length === 0) return `No open times from ${start} for the next ${DAYS_AHEAD} days; ask for another day.`;
  return `Open times (pass the bracketed value to book_appointment): ${upcoming.map((s) => `${spoken(s, cal.timeZone)} [${s}]`).join('; ')}.`;
}

async function bookAppointment(ctx: AppContext, call: ToolInvocation): Promise<string> {
  const cal = await calendarFor(ctx, call.organizationId);
  if (!cal.ok) return cal.say;
  const start = text(call.args.start);
  const name = text(call.args.name);
  if (!start || Number.isNaN(Date.parse(start)) || !name) return 'I need the exact time from check_availability and the caller\'s name to book.';
  try {
    const booking = await ctx.providers.calcom.createBooking(cal.apiKey, {
      eventTypeId: cal.connection.eventTypeId,
      start,
      attendee: { name, email: text(call.args.email), phoneNumber: text(call.args.phone), timeZone: cal.timeZone },
    });
    await ctx.db.insert(bookings).values({
      organizationId: call.organizationId,
      vapiCallId: call.vapiCallId ?? null,
      externalUid: booking.uid,
      startsAt: new Date(booking.start),
      attendeeName: name,
      attendeePhone: text(call.args.phone) ?? null,
    });
    await emitEvent(ctx, ctx.db, call.organizationId, 'booking.created', { booking: { uid: booking.uid, startsAt: new Date(booking.start).toISOString(), attendeeName: name, attendeePhone: text(call.args.phone) ?? null, vapiCallId: call.vapiCallId ?? null } }, { key: booking.uid });
    return `Booked ${spoken(booking.start, cal.timeZone)} for ${name}.`;
  } catch (err) {
    if (err instanceof SlotUnavailableError) return 'That time was just taken. Check availability again and offer another time.';
    throw err;
  }
}

TOOL_HANDLERS.set(CHECK_AVAILABILITY, checkAvailability);
TOOL_HANDLERS.set(BOOK_APPOINTMENT, bookAppointment);
