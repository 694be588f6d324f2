import { DayHoursSchema, WEEKDAYS, type BusinessHours, type Weekday } from './hours.js';

/** One day's interval before validation; close may be '24:00' (midnight). */
type Interval = { open: string; close: string } | 'closed';

// Non-ASCII as \u escapes (en and em dash), which RegExp reads: the built bundle stays ASCII.
const RANGE_SEP = String.raw`\s*(?:-|\u2013|\u2014|\bto\b|\bthrough\b|\bthru\b)\s*`;
const LIST_SEP = String.raw`\s*(?:,|&|\band\b|\/)\s*`;
/** Days as people write them; the two-letter schema.org forms only where schema.org is read ("we", "sa" are words). */
const WORD = String.raw`mon(?:day)?|tue(?:s|sday)?|wed(?:nesday)?|thu(?:r|rs|rsday)?|fri(?:day)?|sat(?:urday)?|sun(?:day)?`;
const daySpec = (word: string) => {
  const day = String.raw`\b(?:${word})s?\b\.?`;
  return String.raw`${day}(?:(?:${RANGE_SEP}|${LIST_SEP})${day})*`;
};
const CLOCK = String.raw`(?:\d{1,2}(?::\d{2})?\s*(?:[ap]\.?\s?m\.?)?|noon|midnight)`;

