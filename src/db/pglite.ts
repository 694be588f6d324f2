import { mkdirSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import * as schema from './schema/index.js';
import { MIGRATIONS_FOLDER, migrationsUpToDate, type Database, type DatabaseOptions, type Db } from './client.js';
import { localLocks } from './local-locks.js';
import { memoUntilWrite } from './pglite-memo.js';
import { localOrgLock } from './org-lock.js';

/** The embedded database (one process owns the data directory). */
export async function openPglite(opts: DatabaseOptions): Promise<Database> {
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
    async migrate() {
      if (await migrationsUpToDate(db)) return;
      await migratePglite(drizzlePglite(client), { migrationsFolder: MIGRATIONS_FOLDER });
    },
    close: () => client.close(),
    dump: () => client.dumpDataDir('none'),
    withLock: localLocks(),
    withOrgLock: localOrgLock(),
    memoRead,
  };
}
