/**
 * `npm run bench`: the performance table of the README, every ratio measured in this run.
 * Needs a build (npm run bench does it) and a Postgres at BENCH_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/postgres; databases ev_bench and ev_bench_peer are recreated).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir, cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import autocannon from 'autocannon';
import { compare, databaseUrl, load, loadPosts, ratio, ratioCell, recreateDatabase, signUp as signUpWith, startServer, stop, type LoadResult } from './lib.js';
import { reportTemplates } from './vapi-reports.js';

/** Load on a pair alternates in ROUNDS rounds of SECONDS each (see compare in lib.ts); the rest run SECONDS once. */
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const INGEST_SECONDS = 5;
const BENCH_DB = 'ev_bench';
const BENCH_URL = databaseUrl(BENCH_DB);
const PEER_DB = 'ev_bench_peer';
const PEER_URL = databaseUrl(PEER_DB);
const env = {
  LOG_LEVEL: 'warn',
  SCHEDULER: '0',
  SHUTDOWN_DRAIN_MS: '0',
  AUTH_RATE_LIMIT_PER_MIN: '100000',
  VAPI_API_KEY: 'bench-vapi-key',
  VAPI_WEBHOOK_SECRET: 'bench-vapi-secret',
  CRON_SECRET: 'bench-cron-secret',
};
/** As run in production: one request line per request (written to a discarded stdout). */
const logged = { ...env, LOG_LEVEL: 'info' };
const rows: string[][] = [];
const line = (...cells: Array<string | number>) => rows.push(cells.map(String));
const fmt = (r: LoadResult) => [`${r.rps}`, `${r.p50}`, `${r.p99}`];
const signUp = (base: string) => signUpWith(base, env.VAPI_API_KEY);

async function healthAndReads() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ev-bench-'));
  const bare = await startServer(['bench/peers.mjs'], { PORT: '4701', PEER: 'bare' }, 'http://127.0.0.1:4701/api/health');
  const ours = await startServer(['dist/main.js'], { ...logged, PORT: '4702', DATA_DIR: dataDir }, 'http://127.0.0.1:4702/api/health');
  const health = await compare({ url: 'http://127.0.0.1:4701/api/health' }, { url: 'http://127.0.0.1:4702/api/health' }, { rounds: ROUNDS, seconds: SECONDS });
  // The same server with metrics on (every request counted by route pattern and timed).
  const metricsDir = mkdtempSync(join(tmpdir(), 'ev-bench-'));
  const withMetrics = await startServer(['dist/main.js'], { ...logged, PORT: '4709', DATA_DIR: metricsDir, METRICS_TOKEN: 'bench-metrics-token' }, 'http://127.0.0.1:4709/api/health');
  const metrics = await compare({ url: 'http://127.0.0.1:4702/api/health' }, { url: 'http://127.0.0.1:4709/api/health' }, { rounds: ROUNDS, seconds: SECONDS });
  await stop(withMetrics);
  rmSync(metricsDir, { recursive: true, force: true });
  const fastify = await startServer(['bench/peers.mjs'], { PORT: '4700', PEER: 'fastify' }, 'http://127.0.0.1:4700/api/health');
  const framework = await compare({ url: 'http://127.0.0.1:4701/api/health' }, { url: 'http://127.0.0.1:4700/api/health' }, { rounds: ROUNDS, seconds: SECONDS });
  await stop(fastify);
  await stop(bare);
  const { cookie } = await signUp('http://127.0.0.1:4702');
  await load('http://127.0.0.1:4702/api/assistant-name', { seconds: SECONDS, headers: { cookie } }); // warm-up
  const pgliteRead = await load('http://127.0.0.1:4702/api/assistant-name', { seconds: SECONDS, headers: { cookie } });
  await stop(ours);
  rmSync(dataDir, { recursive: true, force: true });

  line('bare node:http JSON (ceiling)', ...fmt(health.reference), '1.00');
  line('minimal Fastify app, same route (framework alone)', ...fmt(framework.subject), ratioCell(framework.ratios));
  line('GET /api/health (PGlite), request log on', ...fmt(health.subject), ratioCell(health.ratios));
  line('GET /api/health (PGlite), metrics on (ratio: to metrics off, same run)', ...fmt(metrics.subject), ratioCell(metrics.ratios));
  line('GET /api/assistant-name, session (PGlite)', ...fmt(pgliteRead), '—');
}

