/**
 * Scale-out, on REAL server processes: two instances on one Postgres (and one Redis when
 * TEST_REDIS_URL is set) behind a round-robin proxy. Both start at once on an empty database
 * (migrations under the advisory lock), a session made through one is valid on the other,
 * the auth rate limit is one limit across both, and scheduled jobs run once per tick.
 * Postgres only (TEST_DATABASE_URL): PGlite is one process by design.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFailed } from 'vitest';
import http from 'node:http';
import { readFileSync } from 'node:fs';
import { randomInt } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { MIGRATIONS_FOLDER } from '../../src/db/client.js';
import { Fleet, createPostgresDatabase, freePort, login, post, scratchDir, type ServerProcess } from './proc.js';

const PG_URL = process.env.TEST_DATABASE_URL;
const REDIS_URL = process.env.TEST_REDIS_URL;
const RATE_LIMIT = 5;
const fleet = new Fleet();
afterAll(() => fleet.killAll());

/**
 * A load balancer in a few lines: each request goes to the next instance in turn. It connects
 * from `sourceIp` (any 127/8 address), so the instances see one client IP of this run only.
 */
function roundRobin(ports: number[], sourceIp: string) {
  let next = 0;
  const hits = ports.map(() => 0);
  const server = http.createServer((req, res) => {
    const i = next++ % ports.length;
    hits[i]!++;
    const upstream = http.request(
      { host: '127.0.0.1', port: ports[i], method: req.method, path: req.url, headers: req.headers, localAddress: sourceIp },
      (up) => {
        res.writeHead(up.statusCode!, up.headers);
        up.pipe(res);
      },
    );
    upstream.on('error', (err) => {
      res.statusCode = 502;
      res.end(String(err));
    });
    req.pipe(upstream);
  });
  return {
    hits,
    listen: () => new Promise<string>((res) => server.listen(0, '127.0.0.1', () => res(`http://127.0.0.1:${(server.address() as { port: number }).port}`))),
    close: () => new Promise<void>((res) => server.close(() => res())),
  };
}

