import { eq, sql } from 'drizzle-orm';
import type { AppContext } from '../../context.js';
import { a2pRegistrations } from '../../db/schema/index.js';

/** The organization's registration, created NOT_STARTED on first need. */
export async function registrationOf(ctx: AppContext, organizationId: string) {
  await ctx.db.insert(a2pRegistrations).values({ organizationId }).onConflictDoNothing();
  return (await ctx.db.select().from(a2pRegistrations).where(eq(a2pRegistrations.organizationId, organizationId)))[0]!;
}

export const updateRegistration = (ctx: AppContext, organizationId: string, patch: Partial<typeof a2pRegistrations.$inferInsert>) =>
  ctx.db.update(a2pRegistrations).set({ ...patch, updatedAt: sql`now()` }).where(eq(a2pRegistrations.organizationId, organizationId));
