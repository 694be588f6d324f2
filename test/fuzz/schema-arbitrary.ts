import fc from 'fast-check';

/** The part of JSON Schema (2020-12, as zod emits it into OpenAPI 3.1) that our routes use. */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  propertyNames?: JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  enum?: unknown[];
  const?: unknown;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  nullable?: boolean;
  default?: unknown;
}

/** Generated strings stay short unless the schema demands more: big inputs are the hostile generator's job. */
const MAX_GENERATED_LENGTH = 80;

/**
 * Hosts a generated URL may name. No random domains: the app fetches some URLs (onboarding), and
 * these answer at once (blocked private ranges, loopback, a name that never resolves).
 */
const URL_HOSTS = ['example.com', 'acme-dental.example', '127.0.0.1', 'localhost', '10.0.0.1', '169.254.169.254', '[::1]', 'nope.invalid'];

/** Characters that pass a length check but trip databases, terminals and providers (NUL above all). */
const awkwardChar = fc.oneof(
  { arbitrary: fc.constantFrom('a', 'Z', '0', ' ', '-', '.'), weight: 6 },
  { arbitrary: fc.constantFrom('\u0000', '\u0007', '\n', '\r', '\t', '\u001b', '\u007f', '\u00a0', '\u2028', '\u202e', '\ufeff', '\ud83d\ude00', 'é', "'", '"', '\\', '%', '<', '&'), weight: 1 },
);

function stringArb(s: JsonSchema, known?: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const min = s.minLength ?? 0;
  const max = s.maxLength ?? Math.max(min, MAX_GENERATED_LENGTH);
  const fits = (v: string) => v.length >= min && v.length <= max;
  if (s.pattern) return fc.stringMatching(new RegExp(s.pattern)).filter(fits);
  switch (s.format) {
    case 'email':
      return fc.emailAddress().filter(fits);
    case 'uuid':
      return fc.uuid();
    case 'date-time':
      return fc.date({ min: new Date('2000-01-01'), max: new Date('2100-01-01'), noInvalidDate: true }).map((d) => d.toISOString());
    case 'uri':
    case 'url':
      return fc
        .tuple(fc.constantFrom('http', 'https'), fc.constantFrom(...URL_HOSTS), fc.webPath())
        .map(([scheme, host, path]) => `${scheme}://${host}${path}`)
        .filter(fits);
  }
  const upper = Math.min(max, min + MAX_GENERATED_LENGTH);
  return fc.oneof(
    { arbitrary: fc.string({ minLength: min, maxLength: upper }), weight: 4 },
    // Any Unicode, not only printable ASCII: lengths count UTF-16 units, as zod counts them.
    { arbitrary: fc.string({ minLength: min, maxLength: upper, unit: 'grapheme' }).filter(fits), weight: 1 },
    { arbitrary: fc.string({ minLength: min, maxLength: upper, unit: awkwardChar }).filter(fits), weight: 1 },
    // Exactly at the limit, where off-by-one bugs live (limits past 10k are left to hostile input).
    { arbitrary: fc.constant('x'.repeat(max <= 10_000 ? max : min)), weight: 1 },
    // Real values (ids, keys, tokens of the caller) that a random string would never hit.
    ...(known ? [{ arbitrary: known.filter(fits), weight: 1 }] : []),
  );
}

function numberArb(s: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const lo = s.minimum ?? (s.exclusiveMinimum !== undefined ? s.exclusiveMinimum + (integer ? 1 : Number.EPSILON) : -1e6);
  const hi = s.maximum ?? (s.exclusiveMaximum !== undefined ? s.exclusiveMaximum - (integer ? 1 : Number.EPSILON) : 1e6);
  if (integer) return fc.integer({ min: Math.ceil(Math.max(lo, Number.MIN_SAFE_INTEGER)), max: Math.floor(Math.min(hi, Number.MAX_SAFE_INTEGER)) });
  return fc.double({ min: lo, max: hi, noNaN: true, noDefaultInfinity: true });
}

function objectArb(s: JsonSchema, depth: number, known?: fc.Arbitrary<string>): fc.Arbitrary<Record<string, unknown>> {
  const props = s.properties ?? {};
  const required = new Set(s.required ?? []);
  const declared = fc.record(
    Object.fromEntries(Object.entries(props).map(([k, v]) => [k, arbitraryFor(v, depth + 1, known)])),
    { requiredKeys: Object.keys(props).filter((k) => required.has(k)) },
  );
  const extra = s.additionalProperties;
  if (!extra || extra === true) return declared;
  // A record type (z.record): keys from propertyNames (often an enum), values from the schema.
  const names = s.propertyNames?.enum as string[] | undefined;
  const keyArb = names ? fc.constantFrom(...names) : s.propertyNames ? (arbitraryFor(s.propertyNames, depth + 1, known) as fc.Arbitrary<string>) : fc.string({ maxLength: 20 });
  const valueArb = arbitraryFor(extra, depth + 1, known);
  return fc
    .tuple(declared, fc.dictionary(keyArb, valueArb, { maxKeys: names ? names.length : 4 }))
    .map(([k, d]) => ({ ...d, ...k }));
}

/**
 * A fast-check arbitrary producing values that satisfy `schema` (best effort: zod refinements
 * the schema cannot express, like "open before close", are the server's to reject with a 4xx).
 */
export function arbitraryFor(schema: JsonSchema | undefined, depth = 0, known?: fc.Arbitrary<string>): fc.Arbitrary<unknown> {
  if (!schema || depth > 8) return fc.constant(null);
  const s = schema;
  if ('const' in s) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => arbitraryFor(a, depth + 1, known)));
  if (s.allOf) return arbitraryFor(Object.assign({}, ...s.allOf), depth + 1, known);
  if (s.nullable) return fc.option(arbitraryFor({ ...s, nullable: false }, depth, known), { nil: null });
  if (Array.isArray(s.type)) return fc.oneof(...s.type.map((type) => arbitraryFor({ ...s, type }, depth, known)));
  switch (s.type) {
    case 'string':
      return stringArb(s, known);
    case 'integer':
      return numberArb(s, true);
    case 'number':
      return numberArb(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array': {
      const minLength = s.minItems ?? 0;
      const maxLength = Math.max(minLength, Math.min(s.maxItems ?? 4, minLength + 4));
      return fc.array(arbitraryFor(s.items, depth + 1, known), { minLength, maxLength });
    }
    case 'object':
      return objectArb(s, depth, known);
  }
  if (s.properties) return objectArb(s, depth, known);
  // An unconstrained schema (z.unknown()): any JSON.
  return fc.jsonValue({ maxDepth: 2 });
}
