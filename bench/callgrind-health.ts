// Instructions per request, counted by valgrind's callgrind: wall-clock ratios
// on a shared VM move by ±0.1 between runs, instruction counts by ~2%. The server runs under
// callgrind with instrumentation off; after a warm-up it is switched on for a fixed number of
// requests, and only the main thread is counted (V8's compiler and marking threads are not).
//
//   npm run bench:callgrind                     ours (dist/main.js on Postgres), LOG_LEVEL=info
//   CG_TARGET=bare npm run bench:callgrind      the bench's bare node:http peer (or fastify)
//   LOG_LEVEL=warn npm run bench:callgrind      ours without the access line
//   CG_TARGET=read npm run bench:callgrind      ours on the authenticated read (GET /api/assistant-name, Postgres)
//   CG_TARGET=pg npm run bench:callgrind        the bench's node:http + pg peer on the same read
// CG_WARMUP (20,000) and CG_REQUESTS (5,000) set the counts; CG_KEEP=dir keeps callgrind's files
// there for callgrind_annotate. Needs valgrind (callgrind_control).
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import { databaseUrl, recreateDatabase, signUp, startServer, stop } from './lib.js';

/** What each CG_TARGET starts, what it is loaded with, and whether the load needs a signed-in user. */
const TARGETS: Record<string, { args: string[]; path: string; ours: boolean; signedIn: boolean }> = {
  ours: { args: ['dist/main.js'], path: '/api/health', ours: true, signedIn: false },
  read: { args: ['dist/main.js'], path: '/api/assistant-name', ours: true, signedIn: true },
  bare: { args: ['bench/peers.mjs'], path: '/api/health', ours: false, signedIn: false },
  fastify: { args: ['bench/peers.mjs'], path: '/api/health', ours: false, signedIn: false },
  pg: { args: ['--import', 'tsx', 'bench/peers.mjs'], path: '/read', ours: false, signedIn: true },
};
const target = process.env.CG_TARGET ?? 'ours';
const chosen = TARGETS[target];
if (!chosen) throw new Error(`CG_TARGET must be one of ${Object.keys(TARGETS).join(', ')}`);
const warmup = Number(process.env.CG_WARMUP ?? 20_000);
const requests = Number(process.env.CG_REQUESTS ?? 5_000);
const port = 4790;
const health = `http://127.0.0.1:${port}/api/health`;
const url = `http://127.0.0.1:${port}${chosen.path}`;

const DB = 'ev_bench_callgrind';
const env = {
  ...process.env,
  PORT: String(port),
  PEER: target,
  LOG_LEVEL: process.env.LOG_LEVEL ?? (chosen.signedIn ? 'warn' : 'info'),
  SCHEDULER: '0',
  SHUTDOWN_DRAIN_MS: '0',
  VAPI_API_KEY: 'bench-vapi-key',
  DATABASE_URL: databaseUrl(DB),
};
if (chosen.ours || chosen.signedIn) await recreateDatabase(DB);
// The reads need a signed-in user: made by ours at full speed, before the counted server starts.
let headers: Record<string, string> | undefined;
if (chosen.signedIn) {
  const setup = await startServer(['dist/main.js'], env, health);
  headers = { cookie: (await signUp(`http://127.0.0.1:${port}`, env.VAPI_API_KEY)).cookie };
  await stop(setup);
}
const outDir = process.env.CG_KEEP ?? mkdtempSync(join(tmpdir(), 'ev-callgrind-'));
const out = join(outDir, 'callgrind.out');
const valgrindArgs = ['--tool=callgrind', '--instr-atstart=no', '--separate-threads=yes', '--smc-check=all-non-file', `--callgrind-out-file=${out}`];
const server = spawn('valgrind', [...valgrindArgs, process.execPath, ...chosen.args], { env, stdio: ['ignore', 'ignore', 'pipe'] });
let stderr = '';
server.stderr.on('data', (d) => (stderr += d));
// A failed run must not leave the server holding the port.
process.on('exit', () => server.exitCode === null && server.kill('SIGKILL'));

for (const started = Date.now(); ; await sleep(200)) {
  if (server.exitCode !== null) throw new Error(`the server exited under valgrind:\n${stderr}`);
  if (Date.now() - started > 300_000) throw new Error(`${health} did not answer within 5 minutes under valgrind`);
  if (await fetch(health).then((r) => r.ok, () => false)) break;
}
console.error(`${target}: warming up with ${warmup} requests, then counting ${requests}`);
await autocannon({ url, headers, connections: 10, amount: warmup });
const instrumentation = (state: 'on' | 'off') => execFileSync('callgrind_control', ['-i', state, String(server.pid)], { stdio: 'ignore' });
instrumentation('on');
const counted = await autocannon({ url, headers, connections: 10, amount: requests });
instrumentation('off');
server.kill('SIGTERM');
await new Promise((resolve) => server.once('exit', resolve));

// The main thread's file is the first (-01); its `totals:` line sums every function's instructions.
const totals = /^totals: (\d+)/m.exec(readFileSync(`${out}-01`, 'utf8'));
if (!process.env.CG_KEEP) rmSync(outDir, { recursive: true, force: true });
if (!totals) throw new Error('callgrind wrote no totals');
if (counted.non2xx || counted.errors) throw new Error(`${counted.non2xx} non-2xx answers, ${counted.errors} errors while counting`);
const perRequest = Math.round(Number(totals[1]) / counted.requests.total);
const label = chosen.ours ? `ours, ${chosen.path} (LOG_LEVEL=${env.LOG_LEVEL})` : `${target} peer`;
console.log(`${label}: ${perRequest.toLocaleString('en-US')} instructions per request (main thread, ${counted.requests.total} requests)`);
