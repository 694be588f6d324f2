import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import pg from 'pg';
import { freshDatabase } from '../helpers/app.js';
import { withDatabase } from '../global-setup.js';
import { MIGRATIONS_FOLDER, migrationsUpToDate, openDatabase, queryRows, type Database } from '../../src/db/client.js';

// A restart skips Drizzle's migrator when every migration is recorded; anything less still migrates.
describe('migrations up to date (the restart fast path)', () => {
  let database: Database;
  const upToDate = () => migrationsUpToDate(database.db);
  const emailColumnExists = async () => (await queryRows<{ email: boolean }>(database.db, sql`
    select exists (select 1 from information_schema.columns where table_name = 'auth_tokens' and column_name = 'email') as email`))[0]!.email;

  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.close());

  it('is true on a migrated database', async () => {
    expect(await upToDate()).toBe(true);
  });

  it('is false when the newest migration is not recorded, and migrate() then applies it', async () => {
    // Undo 0019 (the newest) as if this database predated it.
    await database.db.execute(sql`alter table auth_tokens drop column email`);
    await database.db.execute(sql`delete from drizzle.__drizzle_migrations where created_at = (select max(created_at) from drizzle.__drizzle_migrations)`);
    expect(await upToDate()).toBe(false);

    await database.migrate();
    expect(await emailColumnExists()).toBe(true);
    expect(await upToDate()).toBe(true);
  });

  it('is false on a database without the migrations table (a new one)', async () => {
    await database.db.execute(sql`alter schema drizzle rename to drizzle_away`);
    try {
      expect(await upToDate()).toBe(false);
    } finally {
      await database.db.execute(sql`alter schema drizzle_away rename to drizzle`);
    }
  });
});

// Instances started together on a new database: neither is up to date, so both reach the
// advisory lock, and the second finds the first's work done. Postgres only (PGlite has one owner).
describe.runIf(process.env.TEST_DATABASE_URL)('instances migrating a new Postgres database at once', () => {
  it('apply every migration once, and both finish up to date', async () => {
    const url = process.env.TEST_DATABASE_URL!;
    const name = `ev_t_migrate_${randomBytes(6).toString('hex')}`;
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`create database ${name}`);
    const instances = await Promise.all([1, 2].map(() => openDatabase({ databaseUrl: withDatabase(url, name), poolSize: 2 })));
    try {
      await Promise.all(instances.map((instance) => instance.migrate()));
      const journal = JSON.parse(readFileSync(`${MIGRATIONS_FOLDER}/meta/_journal.json`, 'utf8')) as { entries: unknown[] };
      const [recorded] = await queryRows<{ n: number }>(instances[0]!.db, sql`select count(*)::int as n from drizzle.__drizzle_migrations`);
      expect(recorded!.n).toBe(journal.entries.length);
      expect(await Promise.all(instances.map((instance) => migrationsUpToDate(instance.db)))).toEqual([true, true]);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
      await admin.query(`drop database ${name}`);
      await admin.end();
    }
  });
});
