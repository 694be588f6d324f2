/**
 * The built server as `npm start` runs it: `node dist/main.js`, the launcher that compiles our
 * code and the packages every start loads, bundled by esbuild (scripts/build-server.mjs) into
 * dist/server.cjs, with V8's code cache. The rest of the suite runs src; this catches what only
 * the bundle could break: a package that reads its own files, an import left out of the bundle
 * that does not load from dist/, a path found from the module's place, a code cache not written
 * or not used. Skipped without a build (`npm run build`; CI builds before testing). On Postgres
 * (TEST_DATABASE_URL) the build runs on a fresh database, so its driver (kept out of the bundle)
 * is loaded too.
 */
import { afterAll, describe, expect, inject, it, onTestFailed, onTestFinished } from 'vitest';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { dirname, join } from 'node:path';
import { openDatabase } from '../../src/db/client.js';
import { minutesOf } from '../../src/domain/calls.js';
import { makeDocx, makePdf } from '../helpers/documents.js';
import { tickCacheStates } from '../helpers/tick-caches.js';
import { Fleet, ROOT, createPostgresDatabase, endOfCallReport, freePort, ownerWithAssistant, postVapi, scratchDir } from './proc.js';

const DIST = join(ROOT, 'dist');
const PG_URL = process.env.TEST_DATABASE_URL;
const REDIS_URL = process.env.TEST_REDIS_URL;
const fleet = new Fleet();
const data = scratchDir('ev-proof-built-');
const databases: Array<Awaited<ReturnType<typeof createPostgresDatabase>>> = [];
afterAll(async () => {
  await fleet.killAll();
  await Promise.all(databases.map((db) => db.drop()));
  data.cleanup();
});

