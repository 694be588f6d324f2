import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { migrate as migratePg } from 'drizzle-orm/node-postgres/migrator';
import pg from 'pg';
import * as schema from './schema/index.js';
import { MIGRATIONS_FOLDER, migrationsUpToDate, type Database, type Db } from './client.js';
import { localLocks } from './local-locks.js';
import { postgresOrgLock } from './org-lock.js';

/** Arbitrary constant: the advisory lock that serializes migrations across app instances. */
const MIGRATION_LOCK_ID = 7_210_431;

/**
 * Two pools: session advisory locks (a job's, a once-only flow's) park their connection for
 * the whole run while the run's own queries need another; from one shared pool, as many
 * holders as connections would wait forever for a query connection (ten jobs ticking
 * together did exactly that), and pool.end() on shutdown waits for them forever too.
 */
export async function openPostgres(url: string, poolSize: number): Promise<Database> {
  const pool = new pg.Pool({ connectionString: url, max: poolSize });
  const lockPool = new pg.Pool({ connectionString: url, max: poolSize });
  const localLock = localLocks();
  const db = drizzlePg(pool, { schema, casing: 'snake_case' }) as unknown as Db;
  const count = (p: pg.Pool) => ({ total: p.totalCount, idle: p.idleCount, waiting: p.waitingCount });
  return {
    db,
    kind: 'postgres',
    async migrate() {
      // Migrations only ever add: once every one is recorded, a restart needs no lock either.
      if (await migrationsUpToDate(db)) return;
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
      return localLock(key, async () => {
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
