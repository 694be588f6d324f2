import type { PGlite } from '@electric-sql/pglite';

/** Entries kept at most; past it the memo starts over (a burst of new sessions, say). */
const MAX_ENTRIES = 10_000;

/** A statement that only reads: SELECT (a data-modifying CTE has to start with WITH). */
const isReadOnly = (text: string) => /^\s*\(?\s*select\b/i.test(text);

export type MemoRead = <T>(key: string, read: () => Promise<T>) => Promise<T>;

/**
 * Exact read memo for embedded PGlite. One process owns the data directory, so an answer
 * read here stays true until this process writes: every statement that is not a SELECT,
 * every `exec` and every transaction clears the memo when it finishes. A read whose
 * statement ran while a write was in flight is not kept (the generation moved), so a
 * memoized answer is never older than the last completed write.
 * Installs itself on the client's query, exec and transaction methods.
 */
export function memoUntilWrite(client: PGlite): MemoRead {
  const memo = new Map<string, unknown>();
  let generation = 0;
  const wrote = () => {
    generation++;
    memo.clear();
  };

  const query = client.query.bind(client);
  const exec = client.exec.bind(client);
  const transaction = client.transaction.bind(client);
  client.query = (async (text: string, params?: unknown[], options?: object) => {
    try {
      return await query(text, params, options);
    } finally {
      if (!isReadOnly(text)) wrote();
    }
  }) as PGlite['query'];
  client.exec = (async (text: string, options?: object) => {
    try {
      return await exec(text, options);
    } finally {
      wrote();
    }
  }) as PGlite['exec'];
  client.transaction = (async (fn: Parameters<PGlite['transaction']>[0]) => {
    try {
      return await transaction(fn);
    } finally {
      wrote();
    }
  }) as PGlite['transaction'];

  return async function memoRead<T>(key: string, read: () => Promise<T>): Promise<T> {
    if (memo.has(key)) return memo.get(key) as T;
    const before = generation;
    const value = await read();
    if (generation === before) {
      if (memo.size >= MAX_ENTRIES) memo.clear();
      memo.set(key, value);
    }
    return value;
  };
}
