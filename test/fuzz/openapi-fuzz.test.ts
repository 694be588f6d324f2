import fc from 'fast-check';
import { afterAll, describe, it } from 'vitest';
import { buildListeningApp } from '../helpers/app.js';
import { login } from '../helpers/factories.js';
import { operationsOf, responseChecker, type OpenApiDocument, type Operation } from './openapi.js';
import { describeRequest, isIdSlot, requestArb, type FuzzContext, type FuzzRequest, type Mode } from './requests.js';
import { knownBug } from './known-bugs.js';
import { seedTenant } from './tenants.js';

/**
 * Every operation of the operator OpenAPI document, fuzzed with fast-check: schema-valid, spoiled and hostile
 * bodies, queries and path params; anonymous (or forged), as tenant A, and as A aiming at B's ids.
 * Invariants: never a 5xx; a 2xx matches its documented schema; a 4xx is `{ error, code }`;
 * A never gets a 2xx on B's ids and never sees B's data.
 *
 * FUZZ_RUNS requests per operation (default keeps the file under a minute); FUZZ_SEED replays.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 16);
const SEED = Number(process.env.FUZZ_SEED ?? 20_260_611);

// Rate limits would turn most requests into 429s: the limiter has its own tests.
// Loopback fetches allowed: the tenants' webhook endpoints point at 127.0.0.1.
const t = await buildListeningApp({ allowLoopbackFetch: true, env: { AUTH_RATE_LIMIT_PER_MIN: '10000000', API_KEY_RATE_LIMIT_PER_MIN: '10000000' } });
const { app } = t;
afterAll(() => t.close());

// The operator document: the public one plus the admin and cron operations.
const doc = (await app.inject({ method: 'GET', url: '/api/openapi.operator.json', headers: { 'x-admin-key': t.config.adminApiKey } })).json() as OpenApiDocument;
// The sandbox emulators stand in for other companies' APIs; /docs is the reference UI.
const operations = operationsOf(doc).filter((op) => !op.path.startsWith('/sandbox/') && !op.path.startsWith('/docs'));
const a = await seedTenant(app, 'alpha');
const b = await seedTenant(app, 'bravo');
const check2xx = responseChecker();

let cookie = a.cookie;
const ctx: FuzzContext = {
  a,
  b,
  baseUrl: t.baseUrl,
  sessionCookieName: app.sessionCookie.name,
  twilioAuthToken: t.config.twilio.authToken!,
  stripeWebhookSecret: t.config.stripe.webhookSecret!,
  cookie: () => cookie,
};

/** A fuzzed sign-out ends A's session: sign in again so later requests stay authenticated. */
async function keepSession() {
  const res = await app.inject({ method: 'GET', url: '/api/auth/session', headers: { cookie } });
  if (!res.json().user) cookie = await login(app, a.email, a.password);
}

let sent = 0;
/** Answers by status class, so the summary shows how deep the requests got. */
const byClass: Record<string, number> = {};
/** Known src/ bugs hit (see known-bugs.ts): reported, not failed. */
const knownHits = new Map<string, number>();
/** FUZZ_COLLECT=1: note every distinct violation and go on (a survey), instead of stopping at the first. */
const COLLECT = process.env.FUZZ_COLLECT === '1';
const collected = new Map<string, string>();

