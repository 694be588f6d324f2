import fc from 'fast-check';

/** Strings that have broken parsers, SQL, templates, paths or logs somewhere before. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\uD800', // a lone surrogate: not valid UTF-16
  '\u202Egnp.exe', // right-to-left override
  '𝕏🎉👩‍👩‍👧‍👦',
  'Z̴̡̛͖a̵l̶g̸o̷',
  "' OR '1'='1",
  "'; DROP TABLE users; --",
  '1; SELECT pg_sleep(10)',
  "%' OR 1=1 --",
  '\\',
  '%',
  '_',
  '../../../../etc/passwd',
  '..%2f..%2f',
  '%00',
  '%ZZ',
  '${7*7}',
  '{{7*7}}',
  '<script>alert(1)</script>',
  'javascript:alert(1)',
  '\r\nSet-Cookie: x=1',
  '__proto__',
  'constructor',
  'prototype',
  'null',
  'undefined',
  'NaN',
  'Infinity',
  '-Infinity',
  '-1',
  '0',
  '1e400',
  '0x1F',
  '9007199254740993',
  'true',
  '[]',
  '{}',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-ffff-ffff-ffffffffffff',
  'not-a-uuid',
  '+15551234567',
  '+0',
  'user@example.com',
  'http://169.254.169.254/latest/meta-data/',
  'file:///etc/passwd',
  'evk_' + 'A'.repeat(43),
  'ept_' + 'A'.repeat(40),
];

export const hostileString: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.constantFrom(...NASTY_STRINGS), weight: 6 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 40 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }), weight: 1 },
  // Long: past every maxLength we declare (and each one below the 1 MiB body limit).
  { arbitrary: fc.constantFrom(10_001, 60_000, 300_000).map((n) => 'A'.repeat(n)), weight: 1 },
);

export const hostileNumber: fc.Arbitrary<number> = fc.constantFrom(
  -1,
  0,
  -0,
  0.5,
  -0.000001,
  2 ** 31,
  -(2 ** 31) - 1,
  2 ** 53 + 2,
  -(2 ** 63),
  1e308,
  -1e308,
  Number.MIN_VALUE,
);

/** Objects whose keys have polluted prototypes or confused merges. */
const POLLUTING_OBJECTS: Array<() => Record<string, unknown>> = [
  () => JSON.parse('{"__proto__":{"isAdmin":true,"role":"owner","plan":"ENTERPRISE"}}'),
  () => ({ constructor: { prototype: { polluted: true } } }),
  () => ({ prototype: 1, toString: 'x', valueOf: 1, hasOwnProperty: 'x' }),
];

/** Nested arrays/objects `depth` deep: recursion limits in parsers and validators. */
export const nested = (depth: number, kind: 'array' | 'object'): unknown => {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = kind === 'array' ? [v] : { a: v };
  return v;
};

/** Any JSON value a well-meaning client would never send. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { arbitrary: hostileString, weight: 5 },
  { arbitrary: hostileNumber, weight: 2 },
  { arbitrary: fc.constantFrom(null, true, false, [], {}, [null], ['a', 1, {}]), weight: 2 },
  { arbitrary: fc.constantFrom(...POLLUTING_OBJECTS).map((make) => make()), weight: 1 },
  { arbitrary: fc.tuple(fc.constantFrom(20, 200, 2000), fc.constantFrom('array' as const, 'object' as const)).map(([d, k]) => nested(d, k)), weight: 1 },
  { arbitrary: fc.jsonValue({ maxDepth: 3 }), weight: 2 },
);

/** Text that is not the JSON it claims to be. */
export const invalidJsonText: fc.Arbitrary<string> = fc.constantFrom(
  '',
  '{',
  '{"a":',
  '[1,2',
  "{'a':1}",
  'nul',
  'true false',
  '{"a":1}}',
  '\u0000',
  '\uFEFF{}',
  '{"a":NaN}',
  '{"a":Infinity}',
  '{"a":1e999999}',
  '{"__proto__":{"isAdmin":true}}',
  '{"constructor":{"prototype":{"x":1}}}',
  '[' .repeat(5000) + ']'.repeat(5000),
  '"' + 'A'.repeat(2 * 1024 * 1024) + '"', // past the 1 MiB body limit: 413
);

/**
 * A valid object spoiled one way: a field replaced by a hostile value, a required field removed,
 * or polluting keys added. Non-objects are replaced outright.
 */
export function spoil(valid: unknown, required: string[]): fc.Arbitrary<unknown> {
  if (!valid || typeof valid !== 'object' || Array.isArray(valid)) return hostileValue;
  const keys = [...new Set([...Object.keys(valid), ...required])];
  return fc.oneof(
    fc.tuple(fc.constantFrom(...(keys.length ? keys : ['x'])), hostileValue).map(([k, v]) => ({ ...valid, [k]: v })),
    fc.constantFrom(...(required.length ? required : ['x'])).map((k) => {
      const copy: Record<string, unknown> = { ...valid };
      delete copy[k];
      return copy;
    }),
    fc.constantFrom(...POLLUTING_OBJECTS).map((make) => Object.assign(make(), valid)),
  );
}
