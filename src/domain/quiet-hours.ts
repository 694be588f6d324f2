/** 'HH:MM', 24-hour. */
export const HHMM = /^([01]\d|2[0-3]):[0-5]\d$/;

const minutesOf = (hhmm: string) => Number(hhmm.slice(0, 2)) * 60 + Number(hhmm.slice(3, 5));

/** Minutes since local midnight (and the seconds into that minute) of an instant in a time zone. */
function localClock(now: Date, timeZone: string) {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone, hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' }).formatToParts(now);
  const get = (type: string) => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return { minute: get('hour') * 60 + get('minute'), second: get('second') };
}

/**
 * When the quiet window that `now` falls in ends, or null when `now` is outside it (or the
 * window is empty). The window is [start, end) in the organization's time zone and may run
 * past midnight (22:00–07:00).
 */
export function quietUntil(now: Date, timeZone: string, window: { start: string; end: string } | null): Date | null {
  if (!window || window.start === window.end) return null;
  const start = minutesOf(window.start);
  const end = minutesOf(window.end);
  const { minute, second } = localClock(now, timeZone);
  const inside = start < end ? minute >= start && minute < end : minute >= start || minute < end;
  if (!inside) return null;
  const minutesLeft = (end - minute + 1440) % 1440;
  return new Date(now.getTime() + minutesLeft * 60_000 - second * 1000 - now.getMilliseconds());
}
