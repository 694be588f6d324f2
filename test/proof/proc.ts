/**
 * Helpers for the proof tests: the REAL server (src/main.ts under tsx) as a child process,
 * a throwaway Postgres database, and the HTTP steps of a first-time user.
 */
import type { CodeCache } from '../../src/lib/code-cache.js';
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import { withDatabase } from '../global-setup.js';

export const ROOT = resolve(import.meta.dirname, '../..');
export const SECRETS = {
  AUTH_SECRET: 'proof-auth-secret',
  CRON_SECRET: 'proof-cron-secret',
  ADMIN_API_KEY: 'proof-admin-key',
  ENCRYPTION_KEY: '0'.repeat(64),
  VAPI_API_KEY: 'proof-vapi-key',
  VAPI_WEBHOOK_SECRET: 'proof-vapi-webhook-secret',
  TWILIO_ACCOUNT_SID: 'AC00000000000000000000000000000001',
  TWILIO_AUTH_TOKEN: 'proof-twilio-auth-token',
  TWILIO_API_KEY: 'SK00000000000000000000000000000001',
  TWILIO_API_SECRET: 'proof-twilio-api-secret',
  TWILIO_TWIML_APP_SID: 'AP00000000000000000000000000000001',
  STRIPE_SECRET_KEY: 'sk_test_proofkey',
  STRIPE_WEBHOOK_SECRET: 'whsec_proofsecret',
  ANTHROPIC_API_KEY: 'sk-ant-proof',
};

export async function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer();
    srv.once('error', rej);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => res(port));
    });
  });
}

/** A scratch directory, made on first use (not for a skipped suite) and removed by `cleanup()`. */
export function scratchDir(prefix: string) {
  let dir: string | undefined;
  return {
    get dir() {
      return (dir ??= mkdtempSync(join(tmpdir(), prefix)));
    },
    cleanup() {
      if (dir) rmSync(dir, { recursive: true, force: true });
      dir = undefined;
    },
  };
}

interface SpawnOptions {
  port: number;
  dataDir: string;
  env?: Record<string, string>;
  built?: boolean;
  uid?: number;
  /** Node's own options, before the script. */
  nodeArgs?: string[];
}

/** One run of the real server. stdout/stderr go to a log file, printed when a test fails. */
export class ServerProcess {
  readonly url: string;
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  private constructor(
    readonly name: string,
    readonly port: number,
    readonly child: ChildProcess,
    readonly logFile: string,
  ) {
    this.url = `http://127.0.0.1:${port}`;
    this.exited = new Promise((res) => child.once('exit', (code, signal) => res({ code, signal })));
  }

