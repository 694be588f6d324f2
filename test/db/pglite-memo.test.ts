import { PGlite } from '@electric-sql/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { memoUntilWrite, type MemoRead } from '../../src/db/pglite-memo.js';

describe('PGlite read memo', () => {
  let client: PGlite;
  let memoRead: MemoRead;
  let reads = 0;
  const nameOf = (id: number) =>
    memoRead(`name:${id}`, async () => {
      reads++;
      const { rows } = await client.query<{ name: string }>('select name from people where id = $1', [id]);
      return rows[0]?.name;
    });

  beforeAll(async () => {
    client = await PGlite.create();
    memoRead = memoUntilWrite(client);
    await client.exec(`create table people (id int primary key, name text); insert into people values (1, 'Ada'), (2, 'Grace')`);
  });
  afterAll(() => client.close());

  it('answers a repeated read from memory until this process writes', async () => {
    reads = 0;
    expect(await nameOf(1)).toBe('Ada');
    expect(await nameOf(1)).toBe('Ada');
    expect(reads).toBe(1);

    await client.query('update people set name = $1 where id = 1', ['Ada L.']);
    expect(await nameOf(1)).toBe('Ada L.');
    expect(reads).toBe(2);
  });

  it('is cleared by a transaction and by exec, not by a plain select', async () => {
    await nameOf(2);
    reads = 0;
    await client.query('select count(*) from people');
    await nameOf(2);
    expect(reads).toBe(0);

    await client.transaction(async (tx) => void (await tx.query(`update people set name = 'Grace H.' where id = 2`)));
    expect(await nameOf(2)).toBe('Grace H.');
    await client.exec(`update people set name = 'G.' where id = 2`);
    expect(await nameOf(2)).toBe('G.');
    expect(reads).toBe(2);
  });

  it('does not keep an answer read while a write was in flight', async () => {
    await client.exec(`update people set name = 'Ada' where id = 1`);
    reads = 0;
    // The read starts, a write lands before it finishes: its answer may predate the write.
    const racing = nameOf(1);
    const writing = client.query(`update people set name = 'Countess' where id = 1`);
    await Promise.all([racing, writing]);
    expect(await nameOf(1)).toBe('Countess');
    expect(reads).toBe(2);
  });

  it('treats a data-modifying WITH as a write', async () => {
    await nameOf(1);
    await client.query(`with moved as (update people set name = 'Lovelace' where id = 1 returning id) select * from moved`);
    expect(await nameOf(1)).toBe('Lovelace');
  });
});
