/**
 * The sandbox's stand-in for a model: answers are built by plain rules from the request, so
 * the same request always gets the same answer. No language understanding is attempted.
 *
 * - With `output_config.format` (structured outputs) the JSON Schema is filled from facts
 *   read off the user's text: the name from `<title>` (its first part) or the first `<h1>`,
 *   else the first line; the first phone number, email address, street address and URL;
 *   the meta description or first paragraph; a business type from a few keywords. A
 *   property gets the fact its name suggests (`businessName` → name, `phone` → phone, …),
 *   else an empty value of its type (null where the schema allows it).
 * - A prompt that asks for JSON without a schema gets those facts as one object.
 * - Anything else is answered with the material it was given (the text after the prompt's
 *   first blank line), tidied, cut at a sentence to fit `max_tokens`.
 */

type JsonSchema = { [key: string]: unknown };

interface Facts {
  name?: string;
  phone?: string;
  email?: string;
  address?: string;
  url?: string;
  description?: string;
  businessType?: string;
}

const decodeEntities = (s: string) =>
  s.replace(/&amp;/g, '&').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;|&apos;/g, "'").replace(/&nbsp;/g, ' ');
const stripTags = (html: string) =>
  decodeEntities(html.replace(/<(script|style)[\s\S]*?<\/\1>/gi, ' ').replace(/<[^>]+>/g, ' ')).replace(/\s+/g, ' ').trim();
const firstMatch = (re: RegExp, text: string) => {
  const m = re.exec(text);
  return m ? stripTags(m[1] ?? m[0]) || undefined : undefined;
};

const BUSINESS_TYPES: Array<[RegExp, string]> = [
  [/dental|dentist|orthodont/i, 'dental clinic'],
  [/plumb/i, 'plumbing'],
  [/hvac|heating|air condition/i, 'HVAC'],
  [/law firm|attorney|lawyer/i, 'law firm'],
  [/salon|barber|hair/i, 'salon'],
  [/restaurant|cafe|bistro|menu/i, 'restaurant'],
  [/clinic|medical|physician|doctor/i, 'medical clinic'],
  [/real estate|realtor/i, 'real estate'],
];

