import { afterAll, describe, expect, it } from 'vitest';
import { buildApp } from '../src/app.js';
import { freshDatabase, parsedLogs, testConfig } from './helpers/app.js';

// GET /api/health is answered before Fastify routes it while the database check is fresh
// (modules/health/early-health.ts); a hook added before listening counts what Fastify routed.
const logs = parsedLogs();
const database = await freshDatabase();
const app = await buildApp(testConfig({ METRICS_TOKEN: 'early-health-metrics', LOG_LEVEL: 'info' }), { database, logStream: logs.stream });
const routed: string[] = [];
app.addHook('onRequest', async (request) => void routed.push(`${request.method} ${request.url}`));
const baseUrl = await app.listen({ host: '127.0.0.1', port: 0 });
afterAll(async () => {
  await app.close();
  await database.close();
});

const health = (init: RequestInit & { path?: string } = {}) => fetch(`${baseUrl}${init.path ?? '/api/health'}`, init);
const headerNames = (res: Response) => [...res.headers.keys()].sort();
const lineOf = async (id: string) => {
  await new Promise((r) => setImmediate(r)); // the turn's access lines are written at its end
  return logs.lines.find((l) => l.reqId === id);
};

describe('GET /api/health answered early', () => {
  it('the first probe goes through the route (it checks the database); the next ones are answered alike without it', async () => {
    const viaRoute = await health({ headers: { 'x-request-id': 'probe-1' } });
    expect(routed).toEqual(['GET /api/health']);
    const early = await health({ headers: { 'x-request-id': 'probe-2' } });
    const unnamed = await health();
    expect(routed).toEqual(['GET /api/health']);

    for (const res of [viaRoute, early, unnamed]) {
      expect(res.status).toBe(200);
      expect(headerNames(res)).toEqual(headerNames(viaRoute));
      expect(res.headers.get('content-type')).toBe(viaRoute.headers.get('content-type'));
      expect(await res.text()).toBe('{"status":"ok"}');
    }
    expect(early.headers.get('x-request-id')).toBe('probe-2');
    expect(unnamed.headers.get('x-request-id')).toMatch(/^[\w-]{16}$/);
    // The same access line as the route writes, field for field.
    const [routeLine, earlyLine] = [await lineOf('probe-1'), await lineOf('probe-2')];
    expect(Object.keys(earlyLine!)).toEqual(Object.keys(routeLine!));
    expect(earlyLine).toMatchObject({ level: 30, method: 'GET', url: '/api/health', statusCode: 200, ip: '127.0.0.1', msg: 'request completed', ms: expect.any(Number) });
    expect(await lineOf(unnamed.headers.get('x-request-id')!)).toMatchObject({ url: '/api/health', statusCode: 200 });
  });

  it('counts early answers in the metrics as the route would', async () => {
    const before = await requestsCounted();
    await health();
    await health();
    expect(await requestsCounted()).toBe(before + 2);
  });

  it('leaves HEAD, a query string and other paths to the router', async () => {
    routed.length = 0;
    expect((await health({ method: 'HEAD' })).status).toBe(200);
    expect((await health({ path: '/api/health?verbose=1' })).status).toBe(200);
    expect((await health({ path: '/api/healthz' })).status).toBe(404);
    expect(routed).toEqual(['HEAD /api/health', 'GET /api/health?verbose=1', 'GET /api/healthz']);
  });

  it('while shutting down, leaves the probe to the route, which closes the connection', async () => {
    routed.length = 0;
    app.ctx.lifecycle.closing = true;
    try {
      const res = await health();
      expect(res.status).toBe(200);
      expect(res.headers.get('connection')).toBe('close');
      expect(routed).toEqual(['GET /api/health']);
    } finally {
      app.ctx.lifecycle.closing = false;
    }
  });

  it('once the database answer is over a second old, the route checks it again', async () => {
    await health();
    routed.length = 0;
    await new Promise((r) => setTimeout(r, 1_100));
    await health();
    await health();
    expect(routed).toEqual(['GET /api/health']);
  });
});

describe('the database check behind /api/health', () => {
  it('runs once for probes that arrive together while it is stale; they wait for its answer', async () => {
    await new Promise((r) => setTimeout(r, 1_100));
    const db = app.ctx.db as unknown as { execute: (...args: unknown[]) => Promise<unknown> };
    const execute = db.execute;
    let checks = 0;
    db.execute = (...args) => {
      checks++;
      return execute.apply(db, args);
    };
    try {
      // Through the router (inject), so all 20 reach the route in the same turn, as under load.
      const answers = await Promise.all(Array.from({ length: 20 }, () => app.inject({ url: '/api/health' })));
      expect(answers.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
      expect(checks).toBe(1);
    } finally {
      db.execute = execute;
    }
  });
});

describe('/api/health without a database', () => {
  it('answers 500 "Database unavailable" to every probe waiting on the failed check, and logs it once', async () => {
    const lost = parsedLogs();
    const gone = await freshDatabase();
    const broken = await buildApp(testConfig({ LOG_LEVEL: 'info' }), { database: gone, logStream: lost.stream });
    await gone.close();
    try {
      const answers = await Promise.all(Array.from({ length: 5 }, () => broken.inject({ url: '/api/health' })));
      expect(answers.map((r) => [r.statusCode, r.json().error])).toEqual(Array(5).fill([500, 'Database unavailable']));
      expect(lost.lines.filter((l) => l.msg === 'health check: database unreachable')).toHaveLength(1);
    } finally {
      await broken.close();
    }
  });
});

async function requestsCounted() {
  const text = await (await fetch(`${baseUrl}/metrics`, { headers: { authorization: 'Bearer early-health-metrics' } })).text();
  return Number(/^http_requests_total\{route="\/api\/health",method="GET",status_class="2xx"\} (\d+)$/m.exec(text)?.[1] ?? 0);
}
