// Start-up time to the first 200 from /api/health on PGlite, beside a bare node:http
// process (the floor: what spawning Node and listening costs), measured in the same run.
// Needs `npm run build` first. Usage: node bench/startup.mjs [runs=3]
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const runs = Number(process.argv[2] ?? 3);
let port = 4600;

async function timeToFirst200(args, env) {
  const p = port++;
  const started = performance.now();
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env, PORT: String(p) }, stdio: 'ignore' });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${p}/api/health`);
        if (res.status === 200) return performance.now() - started;
      } catch {
        /* not listening yet */
      }
      if (performance.now() - started > 60_000) throw new Error('no 200 within 60 s');
      await sleep(5);
    }
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
  }
}

const bare = `require('node:http').createServer((q,s)=>{s.setHeader('content-type','application/json');s.end('{"status":"ok"}')}).listen(process.env.PORT,'127.0.0.1')`;
const median = (xs) => xs.sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const results = { baseline: [], fresh: [], restart: [] };
for (let i = 0; i < runs; i++) {
  const dataDir = mkdtempSync(join(tmpdir(), 'ev-bench-'));
  const env = { DATA_DIR: dataDir, LOG_LEVEL: 'warn', SCHEDULER: '0', SHUTDOWN_DRAIN_MS: '0' };
  results.baseline.push(await timeToFirst200(['-e', bare], {}));
  results.fresh.push(await timeToFirst200(['dist/main.js'], env));
  results.restart.push(await timeToFirst200(['dist/main.js'], env));
  rmSync(dataDir, { recursive: true, force: true });
}
const base = median(results.baseline);
console.log(`start-up to first /api/health 200, median of ${runs}`);
console.log('| case | ms | × bare node:http |');
console.log('| --- | ---: | ---: |');
for (const [name, label] of [['baseline', 'bare node:http process'], ['fresh', 'Epoch Voice, new PGlite DATA_DIR (initdb + migrations)'], ['restart', 'Epoch Voice, existing DATA_DIR (restart)']]) {
  const ms = median(results[name]);
  console.log(`| ${label} | ${ms.toFixed(0)} | ${(ms / base).toFixed(1)} |`);
}
