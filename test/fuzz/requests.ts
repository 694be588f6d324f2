import fc from 'fast-check';
import Stripe from 'stripe';
import { signTwilioRequest, type TwilioParams } from '../../src/providers/twilio/webhook.js';
import { VAPI_SECRET } from '../helpers/vapi.js';
import { hostileString, hostileValue, invalidJsonText, spoil } from './hostile.js';
import type { Operation, Parameter } from './openapi.js';
import { arbitraryFor } from './schema-arbitrary.js';
import type { Tenant } from './tenants.js';

/**
 * Who asks: nobody (or with forged credentials), tenant A with the credentials the operation
 * wants, or A aiming every id slot at tenant B's objects.
 */
export type Mode = 'anon' | 'tenant' | 'wrong-tenant';

export interface FuzzRequest {
  mode: Mode;
  method: string;
  url: string;
  headers: Record<string, string>;
  body?: string;
  /** What the generator meant to send, for the report. */
  bodyKind: string;
  /** Admin credentials see every organization by design: no leak check then. */
  privileged: boolean;
}

/** A path param, or a query param whose name says it picks one object. */
export const isIdSlot = (p: Parameter) => p.in === 'path' || (p.in === 'query' && /^(id|section|.+Id|.+Sid)$/.test(p.name));

/** The values of B that the wrong tenant puts in an id slot, by param name. */
export function foreignIds(b: Tenant, name: string): string[] {
  if (name === 'vapiCallId') return [b.vapiCallId];
  if (name === 'section') return [b.sectionKey];
  return [b.assistantId, b.callId, b.apiKeyId, b.inviteId, b.memberUserId, b.ownerUserId, b.promptVersionId, b.embedTokenId, b.webhookEndpointId, b.blockedNumberId, b.organizationId];
}

/** A's own ids: generated requests reach real objects (and 2xx answers) this way. */
const ownIds = (a: Tenant) => [a.assistantId, a.callId, a.apiKeyId, a.memberUserId, a.promptVersionId, a.embedTokenId, a.webhookEndpointId, a.blockedNumberId];

