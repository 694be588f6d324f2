import { describe, expect, it, beforeAll } from 'vitest';

/** What a route answered; the part of it the table looks at. */
interface Answer {
  statusCode: number;
  body: string;
}

/**
 * One check of a shared secret or token, probed through its real route. Adding a check (a new
 * token, a new route) is one more object in the test's table: how to get the value the route
 * accepts, how to send a value (or none), and the two statuses.
 */
export interface SecretCheck {
  /** What is checked where, e.g. "x-admin-key on GET /api/admin/organizations". */
  name: string;
  /** The value the route accepts (minted here for single-use tokens: the accepting request spends it). */
  secret: () => string | Promise<string>;
  /** Sends the request with this value in its place, or without it at all (undefined). */
  send: (value: string | undefined) => Promise<Answer>;
  /** Status of a refused value. */
  refused: number;
  /** Status when the value is missing or empty, if the route's schema refuses that first (a required body field: 400). */
  refusedWhenAbsent?: number;
  /** Status of the exact value: proves the refusals are not a route that refuses everything. */
  accepted: number;
}

export interface NearMiss {
  case: string;
  value: (secret: string) => string | undefined;
}

/** The secret with one letter (its last) in the other case. */
function flipOneLetter(secret: string): string {
  const i = secret.search(/[a-z](?=[^a-z]*$)/i);
  const c = secret[i]!;
  return secret.slice(0, i) + (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase()) + secret.slice(i + 1);
}

/** Every byte written as %XX: what a value looks like URL-encoded in full. */
const percentEncoded = (secret: string) => [...Buffer.from(secret)].map((b) => `%${b.toString(16).toUpperCase().padStart(2, '0')}`).join('');

/**
 * Values that are almost the secret, every one of which must be refused. The edges a
 * comparison gets wrong: a prefix compare accepts the empty value and every prefix, a trim
 * accepts surrounding whitespace, a case-insensitive compare a case change, a decoding step
 * another encoding of the same bytes.
 */
export const NEAR_MISSES: NearMiss[] = [
  { case: 'missing', value: () => undefined },
  { case: 'empty', value: () => '' },
  { case: 'its first character', value: (s) => s.slice(0, 1) },
  { case: 'a proper prefix (all but the last character)', value: (s) => s.slice(0, -1) },
  { case: 'one character more', value: (s) => `${s}0` },
  { case: 'one letter in the other case', value: flipOneLetter },
  { case: 'all in the other case', value: (s) => (s.toUpperCase() === s ? s.toLowerCase() : s.toUpperCase()) },
  { case: 'a leading space', value: (s) => ` ${s}` },
  { case: 'a trailing space', value: (s) => `${s} ` },
  { case: 'a trailing tab', value: (s) => `${s}\t` },
  { case: 'base64 of it', value: (s) => Buffer.from(s).toString('base64') },
  { case: 'hex of it', value: (s) => Buffer.from(s).toString('hex') },
  { case: 'percent-encoded in full', value: percentEncoded },
];

/**
 * Registers the table for one check: every near miss refused, then the exact value accepted
 * (last, so a single-use token is spent only after every near miss was tried).
 */
export function describeSecretCheck(check: SecretCheck) {
  describe(check.name, () => {
    let secret: string;
    beforeAll(async () => {
      secret = await check.secret();
    });

    it.each(NEAR_MISSES)('refuses $case', async (miss) => {
      const value = miss.value(secret);
      expect(value, 'a near miss must differ from the secret').not.toBe(secret);
      const res = await check.send(value);
      const expected = value === undefined || value === '' ? (check.refusedWhenAbsent ?? check.refused) : check.refused;
      expect(res.statusCode, `${JSON.stringify(value)} answered ${res.body.slice(0, 200)}`).toBe(expected);
    });

    it('accepts the exact value', async () => {
      const res = await check.send(secret);
      expect(res.statusCode, res.body.slice(0, 300)).toBe(check.accepted);
    });
  });
}

/** `Authorization: Bearer <value>`, or no Authorization header for a missing value. */
export const bearer = (value: string | undefined): Record<string, string> => (value === undefined ? {} : { authorization: `Bearer ${value}` });

/** One header, or none for a missing value. */
export const header = (name: string, value: string | undefined): Record<string, string> => (value === undefined ? {} : { [name]: value });
