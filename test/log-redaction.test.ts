import { spawnSync } from 'node:child_process';
import { connect } from 'node:net';
import Stripe from 'stripe';
import { afterAll, describe, expect, it } from 'vitest';
import { redactUrl } from '../src/lib/log-redaction.js';
import { jsonString, newRequestId } from '../src/lib/request-log.js';
import { buildListeningApp } from './helpers/app.js';
import { lastMailTo, login, tokenFrom, uniqueEmail } from './helpers/factories.js';
import { statusUpdate, VAPI_SECRET } from './helpers/vapi.js';

/** Every line the server logs (a write may carry several: the access lines of one event-loop turn go out together). */
const lines: string[] = [];
const t = await buildListeningApp({ env: { LOG_LEVEL: 'trace' }, logStream: { write: (chunk) => void lines.push(...chunk.split('\n').filter(Boolean)) } });
afterAll(() => t.close());
const { app, baseUrl } = t;

const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body), redirect: 'manual' });
const get = (path: string, headers: Record<string, string> = {}) => fetch(`${baseUrl}${path}`, { headers, redirect: 'manual' });

describe('secrets never logged', () => {
  it('redacts credential-bearing query parameters and nothing else', () => {
    expect(redactUrl('/api/auth/magic-link?token=abc123&next=%2Fdashboard')).toBe('/api/auth/magic-link?token=[redacted]&next=%2Fdashboard');
    expect(redactUrl('/cb?code=xyz&state=s1&page=2')).toBe('/cb?code=[redacted]&state=[redacted]&page=2');
    expect(redactUrl('/api/calls?limit=5')).toBe('/api/calls?limit=5');
    expect(redactUrl('/api/calls')).toBe('/api/calls');
  });

  it('a sign-up, magic-link login, API-key call and VAPI, Stripe and Twilio webhooks leave no secret in the log', async () => {
    const secrets: string[] = [];
    const email = uniqueEmail('logs');
    const password = 'log-test-password-1';
    secrets.push(password);
    const registered = await post('/api/auth/register', { name: 'Lena Log', email, password, organizationName: 'Log Co' });
    expect(registered.status).toBe(201);

    // The magic link: its token travels in the query string.
    expect((await post('/api/auth/magic-link', { email })).status).toBe(200);
    const token = decodeURIComponent(tokenFrom((await lastMailTo(app, email))!.text)!);
    secrets.push(token);
    const signedIn = await get(`/api/auth/magic-link?token=${encodeURIComponent(token)}`);
    expect(signedIn.status).toBe(302);
    const sessionCookie = signedIn.headers.getSetCookie().find((c) => c.includes('session-token'))!.split(';')[0]!;
    secrets.push(sessionCookie.split('=')[1]!);
    expect((await (await get('/api/auth/session', { cookie: sessionCookie })).json()).user.email).toBe(email);
    // A stale link is logged too (a 400 or a redirect), with its token censored.
    secrets.push('stale-token-value-0123456789');
    await get('/api/auth/magic-link?token=stale-token-value-0123456789');

    // A password login and an API key used as a bearer token.
    const cookie = await login(app, email, password);
    secrets.push(cookie.split('=')[1]!);
    const key = (await (await post('/api/api-keys', { label: 'logs' }, { cookie })).json()).key as string;
    secrets.push(key);
    expect((await get('/api/assistants', { authorization: `Bearer ${key}` })).status).toBe(200);

    // Provider webhooks, each with its secret header.
    secrets.push(VAPI_SECRET);
    const vapi = await post('/api/webhooks/vapi', statusUpdate('call_logs', 'asst_unknown', 'ringing'), { 'x-vapi-secret': VAPI_SECRET });
    expect(vapi.status).toBe(200);
    const event = JSON.stringify({ id: 'evt_logs_1', object: 'event', type: 'customer.created', data: { object: { id: 'cus_logs', object: 'customer' } } });
    const stripeSignature = Stripe.webhooks.generateTestHeaderString({ payload: event, secret: t.config.stripe.webhookSecret! });
    secrets.push(stripeSignature.split('v1=')[1]!);
    expect((await post('/api/webhooks/stripe', event, { 'stripe-signature': stripeSignature })).status).toBe(200);
    const twilioSignature = 'bG9nLXRlc3QtdHdpbGlvLXNpZ25hdHVyZQ==';
    secrets.push(twilioSignature);
    await fetch(`${baseUrl}/api/webhooks/twilio/status`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', 'x-twilio-signature': twilioSignature },
      body: 'CallSid=CA1&CallStatus=completed',
    });

    // Anything that logs a request's headers gets them censored.
    app.log.info({ headers: { authorization: `Bearer ${key}`, cookie, 'x-vapi-secret': VAPI_SECRET, 'stripe-signature': stripeSignature } }, 'headers seen');

    const log = lines.join('\n');
    // One line per request (the access line), its URL censored.
    const requestLines = lines.map((l) => JSON.parse(l)).filter((l) => l.msg === 'request completed');
    expect(requestLines.length).toBeGreaterThanOrEqual(12);
    expect(requestLines.find((l) => l.url.startsWith('/api/auth/magic-link?token=') && l.statusCode === 302)).toMatchObject({
      method: 'GET',
      url: expect.stringMatching(/^\/api\/auth\/magic-link\?token=\[redacted\]$/),
      reqId: expect.any(String),
      ms: expect.any(Number),
    });
    // A handler's own line carries its request's id (request.log is made on first use).
    const vapiLine = lines.map((l) => JSON.parse(l)).find((l) => l.msg === 'vapi server message');
    expect(vapiLine).toMatchObject({ vapiCallId: 'call_logs', reqId: expect.any(String) });
    expect(requestLines.some((l) => l.reqId === vapiLine.reqId && l.url === '/api/webhooks/vapi')).toBe(true);
    expect(log).toContain('"msg":"headers seen"');
    for (const secret of secrets) {
      expect(log.includes(secret), `secret ${secret.slice(0, 6)}… appears in the log`).toBe(false);
      expect(log.includes(encodeURIComponent(secret)), `secret ${secret.slice(0, 6)}… appears URL-encoded in the log`).toBe(false);
    }
  });
});

