import type { MailMessage } from '../../providers/mail/port.js';
import type { Digest } from './digest.service.js';

/** Every piece of user or caller content goes through this before it is put in HTML. */
export const escapeHtml = (s: string) =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/** "2026-03-10" → "Tuesday, March 10, 2026". */
export const longDate = (day: string) =>
  new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', weekday: 'long', month: 'long', day: 'numeric', year: 'numeric' }).format(
    new Date(`${day}T12:00:00Z`),
  );

/** 192 → "3m 12s"; 7 → "7s". */
export const duration = (seconds: number | null) =>
  seconds === null ? '—' : seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, '0')}s`;

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;
const cycleEndDate = (iso: string) => new Intl.DateTimeFormat('en-US', { timeZone: 'UTC', month: 'short', day: 'numeric' }).format(new Date(iso));

function headline(d: Digest) {
  const missed = d.totals.hangUps + d.totals.voicemail;
  return [
    plural(d.totals.calls, 'call'),
    `${d.totals.minutes} minutes`,
    plural(d.totals.bookings, 'booking'),
    `${missed} missed (${plural(d.totals.hangUps, 'hang-up')}, ${d.totals.voicemail} voicemail)`,
    `${d.totals.transfers} transferred`,
  ].join(' · ');
}

const minutesLine = (d: Digest) =>
  `Minutes: ${d.minutes.used} of ${d.minutes.included} used this cycle; ${d.minutes.left} left (the cycle ends ${cycleEndDate(d.minutes.cycleEnd)}${
    d.minutes.overageEnabled ? '; overage is on' : ''
  }).`;

const caller = (n: string | null) => n ?? 'unknown caller';

/** The digest as plain text. */
export function renderDigestText(d: Digest, o: { name: string; appUrl: string }): string {
  const lines = [`Good morning, ${o.name}.`, '', `Yesterday at ${d.organizationName} (${longDate(d.date)}, ${d.timezone} time):`, headline(d), ''];
  lines.push('Calls');
  if (d.calls.length === 0) lines.push('- No calls.');
  for (const c of d.calls) {
    lines.push(`- ${c.time}  ${caller(c.customerNumber)}  ${duration(c.durationSeconds)}  ${c.outcome}${c.summary ? ` — ${c.summary}` : ''}`);
  }
  if (d.moreCalls > 0) lines.push(`- …and ${plural(d.moreCalls, 'more call')}.`);
  lines.push('', 'Bookings');
  if (d.bookings.length === 0) lines.push('- None.');
  for (const b of d.bookings) lines.push(`- ${b.attendeeName}, ${b.startsAtLocal}`);
  lines.push('', 'Missed opportunities');
  if (d.missed.length === 0) lines.push('- None.');
  for (const m of d.missed) {
    lines.push(`- ${m.time}  ${caller(m.customerNumber)}  ${m.outcome === 'voicemail' ? 'went to voicemail' : `hung up after ${duration(m.durationSeconds)}`}`);
  }
  lines.push('', minutesLine(d), '', `See all calls: ${o.appUrl}/dashboard/calls`, `Turn off this email: ${o.appUrl}/dashboard/account`);
  return lines.join('\n');
}

/** The digest as HTML: a small table per list, every value escaped. */
export function renderDigestHtml(d: Digest, o: { name: string; appUrl: string }): string {
  const e = escapeHtml;
  const cell = (s: string) => `<td style="padding:4px 8px;border-bottom:1px solid #eee">${e(s)}</td>`;
  const table = (head: string[], rows: string[][]) =>
    `<table style="border-collapse:collapse;font-size:14px"><thead><tr>${head.map((h) => `<th align="left" style="padding:4px 8px">${e(h)}</th>`).join('')}</tr></thead><tbody>${rows
      .map((r) => `<tr>${r.map(cell).join('')}</tr>`)
      .join('')}</tbody></table>`;
  const calls =
    d.calls.length === 0
      ? '<p>No calls.</p>'
      : table(
          ['Time', 'Caller', 'Length', 'Outcome', 'Summary'],
          d.calls.map((c) => [c.time, caller(c.customerNumber), duration(c.durationSeconds), c.outcome, c.summary ?? '']),
        ) + (d.moreCalls > 0 ? `<p>…and ${e(plural(d.moreCalls, 'more call'))}.</p>` : '');
  const bookings = d.bookings.length === 0 ? '<p>None.</p>' : table(['Name', 'Appointment'], d.bookings.map((b) => [b.attendeeName, b.startsAtLocal]));
  const missed =
    d.missed.length === 0
      ? '<p>None.</p>'
      : table(
          ['Time', 'Caller', 'What happened'],
          d.missed.map((m) => [m.time, caller(m.customerNumber), m.outcome === 'voicemail' ? 'went to voicemail' : `hung up after ${duration(m.durationSeconds)}`]),
        );
  return [
    '<div style="font-family:system-ui,sans-serif;color:#222">',
    `<p>Good morning, ${e(o.name)}.</p>`,
    `<h2 style="font-size:18px">Yesterday at ${e(d.organizationName)}</h2>`,
    `<p>${e(longDate(d.date))}, ${e(d.timezone)} time</p>`,
    `<p><strong>${e(headline(d))}</strong></p>`,
    '<h3 style="font-size:16px">Calls</h3>',
    calls,
    '<h3 style="font-size:16px">Bookings</h3>',
    bookings,
    '<h3 style="font-size:16px">Missed opportunities</h3>',
    missed,
    `<p>${e(minutesLine(d))}</p>`,
    `<p><a href="${e(`${o.appUrl}/dashboard/calls`)}">See all calls</a> · <a href="${e(`${o.appUrl}/dashboard/account`)}">Turn off this email</a></p>`,
    '</div>',
  ].join('\n');
}

export function renderDigestEmail(d: Digest, o: { to: string; name: string; appUrl: string }): MailMessage {
  return {
    to: o.to,
    subject: `Yesterday at ${d.organizationName}: ${plural(d.totals.calls, 'call')}, ${plural(d.totals.bookings, 'booking')}`,
    text: renderDigestText(d, o),
    html: renderDigestHtml(d, o),
  };
}
