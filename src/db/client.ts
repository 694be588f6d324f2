import { readFileSync } from 'node:fs';
import { PROJECT_ROOT } from '../lib/project-root.js';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { sql, type SQL, type SQLWrapper } from 'drizzle-orm';
import type * as schema from './schema/index.js';
import type { MemoRead } from './pglite-memo.js';
import type { OrgLock } from './org-lock.js';

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

/** Migrations are read from src at run time, by the built server too. */
export const MIGRATIONS_FOLDER = `${PROJECT_ROOT}/src/db/migrations`;

/**
 * Whether the database already holds every migration in MIGRATIONS_FOLDER. Drizzle's migrator
 * applies a migration only when its journal time is past the newest `created_at` it recorded;
 * when none is, it does nothing, but only after reading and hashing every file and sending its
 * schema DDL: 50 ms of a PGlite restart, against one read here. A database without the
 * table (a new one) is not up to date; any other failure the migrator then reports itself.
 */
export async function migrationsUpToDate(db: Db): Promise<boolean> {
  const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: { when: number }[] };
  const newest = Math.max(...journal.entries.map((entry) => entry.when));
  try {
    const [row] = await queryRows<{ last: string | number | null }>(db, sql`select max(created_at) as last from drizzle.__drizzle_migrations`);
    return Number(row?.last ?? 0) >= newest;
  } catch {
    return false;
  }
}

export interface DatabaseOptions {
  databaseUrl?: string;
  /** PGlite data directory; ignored for Postgres. `memory://` for a throwaway database. */
  dataDir?: string;
  /** A PGlite dump (from dumpDataDir) to start from, used by tests. */
  loadDataDir?: Blob;
  poolSize?: number;
}

/**
 * Postgres when a URL is given, PGlite otherwise. Each driver loads only when it is used:
 * a process never pays for loading the other one at start-up.
 */
export async function openDatabase(opts: DatabaseOptions): Promise<Database> {
  if (opts.databaseUrl) return (await import('./postgres.js')).openPostgres(opts.databaseUrl, opts.poolSize ?? 10);
  return (await import('./pglite.js')).openPglite(opts);
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
  _: {
    session: {
      prepareQuery(
        query: { sql: string; params: unknown[] },
        fields: undefined,
        name: string,
        arrayMode: boolean,
        mapRows?: (rows: unknown[][]) => unknown[],
      ): { execute(values: Record<string, unknown>): Promise<unknown> };
    };
  };
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

/**
 * A builder's statement prepared under a name, its rows (arrays, in select order) mapped by
 * `mapRow` instead of Drizzle's generic mapper, which walks every column's path and entity
 * kind per row: on the read behind every authenticated request that was 12% of the main
 * thread's instructions (callgrind). Timestamps arrive as text, as both drivers give them to Drizzle.
 */
export function prepareMapped<T>(db: Db, query: SQLWrapper, name: string, mapRow: (row: unknown[]) => T) {
  const drizzle = db as unknown as DrizzleInternals;
  const prepared = drizzle._.session.prepareQuery(drizzle.dialect.sqlToQuery(query.getSQL()), undefined, name, true, (rows) => rows.map(mapRow));
  return async (values: Record<string, unknown>) => (await prepared.execute(values)) as T[];
}
