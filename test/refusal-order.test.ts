import { afterAll, describe, expect, it } from 'vitest';
import { hasFeature, type Feature } from '../src/domain/plans.js';
import { buildTestApp } from './helpers/app.js';
import { lastMailTo, login, setPlan, signedInOwner, tokenFrom, uniqueEmail } from './helpers/factories.js';
import { VAPI_SECRET } from './helpers/vapi.js';
import { operationsOf, type OpenApiDocument, type Operation, type Parameter } from './fuzz/openapi.js';
import type { JsonSchema } from './fuzz/schema-arbitrary.js';

/**
 * The refusal order, for every operation of the operator OpenAPI document: who you are (401), then whether
 * your plan and role allow it (403), then what you sent (400). Every request here carries a
 * deliberately invalid body, path id and query, so a route that validates first answers 400
 * where it should refuse the caller.
 */
const t = await buildTestApp({ env: { AUTH_RATE_LIMIT_PER_MIN: '10000000', API_KEY_RATE_LIMIT_PER_MIN: '10000000' } });
const { app } = t;
afterAll(() => t.close());

// The operator document: the public one plus the admin and cron operations.
const doc = (await app.inject({ method: 'GET', url: '/api/openapi.operator.json', headers: { 'x-admin-key': t.config.adminApiKey } })).json() as OpenApiDocument;
// The sandbox emulators stand in for other companies' APIs (their own auth); /docs is the reference UI.
const operations = operationsOf(doc).filter((op) => !op.path.startsWith('/sandbox/') && !op.path.startsWith('/docs'));

/**
 * What each kind of credential answers when it is missing: ours say 401; the providers'
 * webhooks follow their provider's convention (Twilio's signature check is a 403, Stripe's
 * documented answer to a signature that does not verify is a 400). Operations without
 * `security` are public (sign-up, sign-in, invitation accept, the widget's token).
 */
const MISSING_CREDENTIALS: Record<string, number> = {
  session: 401,
  apiKey: 401,
  admin: 401,
  cron: 401,
  vapiSecret: 401,
  twilioSignature: 403,
  stripeSignature: 400,
};

// A FREE owner (plan gates closed), an ENTERPRISE member (role checks closed), an ENTERPRISE owner (everything open).
const free = await signedInOwner(app, { organizationName: 'Free Org' });
const boss = await signedInOwner(app, { organizationName: 'Big Org' });
await setPlan(app, boss.organizationId, 'ENTERPRISE');
const memberEmail = uniqueEmail('member');
const invite = await app.inject({ method: 'POST', url: '/api/members/invite', headers: { cookie: boss.cookie }, payload: { email: memberEmail, role: 'member' } });
expect(invite.statusCode).toBe(201);
const inviteToken = decodeURIComponent(tokenFrom((await lastMailTo(app, memberEmail))!.text)!);
const accepted = await app.inject({ method: 'POST', url: '/api/members/accept', payload: { token: inviteToken, name: 'Mia Member', password: 'member-pass-1' } });
expect(accepted.statusCode).toBeLessThan(300);
const memberCookie = await login(app, memberEmail, 'member-pass-1');

/** A character no column can hold (the text-safety check refuses it): it too must wait for the auth checks. */
const NUL = '\u0000';

/** A value the parameter's schema refuses (with a NUL), or undefined when every string is acceptable. */
function invalidValue(schema: JsonSchema): string | undefined {
  const bad = invalidShape(schema);
  return bad === undefined ? undefined : `${bad}${NUL}`;
}

function invalidShape(schema: JsonSchema): string | undefined {
  if (schema.format === 'uuid') return 'not-a-uuid';
  if (schema.type === 'integer' || schema.type === 'number') return 'not-a-number';
  if (schema.enum) return 'not-one-of-the-values';
  if (schema.format === 'date' || schema.format === 'date-time') return 'not-a-date';
  if (typeof schema.maxLength === 'number') return 'x'.repeat(schema.maxLength + 1);
  if (schema.pattern && !new RegExp(schema.pattern as string).test('%%')) return '%%';
  return undefined;
}

interface BadRequest {
  url: string;
  headers: Record<string, string>;
  payload?: string;
  /** What in it is invalid (empty: nothing could be made invalid). */
  invalid: string[];
}