async function postgresReads() {
  await recreateDatabase(BENCH_DB);
  const ours = await startServer(['dist/main.js'], { ...env, PORT: '4703', DATABASE_URL: BENCH_URL }, 'http://127.0.0.1:4703/api/health');
  const { cookie, vapiAssistantId } = await signUp('http://127.0.0.1:4703');
  const peer = await startServer(['--import', 'tsx', 'bench/peers.mjs'], { PORT: '4704', PEER: 'pg', DATABASE_URL: BENCH_URL }, 'http://127.0.0.1:4704/api/health');
  const reads = await compare(
    { url: 'http://127.0.0.1:4704/read', headers: { cookie } },
    { url: 'http://127.0.0.1:4703/api/assistant-name', headers: { cookie } },
    { rounds: ROUNDS, seconds: SECONDS },
  );
  await stop(peer);
  line('node:http + pg, one prepared query (peer floor)', ...fmt(reads.reference), '1.00');
  line('GET /api/assistant-name, session (Postgres)', ...fmt(reads.subject), ratioCell(reads.ratios));

  // Webhook ingestion: every request a distinct end-of-call-report of 60 s; the sum must be exact.
  let n = 0;
  const startedAt = new Date(Date.now() - 3600_000).toISOString();
  const endedAt = new Date(Date.now() - 3540_000).toISOString();
  const ingest = (seconds: number) =>
    autocannon({
      url: 'http://127.0.0.1:4703/api/webhooks/vapi',
      connections: 50,
      duration: seconds,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-vapi-secret': env.VAPI_WEBHOOK_SECRET },
      requests: [
        {
          setupRequest: (req) => ({
            ...req,
            body: JSON.stringify({
              message: {
                type: 'end-of-call-report',
                startedAt,
                endedAt,
                endedReason: 'customer-ended-call',
                call: { id: `bench_${process.pid}_${n++}`, type: 'inboundPhoneCall', status: 'ended', assistantId: vapiAssistantId },
                artifact: { transcript: 'AI: Hello\nUser: Hi' },
              },
            }),
          }),
        },
      ],
    });
  await ingest(2); // warm-up, counted in the sum below like the rest
  const result = await ingest(INGEST_SECONDS);
  // Requests cut off at the end of the run may still land: count what was stored, not the 2xx.
  await new Promise((r) => setTimeout(r, 500));
  const db = new pg.Client({ connectionString: BENCH_URL });
  await db.connect();
  const { rows: stored } = await db.query<{ n: number }>(`select count(*)::int as n from calls where vapi_call_id like 'bench_%'`);
  await db.end();
  const usage = (await (await fetch('http://127.0.0.1:4703/api/usage', { headers: { cookie } })).json()) as { snapshot: { minutesUsed: number } };
  const exact = usage.snapshot.minutesUsed === stored[0]!.n;
  line(`VAPI end-of-call-reports ingested/s (Postgres), minutes ${exact ? 'exact' : `WRONG: ${usage.snapshot.minutesUsed} ≠ ${stored[0]!.n}`}`, Math.round(result['2xx'] / INGEST_SECONDS), result.latency.p50, result.latency.p99, '—');
  await stop(ours);
}

/**
 * Realistic end-of-call reports (3–30 KB, bench/vapi-reports.ts) against the floor: node:http
 * + pg parsing the same body and running our one store statement (PEER=ingest). Distinct
 * reports, then each delivered twice at once (the second must be a no-op). Alternating rounds
 * as in compare(); then the stored minutes must sum exactly.
 */
