/** Calendar days as ISO strings (YYYY-MM-DD), read in an IANA time zone. No I/O. */

const DAY_MS = 24 * 60 * 60 * 1000;

/** The local calendar day of an instant in a time zone, e.g. "2026-03-14". */
export function localDate(at: Date, timeZone: string): string {
  // en-CA formats as YYYY-MM-DD.
  return new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(at);
}

/** The local hour (0–23) of an instant in a time zone. */
export function localHour(at: Date, timeZone: string): number {
  const hour = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', hourCycle: 'h23' }).format(at);
  return Number(hour);
}

/** A day plus n days (n may be negative). */
export function addDays(day: string, n: number): string {
  return new Date(Date.parse(`${day}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
}

/** Days from `from` to `to`, both included (1 for the same day; ≤ 0 when to is before from). */
export const daysBetweenInclusive = (from: string, to: string) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS) + 1;

/** A real calendar day in ISO form (rejects 2026-02-30). */
export function isIsoDay(s: string): boolean {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const t = Date.parse(`${s}T00:00:00Z`);
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === s;
}

/** The UTC offset of a zone at an instant, in minutes (e.g. −300 for New York in winter). */
function offsetMinutes(format: Intl.DateTimeFormat, at: Date): number {
  const name = format.formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? 'GMT';
  const m = /GMT([+-])(\d{2}):(\d{2})/.exec(name);
  return m ? (m[1] === '-' ? -1 : 1) * (Number(m[2]) * 60 + Number(m[3])) : 0;
}

/**
 * True when the zone's offset is a whole number of hours on every day around the range,
 * so UTC hours line up with local hours (false for Asia/Kolkata, Australia/Adelaide…).
 */
export function hasWholeHourOffsets(timeZone: string, from: string, to: string): boolean {
  const format = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' });
  for (let day = addDays(from, -1); day <= addDays(to, 1); day = addDays(day, 1)) {
    if (offsetMinutes(format, new Date(`${day}T00:00:00Z`)) % 60 !== 0) return false;
  }
  return true;
}
