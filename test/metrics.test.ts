/**
 * Operations surface: GET /metrics (Prometheus text, bearer METRICS_TOKEN) after a simulated
 * call shows the call's webhook, its provider calls and the job runs; /api/ready is 200 until
 * the process drains. Runs on PGlite and, with TEST_DATABASE_URL, on Postgres (pool gauges).
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildListeningApp, buildTestApp } from './helpers/app.js';
import { ownerWithAssistant } from './helpers/factories.js';
import { endOfCallReport, postVapi } from './helpers/vapi.js';
import { freePort } from './proof/proc.js';

const TOKEN = 'metrics-test-token';
let t: Awaited<ReturnType<typeof buildListeningApp>>;
beforeAll(async () => {
  t = await buildListeningApp({ env: { METRICS_TOKEN: TOKEN } });
});
afterAll(() => t.close());

const scrape = async (authorization = `Bearer ${TOKEN}`) => t.app.inject({ method: 'GET', url: '/metrics', headers: { authorization } });
/** The value of one series, by its exact label set (0 when absent). */
function value(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('GET /metrics', () => {
  it('refuses a missing or wrong token', async () => {
    expect((await t.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(401);
    expect((await scrape('Bearer nope')).statusCode).toBe(401);
  });

  it('after a simulated call: its webhook, its provider calls and the job runs, labelled by pattern only', async () => {
    const { owner, vapiAssistantId } = await ownerWithAssistant(t.app);
    const played = await t.app.inject({ method: 'POST', url: '/api/sandbox/simulate-call', headers: { cookie: owner.cookie } });
    expect(played.statusCode).toBe(200);
    const { vapiCallId, callId } = played.json();
    // The same report again (VAPI retries): counted as a duplicate, not applied twice.
    const report = endOfCallReport({ callId: vapiCallId, assistantId: vapiAssistantId });
    expect((await postVapi(t.app, report)).statusCode).toBe(200);
    expect((await postVapi(t.app, report, 'wrong-secret')).statusCode).toBe(401);
    const job = await t.app.inject({ method: 'GET', url: '/api/cron/sync-calls', headers: { authorization: 'Bearer test-cron-secret' } });
    expect(job.statusCode).toBe(200);

    const res = await scrape();
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(value(text, 'webhooks_received_total{provider="vapi",outcome="applied"}')).toBeGreaterThanOrEqual(1);
    expect(value(text, 'webhooks_received_total{provider="vapi",outcome="duplicate"}')).toBe(1);
    expect(value(text, 'webhooks_received_total{provider="vapi",outcome="refused"}')).toBe(1);
    // The call was placed through the VAPI emulator by the real SDK; the job listed calls through it.
    expect(text).toMatch(/provider_calls_total\{service="vapi",operation="\w+",outcome="ok"\} [1-9]/);
    expect(text).toMatch(/provider_call_duration_seconds_count\{service="vapi",operation="\w+",outcome="ok"\} [1-9]/);
    expect(value(text, 'job_runs_total{job="sync-calls",outcome="ok"}')).toBe(1);
    expect(value(text, 'job_run_duration_seconds_count{job="sync-calls"}')).toBe(1);
    expect(value(text, 'http_requests_total{route="/api/webhooks/vapi",method="POST",status_class="2xx"}')).toBeGreaterThanOrEqual(2);
    expect(value(text, 'http_request_duration_seconds_count{route="/api/sandbox/simulate-call",method="POST",status_class="2xx"}')).toBe(1);
    expect(text).toContain('webhook_delivery_queue_depth 0');
    expect(text).toContain('webhook_delivery_queue_oldest_seconds 0');
    expect(text).toContain('# TYPE notifications_total counter');
    if (t.database.kind === 'postgres') expect(text).toMatch(/db_pool_connections\{pool="queries",state="idle"\} \d+/);
    // Bounded labels: ids never become a label value.
    for (const id of [vapiCallId, callId, owner.organizationId]) expect(text).not.toContain(id);
  });

  it('is in the OpenAPI document beside /api/health and /api/ready, with its bearer scheme', async () => {
    const doc = (await t.app.inject({ method: 'GET', url: '/api/openapi.json' })).json();
    expect(doc.paths['/metrics'].get.security).toEqual([{ metrics: [] }]);
    expect(doc.components.securitySchemes.metrics).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(Object.keys(doc.paths['/api/ready'].get.responses)).toEqual(['200', '503']);
    for (const path of ['/metrics', '/api/ready', '/api/health']) expect(doc.paths[path].get.tags).toEqual(['Health']);
  });

  it('a request to an unknown path is counted under one label, not its URL', async () => {
    await t.app.inject({ method: 'GET', url: '/api/no-such-thing/12345' });
    const text = (await scrape()).body;
    expect(value(text, 'http_requests_total{route="unmatched",method="GET",status_class="4xx"}')).toBeGreaterThanOrEqual(1);
    expect(text).not.toContain('no-such-thing');
  });
});

describe('GET /api/ready', () => {
  it('is 200 with every check passed, and 503 naming "draining" once the process drains', async () => {
    const ready = await t.app.inject({ method: 'GET', url: '/api/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready', checks: { database: true, migrations: true, draining: true }, failed: [] });
    t.app.ctx.lifecycle.draining = true;
    try {
      const draining = await t.app.inject({ method: 'GET', url: '/api/ready' });
      expect(draining.statusCode).toBe(503);
      expect(draining.json()).toEqual({ status: 'unavailable', checks: { database: true, migrations: true, draining: false }, failed: ['draining'] });
      // Liveness and every other route still answer while draining.
      expect((await t.app.inject({ method: 'GET', url: '/api/health' })).statusCode).toBe(200);
    } finally {
      t.app.ctx.lifecycle.draining = false;
    }
  });

  it('is 503 naming "migrations" on a database that was never migrated', async () => {
    await t.database.db.execute(sql.raw(`alter table drizzle.__drizzle_migrations rename to __drizzle_migrations_away`));
    try {
      const res = await t.app.inject({ method: 'GET', url: '/api/ready' });
      expect(res.statusCode).toBe(503);
      expect(res.json().failed).toEqual(['migrations']);
    } finally {
      await t.database.db.execute(sql.raw(`alter table drizzle.__drizzle_migrations_away rename to __drizzle_migrations`));
    }
  });
});

describe('METRICS_PORT', () => {
  it('serves /metrics without auth on 127.0.0.1:<port> only, and nothing on the main port', async () => {
    const port = await freePort();
    const local = await buildTestApp({ env: { METRICS_PORT: String(port) } });
    try {
      await local.app.inject({ method: 'GET', url: '/api/health' });
      const res = await fetch(`http://127.0.0.1:${port}/metrics`);
      expect(res.status).toBe(200);
      const text = await res.text();
      expect(text).toContain('http_requests_total{route="/api/health",method="GET",status_class="2xx"} 1');
      expect(text).toContain('nodejs_eventloop_lag_seconds');
      expect((await fetch(`http://127.0.0.1:${port}/other`)).status).toBe(404);
      expect((await local.app.inject({ method: 'GET', url: '/metrics' })).statusCode).toBe(404);
    } finally {
      await local.close();
    }
    await expect(fetch(`http://127.0.0.1:${port}/metrics`)).rejects.toThrow(); // closed with the app
  });
});

describe('metrics off', () => {
  it('without METRICS_TOKEN or METRICS_PORT there is no /metrics route', async () => {
    const off = await buildTestApp();
    try {
      expect((await off.app.inject({ method: 'GET', url: '/metrics', headers: { authorization: `Bearer ${TOKEN}` } })).statusCode).toBe(404);
      // Nor are the process series collected (their GC observer and event-loop histogram would run all the time).
      expect(await off.app.ctx.metrics.registry.getSingleMetric('nodejs_gc_duration_seconds')).toBeUndefined();
      expect(await off.app.ctx.metrics.registry.getSingleMetric('nodejs_eventloop_lag_seconds')).toBeUndefined();
    } finally {
      await off.close();
    }
  });
});
