const dateTime = new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
const shortDate = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric' });

export const formatDateTime = (iso: string | null) => (iso ? dateTime.format(new Date(iso)) : '—');
export const formatShortDate = (iso: string) => shortDate.format(new Date(iso));

/** A call's length, or any single stretch of talk: 192 → "3:12". */
export function formatDuration(seconds: number | null): string {
  if (seconds === null) return '—';
  const s = Math.round(seconds);
  return `${Math.floor(s / 60)}:${String(s % 60).padStart(2, '0')}`;
}

/**
 * A count of minutes (used, left, included, per day): whole minutes, never decimals, so "9.4"
 * and "2:00" never sit side by side; a part minute rounds to the nearest, and more than
 * nothing but under half a minute reads "<1" rather than a misleading 0.
 */
export function formatMinutes(minutes: number): string {
  if (minutes > 0 && minutes < 0.5) return '<1';
  return Math.round(minutes).toLocaleString('en-US');
}

/** "+15551234567" → "+1 (555) 123-4567"; other countries stay as stored (E.164). */
export function formatPhone(e164: string | null): string {
  if (!e164) return 'Unknown caller';
  const us = /^\+1(\d{3})(\d{3})(\d{4})$/.exec(e164);
  return us ? `+1 (${us[1]}) ${us[2]}-${us[3]}` : e164;
}

/** "IN_PROGRESS" → "In progress" */
export const humanize = (s: string) => {
  const words = s.replace(/[_-]+/g, ' ').toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
};

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD' });
/** 4900 → "$49.00" */
export const formatCents = (cents: number) => usd.format(cents / 100);

/** A calendar day (YYYY-MM-DD) as a short date, read at noon UTC so no zone moves it. */
export const formatDay = (day: string) => formatShortDate(`${day}T12:00:00Z`);