describe('the access log', () => {
  it('writes exactly one whole line per request, also when 200 arrive at once', async () => {
    const ids = Array.from({ length: 200 }, (_, i) => `access-line-${i}-${Date.now()}`);
    const answers = await Promise.all(ids.map((id) => get('/api/health', { 'x-request-id': id })));
    expect(answers.every((r) => r.status === 200)).toBe(true);
    await new Promise((r) => setImmediate(r)); // the turn's lines are written at its end
    const written = lines.map((l) => JSON.parse(l)).filter((l) => ids.includes(l.reqId));
    expect(written).toHaveLength(200);
    expect(new Set(written.map((l) => l.reqId)).size).toBe(200);
    expect(written[0]).toEqual({
      level: 30,
      time: expect.any(Number),
      pid: process.pid,
      hostname: expect.any(String),
      reqId: written[0].reqId,
      method: 'GET',
      url: '/api/health',
      statusCode: 200,
      ms: expect.any(Number),
      ip: '127.0.0.1',
      msg: 'request completed',
    });
  });
});

describe('request ids and the line around them', () => {
  /** One raw HTTP/1.1 request, as a client sends it (fetch would percent-encode the URL). */
  const raw = (head: string) =>
    new Promise<string>((resolve, reject) => {
      const { hostname, port } = new URL(baseUrl);
      const socket = connect(Number(port), hostname, () => socket.end(Buffer.from(`${head}\r\nhost: x\r\nconnection: close\r\n\r\n`, 'latin1')));
      let answer = '';
      socket.on('data', (d) => (answer += d.toString('latin1')));
      socket.on('end', () => resolve(answer));
      socket.on('error', reject);
    });
  const lineFor = async (reqId: string) => {
    await new Promise((r) => setImmediate(r));
    return lines.map((l) => JSON.parse(l)).find((l) => l.reqId === reqId);
  };

  it('gives every request its own id, in the response header and in its line', async () => {
    const answers = await Promise.all(Array.from({ length: 100 }, () => get('/api/health')));
    const ids = answers.map((r) => r.headers.get('x-request-id')!);
    expect(ids.every((id) => /^[\w-]{16}$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(100);
    for (const id of ids.slice(0, 5)) expect(await lineFor(id)).toMatchObject({ url: '/api/health', statusCode: 200 });
  });

  it('never repeats an id across refills of its random pool', () => {
    const ids = Array.from({ length: 5_000 }, newRequestId);
    expect(new Set(ids).size).toBe(5_000);
    expect(ids.every((id) => /^[\w-]{16}$/.test(id))).toBe(true);
  });

  it('keeps the line valid JSON when the path and the given id hold quotes and backslashes, and the id a byte beyond ASCII', async () => {
    const reqId = `quoted "id" \\ caf\u00e9 ${Date.now()}`;
    const answer = await raw(`GET /api/"no\\such"/route HTTP/1.1\r\nx-request-id: ${reqId}`);
    expect(answer).toMatch(/^HTTP\/1.1 404/);
    // Node reads headers as latin1 (and refuses such a byte in the URL): the line holds what Fastify saw.
    expect(await lineFor(reqId)).toMatchObject({ method: 'GET', url: '/api/"no\\such"/route', statusCode: 404 });
  });

  it('quotes plain strings itself and leaves anything else to JSON.stringify', () => {
    for (const s of ['/api/health', 'a"b', 'a\\b', 'tab\there', '\u0001', 'caf\u00e9', '\ud800', '']) expect(JSON.parse(jsonString(s))).toBe(s);
    expect(jsonString('/api/calls?page=2')).toBe('"/api/calls?page=2"');
  });
});

describe('the access log on exit', () => {
  it('writes the lines still waiting for the end of the turn when the process exits in it', () => {
    // A request completes and the process exits in the same turn, before the batched write.
    const script = `
      import { createLoggers } from './src/lib/request-log.ts';
      const { accessLog } = createLoggers('info');
      const request = { id: 'exit-probe', method: 'GET', url: '/api/health', ip: '127.0.0.1' };
      accessLog.requestCompleted(null, request, { statusCode: 200, elapsedTime: 1 });
      process.exit(0);
    `;
    const run = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(run.status, run.stderr).toBe(0);
    expect(run.stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l))).toMatchObject([{ reqId: 'exit-probe', statusCode: 200, msg: 'request completed' }]);
  });
});
