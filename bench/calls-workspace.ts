/**
 * `npx tsx bench/calls-workspace.ts`: the calls search and export over 100,000 calls across
 * 1,000 organizations on Postgres (BENCH_DATABASE_URL; database ev_bench_calls is recreated).
 * Search inside one organization is measured beside a plain indexed lookup of the same rows
 * in the same run; the export of one organization's 20,000 calls is streamed and its peak
 * RSS growth sampled. Targets: search p95 < 50 ms; export RSS growth < 50 MB.
 */
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '../src/db/client.js';
import { searchCalls } from '../src/modules/calls/call-search.repo.js';
import { exportCalls } from '../src/modules/calls/call-export.service.js';
import type { AppContext } from '../src/context.js';
import type { AuthContext } from '../src/modules/auth/sessions.js';
import { databaseUrl, recreateDatabase } from './lib.js';

const BENCH_DB = 'ev_bench_calls';
const ORGS = 1000;
const CALLS = 100_000;
const BIG_ORG_CALLS = 20_000;
const RUNS = 200;

const p95 = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length * 0.95)]!;
async function timed(fn: () => Promise<unknown>) {
  for (let i = 0; i < 10; i++) await fn();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  return { p50: [...times].sort((a, b) => a - b)[Math.floor(RUNS / 2)]!, p95: p95(times) };
}

async function main() {
  await recreateDatabase(BENCH_DB);
  const database = await openDatabase({ databaseUrl: databaseUrl(BENCH_DB), poolSize: 4 });
  await database.migrate();
  const db = database.db;
  await db.execute(sql`insert into organizations (name, plan) select 'Org ' || g, 'PRO' from generate_series(1, ${ORGS}) g`);
  // The first organization holds 20,000 calls (the export); the rest share 80,000.
  await db.execute(sql`with o as (select id, row_number() over (order by created_at, id) as n from organizations)
    insert into calls (organization_id, vapi_call_id, status, customer_number, started_at, duration_seconds, ended_reason, summary, transcript)
    select (select id from o where n = case when g <= ${BIG_ORG_CALLS} then 1 else 2 + g % (${ORGS} - 1) end),
      'call_' || g, 'COMPLETED', '+1415' || lpad((g % 9000000)::text, 7, '0'),
      now() - (g % 500000) * interval '1 minute', 30 + g % 600, 'customer-ended-call',
      (array['Caller booked a cleaning.', 'Asked about invoices and parking.', 'Wants a callback about an estimate.'])[1 + g % 3],
      'AI: Thanks for calling.\nUser: ' || (array['I need a cleaning on Tuesday', 'My molar hurts since yesterday', 'Is there parking near the office'])[1 + g % 3] || ' ref ' || g
    from generate_series(1, ${CALLS}) g`);
  await db.execute(sql`analyze calls`);
  const orgBy = async (order: 'asc' | 'desc') =>
    (await queryRows<{ id: string }>(db, sql`select organization_id as id from calls group by 1 order by count(*) ${sql.raw(order)} limit 1`))[0]!.id;
  const big = await orgBy('desc');
  const small = await orgBy('asc');

  const lines: string[] = [];
  for (const [label, org] of [['an organization with ~80 calls', small], ['the organization with 20,000 calls', big]] as const) {
    const search = await timed(() => searchCalls(db, org, { q: 'molar' }, 21));
    const byNumber = await timed(() => searchCalls(db, org, { q: '(415) 000-0003' }, 21));
    const plain = await timed(() => db.execute(sql`select id from calls where organization_id = ${org} order by created_at desc, id desc limit 21`));
    lines.push(`${label}: search "molar" p50 ${search.p50.toFixed(2)} ms p95 ${search.p95.toFixed(2)} ms; by number p95 ${byNumber.p95.toFixed(2)} ms; plain indexed lookup p95 ${plain.p95.toFixed(2)} ms`);
  }

  const ctx = { db, now: () => new Date() } as unknown as AppContext;
  const auth = { organizationId: big, plan: 'PRO' } as unknown as AuthContext;
  global.gc?.();
  const rssBefore = process.memoryUsage().rss;
  let peak = rssBefore;
  let bytes = 0;
  const started = performance.now();
  const { stream } = await exportCalls(ctx, auth, {});
  for await (const chunk of stream) {
    bytes += Buffer.byteLength(chunk as string);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  const ms = performance.now() - started;
  lines.push(
    `export of ${BIG_ORG_CALLS} calls: ${(ms / 1000).toFixed(2)} s, ${(bytes / 1e6).toFixed(1)} MB of CSV, peak RSS growth ${((peak - rssBefore) / 1e6).toFixed(1)} MB`,
  );
  console.log(lines.join('\n'));
  await database.close();
}

await main();
