import { z } from 'zod';

export const WEEKDAYS = ['monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday', 'sunday'] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const HHMM = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'Use 24-hour HH:MM, e.g. 09:00');

export const DayHoursSchema = z
  .object({ open: HHMM.optional(), close: HHMM.optional(), closed: z.boolean().default(false) })
  .superRefine((d, ctx) => {
    if (d.closed) return;
    if (!d.open || !d.close) {
      ctx.addIssue({ code: 'custom', message: 'open and close are required unless closed is true' });
    } else if (d.open >= d.close) {
      ctx.addIssue({ code: 'custom', message: 'open must be before close', path: ['close'] });
    }
  });
export type DayHours = z.infer<typeof DayHoursSchema>;

/** Days left out are closed. */
export const BusinessHoursSchema = z.partialRecord(z.enum(WEEKDAYS), DayHoursSchema);
export type BusinessHours = z.infer<typeof BusinessHoursSchema>;

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return tz.includes('/') || tz === 'UTC';
  } catch {
    return false;
  }
}

export const TimeZoneSchema = z.string().max(64).refine(isValidTimeZone, 'Must be an IANA time zone such as America/New_York');

export const DEFAULT_TIME_ZONE = 'America/New_York';

/** "09:00" → "9 AM", "17:30" → "5:30 PM", "12:00" → "12 PM". */
export function formatTime(hhmm: string): string {
  const [h, m] = hhmm.split(':').map(Number) as [number, number];
  const suffix = h < 12 ? 'AM' : 'PM';
  const hour12 = h % 12 === 0 ? 12 : h % 12;
  return m === 0 ? `${hour12} ${suffix}` : `${hour12}:${String(m).padStart(2, '0')} ${suffix}`;
}

const dayName = (d: Weekday) => d[0]!.toUpperCase() + d.slice(1);

/**
 * The week in a business's words: consecutive days with the same hours are grouped
 * ("Monday to Friday, 9 AM to 5 PM; Saturday, 10 AM to 2 PM; closed Sunday").
 */
export function describeHours(hours: BusinessHours): string {
  const label = (d: Weekday) => {
    const h = hours[d];
    return !h || h.closed || !h.open || !h.close ? 'closed' : `${formatTime(h.open)} to ${formatTime(h.close)}`;
  };
  const runs: Array<{ from: Weekday; to: Weekday; label: string }> = [];
  for (const day of WEEKDAYS) {
    const last = runs.at(-1);
    if (last && last.label === label(day)) last.to = day;
    else runs.push({ from: day, to: day, label: label(day) });
  }
  if (runs.every((r) => r.label === 'closed')) return 'No opening hours are set.';
  return runs
    .map((r) => {
      const days = r.from === r.to ? dayName(r.from) : `${dayName(r.from)} to ${dayName(r.to)}`;
      return r.label === 'closed' ? `closed ${days}` : `${days}, ${r.label}`;
    })
    .join('; ')
    .replace(/^./, (c) => c.toUpperCase());
}
