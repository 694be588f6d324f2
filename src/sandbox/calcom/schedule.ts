/**
 * The sandbox host's availability and the time-zone arithmetic behind it. Every emulated
 * Cal.com account works Monday to Friday, 09:00–17:00 in New York, with back-to-back slots
 * of the event type's length; booked time is busy for every event type of that account.
 */
export const HOST_TIME_ZONE = 'America/New_York';
const WORKDAYS = new Set([1, 2, 3, 4, 5]);
const DAY_START_MINUTES = 9 * 60;
const DAY_END_MINUTES = 17 * 60;
const MINUTE_MS = 60_000;

const offsetFormats = new Map<string, Intl.DateTimeFormat>();

/** Minutes east of UTC of `timeZone` at instant `ms` (New York in winter: -300). */
export function offsetMinutes(ms: number, timeZone: string): number {
  let format = offsetFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
    offsetFormats.set(timeZone, format);
  }
  const name = format.formatToParts(ms).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const match = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  if (!match) return 0; // plain "GMT"
  return (match[1] === '-' ? -1 : 1) * (Number(match[2]) * 60 + Number(match[3]));
}

/** The instant at wall-clock `minutes` after midnight of `date` (YYYY-MM-DD) in `timeZone`. */
export function wallClockToInstant(date: string, minutes: number, timeZone: string): number {
  const wall = Date.parse(`${date}T00:00:00Z`) + minutes * MINUTE_MS;
  // Two passes settle the offset, also on days when it changes (DST).
  const guess = wall - offsetMinutes(wall, timeZone) * MINUTE_MS;
  return wall - offsetMinutes(guess, timeZone) * MINUTE_MS;
}

/** The calendar date (YYYY-MM-DD) of instant `ms` in `timeZone`. */
export const dateIn = (ms: number, timeZone: string) =>
  new Date(ms + offsetMinutes(ms, timeZone) * MINUTE_MS).toISOString().slice(0, 10);

/** As Cal.com writes slot times: milliseconds, and the zone's offset ("Z" for UTC). */
export function formatIn(ms: number, timeZone: string): string {
  const offset = offsetMinutes(ms, timeZone);
  const local = new Date(ms + offset * MINUTE_MS).toISOString().slice(0, 23);
  if (timeZone === 'UTC') return `${local}Z`;
  const abs = Math.abs(offset);
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${local}${offset < 0 ? '-' : '+'}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

const nextDate = (date: string) => new Date(Date.parse(`${date}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
const weekdayOf = (date: string) => new Date(`${date}T00:00:00Z`).getUTCDay();

export interface Interval {
  start: number;
  end: number;
}

export interface SlotSearch {
  /** Slot starts from this instant… */
  from: number;
  /** …up to and including this one. */
  to: number;
  lengthMinutes: number;
  busy: Interval[];
  /** Nothing in the past can be booked. */
  notBefore: number;
}

/** Free slot starts (UTC ms) in the range, earliest first. */
export function freeSlots(search: SlotSearch): number[] {
  const { from, to, lengthMinutes, busy, notBefore } = search;
  const slots: number[] = [];
  for (let date = dateIn(from, HOST_TIME_ZONE); wallClockToInstant(date, 0, HOST_TIME_ZONE) <= to; date = nextDate(date)) {
    if (!WORKDAYS.has(weekdayOf(date))) continue;
    for (let minute = DAY_START_MINUTES; minute + lengthMinutes <= DAY_END_MINUTES; minute += lengthMinutes) {
      const start = wallClockToInstant(date, minute, HOST_TIME_ZONE);
      const end = start + lengthMinutes * MINUTE_MS;
      if (start < from || start > to || start < notBefore) continue;
      if (busy.some((b) => start < b.end && b.start < end)) continue;
      slots.push(start);
    }
  }
  return slots;
}

/** Whether `start` is itself a free slot of that length. */
export const isFreeSlot = (start: number, search: Omit<SlotSearch, 'from' | 'to'>) =>
  freeSlots({ ...search, from: start, to: start }).includes(start);
