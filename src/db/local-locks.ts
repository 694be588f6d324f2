/** In-process locks: all PGlite needs (one process owns the data directory). */
export function localLocks() {
  const held = new Set<number>();
  return async function withLocalLock<T>(key: number, fn: () => Promise<T>) {
    if (held.has(key)) return { ran: false as const };
    held.add(key);
    try {
      return { ran: true as const, value: await fn() };
    } finally {
      held.delete(key);
    }
  };
}