/** Postgres: a fresh database the server migrates. PGlite: an existing DATA_DIR (the migrated template), so the start is a restart. */
async function databaseEnv(dataDir: string): Promise<Record<string, string>> {
  if (PG_URL) {
    const database = await createPostgresDatabase(PG_URL, 'ev_built');
    databases.push(database);
    return { DATABASE_URL: database.url };
  }
  const seed = await openDatabase({ dataDir: `${dataDir}/pglite`, loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
  await seed.close();
  return {};
}

/** The unprivileged user (nobody) the read-only test runs the server as. */
const NOBODY = 65534;
/** Whether a user other than the owner may pass through every directory down to `path`. */
const othersCanReach = (path: string): boolean => (statSync(path).mode & 0o001) !== 0 && (dirname(path) === path || othersCanReach(dirname(path)));
const codeCaches = () => readdirSync(DIST).filter((name) => name.endsWith('.v8cache'));

describe.skipIf(!existsSync(join(DIST, 'main.js')))('the built server (dist/)', () => {
  it('starts and serves the API, the dashboard, the docs and the widget', async () => {
    onTestFailed(() => fleet.printLogs());
    const server = fleet.start('built', { port: await freePort(), dataDir: data.dir, env: { LOG_LEVEL: 'info', ...(await databaseEnv(data.dir)) }, built: true });
    const readyMs = await server.ready();
    const ready = server.readyLine();
    console.log(`[built-server] first 200 after ${readyMs} ms; each step done at ms since the process started: ${JSON.stringify(ready.startup)}`);
    expect(ready.database).toBe(PG_URL ? 'postgres' : 'pglite');

    for (const [path, type] of [
      ['/', 'text/html'],
      ['/docs/', 'text/html'],
      ['/docs/static/swagger-ui.css', 'text/css'],
      ['/widget.js', 'javascript'],
      ['/api/openapi.json', 'application/json'],
    ] as const) {
      const res = await fetch(`${server.url}${path}`);
      expect(res.status, path).toBe(200);
      expect(res.headers.get('content-type'), path).toContain(type);
    }
    // Sign-up (argon2's native addon), the sandbox emulators, a verified webhook and the ledger.
    const owner = await ownerWithAssistant(server.url);
    expect((await postVapi(server.url, endOfCallReport('built_call_1', owner.vapiAssistantId, 125))).status).toBe(200);
    const usage = await fetch(`${server.url}/api/usage`, { headers: { cookie: owner.cookie } });
    expect(((await usage.json()) as { snapshot: { minutesUsed: number } }).snapshot.minutesUsed).toBe(minutesOf(125));
  });

  it('loads every package left out of the bundle from dist/, as the bundle does (provider SDKs, parsers, the database drivers)', () => {
    const keptOut = JSON.parse(readFileSync(join(DIST, 'server-externals.json'), 'utf8')) as string[];
    expect(keptOut).toEqual(expect.arrayContaining(['pg', '@electric-sql/pglite', 'stripe', 'twilio', 'ioredis', 'pdf-parse']));
    const script = `const requireFromDist = require('node:module').createRequire(${JSON.stringify(join(DIST, 'server.cjs'))}); for (const specifier of ${JSON.stringify(keptOut)}) requireFromDist(specifier);`;
    const run = spawnSync(process.execPath, ['-e', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });

  it('is ASCII, so V8 holds the bundle as a one-byte string (the launcher reads it as latin1)', () => {
    const bundle = readFileSync(join(DIST, 'server.cjs'));
    expect(bundle.findIndex((byte) => byte > 0x7f)).toBe(-1);
  });

  it('writes V8\'s code cache at the first start and compiles from it at the next', async () => {
    onTestFailed(() => fleet.printLogs());
    const dir = `${data.dir}/code-cache`;
    const env = { LOG_LEVEL: 'info', ...(await databaseEnv(dir)) };
    for (const name of codeCaches()) rmSync(join(DIST, name));

    const first = fleet.start('built-cold', { port: await freePort(), dataDir: dir, env, built: true });
    await first.ready();
    expect(first.readyLine().codeCache).toBe('none');
    for (const started = Date.now(); codeCaches().length === 0 && Date.now() - started < 10_000; ) await sleep(50);
    expect(codeCaches()).toHaveLength(1);
    await first.kill('SIGTERM');

    // From the cache, the packages loaded on first use still load: the PDF and DOCX parsers, and
    // Redis for the rate limits where the run has one (V8 drops import() callbacks from cached code).
    const second = fleet.start('built-warm', { port: await freePort(), dataDir: dir, env: { ...env, ...(REDIS_URL && { REDIS_URL }) }, built: true });
    await second.ready();
    expect(second.readyLine().codeCache).toBe('used');
    const owner = await ownerWithAssistant(second.url);
    for (const [name, data] of [
      ['handbook.pdf', makePdf(['Office policy: arrive 10 minutes early.'])],
      ['prices.docx', await makeDocx(['Cleaning: $120'])],
    ] as const) {
      const form = new FormData();
      form.append('file', new Blob([new Uint8Array(data)]), name);
      const res = await fetch(`${second.url}/api/kb/upload`, { method: 'POST', headers: { cookie: owner.cookie }, body: form });
      expect(res.status, `${name}: ${await res.clone().text()}`).toBe(200);
    }
    const kb = (await (await fetch(`${second.url}/api/kb`, { headers: { cookie: owner.cookie } })).json()) as { sections: Array<{ text: string }> };
    const texts = kb.sections.map((section) => section.text).join('\n');
    expect(texts).toContain('arrive 10 minutes early');
    expect(texts).toContain('Cleaning: $120');
  });

  it("keeps Node's tick objects monomorphic through full garbage collections (src/lib/tick-shape.ts)", async () => {
    onTestFailed(() => fleet.printLogs());
    const dir = `${data.dir}/tick-shape`;
    // Given SIGUSR2, the probe makes a full collection every 50 ms; given it again, it stops and prints nextTick's feedback.
    const probe = join(data.dir, 'gc-probe.cjs');
    writeFileSync(
      probe,
      `let timer;
      process.on('SIGUSR2', () => {
        if (!timer) return void (timer = setInterval(globalThis.gc, 50));
        clearInterval(timer);
        new Function('f', '%DebugPrint(f)')(process.nextTick);
      });`,
    );
    const server = fleet.start('built-gc', {
      port: await freePort(),
      dataDir: dir,
      env: await databaseEnv(dir),
      built: true,
      nodeArgs: ['--allow-natives-syntax', '--expose-gc', '--require', probe],
    });
    // Its flags differ from a plain start's, so V8 rejects the code cache; this start's cache is not the next one's.
    onTestFinished(() => {
      for (const name of codeCaches()) rmSync(join(DIST, name));
    });
    await server.ready();
    server.child.kill('SIGUSR2');
    // Requests between collections: ticks made, none alive when the next collection comes.
    for (let i = 0; i < 20; i++) {
      expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
      await sleep(60);
    }
    server.child.kill('SIGUSR2');
    let states: string[] = [];
    for (const started = Date.now(); states.length < 4 && Date.now() - started < 10_000; await sleep(50)) states = tickCacheStates(server.log());
    expect(states.length).toBeGreaterThanOrEqual(4);
    expect(states.every((state) => state === 'MONOMORPHIC'), states.join(', ')).toBe(true);
    await server.kill('SIGTERM');
  });

  // As the Docker image runs it: dist/ belongs to root, the server to an unprivileged user.
  // Root only, and only where that user can reach the checkout (a clone in mkdtemp's 0700 is not).
  it.skipIf(process.getuid?.() !== 0 || !existsSync(DIST) || !othersCanReach(DIST))('starts and serves where it cannot write dist/, and writes no code cache there', async () => {
    onTestFailed(() => fleet.printLogs());
    const home = scratchDir('ev-proof-read-only-');
    onTestFinished(home.cleanup);
    chmodSync(home.dir, 0o755); // mkdtemp's 0700 would keep the user out
    const dir = join(home.dir, 'data');
    const env = { LOG_LEVEL: 'info', ...(await databaseEnv(dir)) };
    mkdirSync(dir, { recursive: true }); // on Postgres it holds only the generated secrets
    execFileSync('chown', ['-R', `${NOBODY}:${NOBODY}`, dir]);
    for (const name of codeCaches()) rmSync(join(DIST, name));
    const server = fleet.start('built-read-only', { port: await freePort(), dataDir: dir, env, built: true, uid: NOBODY });
    await server.ready();
    expect(server.readyLine().codeCache).toBe('none');
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    // The cache would be written right after the ready line, before the first request is served.
    expect(codeCaches()).toEqual([]);
  });

  it('replaces a code cache V8 rejects (written by another Node or other flags, or damaged): that start compiles the bundle, serves, and writes one the next start uses', async () => {
    onTestFailed(() => fleet.printLogs());
    const dir = `${data.dir}/rejected-cache`;
    const env = { LOG_LEVEL: 'info', ...(await databaseEnv(dir)) };
    const seeded = fleet.start('built-seed', { port: await freePort(), dataDir: dir, env, built: true });
    await seeded.ready();
    for (const started = Date.now(); codeCaches().length === 0 && Date.now() - started < 10_000; ) await sleep(50);
    await seeded.kill('SIGTERM');
    const [name] = codeCaches();
    expect(name).toBeDefined();
    const cacheFile = join(DIST, name!);
    const damaged = readFileSync(cacheFile);
    damaged.fill(0x5a, 0, 64); // V8's header: magic number, version, source and flag hashes, checksum
    writeFileSync(cacheFile, damaged);

    const rejected = fleet.start('built-rejected', { port: await freePort(), dataDir: dir, env, built: true });
    await rejected.ready();
    expect(rejected.readyLine().codeCache).toBe('rejected');
    expect((await fetch(`${rejected.url}/api/health`)).status).toBe(200);
    for (const started = Date.now(); readFileSync(cacheFile).subarray(0, 64).every((b) => b === 0x5a) && Date.now() - started < 10_000; ) await sleep(50);
    await rejected.kill('SIGTERM');

    const next = fleet.start('built-after-rejected', { port: await freePort(), dataDir: dir, env, built: true });
    await next.ready();
    expect(next.readyLine().codeCache).toBe('used');
  });
});