  /**
   * Spawns `node --import tsx src/main.ts` (no build needed), or with `built` the build as
   * `npm start` runs it (`node dist/main.js`), with a clean environment: only what the server
   * needs, so nothing from the test run leaks in (no DATABASE_URL unless given: PGlite in
   * DATA_DIR then).
   */
  static spawn(name: string, opts: SpawnOptions & { logDir: string }) {
    const logFile = join(opts.logDir, `${name}.log`);
    const fd = openSync(logFile, 'a');
    const env: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      HOME: process.env.HOME ?? tmpdir(),
      NODE_ENV: 'test',
      HOST: '127.0.0.1',
      PORT: String(opts.port),
      APP_URL: `http://127.0.0.1:${opts.port}`,
      DATA_DIR: opts.dataDir,
      SANDBOX: '1',
      SCHEDULER: '0',
      SHUTDOWN_DRAIN_MS: '0',
      LOG_LEVEL: 'warn',
      ...SECRETS,
      ...opts.env,
    };
    const args = [...(opts.nodeArgs ?? []), ...(opts.built ? ['dist/main.js'] : ['--import', 'tsx', 'src/main.ts'])];
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', fd, fd], ...(opts.uid !== undefined && { uid: opts.uid, gid: opts.uid }) });
    closeSync(fd);
    return new ServerProcess(name, opts.port, child, logFile);
  }

  /** Resolves once GET /api/health answers 200; rejects if the process exits first. */
  async ready(timeoutMs = 60_000) {
    const started = Date.now();
    let exited = false;
    void this.exited.then(() => (exited = true));
    for (;;) {
      if (exited) throw new Error(`${this.name} exited before it was ready:\n${this.log()}`);
      try {
        if ((await fetch(`${this.url}/api/health`)).status === 200) return Date.now() - started;
      } catch {
        /* not listening yet */
      }
      if (Date.now() - started > timeoutMs) throw new Error(`${this.name} not ready after ${timeoutMs} ms:\n${this.log()}`);
      await sleep(25);
    }
  }

  get running() {
    return this.child.exitCode === null && this.child.signalCode === null;
  }

  /** SIGKILL now (no graceful close, nothing flushed by us) and wait for the exit. */
  async kill(signal: NodeJS.Signals = 'SIGKILL') {
    if (this.running) this.child.kill(signal);
    return this.exited;
  }

  log() {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '(no log)';
    }
  }

  /** Its "ready" log line: the database it opened and when each start-up step was done (ms since the process started). */
  readyLine() {
    const entry = this.logEntries().find((e) => String(e.msg).startsWith('Epoch Voice ready'));
    if (!entry) throw new Error(`${this.name} logged no ready line (LOG_LEVEL info?)`);
    return entry as {
      database: 'pglite' | 'postgres';
      startup: Record<'modulesMs' | 'databaseMs' | 'migratedMs' | 'appMs' | 'listeningMs', number>;
      /** The built server only (src/launch.ts). */
      codeCache?: CodeCache['status'];
    };
  }

  /** Its log's JSON lines, parsed (a plain line, from Node or tsx, is skipped). */
  logEntries(): Array<Record<string, unknown>> {
    return this.log()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }
}

/** Keeps every server a test file started: logs on failure, kill them all in afterAll. */
export class Fleet {
  readonly servers: ServerProcess[] = [];
  private logs?: ReturnType<typeof scratchDir>;
  start(name: string, opts: SpawnOptions) {
    this.logs ??= scratchDir('ev-proof-logs-');
    const s = ServerProcess.spawn(name, { ...opts, logDir: this.logs.dir });
    this.servers.push(s);
    return s;
  }
  printLogs() {
    for (const s of this.servers) console.error(`----- ${s.name} (${s.url}) log -----\n${s.log().slice(-20_000)}`);
  }
  async killAll() {
    await Promise.all(this.servers.map((s) => s.kill('SIGKILL')));
    this.logs?.cleanup();
    this.logs = undefined;
  }
}

/** A fresh, empty Postgres database (the server migrates it); dropped by `drop()`. */
export async function createPostgresDatabase(adminUrl: string, prefix: string) {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: adminUrl });
  await admin.connect();
  try {
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
  return {
    name,
    url: withDatabase(adminUrl, name),
    async drop() {
      const a = new pg.Client({ connectionString: adminUrl });
      await a.connect();
      try {
        await a.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
      } finally {
        await a.end();
      }
    },
  };
}

/**
 * For one describe block: a fresh Postgres database, a client on it, and servers of `fleet`
 * started on it with one shared DATA_DIR; everything is torn down after the block.
 */
export function postgresServers(fleet: Fleet, adminUrl: string, prefix: string) {
  let database: Awaited<ReturnType<typeof createPostgresDatabase>>;
  let client: pg.Client;
  const data = scratchDir('ev-proof-data-');
  beforeAll(async () => {
    database = await createPostgresDatabase(adminUrl, prefix);
    client = new pg.Client({ connectionString: database.url });
    await client.connect();
  });
  afterAll(async () => {
    await fleet.killAll();
    await client?.end();
    await database?.drop();
    data.cleanup();
  });
  return {
    get client() {
      return client;
    },
    get url() {
      return database.url;
    },
    async start(name: string) {
      const server = fleet.start(name, { port: await freePort(), dataDir: data.dir, env: { DATABASE_URL: database.url } });
      await server.ready();
      return server;
    },
    rows: async <T extends pg.QueryResultRow>(text: string, values: unknown[] = []) => (await client.query<T>(text, values)).rows,
  };
}

