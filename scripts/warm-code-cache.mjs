// Starts the built server once on a throwaway PGlite database and stops it when V8's code cache
// is written (src/launch.ts), so dist/ holds the cache before it is copied where the server
// cannot write: in the Docker image dist/ belongs to root and the server runs as `node`.
// Usage: node scripts/warm-code-cache.mjs (after npm run build)
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';

const dist = join(resolve(import.meta.dirname, '..'), 'dist');
const codeCaches = () => readdirSync(dist).filter((name) => name.endsWith('.v8cache'));
const dataDir = mkdtempSync(join(tmpdir(), 'ev-warm-'));
const { DATABASE_URL: _unused, ...env } = process.env;
const server = spawn(process.execPath, [join(dist, 'main.js')], {
  env: { ...env, DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0', SCHEDULER: '0', LOG_LEVEL: 'warn' },
  stdio: 'inherit',
});
const exited = once(server, 'exit');
try {
  // A new database (initdb) takes seconds; a minute is for the slowest machine.
  for (const started = Date.now(); codeCaches().length === 0 && server.exitCode === null && Date.now() - started < 60_000; ) await sleep(100);
} finally {
  server.kill('SIGINT');
  await exited;
  rmSync(dataDir, { recursive: true, force: true });
}
if (codeCaches().length === 0) {
  console.error('warm-code-cache: the server did not write its code cache (is dist/ built and writable?)');
  process.exit(1);
}
console.log(`warm-code-cache: ${codeCaches().join(', ')}`);
