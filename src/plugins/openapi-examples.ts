/**
 * Request-body examples for the OpenAPI document, derived from each route's JSON Schema (as
 * zod produced it): a schema's own `examples` (zod `.meta({ examples })`) win; otherwise a
 * value is built from the schema, with realistic words for well-known field names. The
 * caller keeps an example only when the route's zod schema accepts it, so a published
 * example always validates; the OpenAPI test fails on any request body left without one.
 */
type JsonSchema = {
  type?: string | string[];
  examples?: unknown[];
  example?: unknown;
  default?: unknown;
  const?: unknown;
  enum?: unknown[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  properties?: Record<string, JsonSchema>;
  items?: JsonSchema;
  minItems?: number;
  format?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
};

/** Realistic strings by field name, for a dentist's office in the sandbox's 415 area. */
const BY_NAME: Record<string, string> = {
  name: 'Dr. Ana Ruiz',
  organizationName: 'Harbor Dental',
  businessName: 'Harbor Dental',
  businessType: 'Dental office',
  businessDescription: 'A family dental practice in San Francisco: cleanings, fillings and same-day emergencies.',
  description: 'Appointment reminders and replies for Harbor Dental patients',
  businessAddress: '500 Harbor Way, San Francisco, CA 94107',
  address: '500 Harbor Way, San Francisco, CA 94107',
  email: 'owner@harbordental.example',
  password: 'correct-horse-battery',
  newPassword: 'correct-horse-battery',
  currentPassword: 'old-password-123',
  label: 'Front desk',
  text: 'Cleaning: $120. Whitening: $350. Emergency visit: $90.',
  sectionKey: 'Price list',
  systemPrompt: 'You are the receptionist of Harbor Dental. Answer kindly and briefly.',
  firstMessage: 'Thanks for calling Harbor Dental, how can I help?',
  message: 'Sorry we missed your call at {business}. Reply here or call back anytime.',
  body: 'Your appointment is confirmed for Tuesday at 10:00.',
  note: 'Called back, booked for Tuesday.',
  reason: 'Repeated spam calls',
  voiceId: '21m00Tcm4TlvDq8ikWAM',
  voiceName: 'Rachel',
  timezone: 'America/Los_Angeles',
  areaCode: '415',
  locality: 'San Francisco',
  start: '21:00',
  end: '07:00',
  open: '09:00',
  close: '17:00',
  returnPath: '/dashboard/billing',
  callbackUrl: '/dashboard',
  languages: 'es',
  ein: '12-3456789',
  firstName: 'Ana',
  lastName: 'Ruiz',
  useCase: 'Appointment reminders',
  messageFlow: 'Patients opt in by ticking the text-message box on the intake form.',
  sampleMessages: 'Harbor Dental: your cleaning is confirmed for Tue 10:00. Reply STOP to opt out.',
};

const PHONE = '+14155550100';
const isPhoneName = (key: string) => /(number|phone|^to$|^from$)/i.test(key) && !/^(page|limit)/i.test(key);

function stringFor(key: string, s: JsonSchema): string {
  if (s.format === 'email') return BY_NAME.email!;
  if (s.format === 'uri' || /url$/i.test(key)) return key === 'returnPath' ? BY_NAME.returnPath! : 'https://harbordental.example';
  if (s.format === 'date-time') return '2026-03-02T17:00:00.000Z';
  if (s.format === 'date') return '2026-03-02';
  if (s.format === 'uuid' || /Id$|^id$/.test(key)) return key === 'voiceId' ? BY_NAME.voiceId! : '0b6f1c3e-8d1a-4c57-9a57-3f2d8c1e4a10';
  const named = BY_NAME[key] ?? (isPhoneName(key) ? PHONE : undefined);
  let value = named ?? 'Example';
  if (s.minLength && value.length < s.minLength) value = value.padEnd(s.minLength, 'x');
  if (s.maxLength && value.length > s.maxLength) value = value.slice(0, s.maxLength);
  return value;
}

/** An example value for a JSON Schema; `key` is the property it sits under. */
export function exampleOf(s: JsonSchema, key = ''): unknown {
  if (s.examples?.length) return s.examples[0];
  if (s.example !== undefined) return s.example;
  if (s.const !== undefined) return s.const;
  if (s.enum?.length) return s.enum.find((v) => v !== null) ?? s.enum[0];
  if (s.default !== undefined && s.default !== null) return s.default;
  const options = s.anyOf ?? s.oneOf;
  if (options) return exampleOf(options.find((o) => o.type !== 'null') ?? options[0]!, key);
  if (s.allOf?.length) return exampleOf(s.allOf[0]!, key);
  const type = Array.isArray(s.type) ? s.type.find((t) => t !== 'null') : s.type;
  switch (type) {
    case 'object':
      return Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, exampleOf(v, k)]));
    case 'array': {
      const item = s.items ?? {};
      // Distinct items where the schema lists them (a set of events, of languages).
      const n = Math.max(1, s.minItems ?? 1);
      return item.enum ? item.enum.slice(0, n) : Array.from({ length: n }, () => exampleOf(item, key));
    }
    case 'string':
      return stringFor(key, s);
    case 'integer':
    case 'number':
      return Math.min(s.maximum ?? Infinity, Math.max(s.minimum ?? (s.exclusiveMinimum ?? 0) + 1, 1));
    case 'boolean':
      return true;
    case 'null':
      return null;
    default:
      return {};
  }
}

/** The body's JSON Schema with an example the route's zod schema accepts (none when it would not). */
export function withBodyExample(body: unknown, zodBody: unknown): unknown {
  const schema = body as JsonSchema;
  if (schema.examples?.length || !isParser(zodBody)) return body;
  const example = exampleOf(schema);
  return zodBody.safeParse(example).success ? { ...schema, examples: [example] } : body;
}

const isParser = (s: unknown): s is { safeParse: (v: unknown) => { success: boolean } } =>
  typeof (s as { safeParse?: unknown } | null)?.safeParse === 'function';
