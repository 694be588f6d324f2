/**
 * `npm run bench:analytics`: GET /api/analytics over 100,000 seeded calls on Postgres, against
 * the plainest query over the same rows (a count). Needs a Postgres at BENCH_DATABASE_URL
 * (default postgres://postgres@127.0.0.1:5432/postgres); database ev_bench_analytics is recreated.
 * Target: under 300 ms for a full year of one organization's 100k calls.
 */
import { cpus, loadavg } from 'node:os';
import pg from 'pg';
import { buildApp } from '../src/app.js';
import { loadConfig } from '../src/config.js';
import { openDatabase } from '../src/db/client.js';
import { databaseUrl, ratio, recreateDatabase } from './lib.js';

const BENCH_DB = 'ev_bench_analytics';
const BENCH_URL = databaseUrl(BENCH_DB);
const CALLS = Number(process.env.BENCH_CALLS ?? 100_000);
/** Another organization's calls in the same table, so the tenant filter has something to skip. */
const NOISE_CALLS = Number(process.env.BENCH_NOISE_CALLS ?? 50_000);
const RUNS = 5;
const TZ = 'America/Chicago';

/** Median and fastest of RUNS timed runs after one warm-up (plans cached, pages in memory). */
async function timed(fn: () => Promise<unknown>) {
  const times: number[] = [];
  await fn();
  for (let i = 0; i < RUNS; i++) {
    const started = performance.now();
    await fn();
    times.push(performance.now() - started);
  }
  times.sort((a, b) => a - b);
  return { median: times[Math.floor(times.length / 2)]!, min: times[0]! };
}

/** Calls spread over the last 365 days: varied hours, durations, reasons and ~20k distinct callers. */
const seedSql = `
  with s as (
    select g, now() - random() * interval '365 days' as ts, (random() * 900)::int as dur, random() as r, random() as n
    from generate_series(1, $2::int) g
  )
  insert into calls (organization_id, vapi_call_id, type, status, customer_number, started_at, ended_at, duration_seconds, ended_reason, summary)
  select $1::uuid, $3 || g, 'inboundPhoneCall', 'COMPLETED', '+1555' || lpad((n * 20000)::int::text, 7, '0'),
         ts, ts + dur * interval '1 second', dur,
         (array['customer-ended-call','customer-ended-call','assistant-ended-call','assistant-forwarded-call','voicemail','silence-timed-out'])[1 + (r * 6)::int % 6],
         'Caller asked about opening hours.'
  from s`;

