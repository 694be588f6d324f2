import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { freshDatabase } from '../helpers/app.js';
import { migrationsUpToDate, queryRows, type Database } from '../../src/db/client.js';

// A restart skips Drizzle's migrator when every migration is recorded; anything less still migrates.
describe('migrations up to date (the restart fast path)', () => {
  let database: Database;
  const upToDate = () => migrationsUpToDate(async (text) => ({ rows: await queryRows(database.db, sql.raw(text)) }));
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
