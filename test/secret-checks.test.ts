import { randomBytes } from 'node:crypto';
import Stripe from 'stripe';
import { afterAll, describe, expect, it } from 'vitest';
import { hmacSha256 } from '../src/lib/tokens.js';
import { signTwilioRequest } from '../src/providers/twilio/webhook.js';
import { buildTestApp } from './helpers/app.js';
import { lastMailTo, register, setPlan, signedInOwner, tokenFrom, uniqueEmail } from './helpers/factories.js';
import { bearer, describeSecretCheck, header, type SecretCheck } from './helpers/secret-checks.js';

/**
 * Every check of a shared secret or token, probed at its edges through its real route: the
 * near misses of helpers/secret-checks.ts (empty, missing, prefixes, one more character, case,
 * whitespace, other encodings) are all refused, and the exact value is accepted.
 *
 * Each value travels in its carrier's own encoding (a cookie or query value URL-encoded, a
 * body value as JSON, a header as is), so the check receives exactly the near miss. Over a
 * real connection Node's HTTP parser drops whitespace around a header value; `inject` does not,
 * so the header checks themselves are shown to refuse it.
 */
const t = await buildTestApp();
const { app, config } = t;
afterAll(() => t.close());

const owner = await signedInOwner(app);
await setPlan(app, owner.organizationId, 'PRO');
const asOwner = { cookie: owner.cookie };
/** Spends the reset and magic-link tokens: a reset ends every session of its user, so not the owner's. */
const linkUser = await register(app);
const get = (url: string, headers: Record<string, string>) => app.inject({ method: 'GET', url, headers });

// VAPI: one server message, sent as raw JSON so the HMAC covers the exact bytes.
const vapiBody = JSON.stringify({ message: { type: 'status-update', status: 'ringing', call: { id: 'call_probe', assistantId: 'asst_unknown' } } });
const postVapi = (headers: Record<string, string>) =>
  app.inject({ method: 'POST', url: '/api/webhooks/vapi', headers: { 'content-type': 'application/json', ...headers }, payload: vapiBody });

// Twilio: a call status callback, signed over our public URL and its form parameters.
const twilioPath = '/api/webhooks/twilio/status';
const twilioParams = { CallSid: 'CA00000000000000000000000000000000', CallStatus: 'ringing' };
const postTwilio = (signature: string | undefined) =>
  app.inject({
    method: 'POST',
    url: twilioPath,
    headers: { 'content-type': 'application/x-www-form-urlencoded', ...header('x-twilio-signature', signature) },
    payload: new URLSearchParams(twilioParams).toString(),
  });

// Stripe: an event we acknowledge and ignore; a new id per run so the exact value is processed.
const stripeBody = JSON.stringify({
  id: `evt_probe_${randomBytes(6).toString('hex')}`,
  object: 'event',
  type: 'customer.created',
  data: { object: { id: 'cus_probe', object: 'customer' } },
});
const postStripe = (signature: string | undefined) =>
  app.inject({ method: 'POST', url: '/api/webhooks/stripe', headers: { 'content-type': 'application/json', ...header('stripe-signature', signature) }, payload: stripeBody });

async function createdApiKey() {
  const res = await app.inject({ method: 'POST', url: '/api/api-keys', headers: asOwner, payload: { label: 'probe' } });
  return (res.json() as { key: string }).key;
}

const widgetOrigin = 'https://probe.example.com';
async function createdEmbedToken() {
  const res = await app.inject({ method: 'POST', url: '/api/embed-token', headers: asOwner, payload: { allowedDomains: ['probe.example.com'] } });
  return (res.json() as { token: string }).token;
}

/** The NextAuth double-submit token: the cookie is fixed, the form's value is probed. */
const csrf = await app.inject({ method: 'GET', url: '/api/auth/csrf' });
const csrfCookie = csrf.cookies.find((c) => c.name.endsWith('next-auth.csrf-token'))!;

/** A link token from the newest mail to an address. */
const mailedToken = async (to: string) => decodeURIComponent(tokenFrom((await lastMailTo(app, to))!.text)!);
const without = <T extends object>(body: T, value: string | undefined, key: string) => (value === undefined ? body : { ...body, [key]: value });

