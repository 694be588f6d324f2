import { toE164 } from './phone.js';

/** What a search box's text means for the calls list. */
export interface CallSearchTerms {
  /** Full-text prefix query over summary and transcript ('simple' config), or undefined when no words. */
  tsquery?: string;
  /** The caller's number in E.164, when the text is a whole number in any format ("(415) 555-1234"). */
  e164?: string;
  /** Digits typed as part of a number ("555-12"), matched anywhere in the stored E.164. */
  digits?: string;
}

const PHONE_LIKE = /^[\d\s().+-]+$/;

/**
 * Reads the search box: a phone-looking text is a number (whole, or a fragment of at least
 * three digits); everything else is words, each matched as a prefix ("clean" finds "cleaning").
 * Words are reduced to letters and digits, so the tsquery can never be malformed.
 */
export function parseCallSearch(q: string): CallSearchTerms {
  const text = q.trim();
  if (PHONE_LIKE.test(text)) {
    const digits = text.replace(/\D/g, '');
    if (digits.length >= 3) return { e164: toE164(text), digits };
  }
  const words = text
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w.length > 0)
    .slice(0, 8);
  return words.length > 0 ? { tsquery: words.map((w) => `${w}:*`).join(' & ') } : {};
}

/** A calendar date (YYYY-MM-DD) that exists. */
export function isCalendarDate(s: string) {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(s)) return false;
  const d = new Date(`${s}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === s;
}
