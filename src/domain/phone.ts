import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js';

/**
 * A phone number in E.164 (+15551234567), or undefined when it cannot be one.
 * National formats are read as `defaultCountry` numbers ("(415) 555-1234" → +14155551234).
 * "Possible" (right length for its country), not "valid": the 555 numbers businesses use
 * in examples and tests are not assigned, but they are well-formed.
 */
export function toE164(input: string, defaultCountry: CountryCode = 'US'): string | undefined {
  const parsed = parsePhoneNumberFromString(input.trim(), defaultCountry);
  return parsed && parsed.isPossible() ? parsed.number : undefined;
}

/** Strict E.164 as given: the leading + and only digits, and a valid number. */
export const isE164 = (input: string) => /^\+[1-9]\d{6,14}$/.test(input) && toE164(input) === input;

/** The 3-digit area code of a North American number, or of the first one found in free text. */
export function areaCodeOf(text: string): string | undefined {
  const match = /(?:\+?1[\s.-]?)?\(?([2-9]\d{2})\)?[\s.-]?\d{3}[\s.-]?\d{4}/.exec(text);
  return match?.[1];
}
