import { fileURLToPath } from 'node:url';
import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import type { SQL } from 'drizzle-orm';
import pg from 'pg';
import * as schema from './schema/index.js';
import { memoUntilWrite, type MemoRead } from './pglite-memo.js';
import { localOrgLock, postgresOrgLock, type OrgLock } from './org-lock.js';

/** One Drizzle type for both drivers: services never know which one runs. */
export type Db = PgDatabase<PgQueryResultHKT, typeof schema>;
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0];

export interface Database {
  db: Db;
  kind: 'pglite' | 'postgres';
  migrate(): Promise<void>;
  close(): Promise<void>;
  /** PGlite only: a snapshot of the data directory that `loadDataDir` can start from. */
  dump?(): Promise<Blob>;
  /**
   * Runs fn unless another holder (in this process or, on Postgres, any process) has the
   * lock; answers `{ ran: false }` then. Session advisory lock on one pooled connection.
   */
  withLock<T>(key: number, fn: () => Promise<T>): Promise<{ ran: true; value: T } | { ran: false }>;
  /** Serializes a once-only flow per organization across every instance (see org-lock.ts). */
  withOrgLock: OrgLock;
  /** Postgres only: connections checked out and callers waiting, per pool (metrics, shutdown report). */
  poolStats?(): PoolStats;
  /**
   * A hot read that may be answered from memory when that is exact: on PGlite, until this
   * process next writes (see pglite-memo.ts); on Postgres other processes write, so it always reads.
   */
  memoRead: MemoRead;
}

export type PoolStats = {
  /** Queries (services, jobs, requests). */
  queries: { total: number; idle: number; waiting: number };
  /** Session advisory locks held for a job or a once-only flow. */
  locks: { total: number; idle: number; waiting: number };
};

/** In-process locks: all PGlite needs (one process owns the data directory). */
function localLocks() {
  const held = new Set<number>();
  return async function withLocalLock<T>(key: number, fn: () => Promise<T>) {
    if (held.has(key)) return { ran: false as const };
    held.add(key);
    try {
      return { ran: true as const, value: await fn() };
    } finally {
      held.delete(key);
    }
  };
}

/** Works from src/db (tsx, vitest) and dist/db (built): migrations stay in src. */
export const MIGRATIONS_FOLDER = fileURLToPath(new URL('../../src/db/migrations', import.meta.url));

/** Arbitrary constant: the advisory lock that serializes migrations across app instances. */
const MIGRATION_LOCK_ID = 7_210_431;

export interface DatabaseOptions {
  databaseUrl?: string;
  /** PGlite data directory; ignored for Postgres. `memory://` for a throwaway database. */
  dataDir?: string;
  /** A PGlite dump (from dumpDataDir) to start from, used by tests. */
  loadDataDir?: Blob;
  poolSize?: number;
}

export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) return openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return openPglite(opts);
}

async function openPglite(opts: DatabaseOptions): Promise<Database> {
  const dir = opts.dataDir ?? 'memory://';
  if (!dir.startsWith('memory://')) mkdirSync(dir, { recursive: true });
  const client = await PGlite.create(dir, {
    ...(opts.loadDataDir && { loadDataDir: opts.loadDataDir }),
    // Postgres' default 128 MB buffer pool costs ~0.5 s to set up at every start; an embedded,
    // one-business database is served well by 16 MB (the OS caches the files too).
    startParams: [...PGlite.defaultStartParams, '-c', 'shared_buffers=16MB'],
  });
  const memoRead = memoUntilWrite(client);
  const db = drizzlePglite(client, { schema, casing: 'snake_case' }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    migrate: () => migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER }),
    close: () => client.close(),
    dump: () => client.dumpDataDir('none'),
    withLock: localLocks(),
    withOrgLock: localOrgLock(),
    memoRead,
  };
}