const ASCII_HEADER = /^[\x20-\x7e]{0,4000}$/;
/** Lone UTF-16 surrogates cannot be percent-encoded: a client would send U+FFFD. */
const wellFormed = (s: string) => s.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '\uFFFD');
/** A path segment; `raw` sends printable ASCII unescaped so malformed escapes like %ZZ reach the router. */
const segment = (v: string, raw: boolean) => (raw && /^[\x21-\x7e]+$/.test(v) && !/[/?#]/.test(v) ? v : encodeURIComponent(wellFormed(v)));
const asText = (v: unknown) => (typeof v === 'string' ? v : JSON.stringify(v) ?? 'undefined');

interface Context {
  a: Tenant;
  b: Tenant;
  baseUrl: string;
  sessionCookieName: string;
  twilioAuthToken: string;
  stripeWebhookSecret: string;
  /** A's current session cookie (renewed when a fuzzed sign-out ends it). */
  cookie(): string;
}

/** Form-encodes an object the way a browser or Twilio would (nested values as JSON text). */
function formEncode(value: unknown): string {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return new URLSearchParams({ value: asText(value) }).toString();
  const form = new URLSearchParams();
  for (const [k, v] of Object.entries(value)) for (const item of Array.isArray(v) ? v : [v]) form.append(k, asText(item));
  return form.toString();
}

/** A multipart body with one file: names, types and bytes the upload route must survive. */
const multipartBody = fc
  .record({
    fileName: fc.oneof(fc.constantFrom('notes.txt', 'prices.csv', 'menu.pdf', 'faq.docx', 'x.exe', '', '../../etc/passwd', '.pdf'), hostileString.filter((s) => ASCII_HEADER.test(s) && !s.includes('"'))),
    type: fc.constantFrom('text/plain', 'text/csv', 'application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document', 'application/octet-stream', 'image/png'),
    content: fc.oneof(
      fc.string({ maxLength: 200 }),
      fc.constantFrom('%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF', 'PK\u0003\u0004garbage', '', 'a,b\n"unterminated'),
      hostileString.filter((s) => s.length < 70_000),
    ),
    section: fc.option(fc.oneof(fc.stringMatching(/^[a-z0-9][a-z0-9_-]{0,39}$/), hostileString.filter((s) => s.length < 2000)), { nil: undefined }),
  })
  .map(({ fileName, type, content, section }) => {
    const boundary = 'fuzzboundary7MA4YWxkTrZu0gW';
    const parts = [`--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${fileName}"\r\nContent-Type: ${type}\r\n\r\n${content}\r\n`];
    if (section !== undefined) parts.push(`--${boundary}\r\nContent-Disposition: form-data; name="section"\r\n\r\n${section}\r\n`);
    return { contentType: `multipart/form-data; boundary=${boundary}`, text: `${parts.join('')}--${boundary}--\r\n`, kind: 'multipart' };
  });

/** A Stripe-shaped event for the one body documented as raw JSON text. */
const stripeEventText = fc
  .record({
    id: fc.stringMatching(/^evt_[A-Za-z0-9]{8,24}$/),
    type: fc.constantFrom('checkout.session.completed', 'customer.subscription.updated', 'customer.subscription.deleted', 'invoice.paid', 'invoice.payment_failed', 'made.up'),
    object: fc.record({ id: fc.string({ maxLength: 30 }), customer: fc.option(fc.string({ maxLength: 30 })), subscription: fc.option(hostileValue) }),
  })
  .map(({ id, type, object }) => JSON.stringify({ id, object: 'event', type, created: Math.floor(Date.now() / 1000), data: { object } }));

interface Body {
  contentType?: string;
  text?: string;
  kind: string;
}

function bodyArb(op: Operation, known: fc.Arbitrary<string>): fc.Arbitrary<Body> {
  const declared = op.body;
  const json = (value: unknown, kind: string): Body => ({ contentType: 'application/json', text: JSON.stringify(value) ?? 'null', kind });
  const none = fc.constantFrom<Body>({ kind: 'none' }, { contentType: 'application/json', text: '', kind: 'empty json' });
  const garbage = fc.oneof(
    invalidJsonText.map((text) => ({ contentType: 'application/json', text, kind: 'invalid json' })),
    hostileValue.map((v) => json(v, 'hostile json')),
    fc.tuple(fc.constantFrom('text/plain', 'application/xml', 'application/x-www-form-urlencoded', 'application/json; charset=utf-16', 'image/png', 'application/x-www-form-urlencoded; charset=utf-8'), hostileValue).map(
      ([contentType, v]) => ({ contentType, text: contentType.startsWith('application/x-www-form') ? formEncode(v) : asText(v), kind: `as ${contentType}` }),
    ),
  );
  if (!declared) {
    // No documented body: still push one at it (the upload route reads multipart this way).
    return fc.oneof({ arbitrary: none, weight: 3 }, { arbitrary: multipartBody, weight: 2 }, { arbitrary: garbage, weight: 2 });
  }
  const schema = declared.schema;
  const form = declared.contentType === 'application/x-www-form-urlencoded';
  const encode = (value: unknown, kind: string): Body => (form ? { contentType: declared.contentType, text: formEncode(value), kind } : json(value, kind));
  const valid =
    schema.type === 'string' && !form ? stripeEventText.map((text) => ({ contentType: declared.contentType, text, kind: 'valid raw event' })) : arbitraryFor(schema, 0, known).map((v) => encode(v, 'valid'));
  const spoiled = arbitraryFor(schema, 0, known)
    .chain((v) => spoil(v, schema.required ?? []))
    .map((v) => encode(v, 'spoiled'));
  return fc.oneof(
    { arbitrary: valid, weight: 5 },
    { arbitrary: spoiled, weight: 4 },
    { arbitrary: garbage, weight: 3 },
    { arbitrary: none, weight: 1 },
    { arbitrary: multipartBody, weight: 1 },
  );
}

/** Query and path values: schema-valid, hostile, or real ids (A's own, or B's when aiming at B). */
function paramArb(p: Parameter, mode: Mode, op: Operation, ctx: Context, known: fc.Arbitrary<string>): fc.Arbitrary<string | undefined> {
  if (mode === 'wrong-tenant' && isIdSlot(p)) return fc.constantFrom(...foreignIds(ctx.b, p.name));
  const valid = arbitraryFor(p.schema, 0, known).map(asText);
  const choices = [
    { arbitrary: valid, weight: 4 },
    { arbitrary: hostileString, weight: 3 },
  ];
  // A's own ids, but never to DELETE them: the fuzz run keeps using A's assistant and keys.
  if (isIdSlot(p) && op.method !== 'DELETE' && mode === 'tenant') choices.push({ arbitrary: fc.constantFrom(...ownIds(ctx.a)), weight: 3 });
  const value = fc.oneof(...choices);
  return p.required || p.in === 'path' ? value : fc.option(value, { nil: undefined, freq: 3 });
}

/** Credentials that must be refused: none, forged, or other services' secrets. */
const forgedCredentials = (cookieName: string): fc.Arbitrary<Record<string, string>> =>
  fc.oneof(
    fc.constant<Record<string, string>>({}),
    fc.stringMatching(/^[A-Za-z0-9_-]{0,64}$/).map((v) => ({ cookie: `${cookieName}=${v}` })),
    fc.stringMatching(/^[A-Za-z0-9]{0,43}$/).map((v) => ({ authorization: `Bearer evk_${v}` })),
    fc.constantFrom<Record<string, string>>(
      { authorization: 'Bearer test-admin-key' },
      { authorization: 'Basic YWRtaW46YWRtaW4=' },
      { authorization: 'Bearer ' },
      { 'x-admin-key': 'wrong' },
      { 'x-admin-key': '' },
      { 'x-vapi-secret': 'wrong' },
      { 'x-twilio-signature': 'AAAA' },
      { 'stripe-signature': 't=1,v1=00' },
    ),
  );

/** Headers a webhook needs to pass verification (so garbage reaches the handler itself). */
function webhookSignature(op: Operation, ctx: Context, pathAndQuery: string, body: Body): Record<string, string> {
  if (op.path === '/api/webhooks/vapi') return { 'x-vapi-secret': VAPI_SECRET };
  if (op.path === '/api/webhooks/stripe') {
    return { 'stripe-signature': Stripe.webhooks.generateTestHeaderString({ payload: body.text ?? '', secret: ctx.stripeWebhookSecret }) };
  }
  if (op.path.startsWith('/api/webhooks/twilio/')) {
    const params: TwilioParams = {};
    if (body.contentType?.startsWith('application/x-www-form-urlencoded')) {
      for (const [k, v] of new URLSearchParams(body.text ?? '')) {
        const seen = params[k];
        params[k] = seen === undefined ? v : Array.isArray(seen) ? [...seen, v] : [seen, v];
      }
    }
    return { 'x-twilio-signature': signTwilioRequest(ctx.twilioAuthToken, `${ctx.baseUrl}${pathAndQuery}`, params) };
  }
  return {};
}

/** Every request the fuzzer may send to `op` as `mode`. */
export function requestArb(op: Operation, mode: Mode, ctx: Context): fc.Arbitrary<() => FuzzRequest> {
  // Real values of A mixed into strings: tokens and keys that exist reach deeper code.
  const known = fc.constantFrom(ctx.a.vapiAssistantId, ctx.a.vapiCallId, ctx.a.sectionKey, ctx.a.email, `https://${ctx.a.embedDomain}`, ctx.a.embedToken, ...ownIds(ctx.a));
  const params = op.parameters.filter((p) => p.in !== 'cookie');
  const paramValues = fc.tuple(...params.map((p) => paramArb(p, mode, op, ctx, known)));
  const extraQuery = fc.option(
    fc.tuple(fc.constantFrom('__proto__', 'constructor', '__proto__[isAdmin]', 'constructor[prototype][x]', 'a[]', 'limit', 'id'), hostileString.filter((s) => s.length < 1000)),
    { nil: undefined, freq: 4 },
  );
  const forged = mode === 'anon' ? forgedCredentials(ctx.sessionCookieName) : fc.constant({});
  const useApiKey = fc.boolean();
  const rawSegments = fc.boolean();

  // The request is built lazily so that credentials read A's session at send time.
  return fc.tuple(paramValues, bodyArb(op, known), extraQuery, forged, useApiKey, rawSegments).map(([values, body, extra, forgedHeaders, viaApiKey, raw]) => () => {
    let path = op.path;
    const query = new URLSearchParams();
    const headers: Record<string, string> = {};
    params.forEach((p, i) => {
      const v = values[i];
      if (v === undefined) return;
      if (p.in === 'path') path = path.replace(`{${p.name}}`, segment(v, raw));
      else if (p.in === 'query') query.append(p.name, v);
      else if (p.in === 'header' && ASCII_HEADER.test(v)) headers[p.name] = v;
    });
    if (extra) query.append(extra[0], extra[1]);
    const pathAndQuery = query.size ? `${path}?${query}` : path;

    let privileged = false;
    if (mode === 'anon') Object.assign(headers, forgedHeaders);
    else if (mode === 'tenant' && op.security.includes('admin')) {
      headers['x-admin-key'] = 'test-admin-key';
      privileged = true;
    } else if (mode === 'tenant' && op.security.includes('cron')) headers.authorization = 'Bearer test-cron-secret';
    else if (mode === 'tenant' && op.path.startsWith('/api/webhooks/')) Object.assign(headers, webhookSignature(op, ctx, pathAndQuery, body));
    else if (viaApiKey && op.security.includes('apiKey')) headers.authorization = `Bearer ${ctx.a.apiKey}`;
    else headers.cookie = ctx.cookie();
    if (body.contentType) headers['content-type'] = body.contentType;

    return { mode, method: op.method, url: pathAndQuery, headers, body: body.text, bodyKind: body.kind, privileged };
  });
}

/** The request in a few lines, long values cut: what a failure report shows. */
export function describeRequest(r: FuzzRequest): string {
  const cut = (s: string) => (s.length > 300 ? `${s.slice(0, 300)}…(${s.length} chars)` : s);
  const headers = Object.entries(r.headers)
    .map(([k, v]) => `${k}: ${k === 'cookie' || k === 'authorization' ? `${v.slice(0, 30)}…` : cut(v)}`)
    .join('; ');
  return `[${r.mode}] ${r.method} ${cut(r.url)}\n  headers: ${headers}\n  body (${r.bodyKind}): ${r.body === undefined ? '(none)' : cut(JSON.stringify(r.body))}`;
}

export type { Context as FuzzContext };
