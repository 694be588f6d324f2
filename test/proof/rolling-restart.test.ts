/**
 * Zero-drop deploys, on REAL server processes: two instances on one Postgres behind a
 * round-robin proxy that, like a load balancer, probes each instance's /api/ready and sends
 * nothing to one that answers 503 (or does not answer). Under a steady stream of VAPI
 * end-of-call reports and authenticated reads, each instance in turn gets SIGTERM (drains,
 * exits 0) and is started again: no request fails and every report is counted once.
 * Postgres only (TEST_DATABASE_URL).
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import http from 'node:http';
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { Fleet, SECRETS, createPostgresDatabase, freePort, login, post, scratchDir, type ServerProcess } from './proc.js';

const PG_URL = process.env.TEST_DATABASE_URL;
const DRAIN_MS = 1_500;
const PROBE_EVERY_MS = 100;
const fleet = new Fleet();

/**
 * A load balancer in a few lines: round-robin over the instances whose last readiness probe
 * answered 200; a connection refused (the instance is gone) goes to the next one. Keep-alive
 * connections to the instances, like a real one.
 */
function balancer(ports: number[]) {
  const agent = new http.Agent({ keepAlive: true });
  const up = ports.map(() => false);
  let next = 0;
  const probe = setInterval(() => {
    ports.forEach((port, i) => {
      const req = http.get({ host: '127.0.0.1', port, path: '/api/ready', agent, timeout: 1000 }, (res) => {
        up[i] = res.statusCode === 200;
        res.resume();
      });
      req.on('error', () => (up[i] = false));
      req.on('timeout', () => req.destroy());
    });
  }, PROBE_EVERY_MS);
  const pick = () => {
    for (let k = 0; k < ports.length; k++) {
      const i = next++ % ports.length;
      if (up[i]) return i;
    }
    return undefined;
  };
  const server = http.createServer(async (req, res) => {
    const body = Buffer.concat(await req.toArray());
    for (let attempt = 0; attempt < 20; attempt++) {
      const i = pick();
      if (i === undefined) {
        await sleep(50);
        continue;
      }
      const outcome = await new Promise<'done' | 'refused'>((resolve) => {
        const upstream = http.request({ host: '127.0.0.1', port: ports[i], method: req.method, path: req.url, headers: req.headers, agent }, (r) => {
          res.writeHead(r.statusCode!, r.headers);
          r.pipe(res);
          r.on('end', () => resolve('done'));
        });
        upstream.on('error', (err: NodeJS.ErrnoException) => {
          if (err.code === 'ECONNREFUSED') return resolve('refused');
          res.writeHead(502).end(String(err));
          resolve('done');
        });
        upstream.end(body);
      });
      if (outcome === 'done') return;
      up[i] = false;
    }
    res.writeHead(503).end('no instance ready');
  });
  return {
    up,
    listen: () => new Promise<string>((r) => server.listen(0, '127.0.0.1', () => r(`http://127.0.0.1:${(server.address() as { port: number }).port}`))),
    close: () => {
      clearInterval(probe);
      agent.destroy();
      return new Promise<void>((r) => server.close(() => r()));
    },
  };
}