/** The operation's request with everything that can be wrong made wrong. */
function badRequest(op: Operation): BadRequest {
  const invalid: string[] = [];
  const param = (p: Parameter) => {
    const bad = invalidValue(p.schema);
    if (bad !== undefined) invalid.push(`${p.in} ${p.name}`);
    return bad ?? 'x';
  };
  const url = op.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(param(op.parameters.find((p) => p.in === 'path' && p.name === name)!)));
  const query = new URLSearchParams();
  for (const p of op.parameters.filter((q) => q.in === 'query')) {
    const bad = invalidValue(p.schema);
    if (bad !== undefined) {
      query.set(p.name, bad);
      invalid.push(`query ${p.name}`);
    }
  }
  const headers: Record<string, string> = {};
  let payload: string | undefined;
  if (op.body) {
    invalid.push('body');
    if (op.body.contentType === 'application/json') {
      headers['content-type'] = 'application/json';
      payload = '"\\u0000"'; // a string (with a NUL) where an object is expected
    } else {
      headers['content-type'] = op.body.contentType;
      payload = 'x=%00'; // none of its fields, and a NUL
    }
  }
  return { url: query.size ? `${url}?${query}` : url, headers, payload, invalid };
}

const send = (op: Operation, r: BadRequest, extra: Record<string, string> = {}) =>
  app.inject({ method: op.method as 'GET', url: r.url, headers: { ...r.headers, ...extra }, payload: r.payload });

const describeAnswer = (res: { statusCode: number; body: string }) => `${res.statusCode} ${res.body.slice(0, 200)}`;
const bySession = (op: Operation) => op.security.includes('session');
const planGated = (op: Operation) => op.planFeature !== undefined && !hasFeature('FREE', op.planFeature as Feature);

describe('refusal order over every operation of the operator OpenAPI document', () => {
  it('covers the whole document, every secured operation with an auth kind it knows', () => {
    expect(operations.length).toBeGreaterThan(100);
    // The operator operations the public document leaves out are walked too.
    for (const kind of ['admin', 'cron']) expect(operations.filter((op) => op.security.includes(kind)).length, kind).toBeGreaterThan(0);
    for (const op of operations) for (const kind of op.security) expect(MISSING_CREDENTIALS[kind], `${op.key}: auth kind ${kind}`).toBeDefined();
    // The gates the document publishes are real ones.
    expect(operations.filter(planGated).length).toBeGreaterThan(10);
    expect(operations.filter((op) => op.role).length).toBeGreaterThan(10);
  });

  it.each(operations.filter((op) => op.security.length > 0).map((op) => [op.key, op]))('%s: no credentials → refused first', async (_key, op) => {
    const res = await send(op, badRequest(op));
    const expected = Math.min(...op.security.map((kind) => MISSING_CREDENTIALS[kind]!));
    expect(res.statusCode, describeAnswer(res)).toBe(expected);
  });

  it.each(operations.filter((op) => bySession(op) && planGated(op)).map((op) => [op.key, op]))(
    '%s: a plan without the feature → 403 before validation',
    async (_key, op) => {
      const res = await send(op, badRequest(op), { cookie: free.cookie });
      expect(res.statusCode, describeAnswer(res)).toBe(403);
      expect(res.json().code).toBe('PLAN_REQUIRED');
    },
  );

  it.each(operations.filter((op) => bySession(op) && op.role).map((op) => [op.key, op]))('%s: a member → 403 before validation', async (_key, op) => {
    const res = await send(op, badRequest(op), { cookie: memberCookie });
    expect(res.statusCode, describeAnswer(res)).toBe(403);
    expect(res.json().code).toBe('FORBIDDEN');
  });

  /** The credentials that let the request through to validation. */
  const permitted = (op: Operation): Record<string, string> | undefined => {
    if (bySession(op)) return { cookie: boss.cookie };
    if (op.security.includes('admin')) return { 'x-admin-key': 'test-admin-key' };
    if (op.security.includes('vapiSecret')) return { 'x-vapi-secret': VAPI_SECRET };
    if (op.security.length === 0) return {};
    return undefined; // cron takes no input; Twilio and Stripe sign each body (their own tests)
  };
  const validated = operations.filter((op) => permitted(op) && badRequest(op).invalid.length > 0);

  it.each(validated.map((op) => [op.key, op]))('%s: permitted, with invalid input → 400 naming the field', async (_key, op) => {
    const res = await send(op, badRequest(op), permitted(op));
    expect(res.statusCode, describeAnswer(res)).toBe(400);
    const body = res.json();
    expect(body.code).toMatch(/VALIDATION_FAILED|BAD_REQUEST/);
    // The field at fault is named: the body, a path id or a query parameter.
    expect(body.details?.[0]?.field, describeAnswer(res)).toMatch(/^(body|params|querystring|query)\b/);
  });

  it('leaves only input-free operations out of the 400 check', () => {
    const skipped = operations.filter((op) => permitted(op) && !validated.includes(op));
    for (const op of skipped) expect(op.body, op.key).toBeUndefined();
    expect(validated.length).toBeGreaterThan(60);
  });
});
