import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sql } from 'drizzle-orm';
import { freshDatabase } from '../helpers/app.js';
import { queryRows, type Database } from '../../src/db/client.js';

// Migration 0018: the large per-report columns compress with lz4 where the server has it
// (Postgres builds do, PGlite's WASM build does not and keeps pglz without failing).
describe('TOAST compression of the per-report columns', () => {
  let database: Database;
  beforeAll(async () => {
    database = await freshDatabase();
  });
  afterAll(() => database.close());

  it('is lz4 on Postgres and the default on PGlite', async () => {
    const rows = await queryRows<{ column: string; compression: string }>(
      database.db,
      sql`select attrelid::regclass::text || '.' || attname as column, attcompression as compression from pg_attribute
        where (attrelid = 'calls'::regclass and attname in ('transcript', 'summary', 'messages', 'outcome', 'search_vector'))
           or (attrelid = 'webhook_events'::regclass and attname = 'payload')
        order by 1`,
    );
    expect(rows.map((r) => r.column)).toEqual([
      'calls.messages',
      'calls.outcome',
      'calls.search_vector',
      'calls.summary',
      'calls.transcript',
      'webhook_events.payload',
    ]);
    const expected = database.kind === 'postgres' ? 'l' : '';
    expect(rows.every((r) => r.compression === expected)).toBe(true);
  });
});