/**
 * Two pools: session advisory locks (a job's, a once-only flow's) park their connection for
 * the whole run while the run's own queries need another; from one shared pool, as many
 * holders as connections would wait forever for a query connection (ten jobs ticking
 * together did exactly that), and pool.end() on shutdown waits for them forever too.
 */
async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const lockPool = new pg.Pool({ connectionString: url, max: poolSize });
  const localLock = localLocks();
  const db = drizzlePg(pool, { schema, casing: 'snake_case' }) as unknown as Db;
  const count = (p: pg.Pool) => ({ total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount });
  return {
    db,
    kind: 'postgres',
    async migrate() {
      const conn = await lockPool.connect();
      try {
        await conn.query('SELECT pg_advisory_lock($1)', [MIGRATION_LOCK_ID]);
        await migratePg(drizzlePg(conn), { migrationsFolder: MIGRATIONS_FOLDER });
      } finally {
        await conn.query('SELECT pg_advisory_unlock($1)', [MIGRATION_LOCK_ID]).catch(() => {});
        conn.release();
      }
    },
    close: async () => {
      await Promise.all([pool.end(), lockPool.end()]);
    },
    poolStats: () => ({ queries: count(pool), locks: count(lockPool) }),
    memoRead: (_key, read) => read(),
    withOrgLock: postgresOrgLock(lockPool),
    async withLock<T>(key: number, fn: () => Promise<T>) {
      const local = localLock;
      return local(key, async () => {
        const conn = await lockPool.connect();
        let broken: Error | undefined;
        try {
          const { rows } = await conn.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [key]);
          if (!rows[0]?.ok) return { ran: false as const };
          try {
            return { ran: true as const, value: await fn() };
          } finally {
            // A failed unlock leaves the lock on this connection: destroy it, which releases it.
            await conn.query('SELECT pg_advisory_unlock($1)', [key]).catch((err: Error) => {
              broken = err;
            });
          }
        } finally {
          conn.release(broken);
        }
      }).then((r) => (r.ran ? r.value : r));
    },
  };
}

/** Postgres error code of a unique-constraint violation, as both drivers report it. */
export function isUniqueViolation(err: unknown): boolean {
  const e = err as { code?: string; cause?: { code?: string } } | undefined;
  return e?.code === '23505' || e?.cause?.code === '23505';
}

/** Rows of a raw SQL query; both drivers answer `{ rows }`. */
export async function queryRows<T>(db: Db | Tx, query: SQL): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/**
 * One prepared statement per database for a hot-path query: built once, sent by name,
 * parsed once by Postgres (Drizzle's .prepare() roughly halves per-query overhead).
 */
export function preparedPerDb<P>(build: (db: Db) => P): (db: Db) => P {
  const cache = new WeakMap<Db, P>();
  return (db) => {
    let prepared = cache.get(db);
    if (!prepared) cache.set(db, (prepared = build(db)));
    return prepared;
  };
}

interface DrizzleInternals {
  dialect: { sqlToQuery(query: SQL): { sql: string; params: unknown[] } };
  _: { session: { prepareQuery(query: { sql: string; params: unknown[] }, fields: undefined, name: string, arrayMode: false): { execute(values: Record<string, unknown>): Promise<unknown> } } };
}

/**
 * A raw statement (data-modifying CTEs, which Drizzle's builders cannot express) with
 * `sql.placeholder`s, prepared under a name the way Drizzle's own `.prepare()` does: on
 * Postgres each pooled connection parses and plans it once. Works inside a transaction too.
 * It reaches into Drizzle's session (pinned version); test/calls.test.ts exercises it on both drivers.
 */
export function prepareRaw<T>(db: Db | Tx, query: SQL, name: string) {
  const drizzle = db as unknown as DrizzleInternals;
  const prepared = drizzle._.session.prepareQuery(drizzle.dialect.sqlToQuery(query), undefined, name, false);
  return async (values: Record<string, unknown>) => ((await prepared.execute(values)) as { rows: T[] }).rows;
}
