import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { embedTokens, organizations } from '../../db/schema/index.js';

export type EmbedToken = typeof embedTokens.$inferSelect;

/** The organization's live (unrevoked) tokens, newest first. */
export function listLive(db: Db, organizationId: string) {
  return db
    .select()
    .from(embedTokens)
    .where(and(eq(embedTokens.organizationId, organizationId), isNull(embedTokens.revokedAt)))
    .orderBy(desc(embedTokens.createdAt), desc(embedTokens.id));
}

export async function insert(db: Db, values: typeof embedTokens.$inferInsert) {
  const [row] = await db.insert(embedTokens).values(values).returning();
  return row!;
}

/** Revokes one live token of the organization; false if it has none by that id. */
export async function revoke(db: Db, organizationId: string, id: string) {
  const rows = await db
    .update(embedTokens)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(embedTokens.organizationId, organizationId), eq(embedTokens.id, id), isNull(embedTokens.revokedAt)))
    .returning({ id: embedTokens.id });
  return rows.length > 0;
}

/** A live token by its hash, with what the widget needs of its organization. */
export async function findLiveByHash(db: Db, tokenHash: string) {
  const [row] = await db
    .select({
      id: embedTokens.id,
      organizationId: embedTokens.organizationId,
      allowedDomains: embedTokens.allowedDomains,
      lastUsedAt: embedTokens.lastUsedAt,
      orgName: organizations.name,
      plan: organizations.plan,
    })
    .from(embedTokens)
    .innerJoin(organizations, eq(organizations.id, embedTokens.organizationId))
    .where(and(eq(embedTokens.tokenHash, tokenHash), isNull(embedTokens.revokedAt)));
  return row;
}

/** Sets last_used_at unless it was set less than `granularityMs` ago (one write a minute, not one a request). */
export async function touch(db: Db, organizationId: string, id: string, now: Date, granularityMs: number) {
  await db
    .update(embedTokens)
    .set({ lastUsedAt: now })
    .where(
      and(
        eq(embedTokens.organizationId, organizationId),
        eq(embedTokens.id, id),
        or(isNull(embedTokens.lastUsedAt), lt(embedTokens.lastUsedAt, new Date(now.getTime() - granularityMs))),
      ),
    );
}
