import { count, desc, eq, ilike, sql } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { organizations, users } from '../../db/schema/index.js';
import type { PlanTier } from '../../domain/plans.js';
import { cycleUsedSecondsSql } from '../billing/usage.repo.js';

// Written out in full: inside a correlated subquery Drizzle's column refs render unqualified.
const userCount = sql<number>`(select count(*)::int from "users" u where u.organization_id = "organizations"."id")`;
const usage = { userCount, usedSeconds: cycleUsedSecondsSql };

export async function listOrganizations(db: Db, opts: { offset: number; limit: number; search?: string }) {
  const where = opts.search ? ilike(organizations.name, `%${opts.search}%`) : undefined;
  const [rows, [total]] = await Promise.all([
    db
      .select({ org: organizations, ...usage })
      .from(organizations)
      .where(where)
      .orderBy(desc(organizations.createdAt), organizations.id)
      .offset(opts.offset)
      .limit(opts.limit),
    db.select({ n: count() }).from(organizations).where(where),
  ]);
  return { rows, total: total?.n ?? 0 };
}

export async function findOrganization(db: Db, id: string) {
  const [row] = await db.select({ org: organizations, ...usage }).from(organizations).where(eq(organizations.id, id));
  return row;
}

export const listUsers = (db: Db, organizationId: string) =>
  db
    .select({ id: users.id, name: users.name, email: users.email, role: users.role, mustChangePassword: users.mustChangePassword })
    .from(users)
    .where(eq(users.organizationId, organizationId))
    .orderBy(users.createdAt);

export async function updateOrganization(
  db: Db,
  id: string,
  patch: { plan?: PlanTier; minutesLimitOverride?: number | null; overageEnabled?: boolean },
) {
  const [row] = await db.update(organizations).set(patch).where(eq(organizations.id, id)).returning({ id: organizations.id });
  return row;
}

export async function requirePasswordChange(db: Db, userId: string) {
  const [row] = await db
    .update(users)
    .set({ mustChangePassword: true })
    .where(eq(users.id, userId))
    .returning({ id: users.id });
  return row;
}
