import { afterAll, describe, expect, it } from 'vitest';
import { buildListeningApp } from './helpers/app.js';
import { operationsOf, type OpenApiDocument, type Operation } from './fuzz/openapi.js';
import { isIdSlot } from './fuzz/requests.js';
import { seedTenant, type Tenant } from './fuzz/tenants.js';

/**
 * The isolation matrix: two organizations with real data, and every route of the operator OpenAPI document
 * that picks an object by id (path param, or an id-like query param) asked by A with B's ids.
 * Each must answer 404 (an exception is written next to its case), show none of B's data, and
 * leave B's data as it was. The same request with A's own ids succeeds, so the 404 comes from
 * tenancy and not from a request that fails for everyone.
 */

// Loopback fetches allowed: the tenants' webhook endpoints point at 127.0.0.1.
const t = await buildListeningApp({ allowLoopbackFetch: true });
const { app } = t;
afterAll(() => t.close());

// The operator document: the public one plus the admin and cron operations.
const doc = (await app.inject({ method: 'GET', url: '/api/openapi.operator.json', headers: { 'x-admin-key': t.config.adminApiKey } })).json() as OpenApiDocument;
/** The emulators under /sandbox stand in for other companies' APIs and are never mounted in production. */
const idRoutes = operationsOf(doc).filter((op) => !op.path.startsWith('/sandbox/') && op.parameters.some(isIdSlot));

const a = await seedTenant(app, 'alpha');
const b = await seedTenant(app, 'bravo');

type Ids = (x: Tenant) => Record<string, string>;
interface Case {
  /** The value of every id slot of the route, taken from one tenant. */
  ids: Ids;
  /** A body that is valid, so that only ownership can refuse the request. */
  body?: object;
  /** Status for A asking with B's ids: 404 unless `why` says otherwise. */
  status?: number;
  why?: string;
  /** Status with the same request authenticated by A's API key instead of a session. */
  viaApiKey?: number;
  /** Skip the control with A's own ids (the route is not a tenant route). */
  noControl?: string;
}

const ADMIN = 'operator routes: authorized by x-admin-key across all organizations by design; a tenant session is not an admin key (401)';
const BROWSER_ONLY = 'managed from a signed-in browser only: an API key is refused before the id is looked up (403)';

/** Every route with an id slot must be listed here: the test below fails for one that is not. */
const CASES: Record<string, Case> = {
  'GET /api/admin/organizations/{id}': { ids: (x) => ({ id: x.organizationId }), status: 401, why: ADMIN, viaApiKey: 401, noControl: ADMIN },
  'PATCH /api/admin/organizations/{id}': { ids: (x) => ({ id: x.organizationId }), body: { plan: 'FREE' }, status: 401, why: ADMIN, viaApiKey: 401, noControl: ADMIN },
  'POST /api/admin/users/{id}/require-password-change': { ids: (x) => ({ id: x.ownerUserId }), status: 401, why: ADMIN, viaApiKey: 401, noControl: ADMIN },
  'PATCH /api/assistants/{id}': { ids: (x) => ({ id: x.assistantId }), body: { name: 'Taken over' } },
  'DELETE /api/assistants/{id}': { ids: (x) => ({ id: x.assistantId }) },
  'POST /api/prompt/versions/{id}/restore': { ids: (x) => ({ id: x.promptVersionId }) },
  'GET /api/calls/{id}': { ids: (x) => ({ id: x.callId }) },
  'GET /api/sms/threads/{number}': { ids: (x) => ({ number: x.textNumber }) },
  'GET /api/calls/outbound/status': { ids: (x) => ({ vapiCallId: x.vapiCallId }) },
  'DELETE /api/api-keys/{id}': { ids: (x) => ({ id: x.apiKeyId }), viaApiKey: 403 },
  'DELETE /api/members/invites/{id}': { ids: (x) => ({ id: x.inviteId }), viaApiKey: 403 },
  'PATCH /api/members/{id}': { ids: (x) => ({ id: x.memberUserId }), body: { role: 'member' }, viaApiKey: 403 },
  'DELETE /api/members/{id}': { ids: (x) => ({ id: x.memberUserId }), viaApiKey: 403 },
  'DELETE /api/kb': { ids: (x) => ({ section: x.sectionKey }) },
  'DELETE /api/embed-token': { ids: (x) => ({ id: x.embedTokenId }) },
  'GET /api/webhook-endpoints/{id}': { ids: (x) => ({ id: x.webhookEndpointId }) },
  'PATCH /api/webhook-endpoints/{id}': { ids: (x) => ({ id: x.webhookEndpointId }), body: { enabled: false }, viaApiKey: 403 },
  'DELETE /api/webhook-endpoints/{id}': { ids: (x) => ({ id: x.webhookEndpointId }), viaApiKey: 403 },
  'POST /api/webhook-endpoints/{id}/rotate-secret': { ids: (x) => ({ id: x.webhookEndpointId }), viaApiKey: 403 },
  'POST /api/webhook-endpoints/{id}/test': { ids: (x) => ({ id: x.webhookEndpointId }), viaApiKey: 403 },
  'GET /api/webhook-endpoints/{id}/deliveries': { ids: (x) => ({ id: x.webhookEndpointId }) },
  'DELETE /api/blocked-numbers/{id}': { ids: (x) => ({ id: x.blockedNumberId }) },
  'POST /api/calls/{id}/block': { ids: (x) => ({ id: x.callId }) },
  'POST /api/follow-ups/{callId}/done': { ids: (x) => ({ callId: x.callId }), body: { note: 'Taken over' } },
  'POST /api/follow-ups/{callId}/reopen': { ids: (x) => ({ callId: x.callId }) },
  'POST /api/follow-ups/{callId}/assign': {
    ids: (x) => ({ callId: x.callId }),
    body: { userId: '00000000-0000-4000-8000-000000000000' },
    noControl: 'the body must name a member of the asking organization (a fixed body cannot); assigning is checked in test/after-call.test.ts',
  },
  'GET /api/notifications': { ids: (x) => ({ callId: x.callId }) },
  'GET /api/stripe/checkout/{sessionId}': { ids: (x) => ({ sessionId: x.checkoutSessionId }) },
};