describe.skipIf(!PG_URL)('scale-out: two instances on one Postgres (skipped without TEST_DATABASE_URL)', () => {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let client: pg.Client;
  let a: ServerProcess;
  let b: ServerProcess;
  let proxy: ReturnType<typeof roundRobin>;
  let proxyUrl: string;
  const startup: Record<string, number> = {};
  let bothUpAt = 0;
  const data = scratchDir('ev-proof-scale-');

  beforeAll(async () => {
    database = await createPostgresDatabase(PG_URL!, 'ev_proof_scale');
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const env = {
      DATABASE_URL: database.url,
      SCHEDULER: '1',
      SCHEDULER_TEST_EVERY_SECOND: '1',
      AUTH_RATE_LIMIT_PER_MIN: String(RATE_LIMIT),
      LOG_LEVEL: 'info',
      ...(REDIS_URL ? { REDIS_URL } : {}),
    };
    // Both at once, on an empty database: each migrates at start.
    const [portA, portB] = [await freePort(), await freePort()];
    a = fleet.start('instance-a', { port: portA, dataDir: `${data.dir}/a`, env });
    b = fleet.start('instance-b', { port: portB, dataDir: `${data.dir}/b`, env });
    [startup.a, startup.b] = await Promise.all([a.ready(), b.ready()]);
    bothUpAt = Date.now();
    proxy = roundRobin([portA, portB], `127.${randomInt(1, 255)}.${randomInt(0, 256)}.${randomInt(1, 255)}`);
    proxyUrl = await proxy.listen();
  }, 120_000);
  afterAll(async () => {
    await proxy?.close();
    await fleet.killAll();
    await client?.end();
    await database?.drop();
    data.cleanup();
  });

  it('both instances come up on one empty database: every migration applied once, under the lock', async () => {
    onTestFailed(() => fleet.printLogs());
    const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
    const { rows } = await client.query<{ n: number; distinct_hashes: number }>(
      'select count(*)::int as n, count(distinct hash)::int as distinct_hashes from drizzle.__drizzle_migrations',
    );
    expect(rows[0]).toEqual({ n: journal.entries.length, distinct_hashes: journal.entries.length });
    for (const s of [a, b]) expect((await fetch(`${s.url}/api/health`)).status).toBe(200);
    console.log(`[scale-out] both instances ready on an empty database (${startup.a} ms and ${startup.b} ms), ${journal.entries.length} migrations applied once`);
  });

  it('a session made through the balancer is valid on both instances, and a sign-out on one ends it on the other', async () => {
    onTestFailed(() => fleet.printLogs());
    const email = `scale-${randomInt(1e9)}@example.com`;
    const password = 'scalepass123';
    const reg = await post(proxyUrl, '/api/auth/register', { name: 'Scale', email, password, organizationName: 'Scale Dental' });
    expect(reg.status).toBe(201);
    // csrf from one instance, credentials checked by the other (the proxy alternates).
    const cookie = await login(proxyUrl, email, password);
    for (const s of [a, b]) {
      const session = (await (await fetch(`${s.url}/api/auth/session`, { headers: { cookie } })).json()) as { user?: { email: string } };
      expect(session.user?.email).toBe(email);
      expect((await fetch(`${s.url}/api/usage`, { headers: { cookie } })).status).toBe(200);
    }
    expect((await post(a.url, '/api/auth/signout', {}, { cookie })).status).toBe(200);
    expect(await (await fetch(`${b.url}/api/auth/session`, { headers: { cookie } })).json()).toEqual({});
    expect((await fetch(`${b.url}/api/usage`, { headers: { cookie } })).status).toBe(401);
  });

  it.skipIf(!REDIS_URL)('the auth rate limit is shared through Redis: the 6th forgot-password through the balancer is 429', async () => {
    onTestFailed(() => fleet.printLogs());
    const before = [...proxy.hits];
    const codes: number[] = [];
    for (let i = 0; i < RATE_LIMIT + 1; i++) {
      const res = await post(proxyUrl, '/api/auth/forgot-password', { email: `nobody-${i}-${randomInt(1e9)}@example.com` });
      await res.arrayBuffer();
      codes.push(res.status);
    }
    const perInstance = proxy.hits.map((h, i) => h - before[i]!);
    expect(perInstance).toEqual([3, 3]);
    expect(codes).toEqual([200, 200, 200, 200, 200, 429]);
    console.log(`[scale-out] ${RATE_LIMIT + 1} forgot-password requests, ${perInstance.join(' + ')} per instance, limit ${RATE_LIMIT}/min: ${codes.join(' ')}`);
  });

  it('jobs ticking every second on both instances run once per tick', { timeout: 60_000 }, async () => {
    onTestFailed(() => fleet.printLogs());
    // Let both schedulers run side by side for at least 4 s and until every job has finished a
    // tick while both ran (a slow first run, such as sync-calls loading the VAPI SDK on a
    // loaded machine, skips the ticks it overlaps), then stop both (graceful).
    await sleep(Math.max(0, bothUpAt + 4_500 - Date.now()));
    for (let waited = 0; waited < 20_000; waited += 500) {
      const { rows } = await client.query<{ behind: number }>(
        `select count(*)::int as behind from (select distinct job from job_runs) j
         where not exists (select 1 from job_runs r where r.job = j.job and r.trigger = 'schedule'
                           and r.scheduled_for >= $1::timestamptz and r.finished_at is not null)`,
        [new Date(bothUpAt)],
      );
      if (rows[0]!.behind === 0) break;
      await sleep(500);
    }
    const stoppedAt = Date.now();
    // Graceful and bounded: running jobs finish and release their locks, the pools close, exit 0.
    expect(await Promise.all([a.kill('SIGTERM'), b.kill('SIGTERM')])).toEqual([
      { code: 0, signal: null },
      { code: 0, signal: null },
    ]);

    const { rows } = await client.query<{ job: string; ticks: number; distinct_ticks: number; finished: number; failed: number; during_both: number }>(
      `select job, count(*)::int as ticks, count(distinct scheduled_for)::int as distinct_ticks,
              count(*) filter (where finished_at is not null and error is null)::int as finished,
              count(*) filter (where error is not null and scheduled_for < $2::timestamptz)::int as failed,
              count(*) filter (where scheduled_for >= $1::timestamptz)::int as during_both
       from job_runs where trigger = 'schedule' group by job order by job`,
      [new Date(bothUpAt), new Date(stoppedAt - 1000)],
    );
    // Each process logs every run it executed: summed over both, one execution per tick.
    const executed = new Map<string, { a: number; b: number }>();
    for (const [name, s] of [['a', a], ['b', b]] as const) {
      for (const entry of s.logEntries() as Array<{ msg?: string; job?: string; trigger?: string }>) {
        if (entry.msg !== 'job finished' || entry.trigger !== 'schedule' || !entry.job) continue;
        const e = executed.get(entry.job) ?? { a: 0, b: 0 };
        e[name]++;
        executed.set(entry.job, e);
      }
    }
    console.log(
      `[scale-out] scheduler every second on both instances, ~${((Date.now() - bothUpAt) / 1000).toFixed(1)} s side by side:\n` +
        rows
          .map((r) => {
            const e = executed.get(r.job) ?? { a: 0, b: 0 };
            return `  ${r.job}: ${r.ticks} ticks (${r.during_both} while both ran), ${r.finished} finished, executed ${e.a} by A + ${e.b} by B`;
          })
          .join('\n'),
    );
    expect(rows.length).toBeGreaterThan(0);
    expect(Math.max(...rows.map((r) => r.during_both))).toBeGreaterThanOrEqual(3);
    for (const r of rows) {
      expect(r.distinct_ticks).toBe(r.ticks);
      expect(r.failed).toBe(0); // (a run cut by the shutdown may fail: only ticks before it count)
      // A tick that finds the job's previous run still going is skipped (single flight), so a
      // slow job ticks less often; every job ticked while both instances ran.
      expect(r.during_both).toBeGreaterThanOrEqual(1);
      const e = executed.get(r.job) ?? { a: 0, b: 0 };
      // Every finished tick was executed by exactly one of the two processes.
      expect(e.a + e.b).toBe(r.finished);
    }
  });
});