const CHECKS: SecretCheck[] = [
  {
    name: 'VAPI secret (x-vapi-secret) on POST /api/webhooks/vapi',
    secret: () => config.vapi.webhookSecret!,
    send: (v) => postVapi(header('x-vapi-secret', v)),
    refused: 401,
    accepted: 200,
  },
  {
    name: 'VAPI secret (Authorization: Bearer) on POST /api/webhooks/vapi',
    secret: () => config.vapi.webhookSecret!,
    send: (v) => postVapi(bearer(v)),
    refused: 401,
    accepted: 200,
  },
  {
    name: 'VAPI HMAC (x-vapi-signature) on POST /api/webhooks/vapi',
    secret: () => hmacSha256(config.vapi.webhookSecret!, vapiBody),
    send: (v) => postVapi(header('x-vapi-signature', v)),
    refused: 401,
    accepted: 200,
  },
  {
    name: 'CRON_SECRET (Authorization: Bearer) on GET /api/cron/payment-retry',
    secret: () => config.cronSecret,
    send: (v) => get('/api/cron/payment-retry', bearer(v)),
    refused: 401,
    accepted: 200,
  },
  {
    name: 'ADMIN_API_KEY (x-admin-key) on GET /api/admin/organizations',
    secret: () => config.adminApiKey,
    send: (v) => get('/api/admin/organizations', header('x-admin-key', v)),
    refused: 401,
    accepted: 200,
  },
  {
    name: 'Twilio signature (X-Twilio-Signature) on POST /api/webhooks/twilio/status',
    secret: () => signTwilioRequest(config.twilio.authToken!, `${config.appUrl}${twilioPath}`, twilioParams),
    send: postTwilio,
    refused: 403,
    accepted: 200,
  },
  {
    name: 'Stripe signature (Stripe-Signature) on POST /api/webhooks/stripe',
    secret: () => Stripe.webhooks.generateTestHeaderString({ payload: stripeBody, secret: config.stripe.webhookSecret! }),
    send: postStripe,
    refused: 400,
    accepted: 200,
  },
  {
    name: 'organization API key (Bearer evk_…) on GET /api/assistant-name',
    secret: createdApiKey,
    send: (v) => get('/api/assistant-name', bearer(v)),
    refused: 401,
    accepted: 200,
  },
  {
    name: 'session cookie on GET /api/assistant-name',
    secret: () => owner.cookie.slice(owner.cookie.indexOf('=') + 1),
    send: (v) => get('/api/assistant-name', v === undefined ? {} : { cookie: `${app.sessionCookie.name}=${encodeURIComponent(v)}` }),
    refused: 401,
    accepted: 200,
  },
  {
    // 409: the token was recognised and its origin allowed; the business has no number yet.
    name: 'embed token (ept_…) on POST /api/widget/token',
    secret: createdEmbedToken,
    send: (v) => app.inject({ method: 'POST', url: '/api/widget/token', headers: { origin: widgetOrigin }, payload: without({}, v, 'embedToken') }),
    refused: 401,
    refusedWhenAbsent: 400,
    accepted: 409,
  },
  {
    name: 'CSRF token (csrfToken) on POST /api/auth/callback/credentials',
    secret: () => (csrf.json() as { csrfToken: string }).csrfToken,
    send: (v) =>
      app.inject({
        method: 'POST',
        url: '/api/auth/callback/credentials',
        headers: { cookie: `${csrfCookie.name}=${csrfCookie.value}` },
        payload: without({ email: owner.email, password: owner.password, json: true }, v, 'csrfToken'),
      }),
    refused: 403,
    accepted: 200,
  },
  {
    name: 'password reset token on POST /api/auth/reset-password',
    secret: async () => {
      await app.inject({ method: 'POST', url: '/api/auth/forgot-password', payload: { email: linkUser.email } });
      return mailedToken(linkUser.email);
    },
    send: (v) => app.inject({ method: 'POST', url: '/api/auth/reset-password', payload: without({ password: linkUser.password }, v, 'token') }),
    refused: 400,
    accepted: 200,
  },
  {
    name: 'magic-link token on GET /api/auth/magic-link',
    secret: async () => {
      await app.inject({ method: 'POST', url: '/api/auth/magic-link', payload: { email: linkUser.email } });
      return mailedToken(linkUser.email);
    },
    send: (v) => get(v === undefined ? '/api/auth/magic-link' : `/api/auth/magic-link?token=${encodeURIComponent(v)}`, {}),
    refused: 400,
    accepted: 302,
  },
  {
    name: 'invitation token on POST /api/members/accept',
    secret: async () => {
      const email = uniqueEmail('invitee');
      await app.inject({ method: 'POST', url: '/api/members/invite', headers: asOwner, payload: { email } });
      return mailedToken(email);
    },
    send: (v) => app.inject({ method: 'POST', url: '/api/members/accept', payload: without({ name: 'Max Probe', password: 'probe-pass-123' }, v, 'token') }),
    refused: 400,
    accepted: 201,
  },
];

for (const check of CHECKS) describeSecretCheck(check);

describe('the Bearer scheme', () => {
  // The exact secret after anything but "Bearer " at the start of the header is refused.
  const wrapped = (value: string) => [`x Bearer ${value}`, `Basic Bearer ${value}`, `Token ${value}`];

  it('is refused unless it starts the Authorization header (VAPI, cron, API keys)', async () => {
    const key = await createdApiKey();
    for (const authorization of wrapped(config.vapi.webhookSecret!)) expect((await postVapi({ authorization })).statusCode, authorization).toBe(401);
    for (const authorization of wrapped(config.cronSecret)) expect((await get('/api/cron/payment-retry', { authorization })).statusCode, authorization).toBe(401);
    for (const authorization of wrapped(key)) expect((await get('/api/assistant-name', { authorization })).statusCode, authorization).toBe(401);
  });

  it('says an API key is invalid, not that the caller should sign in', async () => {
    const res = await get('/api/assistant-name', bearer('evk_not-a-key'));
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ code: 'UNAUTHORIZED', error: 'Invalid, expired or revoked API key' });
  });
});
