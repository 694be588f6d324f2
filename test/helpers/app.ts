import { readFileSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { inject } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import { withDatabase } from '../global-setup.js';

/** A clock tests can move: token expiry and sliding sessions without sleeping. */
export function testClock(start = new Date()) {
  let offsetMs = 0;
  return {
    now: () => new Date(start.getTime() + offsetMs + (Date.now() - startedAt)),
    advance(ms: number) {
      offsetMs += ms;
    },
  };
}
const startedAt = Date.now();

/** A fresh, migrated database for one test file: PGlite from the dump, or a Postgres copy. */
export async function freshDatabase(): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  if (url) {
    const name = `ev_t_${process.ppid}_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE DATABASE ${name} TEMPLATE ${inject('postgresTemplate')}`);
    } finally {
      await admin.end();
    }
    return openDatabase({ databaseUrl: withDatabase(url, name), poolSize: 4 });
  }
  const dump = new Blob([readFileSync(inject('pgliteTemplate'))]);
  return openDatabase({ dataDir: 'memory://', loadDataDir: dump });
}

export function testConfig(env: Record<string, string> = {}): Config {
  return loadConfig({
    NODE_ENV: 'test',
    SANDBOX: '1',
    SCHEDULER: '0',
    LOG_LEVEL: 'silent',
    DATA_DIR: '/tmp/ev-test-unused',
    APP_URL: 'http://127.0.0.1:3000',
    AUTH_SECRET: 'test-auth-secret',
    CRON_SECRET: 'test-cron-secret',
    ADMIN_API_KEY: 'test-admin-key',
    ENCRYPTION_KEY: '0'.repeat(64),
    AUTH_RATE_LIMIT_PER_MIN: '1000',
    VAPI_API_KEY: 'test-vapi-key',
    VAPI_WEBHOOK_SECRET: 'test-vapi-webhook-secret',
    TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
    TWILIO_AUTH_TOKEN: 'test-twilio-auth-token',
    TWILIO_API_KEY: 'SK00000000000000000000000000000001',
    TWILIO_API_SECRET: 'test-twilio-api-secret',
    TWILIO_TWIML_APP_SID: 'AP00000000000000000000000000000001',
    STRIPE_SECRET_KEY: 'sk_test_testkey',
    STRIPE_WEBHOOK_SECRET: 'whsec_testsecret',
    ANTHROPIC_API_KEY: 'sk-ant-test',
    ...env,
  });
}

export interface TestApp {
  app: FastifyInstance;
  database: Database;
  clock: ReturnType<typeof testClock>;
  config: Config;
  close(): Promise<void>;
}

interface TestAppOptions {
  env?: Record<string, string>;
  database?: Database;
  allowLoopbackFetch?: boolean;
  /** Log lines (JSON, at LOG_LEVEL) go here; without it the app does not log. */
  logStream?: { write(line: string): void };
}

export async function buildTestApp(opts: TestAppOptions = {}): Promise<TestApp> {
  const config = testConfig(opts.env);
  const database = opts.database ?? (await freshDatabase());
  const clock = testClock();
  const app = await buildApp(config, {
    database,
    now: clock.now,
    logger: opts.logStream !== undefined,
    logStream: opts.logStream,
    allowLoopbackFetchForTests: opts.allowLoopbackFetch,
  });
  await app.ready();
  return {
    app,
    database,
    clock,
    config,
    async close() {
      await app.close();
      if (!opts.database) await database.close();
    },
  };
}

/**
 * A log stream for `logStream` that keeps every line parsed, in order (the request log writes
 * the lines of one event-loop turn in one write, so a write may hold several).
 */
export function parsedLogs() {
  const lines: Array<Record<string, unknown>> = [];
  const stream = { write: (text: string) => text.split('\n').filter(Boolean).forEach((line) => lines.push(JSON.parse(line))) };
  return { lines, stream };
}

/** A free loopback port (tiny race with the next listen; fine for tests). */
async function freePort(): Promise<number> {
  const { createServer } = await import('node:net');
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}

/**
 * The app listening on a real loopback port, with APP_URL pointing at it: the SDK clients
 * reach their emulators over HTTP and emulators' webhooks reach our routes, as in production.
 */
export async function buildListeningApp(opts: TestAppOptions = {}) {
  const port = await freePort();
  const t = await buildTestApp({
    ...opts,
    env: { HOST: '127.0.0.1', PORT: String(port), APP_URL: `http://127.0.0.1:${port}`, ...opts.env },
  });
  await t.app.listen({ host: '127.0.0.1', port });
  return { ...t, baseUrl: `http://127.0.0.1:${port}` };
}
