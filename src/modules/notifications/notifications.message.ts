import type { CallOutcome } from '../../domain/call-outcome.js';

export interface CallForMessage {
  id: string;
  customerNumber: string | null;
  summary: string | null;
  endedReason: string | null;
  outcome: CallOutcome | null;
}

const CATEGORY: Record<CallOutcome['category'], string> = {
  appointment: 'Appointment',
  question: 'Question',
  quote: 'Quote request',
  complaint: 'Complaint',
  spam: 'Spam',
  other: 'Other',
};

/** "Dana Reyes (+15551234567)", or the number alone, or "Unknown caller". */
function callerOf(call: CallForMessage) {
  const name = call.outcome?.callerName;
  const number = call.customerNumber;
  if (name && number) return `${name} (${number})`;
  return name ?? number ?? 'Unknown caller';
}

/** What the caller wants and what the assistant did, as short facts. */
function outcomeLines(call: CallForMessage): string[] {
  const o = call.outcome;
  const lines: string[] = [];
  if (o?.callbackRequested) lines.push(`Wants a call back${o.callbackNumber ? ` at ${o.callbackNumber}` : ''}`);
  if (o?.appointmentBooked) lines.push('Appointment booked');
  if (/voicemail/i.test(call.endedReason ?? '')) lines.push('Left a voicemail');
  if (o) lines.push(`Category: ${CATEGORY[o.category]}`);
  return lines;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The email: who called, why, the outcome and a link to the call. */
export function notificationEmail(call: CallForMessage, link: string) {
  const caller = callerOf(call);
  const urgent = call.outcome?.urgent ? 'Urgent: ' : '';
  const reason = call.outcome?.reason ?? call.summary ?? 'No reason recorded.';
  const facts = outcomeLines(call);
  const subject = `${urgent}Call from ${caller}`.slice(0, 200);
  const text = [`${urgent}${caller} called.`, `Reason: ${reason}`, ...facts, ...(call.summary ? [`Summary: ${call.summary}`] : []), `Open the call: ${link}`].join('\n');
  const html = `<p><strong>${escape(`${urgent}${caller}`)}</strong> called.</p><p>Reason: ${escape(reason)}</p>${
    facts.length ? `<ul>${facts.map((f) => `<li>${escape(f)}</li>`).join('')}</ul>` : ''
  }${call.summary ? `<p>${escape(call.summary)}</p>` : ''}<p><a href="${escape(link)}">Open the call</a></p>`;
  return { subject, text, html };
}

/** The SMS: one or two segments with the same facts. */
export function notificationSms(call: CallForMessage, link: string) {
  const urgent = call.outcome?.urgent ? 'URGENT ' : '';
  const reason = call.outcome?.reason ?? call.summary ?? '';
  const facts = outcomeLines(call).filter((f) => !f.startsWith('Category'));
  return [`${urgent}Call from ${callerOf(call)}`, reason.slice(0, 160), facts.join('; '), link].filter(Boolean).join('\n');
}
