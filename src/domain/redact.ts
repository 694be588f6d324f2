/** What redaction leaves in place of a card number, an SSN or a date of birth. */
export const REDACTED = '[redacted]';

/** The Luhn checksum every payment card number satisfies (and most other long digit runs do not). */
export function luhnValid(digits: string) {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = Number(digits[digits.length - 1 - i]);
    if (i % 2 === 1) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 === 0;
}

/** 13–19 digits, optionally grouped by spaces or dashes, as a card is read out or typed. */
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
const SSN = /\b\d{3}[- ]\d{2}[- ]\d{4}\b/g;
const MONTH = '(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)';
const DATE = `(?:\\d{1,2}[/.-]\\d{1,2}[/.-]\\d{2,4}|\\d{4}-\\d{2}-\\d{2}|${MONTH}\\.? \\d{1,2}(?:st|nd|rd|th)?,? \\d{4}|\\d{1,2}(?:st|nd|rd|th)? (?:of )?${MONTH},? \\d{4})`;
/** A date said as a birth date: "date of birth is 4/12/1980", "DOB: 1980-04-12", "born on March 3rd, 1975". */
const DOB = new RegExp(`\\b(date of birth|birth ?date|birthday|d\\.?o\\.?b\\.?|born(?: on)?)([:\\s]+(?:is\\s+|was\\s+)?)${DATE}`, 'gi');

/** The text with Luhn-valid card numbers, US SSNs and dates of birth replaced by [redacted]. */
export function redactPii(text: string): string {
  return text
    .replace(CARD, (m) => (luhnValid(m.replace(/\D/g, '')) ? REDACTED : m))
    .replace(SSN, REDACTED)
    .replace(DOB, (_m, label: string, sep: string) => `${label}${sep}${REDACTED}`);
}

/** Every string inside a JSON value redacted (a provider payload, a message list). */
export function redactDeep<T>(value: T): T {
  if (typeof value === 'string') return redactPii(value) as T;
  if (Array.isArray(value)) return value.map(redactDeep) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, redactDeep(v)])) as T;
  return value;
}
