// The dashboard's weight and its Lighthouse scores: the JS/CSS of dist/web (raw and gzip,
// first load vs pages loaded on demand), then Lighthouse's performance and accessibility
// categories for /login and the signed-in /dashboard, desktop and mobile presets, against
// `node dist/main.js` on a fresh PGlite DATA_DIR with Debian's Chromium. Offline; builds
// nothing: run `npm run build` first. Usage: node bench/lighthouse.mjs [runs=3]
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { gzipSync } from 'node:zlib';
// Not a dependency of the project (its `third-party-web@latest` makes the lock file drift and
// `npm ci` fail): `npm run bench:lighthouse` installs it without saving first.
const { default: lighthouse } = await import('lighthouse');
const { default: desktopConfig } = await import('lighthouse/core/config/desktop-config.js');

const CHROMIUM = process.env.CHROME_PATH ?? '/usr/bin/chromium';
const WEB = 'dist/web';
const runs = Number(process.argv[2] ?? 3);

const kb = (bytes) => (bytes / 1024).toFixed(1);

/** Every JS and CSS file of the build, split by whether index.html loads it up front. */
function bundleTable() {
  const html = readFileSync(`${WEB}/index.html`, 'utf8');
  const initial = new Set([...html.matchAll(/(?:src|href)="\/(assets\/[^"]+\.(?:js|css))"/g)].map((m) => m[1]));
  const rows = { initial: { files: 0, raw: 0, gzip: 0 }, lazy: { files: 0, raw: 0, gzip: 0 } };
  for (const name of readdirSync(`${WEB}/assets`).filter((f) => /\.(js|css)$/.test(f))) {
    const body = readFileSync(`${WEB}/assets/${name}`);
    const row = rows[initial.has(`assets/${name}`) ? 'initial' : 'lazy'];
    row.files += 1;
    row.raw += body.length;
    row.gzip += gzipSync(body).length;
  }
  console.log('| dist/web JS + CSS | files | raw KiB | gzip KiB |');
  console.log('| --- | ---: | ---: | ---: |');
  for (const [label, r] of [['first load (index.html)', rows.initial], ['loaded on demand (lazy pages, shared chunks)', rows.lazy]]) {
    console.log(`| ${label} | ${r.files} | ${kb(r.raw)} | ${kb(r.gzip)} |`);
  }
}

async function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** Spawns a process and resolves once `ready()` answers true; the caller kills it. */
async function startUntil(command, args, env, ready) {
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const until = Date.now() + 60_000;
  for (;;) {
    const answer = await ready(stderr);
    if (answer) return { child, answer };
    if (child.exitCode !== null || Date.now() > until) throw new Error(`${command} did not start:\n${stderr}`);
    await sleep(50);
  }
}

async function stop(child) {
  if (child.exitCode !== null) return;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  child.kill('SIGTERM');
  await exited;
}

/** A new owner's session cookie, through the NextAuth-style login. */
async function signUp(base) {
  const post = (path, body, headers = {}) =>
    fetch(base + path, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  const account = { name: 'Jane Smith', email: 'jane@harbordental.example', password: 'securepass123', organizationName: 'Harbor Dental' };
  const registered = await post('/api/auth/register', account);
  if (registered.status !== 201) throw new Error(`register: ${registered.status} ${await registered.text()}`);
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const csrfCookie = csrf.headers.getSetCookie()[0].split(';')[0];
  const { csrfToken } = await csrf.json();
  const login = await post('/api/auth/callback/credentials', { csrfToken, email: account.email, password: account.password }, { cookie: csrfCookie });
  const session = login.headers.getSetCookie().find((c) => c.includes('next-auth.session-token'));
  if (!session) throw new Error(`login: ${login.status} ${await login.text()}`);
  return session.split(';')[0];
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

bundleTable();

const dataDir = mkdtempSync(join(tmpdir(), 'ev-lighthouse-'));
const appPort = await freePort();
const base = `http://127.0.0.1:${appPort}`;
const server = await startUntil(
  process.execPath,
  ['dist/main.js'],
  { DATA_DIR: dataDir, PORT: String(appPort), LOG_LEVEL: 'warn', SCHEDULER: '0' },
  async () => (await fetch(`${base}/api/health`).catch(() => null))?.ok,
);
const chrome = await startUntil(
  CHROMIUM,
  ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run', `--user-data-dir=${join(dataDir, 'chromium')}`, '--remote-debugging-port=0', 'about:blank'],
  {},
  (stderr) => Number(/DevTools listening on ws:\/\/[^:]+:(\d+)\//.exec(stderr)?.[1]) || undefined,
);

try {
  const cookie = await signUp(base);
  console.log(`\nLighthouse ${runs === 1 ? '(one run)' : `(median of ${runs} runs)`}, Chromium ${CHROMIUM}, scores out of 100`);
  console.log('| page | preset | performance | accessibility | FCP ms | LCP ms | TBT ms | CLS |');
  console.log('| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const [path, headers] of [['/login', {}], ['/dashboard', { Cookie: cookie }]]) {
    for (const [preset, config] of [['desktop', desktopConfig], ['mobile', undefined]]) {
      const results = [];
      for (let i = 0; i < runs; i++) {
        const { lhr } = await lighthouse(
          base + path,
          { port: chrome.answer, output: 'json', logLevel: 'error', onlyCategories: ['performance', 'accessibility'], extraHeaders: headers },
          config,
        );
        if (lhr.runtimeError) throw new Error(`${path} ${preset}: ${lhr.runtimeError.message}`);
        if (new URL(lhr.finalDisplayedUrl).pathname !== path) throw new Error(`${path} ${preset}: ended on ${lhr.finalDisplayedUrl}`);
        results.push(lhr);
      }
      const m = (pick) => median(results.map(pick));
      const audit = (id) => (lhr) => lhr.audits[id].numericValue;
      console.log(
        `| ${path} | ${preset} | ${m((r) => r.categories.performance.score * 100)} | ${m((r) => r.categories.accessibility.score * 100)} | ` +
          `${m(audit('first-contentful-paint')).toFixed(0)} | ${m(audit('largest-contentful-paint')).toFixed(0)} | ` +
          `${m(audit('total-blocking-time')).toFixed(0)} | ${m(audit('cumulative-layout-shift')).toFixed(3)} |`,
      );
    }
  }
} finally {
  await stop(chrome.child);
  await stop(server.child);
  rmSync(dataDir, { recursive: true, force: true });
}
