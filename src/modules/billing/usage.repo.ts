import { eq, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { organizations } from '../../db/schema/index.js';

/**
 * Seconds counted in an organization's current cycle, as a SQL expression over the
 * outer `organizations` row: usable in one query for one or for all organizations.
 */
export const cycleUsedSecondsSql = sql<number>`(select coalesce(sum(c.duration_seconds), 0)::int from "calls" c
  where c.organization_id = "organizations"."id"
    and c.usage_counted_at >= "organizations"."cycle_start" and c.usage_counted_at < "organizations"."cycle_end")`;

/** The organization with its usage this cycle, in one query. */
export async function organizationWithUsage(db: Db | Tx, organizationId: string) {
  const [row] = await db
    .select({ org: organizations, usedSeconds: cycleUsedSecondsSql })
    .from(organizations)
    .where(eq(organizations.id, organizationId));
  return row;
}
