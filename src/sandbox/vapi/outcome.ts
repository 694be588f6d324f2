import type { AssistantDoc } from './shared.js';

/**
 * The emulator's stand-in for VAPI's end-of-call analysis: the assistant's
 * `analysisPlan.structuredDataPlan` filled from what the caller said, by fixed rules,
 * so the same conversation always yields the same outcome.
 */
type Spoken = { role: string; message?: unknown };

const RULES: Array<[category: string, pattern: RegExp]> = [
  ['spam', /\b(warranty|lower your (rate|interest)|google listing|seo services|you have won|crypto)\b/i],
  ['complaint', /\b(complain|complaint|unhappy|terrible|refund|disappointed)\b/i],
  ['quote', /\b(quote|estimate|how much|pricing|price)\b/i],
  ['appointment', /\b(appointment|book|booking|schedule|reschedule)\b/i],
];
const CALLBACK = /\b(call me back|callback|call back|text me|text this number|reach me|get back to me|give me a call)\b/i;
const URGENT = /\b(urgent|emergency|asap|right away|immediately|flood|leak(ing)?|no heat)\b/i;
// The introduction in any case; the name itself capitalised (so "this is about…" is no name).
const NAME = /\b(?:[Mm]y name is|[Tt]his is|I am|I'm)\s+([A-Z][a-z]+(?:\s[A-Z][a-z]+)?)/;
const NUMBER = /(\+?1?[\s-]?\(?\d{3}\)?[\s-]?\d{3}[\s-]?\d{4})/;

function e164(raw: string): string | null {
  const digits = raw.replace(/\D/g, '');
  if (digits.length === 10) return `+1${digits}`;
  if (digits.length === 11 && digits.startsWith('1')) return `+${digits}`;
  return null;
}

export function wantsStructuredData(assistant: AssistantDoc) {
  const plan = assistant.analysisPlan as { structuredDataPlan?: { enabled?: boolean } } | undefined;
  return plan?.structuredDataPlan?.enabled === true;
}

export function structuredDataOf(input: { messages: Spoken[]; toolNames: string[]; customerNumber?: string }) {
  const said = input.messages.filter((m) => m.role === 'user' && typeof m.message === 'string').map((m) => m.message as string);
  const all = said.join(' ');
  const category = RULES.find(([, re]) => re.test(all))?.[0] ?? (all.includes('?') ? 'question' : 'other');
  const spokenNumber = NUMBER.exec(all)?.[1];
  const booked = input.toolNames.some((n) => /book|appointment/i.test(n));
  // The reason: the first sentence that says what they want, else the first that is not a greeting.
  const sentences = said.flatMap((line) => line.split(/(?<=[.!?])\s+/)).map((x) => x.trim()).filter(Boolean);
  const telling = (x: string) => RULES.some(([, re]) => re.test(x)) || URGENT.test(x) || x.includes('?');
  const reason = sentences.find(telling) ?? sentences.find((x) => CALLBACK.test(x)) ?? sentences.find((x) => !/^(hi|hello|hey)\b/i.test(x));
  return {
    callerName: NAME.exec(all)?.[1] ?? null,
    reason: reason?.slice(0, 200) ?? 'The caller did not say.',
    category,
    urgent: URGENT.test(all),
    callbackRequested: CALLBACK.test(all),
    callbackNumber: (spokenNumber && e164(spokenNumber)) ?? input.customerNumber ?? null,
    appointmentBooked: booked,
  };
}