type Auth = { cookie: string } | { authorization: string };
const session = (x: Tenant): Auth => ({ cookie: x.cookie });
const apiKey = (x: Tenant): Auth => ({ authorization: `Bearer ${x.apiKey}` });

/** The route's request with every id slot filled from `ids`. */
function ask(op: Operation, c: Case, ids: Record<string, string>, auth: Auth) {
  let url = op.path;
  const query = new URLSearchParams();
  for (const p of op.parameters.filter(isIdSlot)) {
    const value = ids[p.name];
    if (value === undefined) throw new Error(`${op.key}: the case gives no value for ${p.in} param "${p.name}"`);
    if (p.in === 'path') url = url.replace(`{${p.name}}`, encodeURIComponent(value));
    else query.set(p.name, value);
  }
  if (query.size) url += `?${query}`;
  return app.inject({ method: op.method as 'GET', url, headers: auth, payload: c.body });
}

/** Everything B can read about itself: compared before and after A's attempts. */
async function snapshotOf(x: Tenant) {
  const read = async (url: string, headers: Record<string, string> = { cookie: x.cookie }) => {
    const res = await app.inject({ url, headers });
    expect(res.statusCode, `${url}: ${res.body}`).toBe(200);
    return res.json();
  };
  return {
    assistants: await read('/api/assistants'),
    call: await read(`/api/calls/${x.callId}`),
    callStatus: await read(`/api/calls/outbound/status?vapiCallId=${x.vapiCallId}`),
    prompt: await read('/api/prompt'),
    versions: await read('/api/prompt/versions'),
    kb: await read('/api/kb'),
    apiKeys: await read('/api/api-keys'),
    members: await read('/api/members'),
    embedTokens: await read('/api/embed-token'),
    webhookEndpoint: await read(`/api/webhook-endpoints/${x.webhookEndpointId}`),
    deliveries: await read(`/api/webhook-endpoints/${x.webhookEndpointId}/deliveries`),
    blockedNumbers: await read('/api/blocked-numbers'),
    organization: await read(`/api/admin/organizations/${x.organizationId}`, { 'x-admin-key': 'test-admin-key' }),
    remoteAssistant: await app.ctx.providers.vapi.getAssistant(x.vapiAssistantId),
  };
}

const before = await snapshotOf(b);

function expectNothingOfB(res: { statusCode: number; body: string }) {
  const body = JSON.parse(res.body) as { error?: unknown; code?: unknown };
  expect(typeof body.error === 'string' && typeof body.code === 'string', `error format: ${res.body}`).toBe(true);
  for (const marker of b.markers) expect(res.body).not.toContain(marker);
}

describe("isolation: A asks for B's objects", () => {
  it('finds the id-taking routes in the OpenAPI document', () => {
    expect(idRoutes.length).toBeGreaterThanOrEqual(15);
    const documented = new Set(idRoutes.map((op) => op.key));
    // A case for a route that is gone would silently test nothing.
    expect(Object.keys(CASES).filter((key) => !documented.has(key)), 'cases for routes no longer documented').toEqual([]);
  });

  for (const op of idRoutes) {
    const c = CASES[op.key];
    it(`${op.key} with B's ids → ${c?.status ?? 404}${c?.why ? ` (${c.why.split(':')[0]})` : ''}`, async () => {
      if (!c) throw new Error(`${op.key} takes an id but has no case in CASES (test/isolation.test.ts): add one so isolation is checked`);
      const res = await ask(op, c, c.ids(b), session(a));
      expect(res.statusCode, res.body).toBe(c.status ?? 404);
      expectNothingOfB(res);
      const viaKey = await ask(op, c, c.ids(b), apiKey(a));
      expect(viaKey.statusCode, `via A's API key: ${viaKey.body}`).toBe(c.viaApiKey ?? c.status ?? 404);
      expectNothingOfB(viaKey);
    });
  }

  it("asks to register B's VAPI assistant (an id in the body) → 409, B keeps it", async () => {
    const res = await app.inject({
      method: 'POST',
      url: '/api/assistants',
      headers: session(a),
      payload: { vapiAssistantId: b.vapiAssistantId, name: 'Taken over' },
    });
    expect(res.statusCode, res.body).toBe(409);
    expectNothingOfB(res);
  });

  it("left B's data exactly as it was", async () => {
    expect(await snapshotOf(b)).toEqual(before);
    // B's credentials still work.
    expect((await app.inject({ url: '/api/usage', headers: apiKey(b) })).statusCode).toBe(200);
  });

  // Controls: the same requests with A's own ids succeed. DELETEs last (assistant last of all), so no
  // control removes what another one needs.
  const order = (op: Operation) => (op.method !== 'DELETE' ? 0 : op.path.startsWith('/api/assistants') ? 2 : 1);
  for (const op of [...idRoutes].sort((x, y) => order(x) - order(y))) {
    const c = CASES[op.key];
    if (!c || c.noControl) continue;
    it(`control: ${op.key} with A's own ids → 2xx`, async () => {
      const res = await ask(op, c, c.ids(a), session(a));
      expect(res.statusCode, res.body).toBeGreaterThanOrEqual(200);
      expect(res.statusCode, res.body).toBeLessThan(300);
    });
  }
});