/** "Mo", "Tues", "https://schema.org/Thursday" → its weekday. */
export function weekdayOf(token: string): Weekday | undefined {
  const word = token.replace(/^.*[/#]/, '').trim().toLowerCase();
  return WEEKDAYS.find((d) => word.length >= 2 && d.startsWith(word.slice(0, 2)));
}

/** "Mo-Fr", "Mon, Wed & Fri", "Saturday – Monday" → the days meant (ranges may wrap the week). */
export function parseDaySpec(spec: string): Weekday[] {
  const days: Weekday[] = [];
  for (const part of spec.split(new RegExp(LIST_SEP, 'i'))) {
    const ends = part.split(new RegExp(RANGE_SEP, 'i')).map(weekdayOf);
    const from = ends[0];
    const to = ends.at(-1);
    if (!from || !to) continue;
    let i = WEEKDAYS.indexOf(from);
    for (let guard = 0; guard < 7; guard++, i = (i + 1) % 7) {
      days.push(WEEKDAYS[i]!);
      if (WEEKDAYS[i] === to) break;
    }
  }
  return [...new Set(days)];
}

interface Clock {
  h: number;
  m: number;
  suffix?: 'am' | 'pm';
}

function readClock(raw: string): Clock | undefined {
  const text = raw.trim().toLowerCase();
  if (text === 'noon') return { h: 12, m: 0, suffix: 'pm' };
  if (text === 'midnight') return { h: 24, m: 0 };
  const match = /^(\d{1,2})(?::(\d{2}))?(?::\d{2})?\s*([ap])?/.exec(text);
  if (!match) return undefined;
  const h = Number(match[1]);
  const m = Number(match[2] ?? 0);
  if (h > 24 || m > 59) return undefined;
  return { h, m, suffix: match[3] ? (`${match[3]}m` as 'am' | 'pm') : undefined };
}

const hhmm = (h: number, m: number) => `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}`;

function to24(c: Clock, suffix: 'am' | 'pm' | undefined): number {
  if (!suffix || c.h > 12) return c.h;
  if (suffix === 'am') return c.h === 12 ? 0 : c.h;
  return c.h === 12 ? 12 : c.h + 12;
}

/**
 * Two clock readings as a 24-hour interval: "9am"–"5pm", "9"–"5:30pm" (the open time
 * takes the close time's am/pm unless that would make it later), "09:00"–"17:00", "9"–"5".
 */
export function parseTimeRange(openRaw: string, closeRaw: string): Interval | undefined {
  const open = readClock(openRaw);
  const close = readClock(closeRaw);
  if (!open || !close) return undefined;
  let closeH = to24(close, close.suffix);
  let openH = to24(open, open.suffix ?? close.suffix);
  if (!open.suffix && close.suffix && openH * 60 + open.m > closeH * 60 + close.m) openH = to24(open, 'am');
  // "9-5" with no am/pm anywhere: a working day, not 9:00 to 05:00.
  if (!open.suffix && !close.suffix && closeH < openH && closeH + 12 <= 24) closeH += 12;
  if (closeH === 0 && close.m === 0) closeH = 24;
  return { open: hhmm(openH, open.m), close: hhmm(closeH, close.m) };
}

/** Stores an interval per day; a second interval the same day widens it (split shifts). */
export class HoursBuilder {
  private readonly days = new Map<Weekday, Interval>();

  set(days: Weekday[], interval: Interval) {
    for (const day of days) {
      const prev = this.days.get(day);
      if (!prev || prev === 'closed') this.days.set(day, interval);
      else if (interval !== 'closed') {
        this.days.set(day, {
          open: prev.open < interval.open ? prev.open : interval.open,
          close: prev.close > interval.close ? prev.close : interval.close,
        });
      }
    }
  }

  /** The week in our shape, or null when nothing usable was found. Overnight hours are dropped. */
  build(): BusinessHours | null {
    const hours: BusinessHours = {};
    for (const day of WEEKDAYS) {
      const interval = this.days.get(day);
      if (!interval) continue;
      if (interval === 'closed') {
        hours[day] = { closed: true };
        continue;
      }
      const close = interval.close === '24:00' ? '23:59' : interval.close;
      const parsed = DayHoursSchema.safeParse({ open: interval.open, close });
      if (parsed.success) hours[day] = parsed.data;
    }
    return Object.values(hours).some((d) => !d.closed) ? hours : null;
  }
}

/** schema.org openingHoursSpecification: one object or a list, dayOfWeek one or many. */
export function hoursFromSpecification(specs: Array<Record<string, unknown>>): BusinessHours | null {
  const builder = new HoursBuilder();
  for (const spec of specs) {
    const dayValues = ([] as unknown[]).concat(spec.dayOfWeek ?? []);
    const days = dayValues.flatMap((d) => (typeof d === 'string' ? [weekdayOf(d)].filter((x) => x !== undefined) : []));
    const opens = typeof spec.opens === 'string' ? spec.opens : undefined;
    const closes = typeof spec.closes === 'string' ? spec.closes : undefined;
    if (!days.length || !opens || !closes) continue;
    // schema.org: opens and closes both 00:00 means closed all day.
    if (/^0?0:00/.test(opens) && /^0?0:00/.test(closes)) builder.set(days, 'closed');
    else {
      const interval = parseTimeRange(opens, closes);
      if (interval) builder.set(days, interval);
    }
  }
  return builder.build();
}

/** schema.org openingHours strings: "Mo-Fr 09:00-17:00", "Mo,We 9:00-12:00 Sa 10:00-14:00". */
export function hoursFromOpeningHours(values: string[]): BusinessHours | null {
  const builder = new HoursBuilder();
  const pattern = new RegExp(String.raw`(${daySpec(`${WORD}|mo|tu|we|th|fr|sa|su`)})\s+(\d{1,2}:\d{2})\s*-\s*(\d{1,2}:\d{2})`, 'gi');
  for (const value of values) {
    for (const m of value.matchAll(pattern)) {
      const interval = parseTimeRange(m[2]!, m[3]!);
      if (interval) builder.set(parseDaySpec(m[1]!), interval);
    }
  }
  return builder.build();
}

/** Hours written for people: "Monday–Friday: 9am–5pm", "Sat 10:00 AM - 2:00 PM", "Sunday: Closed". */
export function hoursFromText(text: string): BusinessHours | null {
  const builder = new HoursBuilder();
  const pattern = new RegExp(
    String.raw`(${daySpec(WORD)})\s*:?\s*(?:(${CLOCK})\s*(?:-|\u2013|\u2014|to|until)\s*(${CLOCK})|(closed)|(open 24 hours|24 hours))`,
    'gi',
  );
  for (const m of text.matchAll(pattern)) {
    const days = parseDaySpec(m[1]!);
    if (m[4]) builder.set(days, 'closed');
    else if (m[5]) builder.set(days, { open: '00:00', close: '24:00' });
    else {
      const interval = parseTimeRange(m[2]!, m[3]!);
      if (interval) builder.set(days, interval);
    }
  }
  return builder.build();
}