async function main() {
  await recreateDatabase(BENCH_DB);
  const database = await openDatabase({ databaseUrl: BENCH_URL, poolSize: 10 });
  await database.migrate();
  const config = loadConfig({
    NODE_ENV: 'test',
    SANDBOX: '1',
    SCHEDULER: '0',
    SHUTDOWN_DRAIN_MS: '0',
    LOG_LEVEL: 'silent',
    DATA_DIR: '/tmp/ev-bench-analytics-unused',
    APP_URL: 'http://127.0.0.1:3000',
    AUTH_SECRET: 'bench-auth-secret',
    CRON_SECRET: 'bench-cron-secret',
    ADMIN_API_KEY: 'bench-admin-key',
    ENCRYPTION_KEY: '0'.repeat(64),
    AUTH_RATE_LIMIT_PER_MIN: '100000',
    VAPI_API_KEY: 'bench-vapi-key',
    VAPI_WEBHOOK_SECRET: 'bench-vapi-secret',
  });
  const app = await buildApp(config, { database, logger: false });
  await app.ready();

  const signUp = async (email: string) => {
    const reg = await app.inject({
      method: 'POST',
      url: '/api/auth/register',
      payload: { name: 'Bench', email, password: 'benchpass123', organizationName: 'Bench Dental' },
    });
    const { organizationId } = reg.json() as { organizationId: string };
    const csrf = await app.inject({ method: 'GET', url: '/api/auth/csrf' });
    const csrfCookie = csrf.cookies.find((c) => c.name.endsWith('next-auth.csrf-token'))!;
    const login = await app.inject({
      method: 'POST',
      url: '/api/auth/callback/credentials',
      headers: { cookie: `${csrfCookie.name}=${csrfCookie.value}` },
      payload: { csrfToken: (csrf.json() as { csrfToken: string }).csrfToken, email, password: 'benchpass123' },
    });
    const session = login.cookies.find((c) => c.name.endsWith('next-auth.session-token'))!;
    return { organizationId, cookie: `${session.name}=${session.value}` };
  };
  const owner = await signUp(`bench-analytics-${Date.now()}@example.com`);
  const noise = await signUp(`bench-noise-${Date.now()}@example.com`);
  await app.inject({
    method: 'PATCH',
    url: `/api/admin/organizations/${owner.organizationId}`,
    headers: { 'x-admin-key': 'bench-admin-key' },
    payload: { plan: 'ADVANCED' },
  });
  const weekday = { open: '09:00', close: '17:00', closed: false };
  await app.inject({
    method: 'PUT',
    url: '/api/business-hours',
    headers: { cookie: owner.cookie },
    payload: {
      timezone: TZ,
      businessHours: { monday: weekday, tuesday: weekday, wednesday: weekday, thursday: weekday, friday: weekday, saturday: { open: '10:00', close: '14:00' } },
    },
  });

  const client = new pg.Client({ connectionString: BENCH_URL });
  await client.connect();
  const started = performance.now();
  await client.query(seedSql, [owner.organizationId, CALLS, 'bench_']);
  await client.query(seedSql, [noise.organizationId, NOISE_CALLS, 'noise_']);
  await client.query(
    `insert into bookings (organization_id, vapi_call_id, external_uid, starts_at, attendee_name, created_at)
     select organization_id, vapi_call_id, 'bk_' || vapi_call_id, started_at + interval '3 days', 'Bench', started_at + interval '1 minute'
     from calls where organization_id = $1 and random() < 0.12`,
    [owner.organizationId],
  );
  await client.query('vacuum analyze calls');
  await client.query('vacuum analyze bookings');
  const seedMs = performance.now() - started;

  const today = new Intl.DateTimeFormat('en-CA', { timeZone: TZ, year: 'numeric', month: '2-digit', day: '2-digit' }).format(new Date());
  const from = new Date(Date.parse(`${today}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
  const url = `/api/analytics?from=${from}&to=${today}`;

  const probe = await app.inject({ method: 'GET', url, headers: { cookie: owner.cookie } });
  if (probe.statusCode !== 200) throw new Error(`analytics answered ${probe.statusCode}: ${probe.body}`);
  const body = probe.json() as { totals: { calls: number }; bookings: { bookings: number }; repeatCallers: { count: number } };

  const baseline = await timed(() =>
    client.query(
      `select count(*) from calls where organization_id = $1
       and started_at between ($2::date::timestamp at time zone $4) and (($3::date + 1)::timestamp at time zone $4)`,
      [owner.organizationId, from, today, TZ],
    ),
  );
  const analytics = await timed(async () => {
    const res = await app.inject({ method: 'GET', url, headers: { cookie: owner.cookie } });
    if (res.statusCode !== 200) throw new Error(`analytics answered ${res.statusCode}`);
  });

  const rows = [
    ['baseline: `select count(*) … started_at between …` (pg client)', baseline.median.toFixed(1), baseline.min.toFixed(1), '1.00'],
    ['GET /api/analytics, 366 days (inject, session)', analytics.median.toFixed(1), analytics.min.toFixed(1), ratio(analytics.median, baseline.median)],
  ];
  console.log(
    `\nAnalytics on Postgres: ${CALLS.toLocaleString('en-US')} calls in range (+${NOISE_CALLS.toLocaleString('en-US')} of another organization), ` +
      `${body.bookings.bookings.toLocaleString('en-US')} bookings, ${body.repeatCallers.count.toLocaleString('en-US')} repeat callers; seeded in ${(seedMs / 1000).toFixed(1)} s; median of ${RUNS}.\n`,
  );
  console.log('| measure | median ms | fastest ms | × baseline (medians) |\n| --- | ---: | ---: | ---: |');
  for (const r of rows) console.log(`| ${r.join(' | ')} |`);
  console.log(`\nCalls counted by analytics: ${body.totals.calls}. Target < 300 ms: ${analytics.median < 300 ? 'met' : 'NOT met'} (load average ${loadavg()[0]!.toFixed(1)} on ${cpus().length} CPUs).`);

  await client.end();
  await app.close();
  await database.close();
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
