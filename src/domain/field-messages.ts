/**
 * Schema validation issues as sentences an owner understands, naming the field in words:
 * "Business name can be at most 200 characters" rather than zod's "Too big: expected string
 * to have <=200 characters" on `body.organizationName`. Pure: the error handler feeds it.
 */

/** Field keys whose words are not their camelCase split. */
const LABELS: Record<string, string> = {
  organizationName: 'Business name',
  businessName: 'Business name',
  sectionKey: 'Section name',
  section: 'Section name',
  text: 'Text',
  q: 'Search',
  systemPrompt: 'The prompt',
  body: 'Message',
  to: 'To',
  voiceId: 'Voice',
  planTier: 'Plan',
  smsNumber: 'Number for text alerts',
  transferNumber: 'Transfer number',
  url: 'Web address',
  websiteUrl: 'Website',
};

const ACRONYMS: Record<string, string> = { sms: 'SMS', url: 'URL', id: 'ID', api: 'API', kb: 'KB', vapi: 'VAPI', csrf: 'CSRF', iso: 'ISO', a2p: 'A2P' };

/** A field path (`body.businessHours.monday.close`) in words: its last named part, e.g. "Close". */
export function fieldLabel(path: string): string {
  const parts = path.split('.').filter((p) => p && !/^\d+$/.test(p));
  const key = parts.length > 1 ? parts[parts.length - 1]! : undefined;
  if (!key) return 'The request';
  if (LABELS[key]) return LABELS[key];
  const words = key
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .split(/[\s_-]+/)
    .map((w) => ACRONYMS[w.toLowerCase()] ?? w.toLowerCase());
  const sentence = words.join(' ');
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

/** What the validator reports about one field (zod's issue, as fastify-type-provider-zod passes it). */
export interface FieldIssue {
  keyword: string;
  message: string;
  params?: Record<string, unknown>;
}

const count = (n: unknown) => (typeof n === 'number' ? n.toLocaleString('en-US') : String(n));
const TYPE_WORDS: Record<string, string> = { string: 'text', number: 'a number', int: 'a whole number', boolean: 'true or false', object: 'an object', array: 'a list', date: 'a date' };
const show = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v));

/** zod's own English messages; anything else is a message a schema wrote on purpose. */
const isZodDefault = (message: string) => /^(Invalid|Too big|Too small|Unrecognized key)/.test(message);

function fromIssue(label: string, { keyword, message, params = {} }: FieldIssue): string {
  const { origin, maximum, minimum, inclusive } = params as { origin?: string; maximum?: unknown; minimum?: unknown; inclusive?: boolean };
  switch (keyword) {
    case 'too_big':
      if (origin === 'string') return `${label} can be at most ${count(maximum)} characters`;
      if (origin === 'array' || origin === 'set') return `${label} can have at most ${count(maximum)} items`;
      return `${label} must be ${inclusive === false ? 'less than' : 'at most'} ${count(maximum)}`;
    case 'too_small':
      if (origin === 'string') return minimum === 1 ? `${label} is required` : `${label} must be at least ${count(minimum)} characters`;
      if (origin === 'array' || origin === 'set') return `${label} needs at least ${count(minimum)} item${minimum === 1 ? '' : 's'}`;
      return `${label} must be ${inclusive === false ? 'more than' : 'at least'} ${count(minimum)}`;
    case 'invalid_type':
      if (/received undefined/.test(message)) return `${label} is required`;
      return `${label} must be ${TYPE_WORDS[String(params.expected)] ?? String(params.expected)}`;
    case 'invalid_value': {
      const values = Array.isArray(params.values) ? params.values.map(show) : [];
      return values.length === 1 ? `${label} must be ${values[0]}` : `${label} must be one of: ${values.join(', ')}`;
    }
    case 'invalid_format':
      if (params.format === 'email') return 'Enter a valid email address';
      if (params.format === 'url') return `Enter the ${label.toLowerCase()} as a full web address, e.g. https://example.com`;
      if (params.format === 'datetime') return `${label} must be a date and time, e.g. 2026-03-01T09:00:00Z`;
      return `${label} is not in the expected format`;
    case 'unrecognized_keys': {
      const keys = Array.isArray(params.keys) ? params.keys.map(show) : [];
      return `Unknown field${keys.length === 1 ? '' : 's'}: ${keys.join(', ')}`;
    }
    case 'not_multiple_of':
      return `${label} must be a multiple of ${show(params.divisor)}`;
    default:
      return `${label} is not valid`;
  }
}

/**
 * One issue as a sentence. A schema's own message is kept, prefixed with the field's words
 * when it is a predicate ("Must be …" → "Transfer number must be …").
 */
export function plainFieldMessage(path: string, issue: FieldIssue): string {
  const label = fieldLabel(path);
  if (isZodDefault(issue.message)) return fromIssue(label, issue);
  if (/^(Must|Is|Needs|Required)\b/.test(issue.message)) return `${label} ${issue.message.charAt(0).toLowerCase()}${issue.message.slice(1)}`;
  return issue.message;
}
