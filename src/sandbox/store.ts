import { and, desc, eq, sql } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { sandboxResources } from '../db/schema/index.js';

/**
 * The emulators' document store: one JSON document per (service, kind, id), in our own
 * database so emulated state survives a restart like the real service's would.
 */
export function sandboxStore<T extends Record<string, unknown>>(db: Db, service: string, kind: string) {
  const key = (id: string) =>
    and(eq(sandboxResources.service, service), eq(sandboxResources.kind, kind), eq(sandboxResources.id, id));
  return {
    async get(id: string): Promise<T | undefined> {
      const [row] = await db.select({ data: sandboxResources.data }).from(sandboxResources).where(key(id));
      return row?.data as T | undefined;
    },
    async put(id: string, data: T, owner = ''): Promise<T> {
      await db
        .insert(sandboxResources)
        .values({ service, kind, id, owner, data })
        .onConflictDoUpdate({
          target: [sandboxResources.service, sandboxResources.kind, sandboxResources.id],
          set: { data, updatedAt: sql`now()` },
        });
      return data;
    },
    /**
     * Stores the document only if none has this id: true when this call created it. Two
     * concurrent claims of one id (on any driver) make one winner, by the primary key.
     */
    async claim(id: string, data: T, owner = ''): Promise<boolean> {
      const rows = await db
        .insert(sandboxResources)
        .values({ service, kind, id, owner, data })
        .onConflictDoNothing()
        .returning({ id: sandboxResources.id });
      return rows.length > 0;
    },
    async delete(id: string): Promise<boolean> {
      const rows = await db.delete(sandboxResources).where(key(id)).returning({ id: sandboxResources.id });
      return rows.length > 0;
    },
    /** Newest first. */
    async list(opts: { owner?: string; limit?: number } = {}): Promise<T[]> {
      const rows = await db
        .select({ data: sandboxResources.data })
        .from(sandboxResources)
        .where(
          and(
            eq(sandboxResources.service, service),
            eq(sandboxResources.kind, kind),
            opts.owner !== undefined ? eq(sandboxResources.owner, opts.owner) : undefined,
          ),
        )
        .orderBy(desc(sandboxResources.createdAt), desc(sandboxResources.id))
        .limit(opts.limit ?? 100);
      return rows.map((r) => r.data as T);
    },
  };
}