type Json = Record<string, unknown>;

export async function post(base: string, path: string, body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
}

async function expectStatus(res: Response, status: number, what: string) {
  if (res.status !== status) throw new Error(`${what}: ${res.status} ${await res.text()}`);
  return res;
}

export const cookieOf = (res: Response, name: string) =>
  res.headers
    .getSetCookie()
    .find((c) => c.startsWith(`${name}=`))
    ?.split(';')[0];

/** NextAuth login: csrf, then credentials. `csrfBase` lets the two steps hit different nodes. */
export async function login(base: string, email: string, password: string, csrfBase = base) {
  const csrf = await expectStatus(await fetch(`${csrfBase}/api/auth/csrf`), 200, 'csrf');
  const csrfCookie = cookieOf(csrf, 'next-auth.csrf-token')!;
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await expectStatus(
    await post(base, '/api/auth/callback/credentials', { csrfToken, email, password, json: true }, { cookie: csrfCookie }),
    200,
    'login',
  );
  return cookieOf(res, 'next-auth.session-token')!;
}

/** Registers an organization on PRO, logs in and registers an assistant from the VAPI emulator. */
export async function ownerWithAssistant(base: string) {
  const email = `proof-${randomBytes(5).toString('hex')}@example.com`;
  const password = 'proofpass123';
  const reg = await expectStatus(
    await post(base, '/api/auth/register', { name: 'Proof', email, password, organizationName: 'Proof Dental' }),
    201,
    'register',
  );
  const { organizationId } = (await reg.json()) as { organizationId: string };
  await expectStatus(
    await fetch(`${base}/api/admin/organizations/${organizationId}`, {
      method: 'PATCH',
      headers: { 'content-type': 'application/json', 'x-admin-key': SECRETS.ADMIN_API_KEY },
      body: JSON.stringify({ plan: 'PRO' }),
    }),
    200,
    'set plan',
  );
  const cookie = await login(base, email, password);
  const remote = (await (
    await expectStatus(
      await post(base, '/sandbox/vapi/assistant', { name: 'Proof', model: { provider: 'openai', model: 'gpt-4o', messages: [] } }, {
        authorization: `Bearer ${SECRETS.VAPI_API_KEY}`,
      }),
      201,
      'emulator assistant',
    )
  ).json()) as Json;
  await expectStatus(await post(base, '/api/assistants', { vapiAssistantId: remote.id, name: 'Proof' }, { cookie }), 201, 'assistant');
  return { organizationId, email, password, cookie, vapiAssistantId: remote.id as string };
}

/** A distinct end-of-call-report of exactly `seconds` (whole seconds: the ledger's unit). */
export function endOfCallReport(callId: string, vapiAssistantId: string, seconds: number) {
  const startedAt = new Date(Date.now() - 2 * 3600_000);
  const endedAt = new Date(startedAt.getTime() + seconds * 1000);
  return {
    message: {
      type: 'end-of-call-report',
      timestamp: endedAt.getTime(),
      endedReason: 'customer-ended-call',
      startedAt: startedAt.toISOString(),
      endedAt: endedAt.toISOString(),
      call: { id: callId, type: 'inboundPhoneCall', status: 'ended', assistantId: vapiAssistantId, customer: { number: '+15551234567' } },
      artifact: { transcript: 'AI: Thanks for calling.\nUser: Hi.' },
      analysis: { summary: 'Proof call.' },
    },
  };
}

export const postVapi = (base: string, body: unknown) => post(base, '/api/webhooks/vapi', body, { 'x-vapi-secret': SECRETS.VAPI_WEBHOOK_SECRET });