/** Why this answer breaks an invariant, or undefined. */
function violation(op: Operation, r: FuzzRequest, res: { statusCode: number; headers: Record<string, unknown>; body: string }): string | undefined {
  const { statusCode: status, body } = res;
  if (status >= 500) return `server error ${status}: ${body.slice(0, 500)}`;
  if (status >= 400) {
    let json: { error?: unknown; code?: unknown };
    try {
      json = JSON.parse(body);
    } catch {
      return `${status} without a JSON error body: ${body.slice(0, 300)}`;
    }
    if (typeof json?.error !== 'string' || typeof json?.code !== 'string') return `${status} body is not { error, code }: ${body.slice(0, 300)}`;
    if (/\n\s+at |node_modules|\/src\//.test(json.error)) return `${status} error leaks internals: ${json.error.slice(0, 300)}`;
  }
  if (status >= 200 && status < 300) {
    const problems = check2xx(op, status, res.headers['content-type'] as string | undefined, body);
    if (problems.length) return `${status} does not match the documented response: ${problems.slice(0, 5).join('; ')}\n  body: ${body.slice(0, 500)}`;
    if (r.mode === 'wrong-tenant') return `${status} for another organization's id: ${body.slice(0, 300)}`;
  }
  if (!r.privileged) {
    const leaked = b.markers.find((m) => body.includes(m));
    if (leaked) return `answer contains tenant B's data (${leaked}): ${body.slice(0, 300)}`;
  }
  return undefined;
}

async function send(op: Operation, make: () => FuzzRequest) {
  const r = make();
  sent++;
  const res = await app.inject({ method: r.method as 'GET', url: r.url, headers: r.headers, payload: r.body });
  const statusClass = `${Math.floor(res.statusCode / 100)}xx`;
  byClass[statusClass] = (byClass[statusClass] ?? 0) + 1;
  const problem = violation(op, r, res);
  if (r.mode !== 'anon' && (res.statusCode === 401 || res.headers['set-cookie'])) await keepSession();
  if (!problem) return;
  const known = knownBug(op, r, res.statusCode);
  if (known) {
    knownHits.set(`${known.id} ${op.key}`, (knownHits.get(`${known.id} ${op.key}`) ?? 0) + 1);
    return;
  }
  const message = `${problem}\n${describeRequest(r)}`;
  if (!COLLECT) throw new Error(message);
  const kind = `${op.key} ${r.mode} ${problem.split('\n')[0]!.slice(0, 60)}`;
  if (!collected.has(kind)) collected.set(kind, message);
}

/** How FUZZ_RUNS splits between the modes an operation has. */
function plan(op: Operation): Array<[Mode, number]> {
  const slots = op.parameters.some(isIdSlot);
  const quarter = Math.max(1, Math.round(RUNS / 4));
  return slots ? [['anon', quarter], ['wrong-tenant', quarter], ['tenant', Math.max(1, RUNS - 2 * quarter)]] : [['anon', quarter], ['tenant', Math.max(1, RUNS - quarter)]];
}

/** A seed per operation, stable when operations are added or reordered. */
const seedOf = (key: string) => [...key].reduce((h, c) => (Math.imul(h, 31) + c.charCodeAt(0)) | 0, SEED);

describe('OpenAPI fuzz', () => {
  it('covers the documented API', () => {
    if (operations.length < 50) throw new Error(`only ${operations.length} operations in the operator OpenAPI document`);
  });

  for (const op of operations) {
    it(op.key, { timeout: Math.max(30_000, RUNS * 300) }, async () => {
      for (const [mode, numRuns] of plan(op)) {
        await fc.assert(
          fc.asyncProperty(requestArb(op, mode, ctx), (make) => send(op, make)),
          {
            numRuns,
            seed: seedOf(`${op.key} ${mode}`),
            // The error above already names the request; fast-check's own dump of it would be megabytes.
            reporter: (out) => {
              if (out.failed) throw new Error(`${op.key} [${mode}] seed ${out.seed} path ${out.counterexamplePath}\n${(out.errorInstance as Error)?.message}`);
            },
          },
        );
      }
    });
  }

  if (COLLECT) {
    it('survey: no violations', () => {
      for (const [kind, message] of collected) console.log(`VIOLATION ${kind}\n${message}\n`);
      if (collected.size) throw new Error(`${collected.size} distinct violations (printed above)`);
    });
  }

  afterAll(() => {
    for (const [what, n] of knownHits) console.log(`fuzz: KNOWN BUG (see test/fuzz/known-bugs.ts) ${what}: ${n}×`);
    const classes = Object.entries(byClass).sort().map(([k, n]) => `${k} ${n}`).join(', ');
    console.log(`fuzz: ${sent} requests over ${operations.length} operations, seed ${SEED}, ${RUNS} runs per operation (${classes})`);
  });
});