const PHONE = /(?:\+1[\s.-]?)?\(?\d{3}\)?[\s.-]?\d{3}[\s.-]?\d{4}\b/;
const EMAIL = /[\w.+-]+@[\w-]+(?:\.[\w-]+)+/;
const STREET = /\b\d{1,6}\s+(?:[A-Z0-9][\w.']*\s+){1,4}(?:Street|St|Avenue|Ave|Road|Rd|Boulevard|Blvd|Drive|Dr|Lane|Ln|Way|Court|Ct|Place|Pl)\b\.?(?:,\s*[A-Z][A-Za-z .]*)?(?:,\s*[A-Z]{2})?(?:\s+\d{5})?/;

function readFacts(text: string): Facts {
  const plain = stripTags(text);
  const title = firstMatch(/<title[^>]*>([\s\S]*?)<\/title>/i, text)?.split(/\s+[|\u2013\u2014-]\s+/)[0]; // en and em dash
  const heading = firstMatch(/<h1[^>]*>([\s\S]*?)<\/h1>/i, text);
  const firstLine = text.split('\n').map(stripTags).find(Boolean)?.slice(0, 80);
  const meta =
    firstMatch(/<meta\s[^>]*name=["']description["'][^>]*content=["']([^"']*)["']/i, text) ??
    firstMatch(/<meta\s[^>]*content=["']([^"']*)["'][^>]*name=["']description["']/i, text);
  return {
    name: title ?? heading ?? firstLine,
    phone: PHONE.exec(plain)?.[0],
    email: EMAIL.exec(plain)?.[0],
    address: STREET.exec(plain)?.[0],
    url: /https?:\/\/[^\s"'<>]+/.exec(text)?.[0],
    description: meta ?? firstMatch(/<p[^>]*>([\s\S]*?)<\/p>/i, text),
    businessType: BUSINESS_TYPES.find(([re]) => re.test(plain))?.[1],
  };
}

/** Which fact a property name asks for (most specific words first: `businessType` is a type). */
function factFor(key: string, facts: Facts): string | undefined {
  const k = key.toLowerCase();
  if (/phone|tel/.test(k)) return facts.phone;
  if (/e-?mail/.test(k)) return facts.email;
  if (/address|street|location/.test(k)) return facts.address;
  if (/url|website|site|link/.test(k)) return facts.url;
  if (/type|category|industry/.test(k)) return facts.businessType;
  if (/desc|summary|about|overview/.test(k)) return facts.description;
  if (/name|title|business|company/.test(k)) return facts.name;
  return undefined;
}

function fill(schema: JsonSchema, key: string, facts: Facts, root: JsonSchema): unknown {
  const ref = schema.$ref;
  if (typeof ref === 'string') {
    const target = ref.replace(/^#\//, '').split('/').reduce<unknown>((node, part) => (node as JsonSchema | undefined)?.[part], root);
    return fill((target as JsonSchema | undefined) ?? {}, key, facts, root);
  }
  if ('const' in schema) return schema.const;
  if (Array.isArray(schema.enum)) {
    const fact = factFor(key, facts)?.toLowerCase();
    return schema.enum.find((v) => typeof v === 'string' && v.toLowerCase() === fact) ?? schema.enum[0];
  }
  const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type];
  const variants = Array.isArray(schema.anyOf) ? (schema.anyOf as JsonSchema[]) : undefined;
  const nullable = types.includes('null') || Boolean(variants?.some((v) => v.type === 'null'));
  if (variants) {
    if (nullable && factFor(key, facts) === undefined) return null;
    return fill(variants.find((v) => v.type !== 'null') ?? {}, key, facts, root);
  }
  const type = types.find((t) => t !== 'null');
  if (type === 'object') {
    const properties = (schema.properties ?? {}) as Record<string, JsonSchema>;
    return Object.fromEntries(Object.entries(properties).map(([name, sub]) => [name, fill(sub, name, facts, root)]));
  }
  if (type === 'array') return [];
  if (type === 'number' || type === 'integer') return 0;
  if (type === 'boolean') return false;
  if (type === 'string') return factFor(key, facts) ?? (nullable ? null : '');
  return null;
}

/** The material a prompt hands over: what follows its first blank line, else all of it. */
function material(prompt: string): string {
  const gap = prompt.indexOf('\n\n');
  return gap >= 0 ? prompt.slice(gap + 2) : prompt;
}

function paraphrase(prompt: string, maxChars: number): { text: string; truncated: boolean } {
  const sentences = stripTags(material(prompt)).split(/(?<=[.!?])\s+/).filter(Boolean);
  if (sentences.length === 0) return { text: 'Understood.', truncated: false };
  let text = '';
  for (const sentence of sentences) {
    const next = text ? `${text} ${sentence}` : sentence;
    if (next.length > maxChars) return { text: text || sentence.slice(0, maxChars), truncated: true };
    text = next;
  }
  return { text, truncated: false };
}

export interface ResponderInput {
  system: string;
  prompt: string;
  maxTokens: number;
  /** The `output_config.format.schema` of a structured-output request. */
  schema?: JsonSchema;
}

/** Roughly four characters a token, as for English text. */
export const tokensOf = (text: string) => Math.max(1, Math.ceil(text.length / 4));

export function respond(input: ResponderInput): { text: string; stopReason: 'end_turn' | 'max_tokens' } {
  if (input.schema) return { text: JSON.stringify(fill(input.schema, '', readFacts(input.prompt), input.schema)), stopReason: 'end_turn' };
  if (/\bJSON\b/.test(`${input.system}\n${input.prompt}`)) return { text: JSON.stringify(readFacts(input.prompt)), stopReason: 'end_turn' };
  const { text, truncated } = paraphrase(input.prompt, input.maxTokens * 4);
  return { text, stopReason: truncated ? 'max_tokens' : 'end_turn' };
}
