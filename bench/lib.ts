import { spawn, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import autocannon from 'autocannon';
import pg from 'pg';

export interface LoadResult {
  rps: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
}

/** autocannon for a fixed time against one URL; requests/s and latency percentiles (ms). */
export async function load(
  url: string,
  opts: { connections?: number; seconds?: number; headers?: Record<string, string>; method?: 'GET' | 'POST'; body?: string } = {},
): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: opts.connections ?? 50,
    duration: opts.seconds ?? 5,
    headers: opts.headers,
    method: opts.method ?? 'GET',
    body: opts.body,
  });
  return {
    rps: Math.round(result.requests.average),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

export interface Target {
  url: string;
  headers?: Record<string, string>;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * Load on two endpoints in alternating short rounds after a warm-up of each, so both see
 * the same machine: on a shared VM the speed drifts by half within a minute, and two
 * back-to-back runs would measure the drift. Each figure is the median over the rounds,
 * and `ratios` holds each round's subject ÷ reference (ratioCell prints their median and range).
 */
export async function compare(reference: Target, subject: Target, opts: { rounds?: number; seconds?: number; warmupSeconds?: number } = {}) {
  const rounds = opts.rounds ?? 5;
  const seconds = opts.seconds ?? 2;
  for (const t of [reference, subject]) await load(t.url, { seconds: opts.warmupSeconds ?? seconds, headers: t.headers });
  const refs: LoadResult[] = [];
  const subs: LoadResult[] = [];
  for (let i = 0; i < rounds; i++) {
    refs.push(await load(reference.url, { seconds, headers: reference.headers }));
    subs.push(await load(subject.url, { seconds, headers: subject.headers }));
  }
  const summary = (rs: LoadResult[]): LoadResult => ({
    rps: median(rs.map((r) => r.rps)),
    p50: median(rs.map((r) => r.p50)),
    p99: median(rs.map((r) => r.p99)),
    errors: rs.reduce((n, r) => n + r.errors, 0),
    non2xx: rs.reduce((n, r) => n + r.non2xx, 0),
  });
  const ratios = subs.map((s, i) => s.rps / refs[i]!.rps);
  for (const [t, r] of [[reference, summary(refs)], [subject, summary(subs)]] as const) {
    // A refused request is cheap: a ratio over them would measure the wrong thing.
    if (r.errors || r.non2xx) throw new Error(`${t.url}: ${r.non2xx} non-2xx answers and ${r.errors} errors under load`);
  }
  return { reference: summary(refs), subject: summary(subs), ratios };
}

/** The median of per-round ratios and, in brackets, the lowest and highest round: how far this run's own rounds agree. */
export const ratioCell = (ratios: number[]) => `${median(ratios).toFixed(2)} (${Math.min(...ratios).toFixed(2)}–${Math.max(...ratios).toFixed(2)})`;

/** Starts a Node process and waits until `url` answers 200. */
export async function startServer(args: string[], env: Record<string, string>, url: string, command = process.execPath): Promise<ChildProcess> {
  // Its own process group, so stop() reaches the server behind a wrapper (npm start) too.
  const child = spawn(command, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit'], detached: true });
  const started = Date.now();
  for (;;) {
    try {
      if ((await fetch(url)).status === 200) return child;
    } catch {
      /* not up yet */
    }
    if (Date.now() - started > 60_000) throw new Error(`${url} did not answer within 60 s`);
    await sleep(20);
  }
}

export async function stop(child: ChildProcess) {
  process.kill(-child.pid!, 'SIGTERM');
  await new Promise((r) => child.once('exit', r));
}

export const ratio = (a: number, b: number) => (b > 0 ? (a / b).toFixed(2) : 'n/a');

const ADMIN_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** A database's URL on BENCH_DATABASE_URL's server. */
export function databaseUrl(name: string) {
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  return url.href;
}

/** Drops and creates a benchmark database on that server. */
export async function recreateDatabase(name: string) {
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${name}`);
  } finally {
    await admin.end();
  }
}

/**
 * autocannon POSTing a fresh body per request (`next()`); answers/s counts 2xx only, since
 * a webhook that failed stored nothing.
 */
export async function loadPosts(url: string, opts: { seconds: number; headers: Record<string, string>; next: () => string; connections?: number }): Promise<LoadResult> {
  const result = await autocannon({
    url,
    connections: opts.connections ?? 50,
    duration: opts.seconds,
    method: 'POST',
    headers: { 'content-type': 'application/json', ...opts.headers },
    requests: [{ setupRequest: (req) => ({ ...req, body: opts.next() }) }],
  });
  return {
    rps: Math.round(result['2xx'] / opts.seconds),
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors,
    non2xx: result.non2xx,
  };
}

/** Registers, logs in and registers an assistant on the emulator; returns the session cookie. */
export async function signUp(base: string, vapiApiKey: string) {
  const email = `bench-${Date.now()}-${Math.random().toString(36).slice(2)}@example.com`;
  const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: JSON.stringify(body) });
  await post('/api/auth/register', { name: 'Bench', email, password: 'benchpass123', organizationName: 'Bench Dental' });
  const csrf = await fetch(`${base}/api/auth/csrf`);
  const csrfCookie = csrf.headers.getSetCookie()[0]!.split(';')[0]!;
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const login = await post('/api/auth/callback/credentials', { csrfToken, email, password: 'benchpass123' }, { cookie: csrfCookie });
  const cookie = login.headers.getSetCookie().find((c) => c.startsWith('next-auth.session-token'))!.split(';')[0]!;
  const assistant = (await (
    await post('/sandbox/vapi/assistant', { name: 'Bench', model: { provider: 'openai', model: 'gpt-4o', messages: [] } }, { authorization: `Bearer ${vapiApiKey}` })
  ).json()) as { id: string };
  await post('/api/assistants', { vapiAssistantId: assistant.id, name: 'Bench' }, { cookie });
  return { cookie, vapiAssistantId: assistant.id };
}
