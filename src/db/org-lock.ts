import { AsyncLocalStorage } from 'node:async_hooks';
import type pg from 'pg';

/** The flows that must happen once per organization; each has its own lock. */
export const ONCE_ONLY_FLOWS = [
  'onboarding',
  'provisioning',
  'plan-change',
  'checkout',
  'a2p',
  'invitation',
  'kb-refresh',
  'prompt-regeneration',
  'account-deletion',
] as const;
export type OnceOnlyFlow = (typeof ONCE_ONLY_FLOWS)[number];

/**
 * Runs `fn` while holding the organization's lock for that flow, waiting its turn (never
 * skipping): concurrent identical requests run one after another, so the second one sees
 * what the first did and makes no second effect. Held across provider calls, so it is a
 * session lock, not a transaction's.
 */
export type OrgLock = <T>(organizationId: string, flow: OnceOnlyFlow, fn: () => Promise<T>) => Promise<T>;

/** A FIFO mutex per key within this process. */
export function keyedMutex() {
  const tails = new Map<string, Promise<void>>();
  return async function runExclusive<T>(key: string, fn: () => Promise<T>): Promise<T> {
    const previous = tails.get(key) ?? Promise.resolve();
    let release!: () => void;
    const tail = previous.then(() => new Promise<void>((resolve) => (release = resolve)));
    tails.set(key, tail);
    await previous;
    try {
      return await fn();
    } finally {
      release();
      if (tails.get(key) === tail) tails.delete(key);
    }
  };
}

/** PGlite: one process owns the data directory, so the in-process mutex is the whole lock. */
export function localOrgLock(): OrgLock {
  const mutex = keyedMutex();
  return (organizationId, flow, fn) => mutex(`${flow}:${organizationId}`, fn);
}

/**
 * Postgres: the in-process mutex first (so one process never parks more than one connection
 * per key), then a session advisory lock on (flow, organization) that serializes every
 * instance. The lock is held on a connection of its own pool, never the queries' pool: holders
 * of many organizations' locks at once would otherwise take every connection their own queries
 * wait for. A flow nested in another (onboarding provisions the number) takes its lock on the
 * outer flow's connection, so it never waits for a second one.
 */
export function postgresOrgLock(lockPool: pg.Pool): OrgLock {
  const mutex = keyedMutex();
  // The connection of the flow this code runs in, while that flow holds it (work it left behind may outlive it).
  const held = new AsyncLocalStorage<{ conn: pg.PoolClient; holding: boolean; broken?: Error }>();
  return (organizationId, flow, fn) =>
    mutex(`${flow}:${organizationId}`, async () => {
      const outer = held.getStore();
      const reuse = outer?.holding === true;
      const conn = reuse ? outer.conn : await lockPool.connect();
      const mine: { conn: pg.PoolClient; holding: boolean; broken?: Error } = { conn, holding: true };
      try {
        await conn.query('SELECT pg_advisory_lock(hashtext($1), hashtext($2))', [flow, organizationId]);
        try {
          return await held.run(mine, fn);
        } finally {
          mine.holding = false;
          // A failed unlock leaves the lock on this connection: destroy it, which releases it.
          // A nested flow's failure goes to the outer one, which owns the connection.
          await conn.query('SELECT pg_advisory_unlock(hashtext($1), hashtext($2))', [flow, organizationId]).catch((err: Error) => {
            if (reuse) outer.broken = err;
            else mine.broken = err;
          });
        }
      } finally {
        if (!reuse) conn.release(mine.broken);
      }
    });
}
