import type { AppContext } from '../../context.js';
import type { Organization } from '../../db/schema/index.js';
import { effectiveMinutesLimit, type PlanTier } from '../../domain/plans.js';
import { notFound } from '../../errors.js';
import * as repo from './admin.repo.js';
import { minutesOf } from '../../domain/calls.js';

const view = ({ org, userCount, usedSeconds }: { org: Organization; userCount: number; usedSeconds: number }) => ({
  id: org.id,
  name: org.name,
  plan: org.plan,
  minutesLimit: effectiveMinutesLimit(org),
  minutesLimitOverride: org.minutesLimitOverride,
  minutesUsed: minutesOf(usedSeconds),
  overageEnabled: org.overageEnabled,
  currentCycleStart: org.cycleStart.toISOString(),
  currentCycleEnd: org.cycleEnd.toISOString(),
  userCount,
  createdAt: org.createdAt.toISOString(),
});

export async function listOrganizations(ctx: AppContext, q: { page: number; limit: number; search?: string }) {
  const { rows, total } = await repo.listOrganizations(ctx.db, { ...q, offset: (q.page - 1) * q.limit });
  return {
    organizations: rows.map(view),
    pagination: { page: q.page, limit: q.limit, total, totalPages: Math.ceil(total / q.limit) },
  };
}

export async function getOrganization(ctx: AppContext, id: string) {
  const row = await repo.findOrganization(ctx.db, id);
  if (!row) throw notFound('Organization');
  return { organization: { ...view(row), users: await repo.listUsers(ctx.db, id) } };
}

export async function updateOrganization(
  ctx: AppContext,
  id: string,
  patch: { plan?: PlanTier; minutesLimit?: number | null; overageEnabled?: boolean },
) {
  const { minutesLimit, ...rest } = patch;
  const updated = await repo.updateOrganization(ctx.db, id, {
    ...rest,
    ...(minutesLimit !== undefined && { minutesLimitOverride: minutesLimit }),
  });
  if (!updated) throw notFound('Organization');
  return getOrganization(ctx, id);
}

export async function requirePasswordChange(ctx: AppContext, userId: string) {
  if (!(await repo.requirePasswordChange(ctx.db, userId))) throw notFound('User');
}
