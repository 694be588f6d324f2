/**
 * `npx tsx bench/store-statement.ts`: where the ingestion's store statement spends Postgres'
 * CPU. Runs our one store statement (prepared, as the server does) straight from a script,
 * no HTTP, 10 connections, STORE_REPORTS distinct realistic reports per case, and prints the
 * CPU the 10 backends used per report (`/proc/<pid>/stat`: the database on this machine).
 * Cases in order, on a database of its own (ev_store, recreated): as stored (twice); 12 and 4
 * reports per statement, as the server stores reports that arrive together; an unknown
 * assistant (nothing written: the statement's own start-up), under each plan cache mode;
 * then without the search index, then without the search vector column.
 */
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { PgDialect } from 'drizzle-orm/pg-core';
import { STORE_REPORTS, storeReportValues } from '../src/modules/calls/calls.repo.js';
import { parseEndOfCallReport, reportEventPayload } from '../src/domain/calls.js';
import { databaseUrl, recreateDatabase, signUp, startServer, stop } from './lib.js';
import { reportTemplates } from './vapi-reports.js';

const REPORTS = Number(process.env.STORE_REPORTS ?? 3000);
const CONNECTIONS = 10;
const URL = databaseUrl('ev_store');
const statement = new PgDialect({ casing: 'snake_case' }).sqlToQuery(STORE_REPORTS);

await recreateDatabase('ev_store');
const server = await startServer(
  ['dist/main.js'],
  { PORT: '4730', DATABASE_URL: URL, LOG_LEVEL: 'warn', SCHEDULER: '0', SHUTDOWN_DRAIN_MS: '0', VAPI_API_KEY: 'bench-vapi-key' },
  'http://127.0.0.1:4730/api/health',
);
const { vapiAssistantId } = await signUp('http://127.0.0.1:4730', 'bench-vapi-key');
await stop(server);
const templates = reportTemplates(vapiAssistantId);

/** The statement's parameters for REPORTS fresh reports, `together` per statement, built before the clock starts. */
function parameters(caseName: string, owner: string, together: number) {
  const reports = Array.from({ length: REPORTS }, (_, i) => {
    const { message } = JSON.parse(templates[i % templates.length]!.join(`store_${caseName}_${i}`));
    const report = parseEndOfCallReport(message)!;
    return {
      vapiAssistantId: owner,
      report,
      event: { key: `${report.vapiCallId}:end-of-call-report`, payload: reportEventPayload(message) },
      withSubscribers: false,
      redacted: false,
    };
  });
  return Array.from({ length: Math.ceil(REPORTS / together) }, (_, i) => {
    const values: Record<string, unknown> = storeReportValues(reports.slice(i * together, (i + 1) * together), { now: new Date(), claim: randomUUID() });
    return statement.params.map((p) => values[(p as { name: string }).name]);
  });
}

const backendTicks = (pid: number) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks (1/100 s)
};

async function run(caseName: string, opts: { owner?: string; setup?: string; together?: number } = {}) {
  const rows = parameters(caseName, opts.owner ?? vapiAssistantId, opts.together ?? 1);
  const pool = new pg.Pool({ connectionString: URL, max: CONNECTIONS });
  const clients = await Promise.all(Array.from({ length: CONNECTIONS }, () => pool.connect()));
  const pids: number[] = [];
  for (const c of clients) {
    if (opts.setup) await c.query(opts.setup);
    pids.push((await c.query<{ pid: number }>('select pg_backend_pid() as pid')).rows[0]!.pid);
  }
  const before = pids.reduce((s, p) => s + backendTicks(p), 0);
  let next = 0;
  const started = performance.now();
  await Promise.all(
    clients.map(async (c) => {
      while (next < rows.length) await c.query({ name: 'store_report', text: statement.sql, values: rows[next++]! });
    }),
  );
  const ms = performance.now() - started;
  const cpuMs = (pids.reduce((s, p) => s + backendTicks(p), 0) - before) * 10;
  clients.forEach((c) => c.release());
  await pool.end();
  console.log(`| ${caseName} | ${Math.round((cpuMs / REPORTS) * 1000)} | ${Math.round((REPORTS / ms) * 1000)} |`);
}

const admin = new pg.Client({ connectionString: URL });
await admin.connect();
console.log(`store statement alone, ${REPORTS} distinct realistic reports per case, ${CONNECTIONS} connections`);
console.log('| case | backend CPU µs per report | reports/s |');
console.log('| --- | ---: | ---: |');
await run('as stored');
await run('as stored, again');
await run('12 reports per statement', { together: 12 });
await run('4 reports per statement', { together: 4 });
await run('unknown assistant (nothing written)', { owner: 'no-such-assistant' });
await run('unknown assistant, force_generic_plan', { owner: 'no-such-assistant', setup: 'set plan_cache_mode = force_generic_plan' });
await run('unknown assistant, force_custom_plan', { owner: 'no-such-assistant', setup: 'set plan_cache_mode = force_custom_plan' });
await admin.query('drop index calls_search_idx');
await run('without the search index');
await admin.query('alter table calls drop column search_vector');
await run('without the search vector column');
await admin.end();
