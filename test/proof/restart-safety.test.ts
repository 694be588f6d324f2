/**
 * Restart safety, on the REAL server process: SIGKILL it in the middle of webhook ingestion
 * and in the middle of a billing job, start it again, and check that no event was lost and
 * none was counted twice.
 *
 * Postgres (TEST_DATABASE_URL): ingestion and billing-reset, each on a fresh database.
 * PGlite (no TEST_DATABASE_URL): ingestion on a DATA_DIR: a SIGKILLed PGlite must reopen
 * with every committed call. (PGlite is one process: the billing-job kill is Postgres-only.)
 */
import { afterAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { existsSync, readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { PGlite } from '@electric-sql/pglite';
import { openDatabase } from '../../src/db/client.js';
import { minutesOf } from '../../src/domain/calls.js';
import {
  Fleet,
  createPostgresDatabase,
  SECRETS,
  endOfCallReport,
  freePort,
  ownerWithAssistant,
  postVapi,
  postgresServers,
  scratchDir,
  type ServerProcess,
} from './proc.js';

const PG_URL = process.env.TEST_DATABASE_URL;
const fleet = new Fleet();
afterAll(() => fleet.killAll());

/** N distinct calls with distinct whole-second durations; their exact sum is the expected usage. */
function makeCalls(n: number) {
  const prefix = `proof_${randomBytes(3).toString('hex')}_`;
  const calls = Array.from({ length: n }, (_, i) => ({ id: `${prefix}${i}`, seconds: 30 + ((i * 97) % 900) }));
  return { prefix, calls, totalSeconds: calls.reduce((s, c) => s + c.seconds, 0) };
}

/** At most this many reports in flight: the database fills steadily, so a kill at "100 stored" lands mid-run on any machine. */
const SENDERS = 25;

/**
 * Streams the reports through SENDERS concurrent senders and SIGKILLs the server as soon as
 * `killWhen` says so (checked every few ms while reports are in flight). A 200 read after the
 * kill is not counted as acknowledged.
 */
async function fireAndKill(
  server: ServerProcess,
  vapiAssistantId: string,
  calls: Array<{ id: string; seconds: number }>,
  killWhen: (acked: number) => Promise<boolean> | boolean,
) {
  const acked: string[] = [];
  let answered = 0;
  let next = 0;
  const sender = async () => {
    while (next < calls.length && !server.child.killed) {
      const c = calls[next++]!;
      try {
        const res = await postVapi(server.url, endOfCallReport(c.id, vapiAssistantId, c.seconds));
        await res.arrayBuffer();
        if (res.status === 200 && !server.child.killed) acked.push(c.id);
      } catch {
        /* cut by the kill */
      } finally {
        answered++;
      }
    }
  };
  const sending = Promise.all(Array.from({ length: SENDERS }, sender));
  for (;;) {
    if (await killWhen(acked.length)) break;
    if (answered === calls.length) throw new Error('every report was answered before the kill point');
    await sleep(2);
  }
  server.child.kill('SIGKILL');
  const ackedAtKill = acked.length;
  await sending;
  await server.exited;
  return { acked: acked.slice(0, ackedAtKill), unanswered: calls.length - ackedAtKill };
}

async function resendAll(server: ServerProcess, vapiAssistantId: string, calls: Array<{ id: string; seconds: number }>) {
  const statuses = await Promise.all(
    calls.map(async (c) => {
      const res = await postVapi(server.url, endOfCallReport(c.id, vapiAssistantId, c.seconds));
      await res.arrayBuffer();
      return res.status;
    }),
  );
  return statuses.filter((s) => s === 200).length;
}

interface LedgerRow {
  vapi_call_id: string;
  duration_seconds: number | null;
  counted: boolean;
}
type Query = (text: string, values: unknown[]) => Promise<{ rows: unknown[] }>;
/** The calls of this run and the webhook events stored for them, through pg or PGlite. */
async function readLedger(query: Query, prefix: string) {
  const { rows } = (await query(
    `select vapi_call_id, duration_seconds, usage_counted_at is not null as counted from calls where vapi_call_id like $1`,
    [`${prefix}%`],
  )) as { rows: LedgerRow[] };
  const { rows: events } = (await query(
    `select count(*)::int as n from webhook_events where provider = 'vapi' and event_key like $1`,
    [`${prefix}%`],
  )) as { rows: Array<{ n: number }> };
  return { rows, events: events[0]!.n };
}

/** Every stored call once, with its own duration, counted once; events match the rows one to one. */
function checkLedger(rows: LedgerRow[], events: number, calls: Array<{ id: string; seconds: number }>) {
  const expected = new Map(calls.map((c) => [c.id, c.seconds]));
  const ids = rows.map((r) => r.vapi_call_id);
  expect(new Set(ids).size).toBe(ids.length);
  for (const r of rows) {
    expect(r.duration_seconds).toBe(expected.get(r.vapi_call_id));
    expect(r.counted).toBe(true);
  }
  expect(events).toBe(rows.length);
  return rows.reduce((s, r) => s + (r.duration_seconds ?? 0), 0);
}

async function usageMinutes(base: string, cookie: string) {
  const res = await fetch(`${base}/api/usage`, { headers: { cookie } });
  expect(res.status).toBe(200);
  return ((await res.json()) as { snapshot: { minutesUsed: number } }).snapshot.minutesUsed;
}

describe.skipIf(!PG_URL)('restart safety on Postgres (skipped without TEST_DATABASE_URL; the PGlite pass runs the DATA_DIR variant)', () => {
  const postgres = postgresServers(fleet, PG_URL!, 'ev_proof_restart');

  it('SIGKILL during webhook ingestion: every call stored once, usage exact after re-sending all', { timeout: 120_000 }, async () => {
    onTestFailed(() => fleet.printLogs());
    const N = 400;
    const KILL_AT_STORED = 100;
    const first = await postgres.start('ingest-1');
    const owner = await ownerWithAssistant(first.url);
    const { prefix, calls, totalSeconds } = makeCalls(N);

    // SIGKILL once the database holds KILL_AT_STORED of the calls and some were answered.
    const stored = async () =>
      (await postgres.client.query<{ n: number }>('select count(*)::int as n from calls where vapi_call_id like $1', [`${prefix}%`])).rows[0]!.n;
    const { acked, unanswered } = await fireAndKill(first, owner.vapiAssistantId, calls, async (n) => n >= 10 && (await stored()) >= KILL_AT_STORED);
    const pgQuery: Query = (text, values) => postgres.client.query(text, values);
    const afterKill = await readLedger(pgQuery, prefix);
    console.log(
      `[restart-safety/postgres] ${N} reports fired, SIGKILL once ${KILL_AT_STORED} were stored: acknowledged ${acked.length}, unanswered ${unanswered}, ` +
        `stored at kill ${afterKill.rows.length}`,
    );
    // The kill landed mid-run, and nothing acknowledged was lost.
    expect(acked.length).toBeGreaterThanOrEqual(10);
    expect(afterKill.rows.length).toBeGreaterThanOrEqual(KILL_AT_STORED);
    expect(afterKill.rows.length).toBeLessThan(N);
    const storedIds = new Set(afterKill.rows.map((r) => r.vapi_call_id));
    expect(acked.filter((id) => !storedIds.has(id))).toEqual([]);
    // What the kill left is consistent: each stored call counted, one event per call, no half-written call.
    checkLedger(afterKill.rows, afterKill.events, calls);

    const second = await postgres.start('ingest-2');
    expect(await resendAll(second, owner.vapiAssistantId, calls)).toBe(N);

    const final = await readLedger(pgQuery, prefix);
    expect(final.rows.length).toBe(N);
    expect(checkLedger(final.rows, final.events, calls)).toBe(totalSeconds);
    const [{ used }] = (await postgres.rows<{ used: number }>(
      `select coalesce(sum(duration_seconds), 0)::int as used from calls where organization_id = $1 and usage_counted_at is not null`,
      [owner.organizationId],
    )) as [{ used: number }];
    expect(used).toBe(totalSeconds);
    expect(await usageMinutes(second.url, owner.cookie)).toBe(minutesOf(totalSeconds));
    console.log(`[restart-safety/postgres] after restart + re-sending all ${N}: ${final.rows.length} calls, ${totalSeconds} s counted (exact)`);
    await second.kill('SIGTERM');
  });

  it('SIGKILL during billing-reset over 20,000 due organizations: the end state is one run', { timeout: 120_000 }, async () => {
    onTestFailed(() => fleet.printLogs());
    const DUE = 20_000;
    const CURRENT = 1_000;
    let server = await postgres.start('billing-1');

    const seed = async () => {
      await postgres.client.query('truncate job_runs');
      await postgres.client.query(`delete from organizations where name like 'Proof due %' or name like 'Proof current %'`);
      await postgres.client.query(`insert into organizations (name, cycle_start, cycle_end)
        select 'Proof due ' || i, e - interval '1 month', e
        from (select i, now() - make_interval(days => i % 20, secs => i) - interval '1 hour' as e from generate_series(1, ${DUE}) i) s`);
      await postgres.client.query(`insert into organizations (name, cycle_start, cycle_end)
        select 'Proof current ' || i, now() - interval '3 days', now() + make_interval(days => 1 + i % 20)
        from generate_series(1, ${CURRENT}) i`);
      await postgres.client.query(`create table if not exists proof_expect (id uuid primary key, old_start timestamptz, old_end timestamptz, due boolean)`);
      await postgres.client.query('truncate proof_expect');
      await postgres.client.query(`insert into proof_expect select id, cycle_start, cycle_end, cycle_end <= now() from organizations
        where name like 'Proof due %' or name like 'Proof current %'`);
    };
    const state = async () =>
      (
        await postgres.rows<{ moved_once: number; still_due: number; wrong_due: number; untouched: number; wrong_current: number }>(`
        select
          count(*) filter (where e.due and o.cycle_start = e.old_end and o.cycle_end = e.old_end + interval '1 month')::int as moved_once,
          count(*) filter (where e.due and o.cycle_start = e.old_start and o.cycle_end = e.old_end)::int as still_due,
          count(*) filter (where e.due and not (o.cycle_start = e.old_end and o.cycle_end = e.old_end + interval '1 month')
                                       and not (o.cycle_start = e.old_start and o.cycle_end = e.old_end))::int as wrong_due,
          count(*) filter (where not e.due and o.cycle_start = e.old_start and o.cycle_end = e.old_end)::int as untouched,
          count(*) filter (where not e.due and not (o.cycle_start = e.old_start and o.cycle_end = e.old_end))::int as wrong_current
        from organizations o join proof_expect e using (id)`)
      )[0]!;
    const runRows = () =>
      postgres.rows<{ trigger: string; finished: boolean; error: string | null; result: { reset?: number } | null }>(
        `select trigger, finished_at is not null as finished, error, result from job_runs where job = 'billing-reset' order by started_at`,
      );
    const cron = async (base: string) => {
      // 409 while the killed run's session (its advisory lock) is still being torn down.
      for (let i = 0; ; i++) {
        const res = await fetch(`${base}/api/cron/billing-reset`, { headers: { authorization: `Bearer ${SECRETS.CRON_SECRET}` } });
        if (res.status !== 409 || i > 150) {
          expect(res.status).toBe(200);
          return (await res.json()) as { reset: number; skipped: number; errors: number };
        }
        await sleep(100);
      }
    };

    // Variant 1: only the app dies; its in-flight UPDATE is left to the database.
    // Variant 2: the app dies and so do its database sessions (a host lost with its connections).
    for (const variant of ['app process killed', 'app process and its database sessions killed'] as const) {
      await seed();
      expect(await state()).toMatchObject({ moved_once: 0, still_due: DUE, wrong_due: 0, untouched: CURRENT });

      // Hold one due organization's row so the job's UPDATE is certainly mid-statement at the kill.
      const locker = new pg.Client({ connectionString: postgres.url });
      await locker.connect();
      const lockerPid = (await locker.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid;
      await locker.query('begin');
      await locker.query(`select id from organizations where name = 'Proof due ${DUE / 2}' for update`);
      const inflight = fetch(`${server.url}/api/cron/billing-reset`, { headers: { authorization: `Bearer ${SECRETS.CRON_SECRET}` } }).then(
        (r) => r.status,
        () => 'connection lost',
      );
      const deadline = Date.now() + 20_000;
      for (;;) {
        const [w] = await postgres.rows<{ waiting: number; unfinished: number }>(`select
          (select count(*) from pg_stat_activity where datname = current_database() and wait_event_type = 'Lock'
             and query ilike '%update organizations%')::int as waiting,
          (select count(*) from job_runs where job = 'billing-reset' and finished_at is null)::int as unfinished`);
        if (w!.waiting > 0 && w!.unfinished === 1) break;
        if (Date.now() > deadline) throw new Error('billing-reset never reached its UPDATE');
        await sleep(20);
      }
      await server.kill('SIGKILL');
      expect(await inflight).toBe('connection lost');
      if (variant === 'app process and its database sessions killed') {
        await postgres.client.query(`select pg_terminate_backend(pid) from pg_stat_activity
          where datname = current_database() and pid <> pg_backend_pid() and pid <> $1`, [lockerPid]);
      }
      await locker.query('rollback');
      await locker.end();

      // Let the orphaned statement finish (variant 1) or vanish (variant 2): it commits whole or not at all.
      for (let i = 0; i < 100; i++) {
        const [a] = await postgres.rows<{ n: number }>(`select count(*)::int as n from pg_stat_activity
          where datname = current_database() and state = 'active' and query ilike '%update organizations%' and pid <> pg_backend_pid()`);
        if (a!.n === 0) break;
        await sleep(50);
      }
      const leftByKill = await state();
      expect(leftByKill.wrong_due).toBe(0);
      expect([0, DUE]).toContain(leftByKill.moved_once);

      server = await postgres.start(`billing-after-${variant === 'app process killed' ? 1 : 2}`);
      const second = await cron(server.url);
      expect(second.reset).toBe(DUE - leftByKill.moved_once);
      const third = await cron(server.url);
      expect(third.reset).toBe(0);

      expect(await state()).toEqual({ moved_once: DUE, still_due: 0, wrong_due: 0, untouched: CURRENT, wrong_current: 0 });
      const runs = await runRows();
      expect(runs.map((r) => [r.trigger, r.finished, r.error])).toEqual([
        ['endpoint', false, null], // the killed run: never finished
        ['endpoint', true, null],
        ['endpoint', true, null],
      ]);
      expect(runs[1]!.result?.reset).toBe(DUE - leftByKill.moved_once);
      console.log(
        `[restart-safety/postgres] billing-reset, ${variant}: ${DUE} due + ${CURRENT} current orgs; the killed statement ` +
          `${leftByKill.moved_once === DUE ? 'committed whole' : 'rolled back whole'}; the run after restart reset ${second.reset}, ` +
          `a third reset ${third.reset}; every due org exactly one cycle forward`,
      );
    }
    await server.kill('SIGTERM');
  });
});

describe.skipIf(!!PG_URL)('restart safety on PGlite (DATA_DIR; the Postgres pass runs the Postgres variants)', () => {
  const data = scratchDir('ev-proof-pglite-');
  const pgliteDir = () => `${data.dir}/pglite`;
  afterAll(async () => {
    await fleet.killAll();
    data.cleanup();
  });
  /** Opens the data directory in this process (the server is down): what a restart will see. */
  async function ledgerOnDisk(prefix: string) {
    const db = await PGlite.create(pgliteDir());
    try {
      return await readLedger((text, values) => db.query(text, values), prefix);
    } finally {
      await db.close();
    }
  }

  it('SIGKILL during webhook ingestion: PGlite reopens with every acknowledged call; usage exact after re-sending all', { timeout: 120_000 }, async () => {
    onTestFailed(() => fleet.printLogs());
    // Start from the migrated template (initdb takes seconds): the server then reopens an existing DATA_DIR.
    const seed = await openDatabase({ dataDir: pgliteDir(), loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
    await seed.close();

    const N = 300;
    const KILL_AFTER = 20;
    const first = fleet.start('pglite-1', { port: await freePort(), dataDir: data.dir });
    await first.ready();
    const owner = await ownerWithAssistant(first.url);
    const { prefix, calls, totalSeconds } = makeCalls(N);

    const { acked, unanswered } = await fireAndKill(first, owner.vapiAssistantId, calls, (n) => n >= KILL_AFTER);
    const afterKill = await ledgerOnDisk(prefix);
    console.log(
      `[restart-safety/pglite] ${N} reports fired, SIGKILL at the ${KILL_AFTER}th 200: acknowledged ${acked.length}, unanswered ${unanswered}, ` +
        `stored after reopening ${afterKill.rows.length}`,
    );
    expect(acked.length).toBeGreaterThanOrEqual(KILL_AFTER);
    expect(afterKill.rows.length).toBeLessThan(N);
    const storedIds = new Set(afterKill.rows.map((r) => r.vapi_call_id));
    expect(acked.filter((id) => !storedIds.has(id))).toEqual([]);
    checkLedger(afterKill.rows, afterKill.events, calls);

    const second = fleet.start('pglite-2', { port: await freePort(), dataDir: data.dir, env: { LOG_LEVEL: 'info' } });
    await second.ready();
    // The ready line says when each start-up step was done (ms since the process started).
    const { startup } = second.readyLine();
    const { modulesMs, databaseMs, migratedMs, appMs, listeningMs } = startup;
    expect(Math.min(modulesMs, databaseMs)).toBeGreaterThan(0);
    expect(migratedMs).toBeGreaterThanOrEqual(Math.max(modulesMs, databaseMs));
    expect(appMs).toBeGreaterThanOrEqual(migratedMs);
    expect(listeningMs).toBeGreaterThanOrEqual(appMs);
    console.log(`[restart-safety/pglite] restart (tsx), each step done at ms since the process started: ${JSON.stringify(startup)}`);
    expect(await resendAll(second, owner.vapiAssistantId, calls)).toBe(N);
    expect(await usageMinutes(second.url, owner.cookie)).toBe(minutesOf(totalSeconds));
    await second.kill('SIGTERM');
    expect((await second.exited).code).toBe(0);

    const final = await ledgerOnDisk(prefix);
    expect(final.rows.length).toBe(N);
    expect(checkLedger(final.rows, final.events, calls)).toBe(totalSeconds);
    console.log(`[restart-safety/pglite] after restart + re-sending all ${N}: ${final.rows.length} calls, ${totalSeconds} s counted (exact)`);
  });
});

/** Whether any session is connected to that database. */
async function postgresSessions(url: string) {
  const name = new URL(url).pathname.slice(1);
  const client = new pg.Client({ connectionString: PG_URL });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>('select count(*)::int as n from pg_stat_activity where datname = $1', [name]);
    return rows[0]!.n > 0;
  } finally {
    await client.end();
  }
}

describe('a stop during start-up', () => {
  const data = scratchDir('ev-proof-early-stop-');
  const databases: Array<{ drop(): Promise<void> }> = [];
  afterAll(async () => {
    await Promise.all(databases.map((db) => db.drop()));
    data.cleanup();
  });

  it('SIGTERM before the server listens (initdb or migrations running) ends start-up after that step: exit 0, never served; as PID 1 in a container an unhandled SIGTERM would be ignored', { timeout: 60_000 }, async () => {
    onTestFailed(() => fleet.printLogs());
    let env: Record<string, string> = {};
    if (PG_URL) {
      const database = await createPostgresDatabase(PG_URL, 'ev_early_stop');
      databases.push(database);
      env = { DATABASE_URL: database.url };
    }
    // A new DATA_DIR (PGlite's initdb) or database (every migration): start-up takes seconds.
    const server = fleet.start('early-stop', { port: await freePort(), dataDir: data.dir, env: { LOG_LEVEL: 'info', ...env } });
    // Once it opens its database (main() has begun) and long before it listens.
    const opened = PG_URL ? () => postgresSessions(env.DATABASE_URL!) : async () => existsSync(`${data.dir}/pglite`);
    while (!(await opened())) {
      if (!server.running) throw new Error(`exited before it opened its database:\n${server.log()}`);
      await sleep(5);
    }
    expect(await fetch(`${server.url}/api/health`).then(() => 'served', () => 'not listening')).toBe('not listening');
    server.child.kill('SIGTERM');
    expect(await server.exited).toEqual({ code: 0, signal: null });
    expect(server.log()).toContain('SIGTERM: stopping before listening');
    expect(server.log()).not.toContain('Epoch Voice ready');
  });
});