describe.skipIf(!PG_URL)('rolling restart: two instances, SIGTERM each in turn (skipped without TEST_DATABASE_URL)', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let client: pg.Client;
  let lb: ReturnType<typeof balancer>;
  let lbUrl: string;
  const ports: number[] = [];
  const instances: ServerProcess[] = [];
  const data = scratchDir('ev-proof-rolling-');
  const env = () => ({ DATABASE_URL: database.url, SHUTDOWN_DRAIN_MS: String(DRAIN_MS), LOG_LEVEL: 'info' });
  const start = (i: number, generation: number) =>
    fleet.start(`instance-${'ab'[i]}${generation}`, { port: ports[i]!, dataDir: `${data.dir}/${i}`, env: env() });

  beforeAll(async () => {
    database = await createPostgresDatabase(PG_URL!, 'ev_proof_rolling');
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    ports.push(await freePort(), await freePort());
    instances.push(start(0, 1));
    await instances[0]!.ready(); // the first migrates, the second finds it done
    instances.push(start(1, 1));
    await instances[1]!.ready();
    lb = balancer(ports);
    lbUrl = await lb.listen();
  }, 180_000);
  afterAll(async () => {
    await lb?.close();
    await fleet.killAll();
    await client?.end();
    await database?.drop();
    data.cleanup();
  });

  it('no request fails and every report is counted once', { timeout: 240_000 }, async () => {
    onTestFailed(() => fleet.printLogs());
    const email = `rolling-${randomInt(1e9)}@example.com`;
    expect((await post(lbUrl, '/api/auth/register', { name: 'Roll', email, password: 'rollingpass123', organizationName: 'Rolling Dental' })).status).toBe(201);
    const cookie = await login(lbUrl, email, 'rollingpass123');
    const remote = (await (
      await post(lbUrl, '/sandbox/vapi/assistant', { name: 'Roll', model: { provider: 'openai', model: 'gpt-4o', messages: [] } }, { authorization: `Bearer ${SECRETS.VAPI_API_KEY}` })
    ).json()) as { id: string };
    expect((await post(lbUrl, '/api/assistants', { vapiAssistantId: remote.id, name: 'Roll' }, { cookie })).status).toBe(201);

    // The steady stream: four clients, each alternating a distinct 60 s report and a read.
    const failures: string[] = [];
    const accepted = new Set<string>();
    let reads = 0;
    let running = true;
    const prefix = `roll_${process.pid}_`;
    let n = 0;
    const startedAt = new Date(Date.now() - 3_600_000).toISOString();
    const endedAt = new Date(Date.now() - 3_540_000).toISOString();
    const client_ = async () => {
      while (running) {
        const id = `${prefix}${n++}`;
        const report = {
          message: { type: 'end-of-call-report', startedAt, endedAt, endedReason: 'customer-ended-call', call: { id, type: 'inboundPhoneCall', status: 'ended', assistantId: remote.id }, artifact: { transcript: 'AI: Hello\nUser: Hi' } },
        };
        try {
          const res = await post(lbUrl, '/api/webhooks/vapi', report, { 'x-vapi-secret': SECRETS.VAPI_WEBHOOK_SECRET });
          await res.arrayBuffer();
          if (res.status === 200) accepted.add(id);
          else failures.push(`report ${id}: ${res.status}`);
          const read = await fetch(`${lbUrl}/api/usage`, { headers: { cookie } });
          await read.arrayBuffer();
          if (read.status === 200) reads++;
          else failures.push(`read: ${read.status}`);
        } catch (err) {
          failures.push(`${id}: ${String(err)}`);
        }
      }
    };
    const load = Promise.all([client_(), client_(), client_(), client_()]);

    const restarts: string[] = [];
    await sleep(1_000);
    for (const i of [0, 1]) {
      const old = instances[i]!;
      const sentAt = Date.now();
      old.child.kill('SIGTERM');
      // Out of rotation within a couple of probes, long before the drain ends.
      while (lb.up[i]) await sleep(10);
      const outOfRotationMs = Date.now() - sentAt;
      const exit = await old.exited;
      expect(exit).toEqual({ code: 0, signal: null });
      const exitedMs = Date.now() - sentAt;
      instances[i] = start(i, 2);
      await instances[i]!.ready();
      while (!lb.up[i]) await sleep(10);
      restarts.push(`${old.name}: out of rotation after ${outOfRotationMs} ms, exited 0 after ${exitedMs} ms (drain ${DRAIN_MS} ms), back after ${Date.now() - sentAt} ms`);
    }
    await sleep(1_000);
    running = false;
    await load;

    const [stored] = (await client.query<{ n: number; distinct_ids: number }>(`select count(*)::int as n, count(distinct vapi_call_id)::int as distinct_ids from calls where vapi_call_id like $1`, [`${prefix}%`])).rows;
    const usage = (await (await fetch(`${lbUrl}/api/usage`, { headers: { cookie } })).json()) as { snapshot: { minutesUsed: number } };
    console.log(
      `[rolling-restart] ${accepted.size} reports and ${reads} reads through the balancer, ${failures.length} failed\n  ${restarts.join('\n  ')}\n` +
        `  stored ${stored!.n} calls (${stored!.distinct_ids} distinct), minutes used ${usage.snapshot.minutesUsed}`,
    );
    expect(failures).toEqual([]);
    expect(accepted.size).toBeGreaterThan(50);
    expect(stored).toEqual({ n: accepted.size, distinct_ids: accepted.size });
    expect(usage.snapshot.minutesUsed).toBe(accepted.size);
  });
});
