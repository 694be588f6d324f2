import { createHmac, randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { gunzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { eq } from 'drizzle-orm';
import { buildTestApp, type TestApp } from './helpers/app.js';
import { lastMailTo, login, setPlan, signedInOwner, tokenFrom, uniqueEmail } from './helpers/factories.js';
import { embedTokens, phoneNumbers } from '../src/db/schema/index.js';
import { sha256 } from '../src/lib/tokens.js';
import { loadVoiceSdk } from '../src/modules/widget/voice-sdk.js';
import { widgetSnippet } from '../web/src/widget-snippet.js';

/** The pinned package's browser bundle, read independently of the server's code. */
const sdkBundle = join(dirname(createRequire(import.meta.url).resolve('@twilio/voice-sdk')), '..', 'dist', 'twilio.min.js');

let t: TestApp;
let app: FastifyInstance;
beforeAll(async () => {
  t = await buildTestApp();
  app = t.app;
});
afterAll(() => t.close());

type Owner = Awaited<ReturnType<typeof signedInOwner>>;
const as = (cookie: string) => ({ cookie });

/** Distinct numbers for this file's owners (a random 4-digit suffix collided now and then). */
let numberSeq = randomInt(0, 9_000_000);

/** A Pro organization's owner; with a phone number unless told otherwise. */
async function proOwner(organizationName = 'Acme Dental', opts: { number?: boolean; plan?: string } = {}) {
  const owner = await signedInOwner(app, { organizationName });
  await setPlan(app, owner.organizationId, opts.plan ?? 'PRO');
  const number = `+1415${String(++numberSeq).padStart(7, '0')}`;
  if (opts.number !== false) {
    await app.ctx.db.insert(phoneNumbers).values({ organizationId: owner.organizationId, number, twilioPhoneNumberSid: `PN${sha256(number).slice(0, 32)}` });
  }
  return { ...owner, number };
}

const createToken = (owner: { cookie: string }, payload: object) => app.inject({ method: 'POST', url: '/api/embed-token', headers: as(owner.cookie), payload });
const listTokens = (owner: { cookie: string }) => app.inject({ url: '/api/embed-token', headers: as(owner.cookie) });

/** Creates a token and returns the raw value and its id (from the list). */
async function newToken(owner: Owner, allowedDomains: string[], label = 'Main Website') {
  const res = await createToken(owner, { label, allowedDomains });
  expect(res.statusCode).toBe(200);
  const { token } = res.json() as { token: string };
  const listed = (await listTokens(owner)).json().tokens as Array<{ id: string; tokenPrefix: string }>;
  return { token, id: listed.find((x) => x.tokenPrefix === token.slice(0, 12))!.id };
}

const exchange = (embedToken: string, headers: Record<string, string> = {}) =>
  app.inject({ method: 'POST', url: '/api/widget/token', headers, payload: { embedToken } });

function decodeJwt(jwt: string) {
  const [header, payload, signature] = jwt.split('.');
  const json = (part: string) => JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
  return { header: json(header!), payload: json(payload!), signingInput: `${header}.${payload}`, signature: signature! };
}

describe('embed tokens', () => {
  it('creates a token shown once, stored only as its SHA-256, listed by prefix', async () => {
    const owner = await proOwner();
    const res = await createToken(owner, { label: 'HubSpot CRM', allowedDomains: ['app.hubspot.com'] });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    expect(Object.keys(body).sort()).toEqual(['label', 'prefix', 'token']);
    expect(body.token).toMatch(/^ept_[0-9A-Za-z]{43}$/);
    expect(body.prefix).toBe(body.token.slice(0, 12));
    expect(body.label).toBe('HubSpot CRM');

    const [row] = await app.ctx.db.select().from(embedTokens).where(eq(embedTokens.organizationId, owner.organizationId));
    expect(row!.tokenHash).toBe(sha256(body.token));
    expect(JSON.stringify(row)).not.toContain(body.token.slice(12));
    expect(row!.createdBy).toBe(owner.userId);

    const list = await listTokens(owner);
    expect(list.statusCode).toBe(200);
    expect(list.json()).toEqual({
      tokens: [{ id: row!.id, label: 'HubSpot CRM', tokenPrefix: body.prefix, allowedDomains: ['app.hubspot.com'], lastUsedAt: null, createdAt: expect.any(String) }],
    });
    expect(list.body).not.toContain(body.token.slice(12));
    expect(list.body).not.toContain(row!.tokenHash);
  });

  it('normalizes allowed domains and defaults the label to the first one', async () => {
    const owner = await proOwner();
    const res = await createToken(owner, {
      allowedDomains: [' MySite.COM ', '*.Example.com', 'localhost:5173', 'mysite.com', 'shop.mysite.com:443', '127.0.0.1:8080', 'bücher.de'],
    });
    expect(res.statusCode).toBe(200);
    expect(res.json().label).toBe('mysite.com');
    expect((await listTokens(owner)).json().tokens[0].allowedDomains).toEqual([
      'mysite.com',
      '*.example.com',
      'localhost:5173',
      'shop.mysite.com',
      '127.0.0.1:8080',
      'xn--bcher-kva.de',
    ]);
  });

  it('refuses schemes, paths, bad wildcards, IPv6, bare names and bad list sizes with 400', async () => {
    const owner = await proOwner();
    for (const bad of ['https://mysite.com', 'mysite.com/contact', '*.com', 'a.*.mysite.com', '*', '[::1]:3000', 'intranet', 'mysite.com:99999', '*.10.0.0.1', '300.1.1.1', 'my_site.com', '']) {
      const res = await createToken(owner, { allowedDomains: ['ok.example', bad] });
      expect(res.statusCode, bad).toBe(400);
      expect(res.json()).toMatchObject({ code: 'VALIDATION_FAILED', details: [expect.objectContaining({ field: 'body.allowedDomains.1' })] });
    }
    expect((await createToken(owner, { allowedDomains: [] })).statusCode).toBe(400);
    expect((await createToken(owner, { label: 'x' })).statusCode).toBe(400);
    const many = Array.from({ length: 21 }, (_, i) => `s${i}.example.com`);
    expect((await createToken(owner, { allowedDomains: many })).statusCode).toBe(400);
    expect((await createToken(owner, { allowedDomains: many.slice(0, 20) })).statusCode).toBe(200);
  });

  it('needs the Pro plan to list and create', async () => {
    const owner = await signedInOwner(app);
    await setPlan(app, owner.organizationId, 'ADVANCED');
    for (const res of [await listTokens(owner), await createToken(owner, { allowedDomains: ['mysite.com'] })]) {
      expect(res.statusCode).toBe(403);
      expect(res.json()).toMatchObject({ code: 'PLAN_REQUIRED', error: expect.stringContaining('Pro') });
    }
    expect((await app.inject({ url: '/api/embed-token' })).statusCode).toBe(401);
  });

  it('lets members list but not create or revoke', async () => {
    const owner = await proOwner();
    const { id } = await newToken(owner, ['mysite.com']);
    const email = uniqueEmail('member');
    expect((await app.inject({ method: 'POST', url: '/api/members/invite', headers: as(owner.cookie), payload: { email, role: 'member' } })).statusCode).toBe(201);
    const invite = decodeURIComponent(tokenFrom((await lastMailTo(app, email))!.text)!);
    expect((await app.inject({ method: 'POST', url: '/api/members/accept', payload: { token: invite, name: 'Max', password: 'member-pass-1' } })).statusCode).toBe(201);
    const member = { cookie: await login(app, email, 'member-pass-1') };

    expect((await listTokens(member)).json().tokens.map((x: { id: string }) => x.id)).toEqual([id]);
    const created = await createToken(member, { allowedDomains: ['mysite.com'] });
    expect(created.statusCode).toBe(403);
    expect(created.json().code).toBe('FORBIDDEN');
    expect((await app.inject({ method: 'DELETE', url: `/api/embed-token?id=${id}`, headers: as(member.cookie) })).statusCode).toBe(403);
  });

  it('revokes at once; another organization’s id is 404', async () => {
    const owner = await proOwner();
    const stranger = await proOwner('Other Clinic');
    const { token, id } = await newToken(owner, ['mysite.com']);
    expect((await exchange(token, { origin: 'https://mysite.com' })).statusCode).toBe(200);

    const theirs = await app.inject({ method: 'DELETE', url: `/api/embed-token?id=${id}`, headers: as(stranger.cookie) });
    expect(theirs.statusCode).toBe(404);
    expect(theirs.json()).toMatchObject({ code: 'NOT_FOUND' });
    expect((await listTokens(stranger)).json().tokens).toEqual([]);
    expect((await app.inject({ method: 'DELETE', url: '/api/embed-token?id=nope', headers: as(owner.cookie) })).statusCode).toBe(400);

    const revoked = await app.inject({ method: 'DELETE', url: `/api/embed-token?id=${id}`, headers: as(owner.cookie) });
    expect(revoked.statusCode).toBe(200);
    expect(revoked.json()).toEqual({ revoked: true });
    const after = await exchange(token, { origin: 'https://mysite.com' });
    expect(after.statusCode).toBe(401);
    expect(after.json()).toMatchObject({ code: 'UNAUTHORIZED' });
    expect(after.headers['access-control-allow-origin']).toBeUndefined();
    expect((await listTokens(owner)).json().tokens).toEqual([]);
    expect((await app.inject({ method: 'DELETE', url: `/api/embed-token?id=${id}`, headers: as(owner.cookie) })).statusCode).toBe(404);
  });

  it('can still be revoked after a downgrade, and then stops working', async () => {
    const owner = await proOwner();
    const { token, id } = await newToken(owner, ['mysite.com']);
    await setPlan(app, owner.organizationId, 'STARTER');
    const refused = await exchange(token, { origin: 'https://mysite.com' });
    expect(refused.statusCode).toBe(403);
    expect(refused.json().code).toBe('PLAN_REQUIRED');
    expect(refused.headers['access-control-allow-origin']).toBe('https://mysite.com');
    expect((await app.inject({ method: 'DELETE', url: `/api/embed-token?id=${id}`, headers: as(owner.cookie) })).json()).toEqual({ revoked: true });
  });
});

describe('POST /api/widget/token', () => {
  it('answers an allowed origin with a 1-hour Twilio Voice token for the widget identity', async () => {
    const owner = await proOwner('Acme Corp');
    const { token, id } = await newToken(owner, ['mysite.com', 'app.hubspot.com']);
    const res = await exchange(token, { origin: 'https://app.hubspot.com' });
    expect(res.statusCode).toBe(200);
    const body = res.json();
    const identity = `org_${owner.organizationId}:widget_${id}`;
    expect(body).toEqual({ token: expect.any(String), identity, phoneNumber: owner.number, orgName: 'Acme Corp', expiresIn: 3600 });
    expect(res.headers['access-control-allow-origin']).toBe('https://app.hubspot.com');
    expect(res.headers['access-control-allow-credentials']).toBeUndefined();
    expect(String(res.headers.vary)).toMatch(/Origin/i);

    const jwt = decodeJwt(body.token);
    expect(jwt.header).toMatchObject({ alg: 'HS256', typ: 'JWT', cty: 'twilio-fpa;v=1' });
    expect(jwt.payload).toMatchObject({
      iss: t.config.twilio.apiKey,
      sub: t.config.twilio.accountSid,
      grants: { identity, voice: { outgoing: { application_sid: t.config.twilio.twimlAppSid } } },
    });
    expect(jwt.payload.grants.voice.incoming?.allow ?? false).toBe(false);
    expect(jwt.payload.exp - Math.floor(Date.now() / 1000)).toBeGreaterThan(3590);
    expect(jwt.payload.exp - Math.floor(Date.now() / 1000)).toBeLessThanOrEqual(3600);
    const expected = createHmac('sha256', t.config.twilio.apiSecret!).update(jwt.signingInput).digest('base64url');
    expect(jwt.signature).toBe(expected);

    const listed = (await listTokens(owner)).json().tokens[0];
    expect(listed.lastUsedAt).not.toBeNull();
    // last_used_at moves at most once a minute.
    await exchange(token, { origin: 'https://mysite.com' });
    expect((await listTokens(owner)).json().tokens[0].lastUsedAt).toBe(listed.lastUsedAt);
    t.clock.advance(61_000);
    await exchange(token, { origin: 'https://mysite.com' });
    expect((await listTokens(owner)).json().tokens[0].lastUsedAt).not.toBe(listed.lastUsedAt);
  });

  it('refuses other origins with 403 and no CORS headers; Referer alone is not enough', async () => {
    const owner = await proOwner();
    const { token } = await newToken(owner, ['mysite.com']);
    for (const headers of [
      { origin: 'https://evil.example' },
      { origin: 'https://mysite.com.evil.example' },
      { origin: 'https://shop.mysite.com' },
      { origin: 'https://mysite.com:8443' },
      { origin: 'null' },
      { referer: 'https://mysite.com/contact' },
      {},
    ] as Array<Record<string, string>>) {
      const res = await exchange(token, headers);
      expect(res.statusCode, JSON.stringify(headers)).toBe(403);
      expect(res.json().code).toBe('FORBIDDEN');
      expect(res.headers['access-control-allow-origin']).toBeUndefined();
    }
    expect((await exchange(token, { origin: 'http://mysite.com', referer: 'https://evil.example/' })).statusCode).toBe(200);
  });

  it('matches wildcards on subdomains only, and ports exactly', async () => {
    const owner = await proOwner();
    const { token } = await newToken(owner, ['*.example.com', '127.0.0.1:4173']);
    const status = async (origin: string) => (await exchange(token, { origin })).statusCode;
    expect(await status('https://sub.example.com')).toBe(200);
    expect(await status('https://a.b.example.com')).toBe(200);
    expect(await status('https://example.com')).toBe(403);
    expect(await status('https://evil-example.com')).toBe(403);
    expect(await status('https://sub.example.com.evil.io')).toBe(403);
    expect(await status('https://sub.example.com:8443')).toBe(403);
    expect(await status('http://127.0.0.1:4173')).toBe(200);
    expect(await status('http://127.0.0.1:4174')).toBe(403);
    expect(await status('http://127.0.0.1')).toBe(403);
  });

  it('answers the CORS preflight', async () => {
    const res = await app.inject({
      method: 'OPTIONS',
      url: '/api/widget/token',
      headers: { origin: 'https://mysite.com', 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type' },
    });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect(res.headers['access-control-allow-origin']).toBe('https://mysite.com');
    expect(res.headers['access-control-allow-methods']).toContain('POST');
    expect(String(res.headers['access-control-allow-headers']).toLowerCase()).toContain('content-type');
    expect(Number(res.headers['access-control-max-age'])).toBeGreaterThan(0);
    expect(String(res.headers.vary)).toMatch(/Origin/i);
    for (const origin of [undefined, 'null', 'file://']) {
      const bare = await app.inject({ method: 'OPTIONS', url: '/api/widget/token', headers: origin ? { origin } : {} });
      expect(bare.statusCode).toBe(204);
      expect(bare.headers['access-control-allow-origin']).toBeUndefined();
    }
    // The rest of the API stays same-origin: no CORS anywhere else.
    const other = await app.inject({ url: '/api/health', headers: { origin: 'https://mysite.com' } });
    expect(other.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('refuses unknown, malformed and missing tokens', async () => {
    expect((await exchange(`ept_${'x'.repeat(43)}`, { origin: 'https://mysite.com' })).statusCode).toBe(401);
    expect((await exchange('not-a-token', { origin: 'https://mysite.com' })).statusCode).toBe(401);
    const empty = await exchange('', { origin: 'https://mysite.com' });
    expect(empty.statusCode).toBe(400);
    expect(empty.json().code).toBe('VALIDATION_FAILED');
  });

  it('says so when the business has no phone number yet', async () => {
    const owner = await proOwner('No Number Inc', { number: false });
    const { token } = await newToken(owner, ['mysite.com']);
    const res = await exchange(token, { origin: 'https://mysite.com' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ code: 'CONFLICT', error: expect.stringMatching(/no phone number/) });
    expect(res.headers['access-control-allow-origin']).toBe('https://mysite.com');
  });

  it('limits each token to 30 exchanges a minute, with Retry-After, without touching other tokens', async () => {
    const owner = await proOwner();
    const busy = await newToken(owner, ['mysite.com']);
    const quiet = await newToken(owner, ['mysite.com']);
    const origin = { origin: 'https://mysite.com' };
    const codes: number[] = [];
    for (let i = 0; i < 30; i++) codes.push((await exchange(busy.token, origin)).statusCode);
    expect(codes.every((c) => c === 200)).toBe(true);
    const limited = await exchange(busy.token, origin);
    expect(limited.statusCode).toBe(429);
    expect(limited.json().code).toBe('RATE_LIMITED');
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.headers['access-control-allow-origin']).toBe('https://mysite.com');
    expect(String(limited.headers['access-control-expose-headers'])).toMatch(/Retry-After/i);
    // A refused origin does not spend the token's quota, and other tokens keep theirs.
    expect((await exchange(busy.token, { origin: 'https://evil.example' })).statusCode).toBe(403);
    expect((await exchange(quiet.token, origin)).statusCode).toBe(200);
  });
});

describe('widget assets', () => {
  it('serves /widget.js as cacheable JavaScript with an ETag', async () => {
    const res = await app.inject({ url: '/widget.js' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('application/javascript; charset=utf-8');
    expect(res.headers['cache-control']).toMatch(/max-age=\d+/);
    expect(res.headers['x-content-type-options']).toBe('nosniff');
    expect(res.body).toContain('attachShadow');
    expect(res.body).toContain('/api/widget/token');
    expect(res.body.startsWith('"')).toBe(false);
    const etag = res.headers.etag as string;
    expect(etag).toMatch(/^"[0-9a-f]{32}"$/);
    const again = await app.inject({ url: '/widget.js', headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
  });

  it('serves the demo page in sandbox mode only', async () => {
    const res = await app.inject({ url: '/widget-demo?token=ept_x' });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.body).toContain('/widget.js');
    const live = await buildTestApp({ env: { SANDBOX: '0' }, database: t.database });
    try {
      expect((await live.app.inject({ url: '/widget-demo' })).statusCode).toBe(404);
      expect((await live.app.inject({ url: '/widget.js' })).statusCode).toBe(200);
    } finally {
      await live.close();
    }
  });

  it('documents the group in OpenAPI', async () => {
    const spec = (await app.inject('/api/openapi.json')).json();
    expect(Object.keys(spec.paths['/api/embed-token']).sort()).toEqual(['delete', 'get', 'post']);
    expect(spec.paths['/api/widget/token'].post).toBeDefined();
    expect(spec.paths['/widget-demo']).toBeUndefined();
  });
});

describe('the Twilio Voice SDK we serve', () => {
  /** The URL the pasted script will load its SDK from, as the script itself computes it. */
  const sdkUrlOf = (script: string, scriptUrl: string) => {
    const path = JSON.parse(/var DEFAULT_SDK_PATH = ("[^"]*");/.exec(script)![1]!) as string;
    return path ? new URL(path, scriptUrl) : null;
  };

  it('the snippet as the Widget page shows it loads our SDK, served as immutable JavaScript', async () => {
    const live = await buildTestApp({ env: { SANDBOX: '0' } });
    try {
      const snippet = widgetSnippet(live.config.appUrl, 'ept_test');
      const src = /src="([^"]+)"/.exec(snippet)![1]!;
      expect(snippet).not.toContain('data-sdk');
      const script = await live.app.inject({ url: new URL(src).pathname });
      expect(script.statusCode).toBe(200);
      const sdkUrl = sdkUrlOf(script.body, src)!;
      expect(sdkUrl.origin).toBe(new URL(src).origin);
      expect(sdkUrl.pathname).toMatch(/^\/widget\/twilio-voice-sdk\.[0-9a-f]{16}\.js$/);

      const sdk = await live.app.inject({ url: sdkUrl.pathname });
      expect(sdk.statusCode).toBe(200);
      expect(sdk.headers['content-type']).toBe('application/javascript; charset=utf-8');
      expect(sdk.headers['cache-control']).toBe('public, max-age=31536000, immutable');
      expect(sdk.headers['cross-origin-resource-policy']).toBe('cross-origin');
      expect(sdk.body).toBe(readFileSync(sdkBundle, 'utf8'));
      expect(sdk.body).toContain('Twilio.Device');
      const zipped = await live.app.inject({ url: sdkUrl.pathname, headers: { 'accept-encoding': 'gzip, br' } });
      expect(zipped.headers['content-encoding']).toBe('gzip');
      expect(gunzipSync(zipped.rawPayload).toString('utf8')).toBe(sdk.body);
      expect(zipped.rawPayload.length).toBeLessThan(sdk.rawPayload.length / 2);
      // data-sdk still wins: the script prefers the attribute over our copy.
      expect(script.body).toContain("script.getAttribute('data-sdk') || (DEFAULT_SDK_PATH");
    } finally {
      await live.close();
    }
  });

  it('in the sandbox the script loads no SDK by default (its tokens reach no real Twilio), yet the SDK is served', async () => {
    const script = await app.inject({ url: '/widget.js' });
    expect(sdkUrlOf(script.body, 'http://127.0.0.1:3000/widget.js')).toBeNull();
    expect((await app.inject({ url: loadVoiceSdk().path })).statusCode).toBe(200);
  });
});
