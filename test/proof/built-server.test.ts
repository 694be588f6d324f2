/**
 * The built server as `npm start` runs it: `node dist/main.js`, our code and the packages every
 * start loads bundled by esbuild (scripts/build-server.mjs). The rest of the suite runs src; this
 * catches what only the bundle could break: a package that reads its own files, a chunk whose
 * imports do not resolve from dist/, a path found from the module's place. Skipped without a
 * build (`npm run build`; CI builds before testing). On Postgres (TEST_DATABASE_URL) the build
 * runs on a fresh database, so its driver (kept out of the bundle) is loaded too.
 */
import { afterAll, describe, expect, inject, it, onTestFailed } from 'vitest';
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openDatabase } from '../../src/db/client.js';
import { minutesOf } from '../../src/domain/calls.js';
import { Fleet, ROOT, createPostgresDatabase, endOfCallReport, freePort, ownerWithAssistant, postVapi, scratchDir } from './proc.js';

const DIST = join(ROOT, 'dist');
const PG_URL = process.env.TEST_DATABASE_URL;
const fleet = new Fleet();
const data = scratchDir('ev-proof-built-');
let database: Awaited<ReturnType<typeof createPostgresDatabase>> | undefined;
afterAll(async () => {
  await fleet.killAll();
  await database?.drop();
  data.cleanup();
});

/** Postgres: a fresh database the server migrates. PGlite: an existing DATA_DIR (the migrated template), so the start is a restart. */
async function databaseEnv(): Promise<Record<string, string>> {
  if (PG_URL) {
    database = await createPostgresDatabase(PG_URL, 'ev_built');
    return { DATABASE_URL: database.url };
  }
  const seed = await openDatabase({ dataDir: `${data.dir}/pglite`, loadDataDir: new Blob([readFileSync(inject('pgliteTemplate'))]) });
  await seed.close();
  return {};
}

describe.skipIf(!existsSync(join(DIST, 'main.js')))('the built server (dist/)', () => {
  it('starts and serves the API, the dashboard, the docs and the widget', async () => {
    onTestFailed(() => fleet.printLogs());
    const server = fleet.start('built', { port: await freePort(), dataDir: data.dir, env: { LOG_LEVEL: 'info', ...(await databaseEnv()) }, built: true });
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

  it('loads every chunk of the build, the ones imported on first use too (provider adapters, website analysis, the Postgres driver)', () => {
    const chunks = readdirSync(join(DIST, 'chunks')).filter((name) => name.endsWith('.js'));
    expect(chunks.length).toBeGreaterThan(10);
    const urls = chunks.map((name) => pathToFileURL(join(DIST, 'chunks', name)).href);
    const run = spawnSync(process.execPath, ['--input-type=module', '-e', `for (const url of ${JSON.stringify(urls)}) await import(url);`], {
      cwd: ROOT,
      encoding: 'utf8',
      timeout: 60_000,
    });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