async function realisticIngestion() {
  await recreateDatabase(BENCH_DB);
  await recreateDatabase(PEER_DB);
  // The floor stores into a database of its own (migrated, with an organization, by a server
  // of ours that then stops): in a shared one, our notification worker would also send the
  // notifications the floor's reports queue, during our rounds.
  const seeder = await startServer(['dist/main.js'], { ...env, PORT: '4712', DATABASE_URL: PEER_URL }, 'http://127.0.0.1:4712/api/health');
  const reference = await signUp('http://127.0.0.1:4712');
  await stop(seeder);
  const ours = await startServer(['dist/main.js'], { ...env, PORT: '4710', DATABASE_URL: BENCH_URL }, 'http://127.0.0.1:4710/api/health');
  const subject = await signUp('http://127.0.0.1:4710');
  const peer = await startServer(['--import', 'tsx', 'bench/peers.mjs'], { PORT: '4711', PEER: 'ingest', DATABASE_URL: PEER_URL, VAPI_WEBHOOK_SECRET: env.VAPI_WEBHOOK_SECRET }, 'http://127.0.0.1:4711/');
  // 64 bodies per organization, serialized once; each request swaps in a fresh call id.
  const bodies = { ours: reportTemplates(subject.vapiAssistantId), peer: reportTemplates(reference.vapiAssistantId) };
  const sizes = bodies.ours.map((t) => t.join('').length).sort((a, b) => a - b);
  let n = 0;
  const next = (which: 'ours' | 'peer', copies: number) => () => {
    const report = Math.floor(n++ / copies); // copies adjacent: duplicates arrive concurrently
    const t = bodies[which][report % 64]!;
    return t.join(`real_${which}_${copies}_${process.pid}_${report}`);
  };
  const headers = { 'x-vapi-secret': env.VAPI_WEBHOOK_SECRET };
  const url = { ours: 'http://127.0.0.1:4710/api/webhooks/vapi', peer: 'http://127.0.0.1:4711/ingest' };
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  for (const copies of [1, 2]) {
    for (const which of ['peer', 'ours'] as const) await loadPosts(url[which], { seconds: 2, headers, next: next(which, copies) }); // warm-up
    const runs: Record<'ours' | 'peer', LoadResult[]> = { ours: [], peer: [] };
    for (let i = 0; i < ROUNDS; i++) {
      for (const which of ['peer', 'ours'] as const) runs[which].push(await loadPosts(url[which], { seconds: SECONDS, headers, next: next(which, copies) }));
    }
    const perReport = (r: LoadResult[]) => median(r.map((x) => x.rps)) / copies;
    const ratios = runs.ours.map((o, i) => o.rps / runs.peer[i]!.rps);
    const what = copies === 1 ? 'distinct reports' : 'each report delivered twice at once, distinct reports';
    line(`realistic VAPI end-of-call reports (${what})/s: node:http + pg, same parse and statement (peer floor)`, Math.round(perReport(runs.peer)), median(runs.peer.map((r) => r.p50)), median(runs.peer.map((r) => r.p99)), '1.00');
    line(`realistic VAPI end-of-call reports (${what})/s: ours (Postgres)`, Math.round(perReport(runs.ours)), median(runs.ours.map((r) => r.p50)), median(runs.ours.map((r) => r.p99)), ratioCell(ratios));
  }
  await new Promise((r) => setTimeout(r, 500)); // requests cut off at a round's end may still land
  const db = new pg.Client({ connectionString: BENCH_URL });
  await db.connect();
  const { rows } = await db.query<{ calls: number; counted: number; seconds: number; events: number }>(
    `select count(*)::int as calls, count(usage_counted_at)::int as counted, coalesce(sum(duration_seconds) filter (where usage_counted_at is not null), 0)::int as seconds,
       (select count(*)::int from webhook_events where event_key like 'real_ours_%') as events
     from calls where vapi_call_id like 'real_ours_%'`,
  );
  await db.end();
  const stored = rows[0]!;
  const usage = (await (await fetch('http://127.0.0.1:4710/api/usage', { headers: { cookie: subject.cookie } })).json()) as { snapshot: { minutesUsed: number } };
  const expected = Math.round((stored.seconds / 60) * 100) / 100;
  const exact = usage.snapshot.minutesUsed === expected && stored.counted === stored.calls && stored.events === stored.calls;
  line(
    `realistic reports (${sizes[0]}–${sizes[sizes.length - 1]} bytes, median ${sizes[32]}): ${stored.calls} calls stored, minutes ${exact ? 'exact' : `WRONG: ${usage.snapshot.minutesUsed} ≠ ${expected} (${stored.counted}/${stored.calls} counted, ${stored.events} events)`}`,
    stored.calls,
    '',
    '',
    '',
  );
  await stop(peer);
  await stop(ours);
}

