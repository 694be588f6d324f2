import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { freshDatabase } from '../helpers/app.js';
import { openDatabase, type Database } from '../../src/db/client.js';
import type { OrgLock } from '../../src/db/org-lock.js';

/** Runs `n` flows at once under `lock` and reports the most that ever overlapped. */
async function maxOverlap(runs: Array<{ lock: OrgLock; org: string }>, holdMs = 5) {
  let inside = 0;
  let most = 0;
  const order: number[] = [];
  await Promise.all(
    runs.map(({ lock, org }, i) =>
      lock(org, 'onboarding', async () => {
        inside++;
        most = Math.max(most, inside);
        await sleep(holdMs);
        order.push(i);
        inside--;
      }),
    ),
  );
  return { most, order };
}

describe('withOrgLock', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.close());

  it('runs 20 concurrent flows of one organization one at a time, in arrival order, none skipped', async () => {
    const org = randomUUID();
    const { most, order } = await maxOverlap(Array.from({ length: 20 }, () => ({ lock: database.withOrgLock, org })));
    expect(most).toBe(1);
    expect(order).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });

  it('lets different organizations, and different flows of one organization, run side by side', async () => {
    // Held long enough that taking a pooled connection cannot serialize them by accident.
    const { most } = await maxOverlap(Array.from({ length: 4 }, () => ({ lock: database.withOrgLock, org: randomUUID() })), 100);
    expect(most).toBeGreaterThan(1);
    const org = randomUUID();
    let overlapped = false;
    let inOnboarding = false;
    await Promise.all([
      database.withOrgLock(org, 'onboarding', async () => {
        inOnboarding = true;
        await sleep(30);
        inOnboarding = false;
      }),
      sleep(5).then(() => database.withOrgLock(org, 'checkout', async () => void (overlapped = inOnboarding))),
    ]);
    expect(overlapped).toBe(true);
  });

  it('releases the lock when the flow throws', async () => {
    const org = randomUUID();
    await expect(database.withOrgLock(org, 'checkout', () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    await expect(database.withOrgLock(org, 'checkout', async () => 'next')).resolves.toBe('next');
  });

  it('lets more organizations hold a lock than the pool has connections, each querying inside, with a nested flow', async () => {
    // The test database's pool has 4 connections; 8 holders each query twice while holding theirs.
    const runs = Array.from({ length: 8 }, () => randomUUID()).map((org) =>
      database.withOrgLock(org, 'onboarding', async () => {
        await database.db.execute(sql`select pg_sleep(0.02)`);
        return database.withOrgLock(org, 'provisioning', async () => (await database.db.execute(sql`select 1 as one`)) !== undefined);
      }),
    );
    const within = sleep(10_000, 'starved', { ref: false });
    expect(await Promise.race([Promise.all(runs), within])).toEqual(Array(8).fill(true));
  });

  it.runIf(process.env.TEST_DATABASE_URL)('serializes two processes (two pools) on Postgres', async () => {
    const url = (database.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString;
    const other = await openDatabase({ databaseUrl: url, poolSize: 2 });
    try {
      const org = randomUUID();
      const runs = Array.from({ length: 10 }, (_, i) => ({ lock: i % 2 ? other.withOrgLock : database.withOrgLock, org }));
      expect((await maxOverlap(runs)).most).toBe(1);
    } finally {
      await other.close();
    }
  });
});
