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

export async function buildTestApp(opts: { env?: Record<string, string>; database?: Database } = {}): Promise<TestApp> {
  const config = testConfig(opts.env);
  const database = opts.database ?? (await freshDatabase());
  const clock = testClock();
  const app = await buildApp(config, { database, now: clock.now, logger: false });
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
