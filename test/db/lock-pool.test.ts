/**
 * Lock holders must never starve their own queries: a session advisory lock parks a pooled
 * connection for the whole run while the run queries through another one. With ten jobs
 * ticking together on a ten-connection pool, every connection was a lock and every run waited
 * for a query connection forever (and pool.end() on SIGTERM waited for them: the scale-out
 * proof's instances never exited).
 */
import { describe, expect, it } from 'vitest';
import { setTimeout as sleep } from 'node:timers/promises';
import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import { freshDatabase } from '../helpers/app.js';
import { openDatabase } from '../../src/db/client.js';

const within = <T>(ms: number, p: Promise<T>) =>
  Promise.race([p, sleep(ms).then(() => Promise.reject(new Error(`still waiting after ${ms} ms`)))]);

describe.runIf(process.env.TEST_DATABASE_URL)('lock connections on Postgres', () => {
  it('more lock holders than pool connections all run their queries, and the pools then close', async () => {
    const seed = await freshDatabase();
    const url = (seed.db as unknown as { $client: { options: { connectionString: string } } }).$client.options.connectionString;
    await seed.close();
    const database = await openDatabase({ databaseUrl: url, poolSize: 2 });
    const query = () => database.db.execute(sql`select pg_sleep(0.05)`);
    const [jobs] = await within(
      10_000,
      Promise.all([
        Promise.all([1, 2, 3].map((key) => database.withLock(9_000 + key, query))),
        Promise.all([1, 2, 3].map(() => database.withOrgLock(randomUUID(), 'onboarding', query))),
      ]),
    );
    expect(jobs.map((o) => o.ran)).toEqual([true, true, true]);
    expect(database.poolStats?.()).toMatchObject({ queries: { waiting: 0 }, locks: { waiting: 0 } });
    await within(5_000, database.close());
  });
});