async function billingReset() {
  const db = new pg.Client({ connectionString: BENCH_URL });
  await db.connect();
  const seed = async () => {
    await db.query('truncate organizations cascade');
    await db.query(`insert into organizations (name, cycle_start, cycle_end)
      select 'Org ' || i, now() - interval '40 days', now() - make_interval(days => (i % 20)) + interval '10 days'
      from generate_series(1, 100000) i`);
  };
  await seed();
  let t = performance.now();
  const baseline = await db.query(`update organizations set cycle_start = cycle_end, cycle_end = cycle_end + interval '1 month' where cycle_end <= now()`);
  const baselineMs = performance.now() - t;
  await seed();
  const ours = await startServer(['dist/main.js'], { ...env, PORT: '4705', DATABASE_URL: BENCH_URL }, 'http://127.0.0.1:4705/api/health');
  t = performance.now();
  const res = await fetch('http://127.0.0.1:4705/api/cron/billing-reset', { headers: { authorization: `Bearer ${env.CRON_SECRET}` } });
  const ms = performance.now() - t;
  const body = (await res.json()) as { reset: number };
  await stop(ours);
  await db.end();
  line(`billing-reset, 100,000 organizations (${body.reset} due) ms`, Math.round(ms), '', '', ratio(ms, baselineMs));
  line(`baseline: one plain UPDATE moving the ${baseline.rowCount} due cycles a month, ms`, Math.round(baselineMs), '', '', '1.00');
}

async function coldStart() {
  const dataDir = mkdtempSync(join(tmpdir(), 'ev-bench-'));
  const time = async (args: string[], e: Record<string, string>, port: number, command?: string) => {
    const t = performance.now();
    const child = await startServer(args, { ...e, PORT: String(port) }, `http://127.0.0.1:${port}/api/health`, command);
    const ms = performance.now() - t;
    await stop(child);
    return ms;
  };
  const median3 = async (measure: () => Promise<number>) => [await measure(), await measure(), await measure()].sort((a, b) => a - b)[1]!;
  const bare = await time(['bench/peers.mjs'], { PEER: 'bare' }, 4706);
  const fresh = await time(['dist/main.js'], { ...env, DATA_DIR: dataDir }, 4707);
  const restart = await median3(() => time(['dist/main.js'], { ...env, DATA_DIR: dataDir }, 4708));
  await recreateDatabase(BENCH_DB);
  await time(['dist/main.js'], { ...env, DATABASE_URL: BENCH_URL }, 4708); // migrates
  const postgresRestart = await median3(() => time(['dist/main.js'], { ...env, DATABASE_URL: BENCH_URL }, 4708));
  // What an operator runs: npm start checks the build is up to date (it is: npm run bench built it), then starts.
  const npmStart = await median3(() => time(['start', '--silent'], { ...env, DATA_DIR: dataDir }, 4708, 'npm'));
  rmSync(dataDir, { recursive: true, force: true });
  line('start to first 200: bare node:http process, ms', Math.round(bare), '', '', '1.00');
  line('start to first 200: new PGlite DATA_DIR (initdb + migrations), ms', Math.round(fresh), '', '', ratio(fresh, bare));
  line('start to first 200: existing DATA_DIR (restart; median of 3), ms', Math.round(restart), '', '', ratio(restart, bare));
  line('start to first 200: Postgres, migrated (restart; median of 3), ms', Math.round(postgresRestart), '', '', ratio(postgresRestart, bare));
  line('restart with `npm start`, build up to date (ratio: to the server\'s own restart above), ms', Math.round(npmStart), '', '', ratio(npmStart, restart));
}

console.log(`machine: ${cpus().length} cores (${cpus()[0]?.model}), ${Math.round(totalmem() / 2 ** 30)} GiB; 50 connections; pairs compared over ${ROUNDS} alternating rounds of ${SECONDS} s after a warm-up (medians; a pair's ratio shows its lowest and highest round in brackets)`);
// BENCH_ONLY=health,startup (a comma list of health, postgres, ingest, billing, startup) runs a subset.
const only = process.env.BENCH_ONLY?.split(',');
const run = (name: string) => !only || only.includes(name);
if (run('health')) await healthAndReads();
if (run('postgres')) await postgresReads();
if (run('ingest')) await realisticIngestion();
if (run('billing')) await billingReset();
if (run('startup')) await coldStart();
console.log('| measure | req/s or value | p50 ms | p99 ms | ratio |');
console.log('| --- | ---: | ---: | ---: | ---: |');
for (const r of rows) console.log(`| ${r.join(' | ')} |`);
